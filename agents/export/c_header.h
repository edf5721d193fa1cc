#pragma once
// The policy as one dependency-free C99 header for microcontrollers: weights
// as static const arrays, no allocation, no library beyond <math.h>.
#include <string>

#include "agents/export/exported_policy.h"

namespace twinrl {

struct CHeaderOptions {
  // Symmetric per-output-channel int8 weights with float scales (activations
  // stay float): a quarter of the weight memory.
  bool int8 = false;
  std::string prefix = "policy";  // of every name in the header
  std::string banner;             // a comment at the top: source run, version
};

// The header text. It defines
//   void <prefix>_act(const float* observation, float* action);
// and for discrete actions also
//   void <prefix>_act_masked(const float* observation, const unsigned char* mask, float* action);
// with discrete choices written as whole numbers in `action`.
std::string c_header(const ExportedPolicy& policy, const CHeaderOptions& options);

// The largest |w - scale * q| of the int8 weights: at most half a scale step.
float int8_weight_error(const ExportedPolicy& policy);

}  // namespace twinrl
