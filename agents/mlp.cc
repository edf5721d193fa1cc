#include "agents/mlp.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/linear.h>

#include <cmath>
#include <stdexcept>

namespace twinrl {
namespace {

torch::nn::Linear orthogonal_linear(int64_t inputs, int64_t outputs, double gain) {
  torch::nn::Linear layer(inputs, outputs);
  torch::NoGradGuard no_grad;
  torch::nn::init::orthogonal_(layer->weight, gain);
  torch::nn::init::zeros_(layer->bias);
  return layer;
}

}  // namespace

torch::nn::Sequential make_mlp(int64_t inputs, const std::vector<int>& hidden, int64_t outputs,
                               double output_gain, const std::string& activation) {
  if (activation != "tanh" && activation != "relu")
    throw std::invalid_argument("activation must be tanh or relu, not '" + activation + "'");
  torch::nn::Sequential net;
  int64_t width = inputs;
  for (const int size : hidden) {
    net->push_back(orthogonal_linear(width, size, std::sqrt(2.0)));
    if (activation == "tanh")
      net->push_back(torch::nn::Tanh());
    else
      net->push_back(torch::nn::ReLU());
    width = size;
  }
  net->push_back(orthogonal_linear(width, outputs, output_gain));
  return net;
}

}  // namespace twinrl
