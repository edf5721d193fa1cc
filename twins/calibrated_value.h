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
// bounds). A parameter the logs could not determine is drawn over the range
// they leave it in (its estimate's low and high: the bounds its fit searched,
// which a user chose) when `undetermined_over_bounds`, else left out; either
// way with a note. A parameter the fit did not calibrate is left out, with a note.
YAML::Node randomize_from_fit(const std::vector<CalibratedValue>& values, const TwinSpec& spec,
                              const ParameterTable& parameters, bool undetermined_over_bounds,
                              std::vector<std::string>& notes);

}  // namespace twinrl
