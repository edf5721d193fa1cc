#pragma once
// What data-parallel training adds to an algorithm, at a few visible calls:
// every rank steps its own envs and computes the gradient of its own part of
// each minibatch; the ranks start from rank 0's parameters, average their
// gradients (and loss terms) before each optimizer step, and merge their
// normalizers' statistics, so that after every update their parameters are
// the same bits. Without a communicator (one process) every call does
// nothing or returns its input unchanged.
#include <torch/nn/module.h>
#include <torch/optim/adam.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <vector>

#include "agents/actor_critic_kernel.h"
#include "agents/distributed/communicator.h"
#include "agents/running_normalizer.h"

namespace twinrl {

// The number of processes that wrote a checkpoint (1 for a run on one).
int64_t checkpoint_world_size(const std::filesystem::path& checkpoint);
// Throws std::invalid_argument, naming `checkpoint` and saying how to
// resume, unless a checkpoint written by `saved` processes is resumed by as many.
void require_same_world_size(const std::string& checkpoint, int64_t saved, int64_t now);

class DataParallel {
 public:
  explicit DataParallel(Communicator* communicator) : communicator_(communicator) {}

  bool active() const { return communicator_ != nullptr; }
  int rank() const { return communicator_ ? communicator_->rank() : 0; }
  int world_size() const { return communicator_ ? communicator_->world_size() : 1; }

  // Rank 0's parameters and buffers, in every rank's module.
  void broadcast(torch::nn::Module& module);
  // The mean over ranks of the gradients of the optimizer's parameters and
  // of `scalars` (loss terms), in place: one all-reduce, in float32 as the
  // gradients are (every rank gets the same bits).
  void average_gradients(torch::optim::Adam& optimizer, std::initializer_list<double*> scalars);
  // Throws DistributedError unless every rank's parameters and buffers are
  // the same bits as rank 0's (checked at each checkpoint).
  void check_replicas(const torch::nn::Module& module);
  // For each of `local`, the moments of every rank's data together (ranks
  // combined in order): one all-gather for all. Moments without data (no
  // mean) stay so; every rank passes the same list.
  std::vector<Moments> merge(const std::vector<Moments>& local);
  // For each of `minibatches` consecutive minibatches of `order`, the
  // normalization of the advantages of that minibatch on every rank
  // together: one all-gather for all (every epoch's minibatches of an
  // update). Empty with one process, where each minibatch normalizes its own.
  std::vector<AdvantageScaling> advantage_scalings(const float* advantages, const int64_t* order,
                                                   int64_t minibatch_size, int64_t minibatches);

  // The checkpoint parts that differ between ranks (their envs, random
  // streams): with one process written into the checkpoint as they are;
  // with several, every rank's are gathered into rank 0's checkpoint, so
  // that resume gives each rank its own. Collective: every rank calls them.
  using WritePart = std::function<void(torch::serialize::OutputArchive&)>;
  using ReadPart = std::function<void(torch::serialize::InputArchive&)>;
  void write_rank_parts(torch::serialize::OutputArchive& archive, const WritePart& write);
  void read_rank_parts(torch::serialize::InputArchive& archive, const ReadPart& read);

 private:
  Communicator* communicator_;
  torch::Tensor gradients_;  // the flat buffer of average_gradients
};

}  // namespace twinrl
