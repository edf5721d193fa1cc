#pragma once
// Calibrates a supply-chain twin from its facility's logs: customer demand by
// censored maximum likelihood (a stock-out period says only that demand was at
// least the sales), the model family and a weekly profile chosen by AIC or
// BIC; each link's lead time from its shipments. Every value comes with a 95%
// confidence interval, and what the logs do not determine is flagged, never
// silently set. The result is a patch of env.params (and env.randomize) by
// parameter name, which twin_commands.cc writes into the calibrated config.
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config_node.h"
#include "twins/calibrated_value.h"
#include "twins/demand_fit.h"
#include "twins/lead_time_fit.h"
#include "twins/supply_chain_logs.h"
#include "twins/twin_spec.h"

namespace twinrl {

class SupplyChainModel;

// The `twin.calibrate` section of a supply-chain twin.
struct SupplyChainCalibrationSpec {
  struct Demand {
    bool enabled = true;
    std::vector<std::string> families = {"poisson", "negative_binomial"};
    std::vector<int> profile_lengths = {0, 7};
    std::string criterion = "aic";
    double mean_min = 1e-3, mean_max = 1e6;
    double dispersion_min = 1e-2, dispersion_max = 1e4;
    template <class Visitor>
    void visit(Visitor& v) {
      v("enabled", enabled, {.doc = "calibrate demand.model, mean, dispersion and profile"});
      v("families", families,
        {.doc = "candidate demand distributions", .choices = {"poisson", "negative_binomial"}});
      v("profile_lengths", profile_lengths,
        {.doc = "candidate profiles: 0 none, 7 weekday factors (demand.profile)",
         .min = 0,
         .max = 366});
      v("criterion", criterion, {.doc = "how the candidate is chosen", .choices = {"aic", "bic"}});
      v("mean_min", mean_min, {.doc = "bound on demand.mean", .min = 0});
      v("mean_max", mean_max, {.doc = "bound on demand.mean", .min = 0});
      v("dispersion_min", dispersion_min, {.doc = "bound on demand.dispersion", .min = 1e-6});
      v("dispersion_max", dispersion_max, {.doc = "bound on demand.dispersion", .min = 1e-6});
    }
  } demand;
  struct LeadTime {
    bool enabled = true;
    std::vector<std::string> stages = {};
    template <class Visitor>
    void visit(Visitor& v) {
      v("enabled", enabled, {.doc = "calibrate stages.lead_time and stages.lead_time_max"});
      v("stages", stages, {.doc = "the stages whose lead times are fitted (empty: all)"});
    }
  } lead_time;
  double confidence = 0.95;
  std::vector<int> lead_time_stages;  // resolved from lead_time.stages

  template <class Visitor>
  void visit(Visitor& v) {
    v("demand", demand);
    v("lead_time", lead_time);
    v("confidence", confidence,
      {.doc = "level of the confidence intervals", .min = 0.5, .max = 0.999});
  }
};

struct SupplyChainCalibration {
  std::optional<DemandFit> demand;
  std::vector<std::pair<int, LeadTimeFit>> lead_times;  // (stage, fit)
  std::vector<CalibratedValue> values;
  YAML::Node params_patch;         // merged into env.params: calibrated fields only
  YAML::Node randomize;            // entries for env.randomize from randomize_from_fit
  std::vector<std::string> notes;  // what was not determined or not randomized, and why
};

// Reads the twin.calibrate node, checked against the twin: a ConfigError for
// a stage the twin lacks, backlogged demand, several demand streams, bounds
// the wrong way round, no candidates.
SupplyChainCalibrationSpec read_calibration_spec(const ConfigNode& calibrate,
                                                 const SupplyChainModel& guess);

// Fits what `settings` names to the logs.
SupplyChainCalibration calibrate_supply_chain(const SupplyChainModel& guess,
                                              const SupplyChainLogs& logs,
                                              const SupplyChainCalibrationSpec& settings,
                                              const TwinSpec& spec);

}  // namespace twinrl
