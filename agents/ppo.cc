#include "agents/ppo.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/optim/adam.h>

#include <cmath>

#include "agents/actor_critic.h"
#include "agents/actor_critic_kernel.h"
#include "agents/advantages.h"
#include "agents/data_parallel.h"
#include "agents/optimizer_step.h"
#include "agents/torch_batch.h"
#include "agents/warm_start.h"
#include "core/seed_streams.h"
#include "core/vec_env.h"

namespace twinrl {

namespace {

// The rollout of one update: [steps, rows, ...] tensors.
struct UpdateRollout {
  torch::Tensor observations, normalized_observations, actions, log_probs, rewards, episode_ended,
      values, masks;

  UpdateRollout(int64_t steps, int64_t rows, const EnvSpec& spec) {
    const int64_t action_size = spec.action_space.size();
    observations = torch::zeros({steps, rows, spec.observation_space.size()});
    normalized_observations = torch::zeros_like(observations);
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

// Step t's part of a [steps, ...] tensor.
template <class T>
T* at_step(const torch::Tensor& tensor, int64_t t) {
  return tensor.data_ptr<T>() + t * tensor.stride(0);
}

}  // namespace

void train_ppo(TrainingSession& session) {
  const Experiment& experiment = session.experiment();
  const PpoConfig& config = experiment.agent.ppo;
  const EnvSpec& spec = experiment.env_model->spec();
  const RunConfig& run = experiment.run;

  // With several processes (--nproc), each steps its own envs: the points
  // where they meet are the calls of `parallel` (data_parallel.h).
  DataParallel parallel(session.communicator());

  // Environments, and tensors over their batch buffers (no copies).
  const std::unique_ptr<VecEnv> envs = make_training_envs(experiment, parallel.rank());
  const TorchBatch batch = as_tensors(envs->batch());
  const int64_t rows = envs->batch().rows();
  const int64_t steps_per_step = int64_t{run.env.num_envs} * parallel.world_size();  // all ranks'
  const int64_t steps_per_update = config.rollout_steps * steps_per_step;
  const int64_t rollout_size = config.rollout_steps * rows;
  const int64_t minibatch_size = rollout_size / config.minibatches;
  if (minibatch_size < 1)
    throw std::invalid_argument("ppo.minibatches (" + std::to_string(config.minibatches) +
                                ") exceeds the rollout's " + std::to_string(rollout_size) +
                                " rows (rollout_steps x num_envs x agents)");
  // The warm start's demonstrations are part of the budget.
  const int64_t ppo_steps =
      experiment.agent.total_steps - warm_start_steps(experiment, parallel.world_size());
  if (ppo_steps < 1)  // load_experiment checked one process; more round up further
    throw std::invalid_argument(
        "ppo.warm_start.steps, rounded up to whole steps of every env of every process (" +
        std::to_string(warm_start_steps(experiment, parallel.world_size())) +
        "), leaves PPO no steps of agent.total_steps (" +
        std::to_string(experiment.agent.total_steps) + ")");
  const int64_t total_updates = (ppo_steps + steps_per_update - 1) / steps_per_update;

  // Policy, optimizer and the random generator of sampling and shuffling.
  torch::manual_seed(run.seed);
  ActorCritic policy(spec, config.network);
  torch::optim::Adam optimizer(
      policy->parameters(),
      torch::optim::AdamOptions(config.learning_rate).eps(config.adam_epsilon));
  const uint64_t learner_seed = stream_seed(run.seed, seed_streams::kLearner);
  at::Generator generator = at::detail::createCPUGenerator(
      parallel.rank() == 0 ? learner_seed : stream_seed(learner_seed, parallel.rank()));
  RunningNormalizer reward_normalizer(1, config.normalize_rewards, config.reward_clip);
  torch::Tensor discounted_returns = torch::zeros({rows});  // what reward scaling tracks
  UpdateRollout rollout(config.rollout_steps, rows, spec);

  int64_t step = 0, update = 0;
  auto save = [&](torch::serialize::OutputArchive& archive) {
    write_part(archive, "policy", *policy);
    write_part(archive, "optimizer", optimizer);
    write_part(archive, "reward_normalizer", *reward_normalizer);
    archive.write("ppo/update", torch::tensor(update, torch::kInt64));
    parallel.check_replicas(*policy);
    parallel.write_rank_parts(archive, [&](torch::serialize::OutputArchive& rank_archive) {
      write_runner(rank_archive, *envs);
      rank_archive.write("ppo/discounted_returns", discounted_returns);
      rank_archive.write("ppo/generator", generator.get_state());
    });
  };
  auto load = [&](torch::serialize::InputArchive& archive) {
    read_part(archive, "policy", *policy);
    read_part(archive, "optimizer", optimizer);
    read_part(archive, "reward_normalizer", *reward_normalizer);
    update = read_tensor(archive, "ppo/update").item<int64_t>();
    parallel.read_rank_parts(archive, [&](torch::serialize::InputArchive& rank_archive) {
      read_runner(rank_archive, *envs);
      discounted_returns = read_tensor(rank_archive, "ppo/discounted_returns");
      generator.set_state(read_tensor(rank_archive, "ppo/generator"));
    });
  };
  if (session.resuming())
    step = session.load_checkpoint(load);
  else
    envs->reset();
  parallel.broadcast(*policy);

  // Rollout inference and the loss's gradient, computed on the policy's
  // tensors without LibTorch's per-operation dispatch (actor_critic_kernel.h).
  ActorCriticKernel kernel(policy, config.network, spec.action_space,
                           experiment.agent.torch_threads);
  if (!session.resuming() && !config.warm_start.baseline.empty()) {
    const WarmStartResult warm =
        warm_start(experiment, *envs, policy, kernel, reward_normalizer, parallel, generator);
    step = warm.steps;
    session.log(step,
                {{"warm_start/episodes", static_cast<double>(warm.episodes)},
                 {"warm_start/mean_return", warm.mean_return},
                 {"warm_start/negative_log_likelihood_first_epoch",
                  warm.first_epoch.negative_log_likelihood},
                 {"warm_start/negative_log_likelihood", warm.last_epoch.negative_log_likelihood},
                 {"warm_start/value_loss_first_epoch", warm.first_epoch.value_loss},
                 {"warm_start/value_loss", warm.last_epoch.value_loss}});
  }
  const bool discrete = spec.action_space.is_discrete();
  const int64_t observation_size = spec.observation_space.size();
  const int64_t mask_size = spec.action_space.mask_size();
  const torch::Tensor noise = torch::zeros({rows, spec.action_space.size()});
  const torch::Tensor env_actions = discrete ? torch::Tensor() : torch::zeros_like(noise);

  while (!session.finished(step)) {
    ++update;
    const double progress_left = 1.0 - static_cast<double>(update - 1) / total_updates;
    const double learning_rate =
        config.learning_rate * (config.anneal_learning_rate ? progress_left : 1.0);
    for (auto& group : optimizer.param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(learning_rate);

    // With several ranks, the reward statistics each rank gathers during its
    // rollout are merged after it, so that all continue from the same.
    const Moments returns_before = parallel.active() ? reward_normalizer->moments() : Moments{};
    Moments rollout_returns;

    // 1. Collect rollout_steps steps of every env with the current policy.
    for (int64_t t = 0; t < config.rollout_steps; ++t) {
      const float* observations = batch.observation.data_ptr<float>();
      std::copy(observations, observations + rows * observation_size,
                at_step<float>(rollout.observations, t));
      kernel.normalizer().apply(observations, rows,
                                at_step<float>(rollout.normalized_observations, t));
      const bool* mask = nullptr;
      if (rollout.masks.defined()) {
        bool* step_mask = at_step<bool>(rollout.masks, t);
        const bool* batch_mask = batch.action_mask.data_ptr<bool>();
        std::copy(batch_mask, batch_mask + rows * mask_size, step_mask);
        mask = step_mask;
      }
      if (discrete)
        noise.uniform_(0, 1, generator);
      else
        noise.normal_(0, 1, generator);
      kernel.sample(at_step<float>(rollout.normalized_observations, t), mask,
                    noise.data_ptr<float>(), rows,
                    {.discrete_actions = discrete ? at_step<int64_t>(rollout.actions, t) : nullptr,
                     .continuous_actions = discrete ? nullptr : at_step<float>(rollout.actions, t),
                     .env_actions = discrete ? nullptr : env_actions.data_ptr<float>(),
                     .log_probs = at_step<float>(rollout.log_probs, t),
                     .values = at_step<float>(rollout.values, t)});
      // Straight from the rollout's and the clipped actions' storage: no
      // tensor view per step.
      envs->step(discrete ? ActionRef{.discrete = at_step<int64_t>(rollout.actions, t)}
                          : ActionRef{.continuous = env_actions.data_ptr<float>()});
      step += steps_per_step;
      session.record_episodes(envs->batch());

      const torch::Tensor ended = batch.terminated.logical_or(batch.truncated);
      torch::Tensor reward = batch.reward.clone();
      if (config.normalize_rewards) {
        discounted_returns = discounted_returns * config.gamma + reward;
        const Moments step_returns = moments_of(discounted_returns, 1);
        reward_normalizer->merge(step_returns);
        if (parallel.active()) rollout_returns = combined(rollout_returns, step_returns);
        reward = reward_normalizer->scale(reward);
        discounted_returns.masked_fill_(ended, 0);
      }
      // A truncated episode did not end in a terminal state: bootstrap from
      // its final observation so the time limit is not mistaken for one.
      const torch::Tensor truncated_rows =
          batch.truncated.logical_and(batch.terminated.logical_not()).nonzero().squeeze(1);
      if (truncated_rows.numel() > 0) {
        torch::NoGradGuard no_grad;
        // A centralized critic reads whole envs' rows.
        const torch::Tensor final_values =
            policy->critic_agents() > 1
                ? policy->value(batch.final_observation).index_select(0, truncated_rows)
                : policy->value(batch.final_observation.index_select(0, truncated_rows));
        reward.index_add_(0, truncated_rows, config.gamma * final_values);
      }
      rollout.rewards[t].copy_(reward);
      rollout.episode_ended[t].copy_(ended);
    }
    // Every rank's statistics of this rollout, in one exchange: the rewards'
    // for the reward normalizer now, the observations' for the observation
    // normalizer after the update.
    const torch::Tensor b_observations = rollout.observations.reshape({rollout_size, -1});
    const bool normalize_observations = policy->observation_normalizer()->enabled();
    const std::vector<Moments> statistics = parallel.merge(
        {config.normalize_rewards && parallel.active() ? rollout_returns : Moments{},
         normalize_observations ? moments_of(b_observations, observation_size) : Moments{}});
    if (config.normalize_rewards && parallel.active()) {
      reward_normalizer->set(returns_before);
      reward_normalizer->merge(statistics[0]);
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
    const torch::Tensor b_returns = targets.returns.reshape({-1});
    const torch::Tensor b_values = rollout.values.reshape({-1});
    const PpoRolloutView view{
        .normalized_observations = rollout.normalized_observations.data_ptr<float>(),
        .discrete_actions = discrete ? rollout.actions.data_ptr<int64_t>() : nullptr,
        .continuous_actions = discrete ? nullptr : rollout.actions.data_ptr<float>(),
        .masks = rollout.masks.defined() ? rollout.masks.data_ptr<bool>() : nullptr,
        .log_probs = rollout.log_probs.data_ptr<float>(),
        .values = rollout.values.data_ptr<float>(),
        .advantages = targets.advantages.data_ptr<float>(),
        .returns = targets.returns.data_ptr<float>()};
    PpoLossTerms terms;
    double clip_fraction_sum = 0;
    int64_t minibatches_done = 0;
    const int64_t minibatches = rollout_size / minibatch_size;
    // Every epoch's order of the rollout, drawn up front. Each rank's
    // minibatch is a part of one global minibatch: its advantages are
    // normalized over all parts (every minibatch's in one exchange), its
    // gradients averaged.
    std::vector<torch::Tensor> epoch_orders;
    for (int epoch = 0; epoch < config.epochs; ++epoch)
      epoch_orders.push_back(at::randperm(rollout_size, generator));
    const torch::Tensor orders = torch::cat(epoch_orders);
    const int64_t* order = orders.data_ptr<int64_t>();
    const std::vector<AdvantageScaling> scalings =
        config.normalize_advantages
            ? parallel.advantage_scalings(view.advantages, order, minibatch_size,
                                          minibatches * config.epochs)
            : std::vector<AdvantageScaling>{};
    for (int epoch = 0; epoch < config.epochs; ++epoch) {
      for (int64_t k = 0; k < minibatches; ++k) {
        const int64_t index = epoch * minibatches + k;
        terms = kernel.ppo_gradient(
            view, order + index * minibatch_size, minibatch_size, config,
            scalings.empty() ? std::nullopt : std::optional<AdvantageScaling>(scalings[index]));
        parallel.average_gradients(
            optimizer, {&terms.policy_loss, &terms.value_loss, &terms.entropy, &terms.approx_kl,
                        &terms.clip_fraction});
        require_finite(terms.total(config), "PPO", step);
        clip_gradient_norm(optimizer, config.max_grad_norm);
        adam_step(optimizer);
        clip_fraction_sum += terms.clip_fraction;
        ++minibatches_done;
      }
      if (config.target_kl > 0 && terms.approx_kl > config.target_kl) break;
    }
    // The normalizer learns from this rollout only now, so that the log-probs
    // of the rollout and of its update were computed with the same statistics.
    // (Every rank's observations: the normalizers stay the same on all.)
    if (normalize_observations) policy->observation_normalizer()->merge(statistics[1]);
    kernel.normalizer().refresh();

    const torch::Tensor return_variance = b_returns.var();
    const double explained_variance =
        return_variance.item<double>() == 0
            ? std::nan("")
            : 1 - ((b_returns - b_values).var() / return_variance).item<double>();
    session.log(step,
                {{"learning_rate", learning_rate},
                 {"loss/policy", terms.policy_loss},
                 {"loss/value", terms.value_loss},
                 {"loss/entropy", terms.entropy},
                 {"loss/approx_kl", terms.approx_kl},
                 {"loss/clip_fraction", clip_fraction_sum / std::max<int64_t>(1, minibatches_done)},
                 {"loss/explained_variance", explained_variance}});
    if (session.checkpoint_due(step)) session.save_checkpoint(step, save);
    session.record_if_due(step);  // rollouts of the checkpoint, when train() asked for them
  }
  session.finish();
}

}  // namespace twinrl
