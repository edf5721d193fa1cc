#include "agents/optimizer_step.h"

#include <c10/util/string_utils.h>

#include <cmath>
#include <stdexcept>

#include "agents/vector_clones.h"

namespace twinrl {
namespace {

// Sum of squares in double, in eight lanes added in a fixed order.
TWINRL_VECTOR_CLONES double sum_of_squares(const float* values, int64_t n) {
  double lanes[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) lanes[k] += static_cast<double>(values[i + k]) * values[i + k];
  for (; i < n; ++i) lanes[0] += static_cast<double>(values[i]) * values[i];
  double sum = 0;
  for (const double lane : lanes) sum += lane;
  return sum;
}

TWINRL_VECTOR_CLONES void scale(float* values, int64_t n, float factor) {
  for (int64_t i = 0; i < n; ++i) values[i] *= factor;
}

struct AdamCoefficients {
  float beta1, beta2, step_size, bias_correction2_sqrt, eps;
};

TWINRL_VECTOR_CLONES void adam_update(float* __restrict value, float* __restrict exp_avg,
                                      float* __restrict exp_avg_sq, const float* __restrict grad,
                                      int64_t n, AdamCoefficients c) {
  for (int64_t i = 0; i < n; ++i) {
    exp_avg[i] = exp_avg[i] * c.beta1 + grad[i] * (1 - c.beta1);
    exp_avg_sq[i] = exp_avg_sq[i] * c.beta2 + grad[i] * grad[i] * (1 - c.beta2);
    value[i] -=
        c.step_size * exp_avg[i] / (std::sqrt(exp_avg_sq[i]) / c.bias_correction2_sqrt + c.eps);
  }
}

}  // namespace

double clip_gradient_norm(torch::optim::Adam& optimizer, double max_norm) {
  double squares = 0;
  for (auto& group : optimizer.param_groups())
    for (auto& parameter : group.params()) {
      if (!parameter.grad().defined()) continue;
      squares += sum_of_squares(parameter.grad().data_ptr<float>(), parameter.numel());
    }
  const double norm = std::sqrt(squares);
  const double factor = max_norm / (norm + 1e-6);
  if (factor < 1)
    for (auto& group : optimizer.param_groups())
      for (auto& parameter : group.params())
        if (parameter.grad().defined())
          scale(parameter.mutable_grad().data_ptr<float>(), parameter.numel(),
                static_cast<float>(factor));
  return norm;
}

void adam_step(torch::optim::Adam& optimizer) {
  torch::NoGradGuard no_grad;
  for (auto& group : optimizer.param_groups()) {
    const auto& options = static_cast<const torch::optim::AdamOptions&>(group.options());
    if (options.weight_decay() != 0 || options.amsgrad())
      throw std::invalid_argument("adam_step supports neither weight decay nor AMSGrad");
    const auto [beta1, beta2] = options.betas();
    for (auto& parameter : group.params()) {
      if (!parameter.grad().defined()) continue;
      // The state as torch::optim::Adam keys and creates it.
      const std::string key = c10::guts::to_string(parameter.unsafeGetTensorImpl());
      auto& states = optimizer.state();
      if (states.find(key) == states.end()) {
        auto state = std::make_unique<torch::optim::AdamParamState>();
        state->step(0);
        state->exp_avg(torch::zeros_like(parameter, at::MemoryFormat::Preserve));
        state->exp_avg_sq(torch::zeros_like(parameter, at::MemoryFormat::Preserve));
        states[key] = std::move(state);
      }
      auto& state = static_cast<torch::optim::AdamParamState&>(*states[key]);
      state.step(state.step() + 1);
      const double bias_correction1 = 1 - std::pow(beta1, state.step());
      const double bias_correction2 = 1 - std::pow(beta2, state.step());
      adam_update(parameter.data_ptr<float>(), state.exp_avg().data_ptr<float>(),
                  state.exp_avg_sq().data_ptr<float>(), parameter.grad().data_ptr<float>(),
                  parameter.numel(),
                  {.beta1 = static_cast<float>(beta1),
                   .beta2 = static_cast<float>(beta2),
                   .step_size = static_cast<float>(options.lr() / bias_correction1),
                   .bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2)),
                   .eps = static_cast<float>(options.eps())});
    }
  }
}

}  // namespace twinrl
