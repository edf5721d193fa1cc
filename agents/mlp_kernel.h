#pragma once
// The forward and backward pass of an MLP made by make_mlp, computed on raw
// float arrays with one BLAS call per matrix product. LibTorch's autograd
// spends about 7 us per operation at the sizes of PPO's minibatches (a 64-64
// network on 128 rows), which made its gradient step 20x its arithmetic; this
// kernel keeps the parameters and gradients in the module's own tensors, so
// optimizers, checkpoints and exports see nothing different.
#include <torch/nn/modules/container/sequential.h>

#include <string>
#include <vector>

namespace twinrl {

class MlpKernel {
 public:
  // `net`: Linear layers with `activation` ("tanh" or "relu") between them,
  // and after the last one where the Sequential ends with it.
  MlpKernel(const torch::nn::Sequential& net, const std::string& activation);

  int64_t inputs() const { return layers_.front().inputs; }
  int64_t outputs() const { return layers_.back().outputs; }

  // The outputs [rows, outputs()] for `input` [rows, inputs()], valid until
  // the next call. Keeps what backward() needs (`input` must stay alive).
  const float* forward(const float* input, int64_t rows);
  // Writes the gradient of the parameters for d loss / d outputs
  // `output_grad` [rows, outputs()] of the last forward pass into their
  // grad tensors (allocated here once), and d loss / d input into
  // `input_grad` [rows, inputs()] unless it is null. Overwrites `output_grad`.
  void backward(float* output_grad, float* input_grad = nullptr);

 private:
  struct Layer {
    torch::Tensor weight, bias;  // [outputs, inputs], [outputs]
    int64_t inputs = 0, outputs = 0;
    bool activated = false;  // the activation follows
  };

  // y += bias per row, then the activation where the layer has one.
  void add_bias_and_activate(const Layer& layer, float* y, int64_t rows) const;
  // The activation's derivative, from its outputs, times `grad` in place.
  void multiply_by_activation_derivative(const float* activated, float* grad, int64_t n) const;

  std::vector<Layer> layers_;
  bool tanh_;
  const float* input_ = nullptr;
  int64_t rows_ = 0;
  std::vector<std::vector<float>> layer_outputs_;  // grown on demand, never shrunk
  std::vector<float> grad_in_, grad_out_;
};

}  // namespace twinrl
