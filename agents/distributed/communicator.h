#pragma once
// The processes of one data-parallel training run, joined over PyTorch's
// c10d: a TCPStore rendezvous at MASTER_ADDR:MASTER_PORT (rank 0 serves it)
// and a ProcessGroupGloo for the collectives. Every failure (a peer that
// never comes, exits or stops answering; a port in use; ranks started with
// different configs or world sizes) is a DistributedError that names this
// rank and what it was doing, raised within the timeout, never a hang.
#include <torch/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace twinrl {

class DistributedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DistributedOptions {
  int rank = 0;
  int world_size = 1;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  // How long a collective or the rendezvous waits for a peer.
  std::chrono::seconds timeout{30};
};

// The options torchrun's variables give (RANK, WORLD_SIZE, MASTER_ADDR,
// MASTER_PORT), or nullopt when WORLD_SIZE is unset. Throws
// std::invalid_argument naming the variable for a value out of range.
std::optional<DistributedOptions> distributed_options_from_environment();

// Throws std::invalid_argument unless rank, world size and port are in range.
void check_distributed_options(const DistributedOptions& options);

class Communicator {
 public:
  // Joins the group; `fingerprint` (the resolved config) must be the same on
  // every rank.
  Communicator(const DistributedOptions& options, const std::string& fingerprint);
  ~Communicator();
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  int rank() const { return options_.rank; }
  int world_size() const { return options_.world_size; }

  // Rank 0's tensors, copied into every rank's, in place.
  void broadcast(std::vector<torch::Tensor>& tensors, const std::string& what);
  // The element-wise sum over ranks, in place; every rank gets the same bits.
  void sum(torch::Tensor& tensor, const std::string& what);
  // Every rank's `local` (same shape everywhere), stacked in rank order.
  torch::Tensor all_gather(const torch::Tensor& local, const std::string& what);
  // Every rank's bytes, of any length, in rank order.
  std::vector<std::string> all_gather_bytes(const std::string& local, const std::string& what);

 private:
  struct Group;
  // "rank r of W", as every error begins.
  std::string who() const;
  [[noreturn]] void fail(const std::string& what, const std::exception& error) const;
  DistributedOptions options_;
  std::unique_ptr<Group> group_;
};

}  // namespace twinrl
