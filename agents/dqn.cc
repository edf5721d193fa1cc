#include "agents/dqn.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>

#include <algorithm>
#include <cmath>

#include "agents/torch_batch.h"
#include "core/seed_streams.h"
#include "core/vec_env.h"

namespace twinrl {

torch::Tensor epsilon_greedy(const torch::Tensor& q_values, const torch::Tensor& mask,
                             double epsilon, at::Generator& generator) {
  const int64_t rows = q_values.size(0);
  const torch::Tensor greedy = mask_invalid_actions(q_values, mask).argmax(1, /*keepdim=*/true);
  const torch::Tensor random =
      mask.defined() ? at::multinomial(mask.to(torch::kFloat32), 1, /*replacement=*/true, generator)
                     : at::randint(q_values.size(1), {rows, 1}, generator, torch::kInt64);
  const torch::Tensor explore = at::rand({rows, 1}, generator) < epsilon;
  return torch::where(explore, random, greedy);
}

torch::Tensor dqn_targets(QNetwork& online, QNetwork& target, const ReplaySample& sample,
                          bool double_q) {
  torch::NoGradGuard no_grad;
  const torch::Tensor next_q = target->forward(sample.next_observations);
  // Choosing by argmax, then reading the value, never reads a masked -infinity.
  const torch::Tensor next_actions =
      double_q ? online->act(sample.next_observations, sample.next_masks)
               : mask_invalid_actions(next_q, sample.next_masks).argmax(1, /*keepdim=*/true);
  const torch::Tensor bootstrap = next_q.gather(1, next_actions).squeeze(1);
  return sample.rewards + sample.discounts * bootstrap.masked_fill(sample.terminated, 0);
}

namespace {

// Env steps between rows of metrics.
constexpr int64_t kLogEvery = 500;

// How many multiples of `every` the last `stride` steps passed, up to `step`:
// periodic events fire at the same steps whatever the number of envs.
int64_t multiples_passed(int64_t step, int64_t stride, int64_t every) {
  return step / every - (step - stride) / every;
}

// Decays linearly from start_epsilon to end_epsilon over exploration_fraction
// of the training budget, then stays.
double exploration_rate(const DqnConfig& config, int64_t total_steps, int64_t step) {
  const double decay_steps = config.exploration_fraction * static_cast<double>(total_steps);
  const double progress = decay_steps > 0 ? std::min(1.0, step / decay_steps) : 1.0;
  return config.start_epsilon + progress * (config.end_epsilon - config.start_epsilon);
}

// Moves the target's parameters a fraction `tau` towards the online ones (1:
// a copy); the normalizer's statistics are copied.
void update_target(QNetwork& target, QNetwork& online, double tau) {
  torch::NoGradGuard no_grad;
  const auto target_parameters = target->parameters();
  const auto online_parameters = online->parameters();
  for (size_t i = 0; i < target_parameters.size(); ++i) {
    if (tau == 1.0)
      target_parameters[i].copy_(online_parameters[i]);
    else
      target_parameters[i].lerp_(online_parameters[i], tau);
  }
  const auto target_buffers = target->buffers();
  const auto online_buffers = online->buffers();
  for (size_t i = 0; i < target_buffers.size(); ++i) target_buffers[i].copy_(online_buffers[i]);
}

}  // namespace

void train_dqn(TrainingSession& session) {
  const Experiment& experiment = session.experiment();
  const DqnConfig& config = experiment.agent.dqn;
  const EnvSpec& spec = experiment.env_model->spec();
  const RunConfig& run = experiment.run;

  // Environments, and tensors over their batch buffers (no copies).
  const std::unique_ptr<VecEnv> envs = make_training_envs(experiment);
  const TorchBatch batch = as_tensors(envs->batch());
  const int64_t rows = envs->batch().rows();
  const int64_t num_envs = run.env.num_envs;

  // Online and target networks, optimizer, replay, and the random generator
  // of exploration and sampling.
  torch::manual_seed(run.seed);
  QNetwork q_network(spec, config);
  QNetwork target_network(spec, config);
  update_target(target_network, q_network, 1.0);
  torch::optim::Adam optimizer(
      q_network->parameters(),
      torch::optim::AdamOptions(config.learning_rate).eps(config.adam_epsilon));
  at::Generator generator =
      at::detail::createCPUGenerator(stream_seed(run.seed, seed_streams::kLearner));
  ReplayBuffer replay(config.buffer_size, rows, spec.observation_space.size(),
                      spec.has_action_mask ? spec.action_space.mask_size() : 0, config.n_step,
                      config.gamma);
  const torch::Tensor observations = torch::zeros({rows, spec.observation_space.size()});

  int64_t step = 0;
  // Sums over the gradient steps since the last row of metrics.
  double loss_sum = 0, q_sum = 0, losses_summed = 0;
  auto save = [&](torch::serialize::OutputArchive& archive) {
    write_part(archive, "policy", *q_network);
    write_part(archive, "target_network", *target_network);
    write_part(archive, "optimizer", optimizer);
    write_part(archive, "replay_buffer", replay);
    write_runner(archive, *envs);
    archive.write("dqn/loss_sums",
                  torch::tensor({loss_sum, q_sum, losses_summed}, torch::kFloat64));
    archive.write("dqn/generator", generator.get_state());
  };
  auto load = [&](torch::serialize::InputArchive& archive) {
    read_part(archive, "policy", *q_network);
    read_part(archive, "target_network", *target_network);
    read_part(archive, "optimizer", optimizer);
    read_part(archive, "replay_buffer", replay);
    read_runner(archive, *envs);
    const torch::Tensor sums = read_tensor(archive, "dqn/loss_sums");
    loss_sum = sums[0].item<double>();
    q_sum = sums[1].item<double>();
    losses_summed = sums[2].item<double>();
    generator.set_state(read_tensor(archive, "dqn/generator"));
  };
  if (session.resuming())
    step = session.load_checkpoint(load);
  else
    envs->reset();

  while (!session.finished(step)) {
    // 1. Step every env epsilon-greedily and store the transitions.
    const double epsilon = exploration_rate(config, experiment.agent.total_steps, step);
    observations.copy_(batch.observation);
    q_network->observation_normalizer()->update(observations);
    torch::Tensor actions;
    {
      torch::NoGradGuard no_grad;
      actions =
          epsilon_greedy(q_network->forward(observations), batch.action_mask, epsilon, generator);
    }
    envs->step(action_ref(actions, spec, rows));
    step += num_envs;
    session.record_episodes(envs->batch());
    replay.add(observations, actions, batch);

    // 2. Every train_every steps once learning started, gradient steps on
    //    sampled transitions.
    const bool learning = step >= config.learning_starts && replay.size() > 0;
    const int64_t phases = learning ? multiples_passed(step, num_envs, config.train_every) : 0;
    for (int64_t i = 0; i < phases * config.gradient_steps; ++i) {
      const ReplaySample sample = replay.sample(config.batch_size, generator);
      const torch::Tensor targets = dqn_targets(q_network, target_network, sample, config.double_q);
      const torch::Tensor q_taken =
          q_network->forward(sample.observations).gather(1, sample.actions).squeeze(1);
      // Squared error, as in CleanRL. Huber (Mnih et al.) learned faster on
      // CartPole but then forgot: it caps the rare large errors of the failure
      // states that long episodes make rare in the buffer.
      const torch::Tensor loss = torch::nn::functional::mse_loss(q_taken, targets);
      require_finite(loss, "DQN", step);
      optimizer.zero_grad();
      loss.backward();
      torch::nn::utils::clip_grad_norm_(q_network->parameters(), config.max_grad_norm);
      optimizer.step();
      loss_sum += loss.item<double>();
      q_sum += q_taken.mean().item<double>();
      ++losses_summed;
    }

    // 3. The target network follows every target_update_every steps.
    if (learning) {
      const int64_t updates = multiples_passed(step, num_envs, config.target_update_every);
      for (int64_t i = 0; i < updates; ++i) update_target(target_network, q_network, config.tau);
    }

    // Not at an early stop: a resumed run must log the rows of an uninterrupted one.
    if (multiples_passed(step, num_envs, kLogEvery) > 0 || step >= experiment.agent.total_steps) {
      std::vector<std::pair<std::string, double>> values = {{"learning_rate", config.learning_rate},
                                                            {"epsilon", epsilon}};
      if (losses_summed > 0) {
        values.emplace_back("loss/td", loss_sum / losses_summed);
        values.emplace_back("q_values", q_sum / losses_summed);
      }
      session.log(step, std::move(values));
      loss_sum = q_sum = losses_summed = 0;
    }
    if (session.checkpoint_due(step)) session.save_checkpoint(step, save);
    session.record_if_due(step);  // rollouts of the checkpoint, when train() asked for them
  }
  session.finish();
}

}  // namespace twinrl
