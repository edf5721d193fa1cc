#include "twins/arm_simulation.h"

#include <vector>

#include "twins/arm_trajectory_log.h"

namespace twinrl {

int64_t log_arm_run(const robot::ArmModel& robot, const FacilityPolicy& policy, int64_t steps,
                    uint64_t seed, const std::string& path) {
  ArmTrajectoryLogWriter log(path, robot);
  const std::unique_ptr<Env> env = robot.make_env();
  env->seed(seed);
  const auto& arm = static_cast<const robot::ArmEnv&>(*env);
  std::vector<float> observation(robot.spec().observation_space.size());
  std::vector<float> action(robot.spec().action_space.size());
  float reward = 0;
  const EnvOutput out{observation.data(), &reward, nullptr};
  int64_t logged = 0, episode = 0;
  for (; logged < steps; ++episode) {
    env->reset(out);
    for (int step = 0; step < robot.spec().max_episode_steps && logged < steps; ++step) {
      policy(*env, observation, ActionOutput{.continuous = action.data()});
      log.record(arm, episode, step, observation.data(), action.data());
      ++logged;
      const StepStatus status = env->step({action.data(), nullptr}, out);
      if (status.terminated || status.truncated) break;
    }
  }
  log.close();
  return episode;
}

}  // namespace twinrl
