#include "agents/warm_start.h"

#include <torch/optim/adam.h>

#include <algorithm>
#include <vector>

#include "agents/advantages.h"
#include "agents/baseline_actor.h"
#include "agents/optimizer_step.h"
#include "agents/torch_batch.h"
#include "agents/training_session.h"
#include "core/seed_streams.h"

namespace twinrl {

int64_t warm_start_steps(const Experiment& experiment, int world_size) {
  const WarmStartConfig& warm = experiment.agent.ppo.warm_start;
  if (warm.baseline.empty()) return 0;
  const int64_t steps_per_step = int64_t{experiment.run.env.num_envs} * world_size;
  return (warm.steps + steps_per_step - 1) / steps_per_step * steps_per_step;
}

WarmStartResult warm_start(const Experiment& experiment, VecEnv& envs, ActorCritic& policy,
                           ActorCriticKernel& kernel, RunningNormalizer& reward_normalizer,
                           DataParallel& parallel, at::Generator& generator) {
  const PpoConfig& config = experiment.agent.ppo;
  const WarmStartConfig& warm = config.warm_start;
  const EnvSpec& spec = experiment.env_model->spec();
  const Space& action_space = spec.action_space;
  const bool discrete = action_space.is_discrete();
  const int64_t steps_per_step = int64_t{experiment.run.env.num_envs} * parallel.world_size();
  const int64_t steps = warm_start_steps(experiment, parallel.world_size()) / steps_per_step;
  const int64_t rows = envs.batch().rows();
  const int64_t size = steps * rows;
  const int64_t observation_size = spec.observation_space.size();
  const int64_t action_size = action_space.size();
  const int64_t mask_size = action_space.mask_size();

  // 1. The baseline drives the envs; every row of every step is kept.
  const uint64_t seed = stream_seed(experiment.run.seed, seed_streams::kWarmStart);
  const Actor baseline =
      baseline_actor(*experiment.env_model, warm.baseline, envs,
                     parallel.rank() == 0 ? seed : stream_seed(seed, parallel.rank()));
  const TorchBatch batch = as_tensors(envs.batch());
  const torch::Tensor observations = torch::empty({size, observation_size});
  const torch::Tensor actions = discrete ? torch::empty({size, action_size}, torch::kInt64)
                                         : torch::empty({size, action_size});
  const torch::Tensor masks =
      spec.has_action_mask ? torch::empty({size, mask_size}, torch::kBool) : torch::Tensor();
  const torch::Tensor rewards = torch::empty({steps, rows});
  const torch::Tensor ended = torch::empty({steps, rows});
  const std::vector<float> low = action_space.low(), high = action_space.high();
  WarmStartResult result;
  result.steps = steps * steps_per_step;
  double return_sum = 0;
  envs.reset();
  for (int64_t t = 0; t < steps; ++t) {
    const int64_t first = t * rows;
    observations.narrow(0, first, rows).copy_(batch.observation);
    if (masks.defined()) masks.narrow(0, first, rows).copy_(batch.action_mask);
    const ActionRef action = baseline(envs);
    if (discrete) {
      std::copy(action.discrete, action.discrete + rows * action_size,
                actions.data_ptr<int64_t>() + first * action_size);
    } else {
      float* out = actions.data_ptr<float>() + first * action_size;
      // What the env applies: the likelihood of actions outside the bounds
      // would pull the policy's mean past them.
      for (int64_t i = 0; i < rows * action_size; ++i)
        out[i] = std::clamp(action.continuous[i], low[i % action_size], high[i % action_size]);
    }
    envs.step(action);
    rewards[t].copy_(batch.reward);
    ended[t].copy_(batch.terminated.logical_or(batch.truncated));
    const BatchView& view = envs.batch();
    for (int env = 0; env < view.num_envs; ++env) {
      if (!view.episode_ended(env)) continue;
      ++result.episodes;
      return_sum += view.episode_return[env];
    }
  }
  envs.reset();
  if (result.episodes > 0) result.mean_return = return_sum / static_cast<double>(result.episodes);

  // 2. The normalizers learn from the demonstrations (every rank's), as PPO's
  // do from its rollouts; the critic's targets are discounted returns of the
  // rewards as PPO will see them. An episode cut by the end of the
  // demonstrations or by a time limit counts as ended there: the fit is a
  // start, which PPO's own returns correct.
  const bool normalize_observations = policy->observation_normalizer()->enabled();
  Moments reward_moments;
  torch::Tensor discounted = torch::zeros({rows});
  if (config.normalize_rewards) {
    for (int64_t t = 0; t < steps; ++t) {
      discounted = discounted * config.gamma + rewards[t];
      reward_moments = combined(reward_moments, moments_of(discounted, 1));
      discounted.masked_fill_(ended[t].to(torch::kBool), 0);
    }
  }
  const std::vector<Moments> statistics = parallel.merge(
      {reward_moments,
       normalize_observations ? moments_of(observations, observation_size) : Moments{}});
  if (config.normalize_rewards) reward_normalizer->merge(statistics[0]);
  if (normalize_observations) policy->observation_normalizer()->merge(statistics[1]);
  kernel.normalizer().refresh();
  const torch::Tensor normalized = torch::empty_like(observations);
  kernel.normalizer().apply(observations.data_ptr<float>(), size, normalized.data_ptr<float>());
  const torch::Tensor scaled =
      config.normalize_rewards ? reward_normalizer->scale(rewards) : rewards;
  // GAE with no values and lambda 1 is the discounted return.
  const torch::Tensor returns = generalized_advantages(scaled, torch::zeros({steps, rows}), ended,
                                                       torch::zeros({rows}), config.gamma, 1.0)
                                    .returns.contiguous();

  // 3. Epochs of minibatches of the likelihood and value gradients, with an
  // optimizer of their own: PPO's starts fresh.
  torch::optim::Adam optimizer(
      policy->parameters(),
      torch::optim::AdamOptions(config.learning_rate).eps(config.adam_epsilon));
  const PpoRolloutView demonstrations{
      .normalized_observations = normalized.data_ptr<float>(),
      .discrete_actions = discrete ? actions.data_ptr<int64_t>() : nullptr,
      .continuous_actions = discrete ? nullptr : actions.data_ptr<float>(),
      .masks = masks.defined() ? masks.data_ptr<bool>() : nullptr,
      .returns = returns.data_ptr<float>()};
  const int64_t minibatch_size = std::min<int64_t>(warm.minibatch_size, size);
  const int64_t minibatches = size / minibatch_size;
  for (int epoch = 0; epoch < warm.epochs; ++epoch) {
    const torch::Tensor order = at::randperm(size, generator);
    ImitationLoss sum;
    for (int64_t k = 0; k < minibatches; ++k) {
      ImitationLoss loss =
          kernel.imitation_gradient(demonstrations, order.data_ptr<int64_t>() + k * minibatch_size,
                                    minibatch_size, config.value_coef);
      parallel.average_gradients(optimizer, {&loss.negative_log_likelihood, &loss.value_loss});
      require_finite(loss.negative_log_likelihood + loss.value_loss, "PPO's warm start", 0);
      clip_gradient_norm(optimizer, config.max_grad_norm);
      adam_step(optimizer);
      sum.negative_log_likelihood += loss.negative_log_likelihood;
      sum.value_loss += loss.value_loss;
    }
    const ImitationLoss mean{sum.negative_log_likelihood / static_cast<double>(minibatches),
                             sum.value_loss / static_cast<double>(minibatches)};
    if (epoch == 0) result.first_epoch = mean;
    result.last_epoch = mean;
  }
  return result;
}

}  // namespace twinrl
