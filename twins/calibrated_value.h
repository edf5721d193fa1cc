#pragma once
// A calibrated parameter by name, as every twin's calibration reports it, and
// what a calibrated twin randomizes from the fit.
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/parameters.h"
#include "twins/estimate.h"
#include "twins/twin_spec.h"

namespace twinrl {

// One calibrated parameter by name, against the twin's guess (and the truth
// where the logs are synthetic and it is known).
struct CalibratedValue {
  std::string parameter;
  Estimate estimate;
  double guess = 0;
  std::optional<double> truth = std::nullopt;
};

// The env.randomize entries for `spec.randomize_from_fit`: each parameter
// drawn within its confidence interval (kept within the parameter's own
// bounds). A parameter the fit did not calibrate or could not determine is
// left out, with a note saying why.
YAML::Node randomize_from_fit(const std::vector<CalibratedValue>& values, const TwinSpec& spec,
                              const ParameterTable& parameters, std::vector<std::string>& notes);

}  // namespace twinrl
