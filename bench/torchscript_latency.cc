// Latency per action of an exported TorchScript policy through
// torch::jit::load, batch 1, on one thread.
// Usage: torchscript_latency POLICY.pt OBSERVATION_SIZE
#include <ATen/Parallel.h>
#include <torch/script.h>

#include <chrono>
#include <cstdlib>
#include <vector>

#include "bench/latency_stats.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s POLICY.pt OBSERVATION_SIZE\n", argv[0]);
    return 2;
  }
  at::set_num_threads(1);
  torch::jit::Module policy = torch::jit::load(argv[1]);
  const int64_t size = std::atoll(argv[2]);
  torch::NoGradGuard no_grad;
  torch::Tensor observation = torch::zeros({1, size});
  constexpr int kCalls = 20000;
  std::vector<double> ns(kCalls);
  for (int call = -1000; call < kCalls; ++call) {  // the first 1000 warm up
    observation.fill_(0.001f * static_cast<float>(call % 200));
    const auto start = std::chrono::steady_clock::now();
    const torch::Tensor action = policy.forward({observation}).toTensor();
    const auto end = std::chrono::steady_clock::now();
    if (call >= 0) ns[call] = std::chrono::duration<double, std::nano>(end - start).count();
  }
  latency_report("torchscript", ns.data(), kCalls);
  return 0;
}
