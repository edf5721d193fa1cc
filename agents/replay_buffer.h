#pragma once
// DQN's experience replay: a circular buffer of transitions in preallocated
// tensors, fed one env step of every row at a time. For n-step returns each
// row keeps its last steps in a small queue; a transition is stored once n
// rewards are known, or as soon as the episode ends: then every queued step
// is stored, bootstrapping from the final observation after a truncation and
// not at all after a termination.
#include <ATen/core/Generator.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <torch/types.h>

#include <vector>

#include "agents/torch_batch.h"

namespace twinrl {

struct ReplaySample {
  torch::Tensor observations;       // float [count, observation size]
  torch::Tensor actions;            // int64 [count, 1]
  torch::Tensor rewards;            // float [count]: discounted sum of the k rewards after
  torch::Tensor next_observations;  // float [count, observation size]: k steps later
  torch::Tensor terminated;         // bool [count]: the episode ended there, no bootstrap
  torch::Tensor discounts;          // float [count]: gamma^k, for the bootstrap
  torch::Tensor next_masks;         // bool [count, actions]; undefined without masks
};

class ReplayBuffer {
 public:
  // `mask_size` 0: the env has no action masks.
  ReplayBuffer(int64_t capacity, int64_t rows, int64_t observation_size, int64_t mask_size,
               int n_step, double gamma);

  // One env step of every row: `observations` [rows, observation size] seen
  // before it, `actions` int64 [rows, 1] taken, and the batch after it.
  // Contiguous CPU tensors, as as_tensors() gives.
  void add(const torch::Tensor& observations, const torch::Tensor& actions, const TorchBatch& next);
  // `count` stored transitions drawn uniformly, with replacement.
  ReplaySample sample(int64_t count, at::Generator& generator) const;
  // The same into `sample`, reusing its tensors when they have `count` rows.
  void sample_into(ReplaySample& sample, int64_t count, at::Generator& generator) const;
  int64_t size() const { return size_; }

  // Contents, position and the pending n-step queues, for checkpoints.
  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  // Stores the oldest queued step of `row` with the return of its first
  // `steps` rewards and the given bootstrap, then drops it from the queue.
  // A null `next_mask` (unknown) is stored as all actions valid.
  void store_oldest(int64_t row, int64_t steps, const float* next_observation,
                    const bool* next_mask, bool terminated);

  int64_t capacity_, rows_, observation_size_, mask_size_, n_step_;
  std::vector<double> gamma_powers_;  // gamma^k for k = 0..n

  torch::Tensor observations_, actions_, rewards_, next_observations_, terminated_, discounts_,
      next_masks_;
  int64_t position_ = 0, size_ = 0;
  mutable torch::Tensor index_;  // sample_into's draws, kept between calls

  // Per row, a ring of n_step slots: the steps whose return is not complete.
  torch::Tensor pending_observations_;  // float [rows, n, observation size]
  torch::Tensor pending_actions_;       // int64 [rows, n]
  torch::Tensor pending_rewards_;       // float [rows, n]
  torch::Tensor pending_first_;         // int64 [rows]: slot of the oldest step
  torch::Tensor pending_count_;         // int64 [rows]
};

}  // namespace twinrl
