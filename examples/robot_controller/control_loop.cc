#include "control_loop.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace robot_controller {
namespace {

using Clock = std::chrono::steady_clock;

double nanoseconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::nano>(to - from).count();
}

}  // namespace

void check_robot(const twinrl::EnvSpec& spec) {
  if (spec.action_space.is_discrete() || spec.has_action_mask || spec.num_agents != 1)
    throw std::invalid_argument("the controller drives one robot with continuous actions; env " +
                                spec.id + " is not such a robot");
  if (spec.max_episode_steps <= 0)
    throw std::invalid_argument("env " + spec.id + " has no episode length to run");
}

ControlReport run_control_loop(const twinrl::EnvModel& robot, const PolicyFunction& policy,
                               const ControlLoopOptions& options) {
  const twinrl::EnvSpec& spec = robot.spec();
  check_robot(spec);

  // Every buffer is allocated here, before the loop: the loop itself allocates nothing.
  std::vector<float> observation(spec.observation_space.size());
  std::vector<float> action(spec.action_space.size());
  std::vector<float> kpis(spec.kpi_names.size());
  float reward = 0;
  const twinrl::EnvOutput out{observation.data(), &reward, nullptr};
  ControlReport report;
  report.kpi_names = spec.kpi_names;
  report.kpi_means.assign(kpis.size(), 0.0);
  const int64_t total_steps = int64_t{options.episodes} * spec.max_episode_steps;
  report.policy_ns.reserve(total_steps);
  report.robot_ns.reserve(total_steps);

  std::unique_ptr<twinrl::Env> env = robot.make_env();
  env->seed(options.seed);
  const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
      options.speedup > 0 ? spec.control_period_s / options.speedup : 0.0));
  double total_return = 0;
  for (int episode = 0; episode < options.episodes; ++episode) {
    env->reset(out);
    Clock::time_point tick = Clock::now();
    for (int step = 0; step < spec.max_episode_steps; ++step) {
      const Clock::time_point start = Clock::now();
      policy(observation.data(), action.data());
      const Clock::time_point acted = Clock::now();
      if (options.observe_step)
        options.observe_step(*env, episode, step, observation.data(), action.data());
      const Clock::time_point logged = Clock::now();
      const twinrl::StepStatus status = env->step({action.data(), nullptr}, out);
      const Clock::time_point stepped = Clock::now();
      report.policy_ns.push_back(nanoseconds(start, acted));
      report.robot_ns.push_back(nanoseconds(logged, stepped));
      total_return += reward;
      tick += period;
      if (options.speedup > 0) {
        if (stepped > tick) ++report.deadline_misses;
        std::this_thread::sleep_until(tick);
      }
      if (status.terminated || status.truncated) break;
    }
    env->episode_kpis(kpis);
    for (size_t k = 0; k < kpis.size(); ++k) report.kpi_means[k] += kpis[k] / options.episodes;
  }
  report.mean_return = total_return / options.episodes;
  return report;
}

}  // namespace robot_controller
