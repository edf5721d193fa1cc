#pragma once
// Records the first episode of the first envs of a synchronous runner into a
// Rollout, step by step, including each episode's last step (which the
// runner overwrites when it resets the env in the same step).
#include <memory>
#include <string>
#include <vector>

#include "core/vec_env.h"
#include "rundir/rollout.h"

namespace twinrl {

// The header of a rollout of `policy` on envs of `spec`; `config_yaml` is the
// experiment's resolved config.
RolloutHeader make_rollout_header(const EnvSpec& spec, std::string config_yaml, std::string policy,
                                  int64_t training_step, uint64_t seed);

class RolloutRecorder {
 public:
  // Records envs [0, episodes) of the runner given to start().
  RolloutRecorder(RolloutHeader header, int episodes);
  RolloutRecorder(const RolloutRecorder&) = delete;
  RolloutRecorder& operator=(const RolloutRecorder&) = delete;
  ~RolloutRecorder();

  int episodes() const { return static_cast<int>(rollout_.episodes.size()); }
  // After envs.reset(): every recorded env's scene and step 0. Installs an
  // episode-end hook on `envs` until finished() or destruction.
  void start(VecEnv& envs);
  // After envs.step(actions).
  void record_step(const VecEnv& envs, const ActionRef& actions);
  // Whether every recorded env has finished its first episode.
  bool finished() const { return open_episodes_ == 0; }
  const Rollout& rollout() const { return rollout_; }

 private:
  // What the episode-end hook keeps of an episode's last step.
  struct LastStep {
    std::vector<float> observation, reward, kpis;
    nlohmann::json state;
  };
  void record_state(const Env& env, RolloutStep& step) const;
  void stop_hook();

  Rollout rollout_;
  std::vector<bool> open_;  // per recorded env: still in its first episode
  std::vector<LastStep> last_steps_;
  int open_episodes_ = 0;
  VecEnv* envs_ = nullptr;
};

}  // namespace twinrl
