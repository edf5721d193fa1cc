// robot_controller: drives the MuJoCo arm (standing in for a real robot) at its
// control rate with a policy exported by `twinrl export`, and reports the loop's
// latency and the task's success.
//
//   robot_controller --config configs/arm_reach_ppo.yaml --torchscript exported/policy.pt
//   robot_controller --config configs/arm_reach_ppo.yaml --c-header   (the compiled-in header)
//   robot_controller --config configs/arm_reach_ppo.yaml --excitation steps
//     --robot-params truth.yaml --log excitation.csv   (a "real" robot's log for identification)
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "config/config_error.h"
#include "config/run_config.h"
#include "control_loop.h"
#include "core/parameter_mapping.h"
#include "envs/builtin_envs.h"
#include "envs/robot/arm_env.h"
#include "policy_backends.h"
#include "twins/arm_excitation.h"
#include "twins/arm_trajectory_log.h"

namespace {

struct Percentiles {
  double median_us, p99_us;
};
Percentiles percentiles(std::vector<double> ns) {
  std::sort(ns.begin(), ns.end());
  return {ns[ns.size() / 2] / 1000, ns[static_cast<size_t>(ns.size() * 0.99)] / 1000};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs an exported twinrl policy in a fixed-rate control loop on the MuJoCo arm"};
  std::string config_path, torchscript, excitation, log_path, robot_params;
  std::vector<std::string> overrides;
  bool c_header = false;
  robot_controller::ControlLoopOptions options;
  app.add_option("--config", config_path, "the experiment config the policy was trained with")
      ->required();
  app.add_option("--set", overrides, "override a config key, as in `twinrl train --set`");
  auto* torchscript_option =
      app.add_option("--torchscript", torchscript, "an exported policy.pt to load");
  auto* c_header_option =
      app.add_flag("--c-header", c_header, "run the C header compiled into this program")
          ->excludes(torchscript_option);
  app.add_option("--excitation", excitation,
                 "instead of a policy, an excitation signal for identification: steps (random "
                 "steps held 5 periods) or chirp (a sine sweeping 1-10 cycles per episode)")
      ->check(CLI::IsMember({"steps", "chirp"}))
      ->excludes(torchscript_option)
      ->excludes(c_header_option);
  app.add_option("--log", log_path,
                 "write the trajectory (time, action, joint positions and velocities) to this CSV");
  app.add_option("--robot-params", robot_params,
                 "a YAML of parameter values by name (physics.joint_damping_scale: 1.4): the "
                 "\"real\" robot's hidden truth");
  app.add_option("--episodes", options.episodes, "episodes to run")->check(CLI::PositiveNumber);
  app.add_option("--speedup", options.speedup, "wall-clock rate: 1 real time, 0 unthrottled")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--seed", options.seed, "the robot's random seed");
  CLI11_PARSE(app, argc, argv);
  if (torchscript.empty() && !c_header && excitation.empty()) {
    std::fprintf(stderr,
                 "robot_controller: give --torchscript FILE, --c-header or --excitation KIND\n");
    return 2;
  }

  try {
    const twinrl::RunConfig config = twinrl::load_run_config(config_path, overrides);
    const twinrl::EnvRegistry registry = twinrl::builtin_envs();
    std::shared_ptr<const twinrl::EnvModel> robot =
        registry.entry(config.env.id, config.source.child("env").child("id"))
            .build(config.env.params, config.env.randomize, {});
    if (!robot_params.empty())
      robot = robot->with_parameters(twinrl::parse_parameter_values(
          twinrl::load_config_file(robot_params), robot->parameters()));
    const twinrl::EnvSpec& spec = robot->spec();
    robot_controller::check_robot(spec);
    const int64_t observation_size = spec.observation_space.size();
    const int64_t action_size = spec.action_space.size();
    const robot_controller::PolicyFunction policy =
        !excitation.empty() ? twinrl::excitation_signal(excitation, spec, options.seed)
        : c_header
            ? robot_controller::compiled_c_policy(observation_size, action_size)
            : robot_controller::load_torchscript_policy(torchscript, observation_size, action_size);
    std::optional<twinrl::ArmTrajectoryLogWriter> log;
    if (!log_path.empty()) {
      const auto* arm = dynamic_cast<const twinrl::robot::ArmModel*>(robot.get());
      if (!arm) throw twinrl::ConfigError("--log records the MuJoCo arm (env Arm) only");
      log.emplace(log_path, *arm);
      options.observe_step = [&log](const twinrl::Env& env, int episode, int step,
                                    const float* observation, const float* action) {
        log->record(static_cast<const twinrl::robot::ArmEnv&>(env), episode, step, observation,
                    action);
      };
    }

    std::printf("robot_controller: %s, control period %.1f ms, %d episodes, %s, ", spec.id.c_str(),
                spec.control_period_s * 1000, options.episodes,
                !excitation.empty() ? (excitation + " excitation").c_str()
                : c_header          ? "C header policy"
                                    : "TorchScript policy");
    if (options.speedup > 0)
      std::printf("real time x%g\n", options.speedup);
    else
      std::printf("unthrottled\n");
    const robot_controller::ControlReport report =
        robot_controller::run_control_loop(*robot, policy, options);
    if (log) {
      log->close();
      std::printf("log: %s\n", log_path.c_str());
    }
    const auto policy_latency = percentiles(report.policy_ns);
    const auto robot_latency = percentiles(report.robot_ns);
    std::printf("policy latency: median %.1f us, p99 %.1f us\n", policy_latency.median_us,
                policy_latency.p99_us);
    std::printf("robot step: median %.1f us, p99 %.1f us\n", robot_latency.median_us,
                robot_latency.p99_us);
    if (options.speedup > 0)
      std::printf("deadline misses: %lld of %zu steps\n",
                  static_cast<long long>(report.deadline_misses), report.policy_ns.size());
    std::printf("mean return: %.3f\n", report.mean_return);
    for (size_t k = 0; k < report.kpi_names.size(); ++k)
      std::printf("%s: %.4f\n", report.kpi_names[k].c_str(), report.kpi_means[k]);
    return 0;
  } catch (const twinrl::ConfigError& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "robot_controller: %s\n", error.what());
    return 1;
  }
}
