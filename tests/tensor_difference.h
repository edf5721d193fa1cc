#pragma once
// How far a kernel's tensor is from LibTorch's, for the kernels' tests.
#include <torch/types.h>

namespace twinrl::test_support {

// Largest difference between two tensors, relative to the reference's scale.
inline double relative_difference(const torch::Tensor& a, const torch::Tensor& reference) {
  return (a - reference).abs().max().item<double>() / (1e-3 + reference.abs().max().item<double>());
}

}  // namespace twinrl::test_support
