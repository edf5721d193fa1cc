#include "agents/ppo.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>

#include <cmath>

#include "agents/actor_critic.h"
#include "agents/advantages.h"
#include "agents/torch_batch.h"
#include "core/seed_streams.h"
#include "core/vec_env.h"

namespace twinrl {

torch::Tensor ppo_policy_loss(const torch::Tensor& new_log_prob, const torch::Tensor& old_log_prob,
                              const torch::Tensor& advantages, double clip_coef) {
  const torch::Tensor ratio = (new_log_prob - old_log_prob).exp();
  const torch::Tensor unclipped = -advantages * ratio;
  const torch::Tensor clipped = -advantages * ratio.clamp(1 - clip_coef, 1 + clip_coef);
  return torch::max(unclipped, clipped).mean();
}

torch::Tensor ppo_value_loss(const torch::Tensor& new_values, const torch::Tensor& old_values,
                             const torch::Tensor& returns, double clip_coef, bool clipped) {
  const torch::Tensor unclipped = (new_values - returns).square();
  if (!clipped) return 0.5 * unclipped.mean();
  const torch::Tensor moved = old_values + (new_values - old_values).clamp(-clip_coef, clip_coef);
  return 0.5 * torch::max(unclipped, (moved - returns).square()).mean();
}

namespace {

// The rollout of one update: [steps, rows, ...] tensors.
struct Rollout {
  torch::Tensor observations, actions, log_probs, rewards, episode_ended, values, masks;

  Rollout(int64_t steps, int64_t rows, const EnvSpec& spec) {
    const int64_t action_size = spec.action_space.size();
    observations = torch::zeros({steps, rows, spec.observation_space.size()});
    actions = spec.action_space.is_discrete()
                  ? torch::zeros({steps, rows, action_size}, torch::kInt64)
                  : torch::zeros({steps, rows, action_size});
    log_probs = torch::zeros({steps, rows});
    rewards = torch::zeros({steps, rows});
    episode_ended = torch::zeros({steps, rows});
    values = torch::zeros({steps, rows});
    if (spec.has_action_mask)
      masks = torch::zeros({steps, rows, spec.action_space.mask_size()}, torch::kBool);
  }
};

}  // namespace

void train_ppo(TrainingSession& session) {
  const Experiment& experiment = session.experiment();
  const PpoConfig& config = experiment.agent.ppo;
  const EnvSpec& spec = experiment.env_model->spec();
  const RunConfig& run = experiment.run;

  // Environments, and tensors over their batch buffers (no copies).
  const std::unique_ptr<VecEnv> envs = make_training_envs(experiment);
  const TorchBatch batch = as_tensors(envs->batch());
  const int64_t rows = envs->batch().rows();
  const int64_t steps_per_update = int64_t{config.rollout_steps} * run.env.num_envs;
  const int64_t rollout_size = config.rollout_steps * rows;
  const int64_t minibatch_size = rollout_size / config.minibatches;
  if (minibatch_size < 1)
    throw std::invalid_argument("ppo.minibatches (" + std::to_string(config.minibatches) +
                                ") exceeds the rollout's " + std::to_string(rollout_size) +
                                " rows (rollout_steps x num_envs x agents)");
  const int64_t total_updates =
      (experiment.agent.total_steps + steps_per_update - 1) / steps_per_update;

  // Policy, optimizer and the random generator of sampling and shuffling.
  torch::manual_seed(run.seed);
  ActorCritic policy(spec, config.network);
  const ActionDistribution& distribution = policy->distribution();
  torch::optim::Adam optimizer(
      policy->parameters(),
      torch::optim::AdamOptions(config.learning_rate).eps(config.adam_epsilon));
  at::Generator generator =
      at::detail::createCPUGenerator(stream_seed(run.seed, seed_streams::kLearner));
  RunningNormalizer reward_normalizer(1, config.normalize_rewards, config.reward_clip);
  torch::Tensor discounted_returns = torch::zeros({rows});  // what reward scaling tracks
  Rollout rollout(config.rollout_steps, rows, spec);

  int64_t step = 0, update = 0;
  auto save = [&](torch::serialize::OutputArchive& archive) {
    write_part(archive, "policy", *policy);
    write_part(archive, "optimizer", optimizer);
    write_part(archive, "reward_normalizer", *reward_normalizer);
    write_runner(archive, *envs);
    archive.write("ppo/update", torch::tensor(update, torch::kInt64));
    archive.write("ppo/discounted_returns", discounted_returns);
    archive.write("ppo/generator", generator.get_state());
  };
  auto load = [&](torch::serialize::InputArchive& archive) {
    read_part(archive, "policy", *policy);
    read_part(archive, "optimizer", optimizer);
    read_part(archive, "reward_normalizer", *reward_normalizer);
    read_runner(archive, *envs);
    update = read_tensor(archive, "ppo/update").item<int64_t>();
    discounted_returns = read_tensor(archive, "ppo/discounted_returns");
    generator.set_state(read_tensor(archive, "ppo/generator"));
  };
  if (session.resuming())
    step = session.load_checkpoint(load);
  else
    envs->reset();

  while (!session.finished(step)) {
    ++update;
    const double progress_left = 1.0 - static_cast<double>(update - 1) / total_updates;
    const double learning_rate =
        config.learning_rate * (config.anneal_learning_rate ? progress_left : 1.0);
    for (auto& group : optimizer.param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(learning_rate);

    // 1. Collect rollout_steps steps of every env with the current policy.
    for (int64_t t = 0; t < config.rollout_steps; ++t) {
      const torch::Tensor observations = rollout.observations[t];
      observations.copy_(batch.observation);
      torch::Tensor mask;
      if (rollout.masks.defined()) mask = rollout.masks[t].copy_(batch.action_mask);
      torch::Tensor env_actions;
      {
        torch::NoGradGuard no_grad;
        const torch::Tensor outputs = policy->actor_outputs(observations);
        const torch::Tensor actions =
            distribution.sample(outputs, policy->log_std(), mask, generator);
        rollout.actions[t].copy_(actions);
        rollout.log_probs[t].copy_(
            distribution.log_prob(outputs, policy->log_std(), mask, actions));
        rollout.values[t].copy_(policy->value(observations));
        env_actions = policy->clip_to_bounds(actions).contiguous();
      }
      envs->step(action_ref(env_actions, spec, rows));
      step += run.env.num_envs;
      session.record_episodes(envs->batch());

      const torch::Tensor ended = batch.terminated.logical_or(batch.truncated);
      torch::Tensor reward = batch.reward.clone();
      if (config.normalize_rewards) {
        discounted_returns = discounted_returns * config.gamma + reward;
        reward_normalizer->update(discounted_returns);
        reward = reward_normalizer->scale(reward);
        discounted_returns.masked_fill_(ended, 0);
      }
      // A truncated episode did not end in a terminal state: bootstrap from
      // its final observation so the time limit is not mistaken for one.
      const torch::Tensor truncated_rows =
          batch.truncated.logical_and(batch.terminated.logical_not()).nonzero().squeeze(1);
      if (truncated_rows.numel() > 0) {
        torch::NoGradGuard no_grad;
        const torch::Tensor final_values =
            policy->value(batch.final_observation.index_select(0, truncated_rows));
        reward.index_add_(0, truncated_rows, config.gamma * final_values);
      }
      rollout.rewards[t].copy_(reward);
      rollout.episode_ended[t].copy_(ended);
    }

    // 2. Advantages and returns.
    torch::Tensor next_values;
    {
      torch::NoGradGuard no_grad;
      next_values = policy->value(batch.observation);
    }
    const Advantages targets =
        generalized_advantages(rollout.rewards, rollout.values, rollout.episode_ended, next_values,
                               config.gamma, config.gae_lambda);

    // 3. Epochs of minibatch updates on the flattened rollout.
    const torch::Tensor b_observations = rollout.observations.reshape({rollout_size, -1});
    const torch::Tensor b_actions = rollout.actions.reshape({rollout_size, -1});
    const torch::Tensor b_log_probs = rollout.log_probs.reshape({-1});
    const torch::Tensor b_advantages = targets.advantages.reshape({-1});
    const torch::Tensor b_returns = targets.returns.reshape({-1});
    const torch::Tensor b_values = rollout.values.reshape({-1});
    const torch::Tensor b_masks =
        rollout.masks.defined() ? rollout.masks.reshape({rollout_size, -1}) : torch::Tensor();
    double policy_loss_value = 0, value_loss_value = 0, entropy_value = 0, approx_kl = 0;
    double clip_fraction_sum = 0;
    int64_t minibatches_done = 0;
    for (int epoch = 0; epoch < config.epochs; ++epoch) {
      const torch::Tensor order = at::randperm(rollout_size, generator);
      for (int64_t start = 0; start + minibatch_size <= rollout_size; start += minibatch_size) {
        const torch::Tensor index = order.narrow(0, start, minibatch_size);
        const torch::Tensor mask = b_masks.defined() ? b_masks.index_select(0, index) : b_masks;
        const torch::Tensor outputs = policy->actor_outputs(b_observations.index_select(0, index));
        const torch::Tensor new_log_prob = distribution.log_prob(outputs, policy->log_std(), mask,
                                                                 b_actions.index_select(0, index));
        const torch::Tensor entropy = distribution.entropy(outputs, policy->log_std(), mask).mean();
        const torch::Tensor new_values = policy->value(b_observations.index_select(0, index));
        const torch::Tensor old_log_prob = b_log_probs.index_select(0, index);
        {
          torch::NoGradGuard no_grad;
          const torch::Tensor log_ratio = new_log_prob - old_log_prob;
          // Schulman's low-variance estimator of KL(old || new).
          approx_kl = ((log_ratio.exp() - 1) - log_ratio).mean().item<double>();
          clip_fraction_sum += ((log_ratio.exp() - 1).abs() > config.clip_coef)
                                   .to(torch::kFloat32)
                                   .mean()
                                   .item<double>();
        }
        torch::Tensor advantages = b_advantages.index_select(0, index);
        if (config.normalize_advantages && minibatch_size > 1)
          advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8);
        const torch::Tensor policy_loss =
            ppo_policy_loss(new_log_prob, old_log_prob, advantages, config.clip_coef);
        const torch::Tensor value_loss = ppo_value_loss(new_values, b_values.index_select(0, index),
                                                        b_returns.index_select(0, index),
                                                        config.clip_coef, config.clip_value_loss);
        const torch::Tensor loss =
            policy_loss - config.entropy_coef * entropy + config.value_coef * value_loss;
        require_finite(loss, "PPO", step);
        optimizer.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(policy->parameters(), config.max_grad_norm);
        optimizer.step();
        policy_loss_value = policy_loss.item<double>();
        value_loss_value = value_loss.item<double>();
        entropy_value = entropy.item<double>();
        ++minibatches_done;
      }
      if (config.target_kl > 0 && approx_kl > config.target_kl) break;
    }
    // The normalizer learns from this rollout only now, so that the log-probs
    // of the rollout and of its update were computed with the same statistics.
    policy->observation_normalizer()->update(b_observations);

    const torch::Tensor return_variance = b_returns.var();
    const double explained_variance =
        return_variance.item<double>() == 0
            ? std::nan("")
            : 1 - ((b_returns - b_values).var() / return_variance).item<double>();
    session.log(step,
                {{"learning_rate", learning_rate},
                 {"loss/policy", policy_loss_value},
                 {"loss/value", value_loss_value},
                 {"loss/entropy", entropy_value},
                 {"loss/approx_kl", approx_kl},
                 {"loss/clip_fraction", clip_fraction_sum / std::max<int64_t>(1, minibatches_done)},
                 {"loss/explained_variance", explained_variance}});
    if (session.checkpoint_due(step)) session.save_checkpoint(step, save);
    session.record_if_due(step);  // rollouts of the checkpoint, when train() asked for them
  }
  session.finish();
}

}  // namespace twinrl
