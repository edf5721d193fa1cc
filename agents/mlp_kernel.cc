#include "agents/mlp_kernel.h"

#include <cblas.h>
#include <torch/nn/modules/linear.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "agents/scratch_buffer.h"
#include "agents/vector_clones.h"

namespace twinrl {
namespace {

// tanh(x) = expm1(2x) / (expm1(2x) + 2), with expm1 written so that the
// compiler vectorizes the loop (glibc's tanhf, one call per number, took half
// of PPO's training time). expm1(y) = 2^n (expm1(r) + 1) - 1 with y = n ln 2
// + r, |r| <= ln(2) / 2, and expm1(r) by its Taylor series to r^8 (relative
// error under 1e-8 on that range). |tanh| rounds to 1 in float beyond 9.
TWINRL_VECTOR_CLONES void tanh_in_place(float* values, int64_t n) {
  constexpr float kRoundingShift = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
  constexpr float kLog2E = 1.44269504f;
  constexpr float kLn2High = 0.693145752f, kLn2Low = 1.42860677e-6f;  // ln 2 = high + low
  for (int64_t i = 0; i < n; ++i) {
    // Clamped with comparisons the compiler turns into vector min and max.
    float x = values[i] < -9.0f ? -9.0f : values[i];
    x = x > 9.0f ? 9.0f : x;
    const float y = 2.0f * x;
    const float shifted = y * kLog2E + kRoundingShift;
    const float k = shifted - kRoundingShift;  // round(y / ln 2)
    const float r = (y - k * kLn2High) - k * kLn2Low;
    float p = 1.0f / 40320;
    p = p * r + 1.0f / 5040;
    p = p * r + 1.0f / 720;
    p = p * r + 1.0f / 120;
    p = p * r + 1.0f / 24;
    p = p * r + 1.0f / 6;
    p = p * r + 0.5f;
    p = p * r * r + r;  // expm1(r)
    // 2^k from the integer the shift left in the low bits of `shifted`.
    const int32_t exponent =
        std::bit_cast<int32_t>(shifted) - std::bit_cast<int32_t>(kRoundingShift);
    const float scale = std::bit_cast<float>((exponent + 127) << 23);
    const float expm1 = scale * p + (scale - 1.0f);
    values[i] = expm1 / (expm1 + 2.0f);
  }
}

}  // namespace

MlpKernel::MlpKernel(const torch::nn::Sequential& net, const std::string& activation)
    : tanh_(activation == "tanh") {
  if (activation != "tanh" && activation != "relu")
    throw std::invalid_argument("activation must be tanh or relu, not '" + activation + "'");
  for (const auto& child : net->children()) {
    const auto* linear = child->as<torch::nn::LinearImpl>();
    if (linear == nullptr) {
      if (layers_.empty()) throw std::invalid_argument("an MLP starts with a linear layer");
      layers_.back().activated = true;
      continue;
    }
    Layer layer{.weight = linear->weight,
                .bias = linear->bias,
                .inputs = linear->weight.size(1),
                .outputs = linear->weight.size(0)};
    for (torch::Tensor* parameter : {&layer.weight, &layer.bias})
      if (!parameter->grad().defined()) parameter->mutable_grad() = torch::zeros_like(*parameter);
    layers_.push_back(layer);
  }
  if (layers_.empty()) throw std::invalid_argument("an MLP needs at least one linear layer");
  layer_outputs_.resize(layers_.size());
}

const float* MlpKernel::forward(const float* input, int64_t rows) {
  input_ = input;
  rows_ = rows;
  const float* x = input;
  for (size_t l = 0; l < layers_.size(); ++l) {
    const Layer& layer = layers_[l];
    std::vector<float>& y = layer_outputs_[l];
    grow(y, rows * layer.outputs);
    // y = x W^T + b, row-major: x [rows, inputs], W [outputs, inputs].
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows),
                static_cast<int>(layer.outputs), static_cast<int>(layer.inputs), 1.0f, x,
                static_cast<int>(layer.inputs), layer.weight.data_ptr<float>(),
                static_cast<int>(layer.inputs), 0.0f, y.data(), static_cast<int>(layer.outputs));
    add_bias_and_activate(layer, y.data(), rows);
    x = y.data();
  }
  return x;
}

void MlpKernel::add_bias_and_activate(const Layer& layer, float* y, int64_t rows) const {
  const float* bias = layer.bias.data_ptr<float>();
  const int64_t outputs = layer.outputs;
  const bool relu = layer.activated && !tanh_;
  for (int64_t r = 0; r < rows; ++r) {
    float* row = y + r * outputs;
    if (relu)
      for (int64_t o = 0; o < outputs; ++o) row[o] = std::max(row[o] + bias[o], 0.0f);
    else
      for (int64_t o = 0; o < outputs; ++o) row[o] += bias[o];
  }
  if (layer.activated && tanh_) tanh_in_place(y, rows * outputs);
}

void MlpKernel::multiply_by_activation_derivative(const float* activated, float* grad,
                                                  int64_t n) const {
  if (tanh_)
    for (int64_t i = 0; i < n; ++i) grad[i] *= 1.0f - activated[i] * activated[i];
  else
    for (int64_t i = 0; i < n; ++i) grad[i] = activated[i] > 0.0f ? grad[i] : 0.0f;
}

void MlpKernel::backward(float* output_grad, float* input_grad) {
  const int rows = static_cast<int>(rows_);
  float* grad = output_grad;  // d loss / d (output of layer l)
  for (size_t l = layers_.size(); l-- > 0;) {
    const Layer& layer = layers_[l];
    const int inputs = static_cast<int>(layer.inputs), outputs = static_cast<int>(layer.outputs);
    // Through the activation: d loss / d (pre-activation).
    if (layer.activated)
      multiply_by_activation_derivative(layer_outputs_[l].data(), grad, rows_ * outputs);
    const float* x = l == 0 ? input_ : layer_outputs_[l - 1].data();
    // dW = grad^T x; db = the column sums of grad.
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, outputs, inputs, rows, 1.0f, grad, outputs,
                x, inputs, 0.0f, layer.weight.mutable_grad().data_ptr<float>(), inputs);
    float* bias_grad = layer.bias.mutable_grad().data_ptr<float>();
    std::fill(bias_grad, bias_grad + outputs, 0.0f);
    for (int r = 0; r < rows; ++r)
      for (int o = 0; o < outputs; ++o) bias_grad[o] += grad[r * outputs + o];
    if (l == 0 && input_grad == nullptr) break;
    // d loss / d x = grad W: the previous layer's output, or the input.
    float* next = input_grad;
    if (l > 0) {
      std::vector<float>& buffer = grad == grad_in_.data() ? grad_out_ : grad_in_;
      grow(buffer, rows_ * layer.inputs);
      next = buffer.data();
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, inputs, outputs, 1.0f, grad,
                outputs, layer.weight.data_ptr<float>(), inputs, 0.0f, next, inputs);
    grad = next;
  }
}

}  // namespace twinrl
