#pragma once
// Gymnasium's LunarLander-v3 (Oleg Klimov's lunar lander): bring a lander down
// between the flags on a random moon surface. The reward is the change of a
// shaping potential (distance to the pad, speed, tilt, legs on the ground)
// minus fuel; the episode terminates with -100 when the hull touches the ground
// or the lander leaves the screen sideways, and with +100 once it comes to rest.
// Solved at a mean return of 200.
#include <memory>
#include <string>
#include <vector>

#include "core/env.h"
#include "envs/box2d/lander_params.h"
#include "envs/box2d/lander_world.h"

namespace twinrl::lander {

// The actions of Discrete(4).
enum DiscreteAction : int64_t { kNoEngine = 0, kLeftEngine = 1, kMainEngine = 2, kRightEngine = 3 };

// Gymnasium's shaping potential: -100 per unit of distance to the pad and of
// speed (both in observation units), -100 per radian of tilt, +10 per leg on
// the ground. A step's reward is its change, less fuel.
double shaping(const Observation& observation);

class LanderModel : public EnvModel {
 public:
  explicit LanderModel(const LanderParams& params);

  std::vector<std::string> baseline_names() const override { return {"pd_controller"}; }
  std::unique_ptr<BaselinePolicy> make_baseline(const std::string& name,
                                                uint64_t seed) const override;

  const LanderParams& params() const { return params_; }

 protected:
  std::unique_ptr<Env> create_env() const override;

 private:
  LanderParams params_;
};

class LanderEnv : public EnvWithParams<LanderParams> {
 public:
  explicit LanderEnv(const LanderModel& model);

  StepStatus step(const ActionRef& action, const EnvOutput& out) override;
  // landed_on_pad, crashed, fuel_used_s, touchdown_speed_m_per_s.
  void episode_kpis(std::span<float> out) const override;
  // Terrain, pad and lander geometry; the hull's and legs' poses, leg
  // contacts and the engines fired by the last step (lander_render.cc; the
  // keys are in envs/box2d/README.md, "Render state").
  void render_scene(nlohmann::json& scene) const override;
  void render_state(nlohmann::json& state) const override;

  const Observation& observation() const { return observation_; }
  // The physics, for benchmarks of the bare Box2D world and for tests.
  LanderWorld& world() { return world_; }
  const LanderWorld& world() const { return world_; }

  // Puts the lander in a hand-made state mid-episode; the next reward is the
  // shaping change from it. Checkpoints replay an episode's actions from its
  // reset, so they do not keep such a state.
  void set_state(const LanderState& state);

 protected:
  // An episode is saved as the generator's state at its reset and the engine
  // commands since; loading replays them. Box2D's contact and joint caches
  // have no public setters, so a replay is the way to restore them exactly.
  void archive_state(StateArchive& state) override;
  void reset_episode(const EnvOutput& out) override;

 private:
  enum class Outcome : uint8_t { kFlying, kCrashed, kLanded };

  void begin_episode();
  EngineCommand decode(const ActionRef& action) const;
  // Steps the world under `command` and applies the rules; writes the reward.
  StepStatus advance(const EngineCommand& command, float& reward);

  LanderWorld world_;
  Observation observation_{};
  double previous_shaping_ = 0;

  bool started_ = false;
  Rng::State episode_seed_{};
  std::vector<EngineCommand> commands_;  // max_episode_steps entries, sized once
  int steps_ = 0;

  Outcome outcome_ = Outcome::kFlying;
  double fuel_used_s_ = 0;
  bool touched_down_ = false;
  double touchdown_speed_ = 0;
};

}  // namespace twinrl::lander
