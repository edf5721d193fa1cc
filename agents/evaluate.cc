#include "agents/evaluate.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <numeric>
#include <sstream>

#include "agents/baseline_actor.h"
#include "agents/policy_checkpoint.h"
#include "agents/torch_batch.h"
#include "core/seed_streams.h"
#include "core/vec_env.h"

namespace twinrl {
namespace {

// The deterministic policy of a checkpoint: raw observations in, actions out.
Actor trained_actor(const Experiment& experiment, const std::filesystem::path& checkpoint,
                    const VecEnv& envs) {
  const EnvSpec& spec = experiment.env_model->spec();
  const TorchBatch batch = as_tensors(envs.batch());
  const int64_t rows = envs.batch().rows();
  auto actions = std::make_shared<torch::Tensor>();
  // Both modules act greedily: their act() is the deterministic policy.
  return std::visit(
      [&](auto policy) -> Actor {
        return [policy, batch, actions, &spec, rows](const VecEnv&) mutable {
          torch::NoGradGuard no_grad;
          *actions = policy->act(batch.observation, batch.action_mask).contiguous();
          return action_ref(*actions, spec, rows);
        };
      },
      load_policy_module(experiment, checkpoint));
}

// Uniform over the actions the mask allows, from its own generator.
Actor random_actor(const EnvSpec& spec, const VecEnv& envs, uint64_t seed) {
  auto rows = std::make_shared<ActionRows>(spec, envs.batch().rows());
  auto rng = std::make_shared<Rng>(seed);
  return [rows, rng, &spec](const VecEnv& envs) {
    const BatchView& batch = envs.batch();
    const Space& space = spec.action_space;
    for (int64_t row = 0; row < batch.rows(); ++row) {
      const ActionOutput out = rows->from_row(row);
      if (!space.is_discrete()) {
        space.sample(*rng, std::span(out.continuous, rows->row_size));
        continue;
      }
      std::span<const bool> mask;
      if (batch.action_mask)
        mask = std::span(batch.action_mask + row * batch.mask_size,
                         static_cast<size_t>(batch.mask_size));
      space.sample(*rng, std::span(out.discrete, rows->row_size), mask);
    }
    return rows->all();
  };
}

Actor make_actor(const Experiment& experiment, const EvaluationPolicy& policy, const VecEnv& envs,
                 uint64_t seed) {
  const EnvModel& model = *experiment.env_model;
  const std::vector<std::string> names = policy_names(model);
  if (std::ranges::find(names, policy.name) == names.end()) {
    std::string message = "unknown policy '" + policy.name + "' for " + model.spec().id + "; ";
    message += "choose one of:";
    for (const std::string& name : names) message.append(" ").append(name);
    throw std::invalid_argument(message);
  }
  if (policy.name == "trained") return trained_actor(experiment, policy.checkpoint, envs);
  if (policy.name == "random") return random_actor(model.spec(), envs, seed);
  const std::string baseline =
      policy.name == "heuristic" ? model.baseline_names().front() : policy.name;
  return baseline_actor(model, baseline, envs, seed);
}

}  // namespace

std::vector<std::string> policy_names(const EnvModel& model) {
  std::vector<std::string> names = {"trained", "random"};
  const std::vector<std::string> baselines = model.baseline_names();
  // "heuristic" stands for the first baseline, so it sits right before them.
  if (!baselines.empty()) names.push_back("heuristic");
  names.insert(names.end(), baselines.begin(), baselines.end());
  return names;
}

EvaluationResult evaluate(const Experiment& experiment, const EvaluationPolicy& policy,
                          int episodes, uint64_t seed, RolloutRecorder* recorder) {
  if (episodes < 1) throw std::invalid_argument("evaluate at least one episode");
  const int recorded = recorder ? recorder->episodes() : 0;
  if (recorded > episodes)
    throw std::invalid_argument("cannot record " + std::to_string(recorded) +
                                " episodes of an evaluation of " + std::to_string(episodes));
  const EnvSpec& spec = experiment.env_model->spec();
  const int num_envs = std::min(episodes, std::max(experiment.run.env.num_envs, recorded));
  VecEnv envs(experiment.env_model,
              {.num_envs = num_envs, .threads = experiment.run.env.threads, .seed = seed});
  const Actor act =
      make_actor(experiment, policy, envs, stream_seed(seed, seed_streams::kRandomPolicy));
  envs.reset();
  if (recorder) recorder->start(envs);
  const BatchView& view = envs.batch();

  EvaluationResult result;
  result.kpi_names = spec.kpi_names;
  result.kpis.resize(spec.kpi_names.size());
  std::vector<int> quota(num_envs, episodes / num_envs);
  for (int env = 0; env < episodes % num_envs; ++env) ++quota[env];
  int remaining = episodes;
  while (remaining > 0) {
    const ActionRef actions = act(envs);
    envs.step(actions);
    if (recorder) recorder->record_step(envs, actions);
    for (int env = 0; env < num_envs; ++env) {
      if (!view.episode_ended(env) || quota[env] == 0) continue;
      --quota[env];
      --remaining;
      result.returns.push_back(view.episode_return[env]);
      for (size_t k = 0; k < result.kpis.size(); ++k)
        result.kpis[k].push_back(view.episode_kpis[env * view.num_kpis + k]);
    }
  }
  return result;
}

std::string format_evaluation(const EvaluationResult& result) {
  std::ostringstream text;
  text.precision(4);
  auto line = [&](const std::string& name, const std::vector<float>& values) {
    const auto [mean, std] = mean_and_std(values);
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    text << name << " " << mean << " +- " << std << " (min " << *low << ", max " << *high << ")\n";
  };
  text << result.returns.size() << " episodes\n";
  line("return", result.returns);
  for (size_t k = 0; k < result.kpi_names.size(); ++k) line(result.kpi_names[k], result.kpis[k]);
  return text.str();
}

}  // namespace twinrl
