#include "agents/dqn.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/optim/adam.h>

#include <algorithm>
#include <cmath>

#include "agents/optimizer_step.h"
#include "agents/torch_batch.h"
#include "core/seed_streams.h"
#include "core/vec_env.h"

namespace twinrl {

void epsilon_greedy(const float* q_values, const bool* masks, int64_t rows, int64_t actions,
                    double epsilon, const float* uniforms, int64_t* chosen) {
  for (int64_t r = 0; r < rows; ++r) {
    const bool* mask = masks ? masks + r * actions : nullptr;
    if (uniforms[2 * r] >= epsilon) {
      chosen[r] = best_allowed_action(q_values + r * actions, mask, actions);
      continue;
    }
    const auto allowed = [&](int64_t a) { return mask == nullptr || mask[a]; };
    int64_t count = 0;
    for (int64_t a = 0; a < actions; ++a) count += allowed(a) ? 1 : 0;
    if (count == 0) {  // nothing allowed: as the env's own sampling, the first
      chosen[r] = 0;
      continue;
    }
    int64_t pick = std::min(count - 1, static_cast<int64_t>(uniforms[2 * r + 1] * count));
    for (int64_t a = 0; a < actions; ++a)
      if (allowed(a) && pick-- == 0) chosen[r] = a;
  }
}

void dqn_targets(QNetworkKernel& online, QNetworkKernel& target, const ReplaySample& sample,
                 bool double_q, WorkerPool* pool, float* targets) {
  const int64_t count = sample.rewards.size(0), actions = target.actions();
  const float* next_observations = sample.next_observations.data_ptr<float>();
  const float* next_q = nullptr;
  const float* online_q = nullptr;
  auto forward = [&](int part) {
    if (part == 0)
      next_q = target.q_values(next_observations, count);
    else if (double_q)
      online_q = online.q_values(next_observations, count);
  };
  if (pool != nullptr) {
    pool->run(forward);
  } else {
    forward(0);
    forward(1);
  }
  // Choosing by argmax, then reading the value, never reads a masked action.
  const float* chooser = double_q ? online_q : next_q;
  const bool* masks = sample.next_masks.defined() ? sample.next_masks.data_ptr<bool>() : nullptr;
  const float* rewards = sample.rewards.data_ptr<float>();
  const float* discounts = sample.discounts.data_ptr<float>();
  const bool* terminated = sample.terminated.data_ptr<bool>();
  for (int64_t i = 0; i < count; ++i) {
    const int64_t best =
        best_allowed_action(chooser + i * actions, masks ? masks + i * actions : nullptr, actions);
    const float bootstrap = terminated[i] ? 0.0f : next_q[i * actions + best];
    targets[i] = rewards[i] + discounts[i] * bootstrap;
  }
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
  const torch::Tensor actions = torch::zeros({rows, 1}, torch::kInt64);
  const torch::Tensor uniforms = torch::zeros({rows, 2});  // exploration's random numbers
  std::vector<float> targets(config.batch_size);
  ReplaySample sample;  // its tensors are reused by every gradient step

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

  // Q values and the TD loss's gradient computed on the networks' tensors
  // without LibTorch's per-operation dispatch (q_network_kernel.h).
  QNetworkKernel online(q_network), target(target_network);
  const int64_t action_count = online.actions();
  const std::unique_ptr<WorkerPool> pool =
      experiment.agent.torch_threads > 1 ? std::make_unique<WorkerPool>(2) : nullptr;

  while (!session.finished(step)) {
    // 1. Step every env epsilon-greedily and store the transitions.
    const double epsilon = exploration_rate(config, experiment.agent.total_steps, step);
    observations.copy_(batch.observation);
    if (q_network->observation_normalizer()->enabled()) {
      q_network->observation_normalizer()->update(observations);
      online.normalizer().refresh();
    }
    uniforms.uniform_(0, 1, generator);
    epsilon_greedy(online.q_values(observations.data_ptr<float>(), rows),
                   spec.has_action_mask ? batch.action_mask.data_ptr<bool>() : nullptr, rows,
                   action_count, epsilon, uniforms.data_ptr<float>(), actions.data_ptr<int64_t>());
    envs->step(action_ref(actions, spec, rows));
    step += num_envs;
    session.record_episodes(envs->batch());
    replay.add(observations, actions, batch);

    // 2. Every train_every steps once learning started, gradient steps on
    //    sampled transitions.
    const bool learning = step >= config.learning_starts && replay.size() > 0;
    const int64_t phases = learning ? multiples_passed(step, num_envs, config.train_every) : 0;
    for (int64_t i = 0; i < phases * config.gradient_steps; ++i) {
      replay.sample_into(sample, config.batch_size, generator);
      dqn_targets(online, target, sample, config.double_q, pool.get(), targets.data());
      // Squared error, as in CleanRL. Huber (Mnih et al.) learned faster on
      // CartPole but then forgot: it caps the rare large errors of the failure
      // states that long episodes make rare in the buffer.
      const QNetworkKernel::Loss loss =
          online.td_gradient(sample.observations.data_ptr<float>(),
                             sample.actions.data_ptr<int64_t>(), targets.data(), config.batch_size);
      require_finite(loss.loss, "DQN", step);
      clip_gradient_norm(optimizer, config.max_grad_norm);
      adam_step(optimizer);
      loss_sum += loss.loss;
      q_sum += loss.mean_q;
      ++losses_summed;
    }

    // 3. The target network follows every target_update_every steps.
    if (learning) {
      const int64_t updates = multiples_passed(step, num_envs, config.target_update_every);
      for (int64_t i = 0; i < updates; ++i) update_target(target_network, q_network, config.tau);
      if (updates > 0) target.normalizer().refresh();
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
