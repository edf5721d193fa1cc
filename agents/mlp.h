#pragma once
// Multilayer perceptrons with orthogonal initialization (Saxe et al. 2014),
// the initialization PPO implementations rely on.
#include <torch/nn/modules/container/sequential.h>

#include <string>
#include <vector>

namespace twinrl {

// Linear layers of the given hidden sizes with `activation` ("tanh" or
// "relu") between them; hidden weights get gain sqrt(2), the output layer
// `output_gain`; biases start at zero.
torch::nn::Sequential make_mlp(int64_t inputs, const std::vector<int>& hidden, int64_t outputs,
                               double output_gain, const std::string& activation);

}  // namespace twinrl
