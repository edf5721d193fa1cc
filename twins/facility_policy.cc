#include "twins/facility_policy.h"

#include <torch/torch.h>

#include <memory>

#include "agents/policy_checkpoint.h"
#include "agents/train.h"
#include "config/config_error.h"
#include "envs/builtin_envs.h"
#include "rundir/run_dir.h"

namespace twinrl {

FacilityPolicy trained_facility_policy(const std::filesystem::path& run_dir,
                                       const EnvModel& model) {
  const RunDir run(run_dir);
  const Experiment experiment = load_run_experiment(run_dir, builtin_envs());
  const EnvSpec& trained = experiment.env_model->spec();
  const EnvSpec& spec = model.spec();
  if (trained.id != spec.id || trained.observation_space.size() != spec.observation_space.size() ||
      trained.action_space.size() != spec.action_space.size() ||
      trained.action_space.is_discrete() != spec.action_space.is_discrete())
    throw ConfigError(run_dir.string() + ": the run's policy was trained on " + trained.id +
                      " with " + std::to_string(trained.observation_space.size()) +
                      " observations and " + std::to_string(trained.action_space.size()) +
                      " actions; the twin has " + spec.id + " with " +
                      std::to_string(spec.observation_space.size()) + " and " +
                      std::to_string(spec.action_space.size()) +
                      " (env.params.observed_pipeline fixes the observation's length)");
  auto module =
      std::make_shared<PolicyModule>(load_policy_module(experiment, run.checkpoint("best")));
  const bool discrete = spec.action_space.is_discrete();
  return [module, discrete](const Env&, std::span<const float> observation,
                            const ActionOutput& out) {
    torch::NoGradGuard no_grad;
    const torch::Tensor input =
        torch::from_blob(const_cast<float*>(observation.data()),
                         {1, static_cast<int64_t>(observation.size())}, torch::kFloat32);
    const torch::Tensor actions = std::visit(
        [&](auto& policy) { return policy->act(input, torch::Tensor()).contiguous(); }, *module);
    if (discrete) {
      const torch::Tensor values = actions.to(torch::kInt64);
      std::copy_n(values.data_ptr<int64_t>(), values.numel(), out.discrete);
    } else {
      const torch::Tensor values = actions.to(torch::kFloat32);
      std::copy_n(values.data_ptr<float>(), values.numel(), out.continuous);
    }
  };
}

FacilityPolicy facility_policy_named(const std::string& name, const EnvModel& model, uint64_t seed,
                                     const std::string& others) {
  if (std::filesystem::is_directory(name)) return trained_facility_policy(name, model);
  std::shared_ptr<const BaselinePolicy> baseline;
  try {
    baseline = model.make_baseline(name, seed);
  } catch (const std::invalid_argument& error) {
    throw ConfigError("--policy: " + std::string(error.what()) + ", " + others);
  }
  return [baseline](const Env& env, std::span<const float>, const ActionOutput& out) {
    baseline->act(env, out);
  };
}

}  // namespace twinrl
