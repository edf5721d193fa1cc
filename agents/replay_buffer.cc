#include "agents/replay_buffer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "agents/training_session.h"

namespace twinrl {
namespace {

// Reads `key` into `destination`, whose shape it must have.
void read_into(torch::serialize::InputArchive& archive, const std::string& key,
               const torch::Tensor& destination) {
  const torch::Tensor value = read_tensor(archive, key);
  if (value.sizes() != destination.sizes() || value.scalar_type() != destination.scalar_type())
    throw std::runtime_error(
        "the checkpoint's replay buffer " + key +
        " does not fit this run's buffer (buffer_size, n_step or env changed?)");
  destination.copy_(value);
}

}  // namespace

ReplayBuffer::ReplayBuffer(int64_t capacity, int64_t rows, int64_t observation_size,
                           int64_t mask_size, int n_step, double gamma)
    : capacity_(capacity),
      rows_(rows),
      observation_size_(observation_size),
      mask_size_(mask_size),
      n_step_(n_step) {
  if (capacity < 1 || n_step < 1)
    throw std::invalid_argument("a replay buffer needs a capacity and n_step of at least 1");
  for (int k = 0; k <= n_step; ++k) gamma_powers_.push_back(std::pow(gamma, k));
  observations_ = torch::zeros({capacity, observation_size});
  actions_ = torch::zeros({capacity, 1}, torch::kInt64);
  rewards_ = torch::zeros({capacity});
  next_observations_ = torch::zeros({capacity, observation_size});
  terminated_ = torch::zeros({capacity}, torch::kBool);
  discounts_ = torch::zeros({capacity});
  if (mask_size > 0) next_masks_ = torch::zeros({capacity, mask_size}, torch::kBool);
  pending_observations_ = torch::zeros({rows, n_step, observation_size});
  pending_actions_ = torch::zeros({rows, n_step}, torch::kInt64);
  pending_rewards_ = torch::zeros({rows, n_step});
  pending_first_ = torch::zeros({rows}, torch::kInt64);
  pending_count_ = torch::zeros({rows}, torch::kInt64);
}

void ReplayBuffer::add(const torch::Tensor& observations, const torch::Tensor& actions,
                       const TorchBatch& next) {
  const float* observation = observations.data_ptr<float>();
  const int64_t* action = actions.data_ptr<int64_t>();
  const float* reward = next.reward.data_ptr<float>();
  const bool* terminated = next.terminated.data_ptr<bool>();
  const bool* truncated = next.truncated.data_ptr<bool>();
  const float* next_observation = next.observation.data_ptr<float>();
  const float* final_observation = next.final_observation.data_ptr<float>();
  const bool* next_mask = mask_size_ > 0 ? next.action_mask.data_ptr<bool>() : nullptr;
  float* queued_observations = pending_observations_.data_ptr<float>();
  int64_t* queued_actions = pending_actions_.data_ptr<int64_t>();
  float* queued_rewards = pending_rewards_.data_ptr<float>();
  const int64_t* first = pending_first_.data_ptr<int64_t>();
  int64_t* count = pending_count_.data_ptr<int64_t>();
  for (int64_t row = 0; row < rows_; ++row) {
    const int64_t slot = row * n_step_ + (first[row] + count[row]) % n_step_;
    std::copy_n(observation + row * observation_size_, observation_size_,
                queued_observations + slot * observation_size_);
    queued_actions[slot] = action[row];
    queued_rewards[slot] = reward[row];
    ++count[row];
    if (terminated[row] || truncated[row]) {
      // The runner keeps no mask of the final observation: stored as unknown.
      while (count[row] > 0)
        store_oldest(row, count[row], final_observation + row * observation_size_, nullptr,
                     terminated[row]);
    } else if (count[row] == n_step_) {
      store_oldest(row, n_step_, next_observation + row * observation_size_,
                   next_mask ? next_mask + row * mask_size_ : nullptr, false);
    }
  }
}

void ReplayBuffer::store_oldest(int64_t row, int64_t steps, const float* next_observation,
                                const bool* next_mask, bool terminated) {
  int64_t& first = pending_first_.data_ptr<int64_t>()[row];
  int64_t& count = pending_count_.data_ptr<int64_t>()[row];
  const float* queued_rewards = pending_rewards_.data_ptr<float>() + row * n_step_;
  double discounted_return = 0;
  for (int64_t k = 0; k < steps; ++k)
    discounted_return += gamma_powers_[k] * queued_rewards[(first + k) % n_step_];

  const int64_t slot = row * n_step_ + first;
  std::copy_n(pending_observations_.data_ptr<float>() + slot * observation_size_, observation_size_,
              observations_.data_ptr<float>() + position_ * observation_size_);
  actions_.data_ptr<int64_t>()[position_] = pending_actions_.data_ptr<int64_t>()[slot];
  rewards_.data_ptr<float>()[position_] = static_cast<float>(discounted_return);
  std::copy_n(next_observation, observation_size_,
              next_observations_.data_ptr<float>() + position_ * observation_size_);
  terminated_.data_ptr<bool>()[position_] = terminated;
  discounts_.data_ptr<float>()[position_] = static_cast<float>(gamma_powers_[steps]);
  if (mask_size_ > 0) {
    bool* stored_mask = next_masks_.data_ptr<bool>() + position_ * mask_size_;
    if (next_mask)
      std::copy_n(next_mask, mask_size_, stored_mask);
    else
      std::fill_n(stored_mask, mask_size_, true);
  }
  position_ = (position_ + 1) % capacity_;
  size_ = std::min(size_ + 1, capacity_);
  first = (first + 1) % n_step_;
  --count;
}

ReplaySample ReplayBuffer::sample(int64_t count, at::Generator& generator) const {
  ReplaySample sample;
  sample_into(sample, count, generator);
  return sample;
}

void ReplayBuffer::sample_into(ReplaySample& sample, int64_t count,
                               at::Generator& generator) const {
  if (size_ == 0) throw std::logic_error("sampling from an empty replay buffer");
  if (!sample.rewards.defined() || sample.rewards.size(0) != count) sample = {};
  if (!index_.defined() || index_.size(0) != count) index_ = torch::zeros({count}, torch::kInt64);
  index_.random_(0, size_, generator);
  const int64_t* index = index_.data_ptr<int64_t>();
  // Row by row into tensors kept from the last call: a gradient step's
  // sample costs no allocation and no per-tensor dispatch.
  const auto gather = [&](const torch::Tensor& stored, torch::Tensor& into) {
    if (!stored.defined()) return;
    if (!into.defined()) {
      std::vector<int64_t> shape = stored.sizes().vec();
      shape[0] = count;
      into = torch::empty(shape, stored.options());
    }
    const auto row_bytes = static_cast<size_t>(stored.stride(0) * stored.element_size());
    const auto* source = static_cast<const char*>(stored.data_ptr());
    auto* destination = static_cast<char*>(into.data_ptr());
    for (int64_t i = 0; i < count; ++i)
      std::memcpy(destination + i * row_bytes, source + index[i] * row_bytes, row_bytes);
  };
  gather(observations_, sample.observations);
  gather(actions_, sample.actions);
  gather(rewards_, sample.rewards);
  gather(next_observations_, sample.next_observations);
  gather(terminated_, sample.terminated);
  gather(discounts_, sample.discounts);
  gather(next_masks_, sample.next_masks);
}

void ReplayBuffer::save(torch::serialize::OutputArchive& archive) const {
  // Clones: a view would be saved with the whole capacity behind it.
  auto stored = [this](const torch::Tensor& storage) {
    return storage.narrow(0, 0, size_).clone();
  };
  archive.write("observations", stored(observations_));
  archive.write("actions", stored(actions_));
  archive.write("rewards", stored(rewards_));
  archive.write("next_observations", stored(next_observations_));
  archive.write("terminated", stored(terminated_));
  archive.write("discounts", stored(discounts_));
  if (next_masks_.defined()) archive.write("next_masks", stored(next_masks_));
  archive.write("position", torch::tensor(position_, torch::kInt64));
  archive.write("pending_observations", pending_observations_);
  archive.write("pending_actions", pending_actions_);
  archive.write("pending_rewards", pending_rewards_);
  archive.write("pending_first", pending_first_);
  archive.write("pending_count", pending_count_);
}

void ReplayBuffer::load(torch::serialize::InputArchive& archive) {
  size_ = read_tensor(archive, "rewards").size(0);
  if (size_ > capacity_)
    throw std::runtime_error("the checkpoint's replay buffer holds " + std::to_string(size_) +
                             " transitions, more than buffer_size " + std::to_string(capacity_));
  auto stored = [this](const torch::Tensor& storage) { return storage.narrow(0, 0, size_); };
  read_into(archive, "observations", stored(observations_));
  read_into(archive, "actions", stored(actions_));
  read_into(archive, "rewards", stored(rewards_));
  read_into(archive, "next_observations", stored(next_observations_));
  read_into(archive, "terminated", stored(terminated_));
  read_into(archive, "discounts", stored(discounts_));
  if (next_masks_.defined()) read_into(archive, "next_masks", stored(next_masks_));
  position_ = read_tensor(archive, "position").item<int64_t>();
  read_into(archive, "pending_observations", pending_observations_);
  read_into(archive, "pending_actions", pending_actions_);
  read_into(archive, "pending_rewards", pending_rewards_);
  read_into(archive, "pending_first", pending_first_);
  read_into(archive, "pending_count", pending_count_);
}

}  // namespace twinrl
