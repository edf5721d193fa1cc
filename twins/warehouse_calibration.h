#pragma once
// Calibrates a warehouse twin from its facility's logs: order arrival rates
// per time slot of the day (Poisson maximum likelihood over the hours the
// shifts cover), the chance that a forward move fails, and the pick time's
// mean and spread. Every value comes with a confidence interval, and what the
// logs do not determine (a slot no shift covers, no picks) is flagged, never
// silently set. The result is a patch of env.params (and env.randomize) by
// parameter name, which the twin commands write into the calibrated config.
#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config_node.h"
#include "twins/calibrated_value.h"
#include "twins/twin_spec.h"
#include "twins/warehouse_logs.h"

namespace twinrl {

namespace warehouse {
class WarehouseModel;
}

// The `twin.calibrate` section of a warehouse twin.
struct WarehouseCalibrationSpec {
  bool arrival_rates = true;
  bool move_failure_probability = true;
  bool pick_time = true;
  double confidence = 0.95;

  template <class Visitor>
  void visit(Visitor& v) {
    v("arrival_rates", arrival_rates,
      {.doc = "calibrate order_arrival_rates: one rate per slot of arrival_slot_s, as many as the "
              "twin's order_arrival_rates (a day's worth if it has none)"});
    v("move_failure_probability", move_failure_probability,
      {.doc = "calibrate move_failure_probability from failed forward moves"});
    v("pick_time", pick_time, {.doc = "calibrate pick_time_s and pick_time_cv from the picks"});
    v("confidence", confidence,
      {.doc = "level of the confidence intervals", .min = 0.5, .max = 0.999});
  }
};

// What the logs show in one arrival slot of the day.
struct ArrivalSlot {
  double exposure_hours = 0;  // hours of shifts in this slot
  int64_t orders = 0;
};

struct WarehouseCalibration {
  double slot_s = 3600;
  std::vector<ArrivalSlot> slots;
  int64_t forward_moves = 0, failed_moves = 0;
  std::vector<double> pick_times_s;
  std::vector<CalibratedValue> values;
  YAML::Node params_patch;         // merged into env.params: calibrated fields only
  YAML::Node randomize;            // entries for env.randomize from randomize_from_fit
  std::vector<std::string> notes;  // what was not determined or not randomized, and why
};

// Fits what `settings` names to the logs.
WarehouseCalibration calibrate_warehouse(const warehouse::WarehouseModel& guess,
                                         const WarehouseLogs& logs,
                                         const WarehouseCalibrationSpec& settings,
                                         const TwinSpec& spec);

}  // namespace twinrl
