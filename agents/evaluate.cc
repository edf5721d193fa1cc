#include "agents/evaluate.h"

#include <torch/serialize/input-archive.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "agents/actor_critic.h"
#include "agents/q_network.h"
#include "core/torch_batch.h"
#include "core/vec_env.h"

namespace twinrl {
namespace {

// The deterministic policy of a checkpoint: raw observations in, actions out.
std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)> load_policy(
    const Experiment& experiment, const std::filesystem::path& checkpoint) {
  if (!std::filesystem::exists(checkpoint))
    throw std::runtime_error("no checkpoint at " + checkpoint.string());
  torch::serialize::InputArchive archive, policy_archive;
  archive.load_from(checkpoint.string());
  archive.read("policy", policy_archive);
  // Both modules act greedily: their act() is the deterministic policy.
  auto deterministic = [&policy_archive](auto policy) {
    policy->load(policy_archive);
    policy->eval();
    return [policy](const torch::Tensor& observations, const torch::Tensor& mask) mutable {
      return policy->act(observations, mask);
    };
  };
  const EnvSpec& spec = experiment.env_model->spec();
  if (experiment.agent.algorithm == "ppo")
    return deterministic(ActorCritic(spec, experiment.agent.ppo.network));
  if (experiment.agent.algorithm == "dqn")
    return deterministic(QNetwork(spec, experiment.agent.dqn));
  throw std::invalid_argument("evaluation of '" + experiment.agent.algorithm +
                              "' runs is not available yet");
}

std::pair<double, double> mean_and_std(const std::vector<float>& values) {
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
  double squares = 0;
  for (float value : values) squares += (value - mean) * (value - mean);
  return {mean, std::sqrt(squares / values.size())};
}

}  // namespace

EvaluationResult evaluate(const Experiment& experiment, const std::filesystem::path& checkpoint,
                          int episodes, uint64_t seed) {
  if (episodes < 1) throw std::invalid_argument("evaluate at least one episode");
  const auto act = load_policy(experiment, checkpoint);
  const EnvSpec& spec = experiment.env_model->spec();
  const int num_envs = std::min(episodes, experiment.run.env.num_envs);
  VecEnv envs(experiment.env_model,
              {.num_envs = num_envs, .threads = experiment.run.env.threads, .seed = seed});
  const TorchBatch batch = as_tensors(envs.reset());
  const BatchView& view = envs.batch();

  EvaluationResult result;
  result.kpi_names = spec.kpi_names;
  result.kpis.resize(spec.kpi_names.size());
  std::vector<int> quota(num_envs, episodes / num_envs);
  for (int env = 0; env < episodes % num_envs; ++env) ++quota[env];
  int remaining = episodes;
  torch::NoGradGuard no_grad;
  while (remaining > 0) {
    const torch::Tensor actions = act(batch.observation, batch.action_mask).contiguous();
    envs.step(action_ref(actions, spec, view.rows()));
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
