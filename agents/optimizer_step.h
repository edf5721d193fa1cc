#pragma once
// The optimizer step of a small network in one pass per parameter tensor:
// global gradient-norm clipping and Adam, with LibTorch's arithmetic and on
// its Adam's own state (so checkpoints keep their format), without the ten
// tensor operations per parameter that torch::optim::Adam::step dispatches.
#include <torch/optim/adam.h>

namespace twinrl {

// Scales every gradient of `optimizer`'s parameters so that their global L2
// norm is at most `max_norm` (torch::nn::utils::clip_grad_norm_); returns the
// norm before scaling.
double clip_gradient_norm(torch::optim::Adam& optimizer, double max_norm);

// One Adam step (torch::optim::Adam::step without weight decay or AMSGrad,
// which throw std::invalid_argument).
void adam_step(torch::optim::Adam& optimizer);

}  // namespace twinrl
