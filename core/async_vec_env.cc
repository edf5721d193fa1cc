#include "core/async_vec_env.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/spin_wait.h"

namespace twinrl {

AsyncVecEnv::AsyncVecEnv(std::shared_ptr<const EnvModel> model, const AsyncVecEnvOptions& options)
    : envs_(std::move(model), options.num_envs, options.seed),
      batch_size_(options.batch_size),
      // Envs in flight never exceed num_envs, so they fill at most
      // ceil(num_envs / batch_size) blocks beyond the one the caller holds.
      num_blocks_((options.num_envs + options.batch_size - 1) / std::max(options.batch_size, 1) +
                  1),
      buffers_(envs_.spec(), num_blocks_ * options.batch_size),
      // At most num_envs jobs are queued, plus one stop per worker.
      jobs_(options.num_envs + options.threads),
      block_filled_(num_blocks_),
      in_flight_(options.num_envs, false) {
  if (batch_size_ < 1 || batch_size_ > options.num_envs)
    throw std::invalid_argument("batch_size must be between 1 and num_envs (" +
                                std::to_string(options.num_envs) + ")");
  if (options.threads < 1) throw std::invalid_argument("threads must be at least 1");
  const int64_t action_numbers =
      int64_t{options.num_envs} * spec().num_agents * spec().action_space.size();
  if (spec().action_space.is_discrete())
    discrete_actions_.resize(action_numbers);
  else
    continuous_actions_.resize(action_numbers);
  for (int i = 0; i < options.threads; ++i) workers_.emplace_back([this] { work(); });
}

AsyncVecEnv::~AsyncVecEnv() {
  // Workers finish the queued jobs, then each takes one stop job.
  for (size_t i = 0; i < workers_.size(); ++i) jobs_.push(kStop);
  for (auto& worker : workers_) worker.join();
}

void AsyncVecEnv::reset() {
  if (in_flight_count_ != 0) throw std::logic_error("reset() while envs are in flight");
  for (int env = 0; env < num_envs(); ++env) {
    in_flight_[env] = true;
    jobs_.push(env | kResetFlag);
  }
  in_flight_count_ = num_envs();
}

void AsyncVecEnv::copy_actions(const ActionRef& actions, int64_t source_row, int env) {
  const int64_t count = int64_t{spec().num_agents} * spec().action_space.size();
  const int64_t from = source_row * spec().action_space.size();
  const int64_t to = int64_t{env} * count;
  if (actions.discrete)
    std::copy_n(actions.discrete + from, count, discrete_actions_.begin() + to);
  else
    std::copy_n(actions.continuous + from, count, continuous_actions_.begin() + to);
}

ActionRef AsyncVecEnv::queued_actions(int env) const {
  const ActionRef all = discrete_actions_.empty() ? ActionRef{continuous_actions_.data(), nullptr}
                                                  : ActionRef{nullptr, discrete_actions_.data()};
  return all.from_row(int64_t{env} * spec().num_agents, spec().action_space.size());
}

void AsyncVecEnv::send(const ActionRef& actions, std::span<const int32_t> env_ids) {
  envs_.check_actions(actions, std::ssize(env_ids) * spec().num_agents);
  for (size_t i = 0; i < env_ids.size(); ++i) {
    const int32_t env = env_ids[i];
    const char* problem = env < 0 || env >= num_envs() ? "is out of range"
                          : in_flight_[env]            ? "was sent and not yet received"
                                                       : nullptr;
    if (problem) {
      for (size_t sent = 0; sent < i; ++sent) in_flight_[env_ids[sent]] = false;
      throw std::invalid_argument("send: env " + std::to_string(env) + " " + problem);
    }
    in_flight_[env] = true;
  }
  for (size_t i = 0; i < env_ids.size(); ++i) {
    copy_actions(actions, static_cast<int64_t>(i) * spec().num_agents, env_ids[i]);
    jobs_.push(env_ids[i]);
  }
  in_flight_count_ += static_cast<int>(env_ids.size());
}

const BatchView& AsyncVecEnv::recv() {
  if (in_flight_count_ < batch_size_)
    throw std::logic_error("recv: only " + std::to_string(in_flight_count_) +
                           " envs in flight, fewer than batch_size " + std::to_string(batch_size_));
  std::atomic<int>& filled = block_filled_[next_block_];
  for (int seen = filled.load(std::memory_order_acquire); seen != batch_size_;)
    seen = wait_until_changed(filled, seen);
  // No worker writes this block again before the next recv(): see num_blocks_.
  filled.store(0, std::memory_order_relaxed);
  received_ = buffers_.all().slice(next_block_ * batch_size_, batch_size_);
  next_block_ = (next_block_ + 1) % num_blocks_;
  for (int i = 0; i < batch_size_; ++i) in_flight_[received_.env_id[i]] = false;
  in_flight_count_ -= batch_size_;
  std::lock_guard lock(error_mutex_);
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  return received_;
}

void AsyncVecEnv::work() {
  while (true) {
    const int64_t job = jobs_.pop();
    if (job == kStop) return;
    const int env = static_cast<int>(job & (kResetFlag - 1));

    // acq_rel: the claim that reuses an entry must happen after the caller's
    // last read of it. That read precedes a send whose jobs claimed the
    // entries in between, so synchronizing along the claim chain orders them.
    const int64_t claimed = entries_claimed_.fetch_add(1, std::memory_order_acq_rel);
    const int block = static_cast<int>(claimed / batch_size_ % num_blocks_);
    const int entry = static_cast<int>(block * batch_size_ + claimed % batch_size_);
    buffers_.all().env_id[entry] = env;
    try {
      if (job & kResetFlag)
        envs_.reset(env, buffers_.all(), entry);
      else
        envs_.step_range(env, env + 1, queued_actions(env), buffers_.all(), entry);
    } catch (...) {
      std::lock_guard lock(error_mutex_);
      if (!error_) error_ = std::current_exception();
    }
    if (block_filled_[block].fetch_add(1, std::memory_order_acq_rel) + 1 == batch_size_)
      block_filled_[block].notify_one();
  }
}

}  // namespace twinrl
