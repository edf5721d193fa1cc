#include "twins/warehouse_calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "envs/warehouse/warehouse_env.h"

namespace twinrl {
namespace {

// "06:00-07:00" for the slot of the day starting `start_s` seconds after midnight.
std::string time_of_day_range(double start_s, double length_s) {
  const auto clock = [](double s) {
    const auto minutes = static_cast<int>(std::lround(s / 60)) % (24 * 60);
    char text[8];
    std::snprintf(text, sizeof text, "%02d:%02d", minutes / 60, minutes % 60);
    return std::string(text);
  };
  return clock(start_s) + "-" + clock(start_s + length_s);
}

// Rate n / T with the score interval for a Poisson count: the rates lambda
// with (n - lambda T)^2 <= z^2 lambda T, sensible for small counts too.
Estimate poisson_rate(int64_t count, double exposure, double z) {
  const auto n = static_cast<double>(count);
  const double centre = n + z * z / 2, half = z * std::sqrt(n + z * z / 4);
  return {.value = n / exposure,
          .low = std::max(0.0, (centre - half) / exposure),
          .high = (centre + half) / exposure};
}

// Proportion k / n with the Wilson score interval.
Estimate proportion(int64_t successes, int64_t trials, double z) {
  const auto n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {.value = p, .low = std::max(0.0, centre - half), .high = std::min(1.0, centre + half)};
}

// Mean and coefficient of variation of a sample with Wald intervals; the
// coefficient's variance by the delta method from the sample's central
// moments, so no distribution is assumed.
struct MeanAndSpread {
  Estimate mean, cv;
};
MeanAndSpread mean_and_spread(const std::vector<double>& sample, double z) {
  const auto n = static_cast<double>(sample.size());
  const double mean = std::accumulate(sample.begin(), sample.end(), 0.0) / n;
  double m2 = 0, m3 = 0, m4 = 0;
  for (double x : sample) {
    const double d = x - mean;
    m2 += d * d / n;
    m3 += d * d * d / n;
    m4 += d * d * d * d / n;
  }
  MeanAndSpread result;
  const double mean_half = z * std::sqrt(m2 / n);
  result.mean = {mean, std::max(0.0, mean - mean_half), mean + mean_half};
  if (mean <= 0) {
    result.cv.identified = false;
    return result;
  }
  const double sd = std::sqrt(m2), cv = sd / mean;
  double cv_variance = 0;
  if (sd > 0) {
    const double d_mean = -sd / (mean * mean), d_variance = 1 / (2 * mean * sd);
    cv_variance = (d_mean * d_mean * m2 + d_variance * d_variance * (m4 - m2 * m2) +
                   2 * d_mean * d_variance * m3) /
                  n;
  }
  const double cv_half = z * std::sqrt(std::max(0.0, cv_variance));
  result.cv = {cv, std::max(0.0, cv - cv_half), cv + cv_half};
  return result;
}

// A value the logs do not determine: the guess, flagged.
Estimate undetermined(double guess) {
  return {.value = guess, .low = guess, .high = guess, .identified = false};
}

}  // namespace

WarehouseCalibration calibrate_warehouse(const warehouse::WarehouseModel& guess,
                                         const WarehouseLogs& logs,
                                         const WarehouseCalibrationSpec& settings,
                                         const TwinSpec& spec) {
  const warehouse::WarehouseParams& params = guess.params();
  const double z = two_sided_normal_quantile(settings.confidence);
  WarehouseCalibration calibration;
  calibration.params_patch = YAML::Node(YAML::NodeType::Map);

  if (settings.arrival_rates) {
    const double slot_s = calibration.slot_s = params.arrival_slot_s;
    const size_t count = params.order_arrival_rates.empty()
                             ? static_cast<size_t>(std::max(1.0, std::round(86400 / slot_s)))
                             : params.order_arrival_rates.size();
    calibration.slots.resize(count);
    const auto slot_of = [&](double time_s) {
      return static_cast<size_t>(std::floor(time_s / slot_s)) % count;
    };
    const std::vector<double> hours = shift_hours_per_slot(logs.shifts, slot_s, count);
    for (size_t k = 0; k < count; ++k) calibration.slots[k].exposure_hours = hours[k];
    for (const OrderArrival& order : logs.orders) ++calibration.slots[slot_of(order.time_s)].orders;
    YAML::Node rates(YAML::NodeType::Sequence);
    rates.SetStyle(YAML::EmitterStyle::Flow);
    for (size_t k = 0; k < count; ++k) {
      const ArrivalSlot& slot = calibration.slots[k];
      const double guessed =
          params.order_arrival_rates.empty() ? 0.0 : params.order_arrival_rates[k];
      // The env multiplies every rate by order_rate_scale: calibrate what it multiplies.
      const double scale = params.order_rate_scale > 0 ? params.order_rate_scale : 1.0;
      Estimate rate;
      if (slot.exposure_hours > 0) {
        rate = poisson_rate(slot.orders, slot.exposure_hours, z);
        rate.value /= scale;
        rate.low /= scale;
        rate.high /= scale;
      } else {
        rate = undetermined(guessed);
        calibration.notes.push_back(
            "order_arrival_rates[" + std::to_string(k) + "] is not determined: no shift covers " +
            time_of_day_range(static_cast<double>(k) * slot_s, slot_s) + "; the guess is kept");
      }
      calibration.values.push_back({.parameter = "order_arrival_rates[" + std::to_string(k) + "]",
                                    .estimate = rate,
                                    .guess = guessed});
      rates.push_back(rate.value);
    }
    calibration.params_patch["order_arrival_rates"] = rates;
  }

  if (settings.move_failure_probability) {
    for (const RobotEvent& event : logs.robot_events) {
      if (event.kind == RobotEventKind::kPickStart || event.kind == RobotEventKind::kPickEnd)
        continue;
      ++calibration.forward_moves;
      if (event.kind == RobotEventKind::kFailedMove) ++calibration.failed_moves;
    }
    Estimate failure = undetermined(params.move_failure_probability);
    if (calibration.forward_moves > 0)
      failure = proportion(calibration.failed_moves, calibration.forward_moves, z);
    else
      calibration.notes.push_back(
          "move_failure_probability is not determined: the logs have no forward moves");
    calibration.values.push_back({.parameter = "move_failure_probability",
                                  .estimate = failure,
                                  .guess = params.move_failure_probability});
    if (failure.identified) calibration.params_patch["move_failure_probability"] = failure.value;
  }

  if (settings.pick_time) {
    calibration.pick_times_s = pick_durations(logs);
    MeanAndSpread pick{undetermined(params.pick_time_s), undetermined(params.pick_time_cv)};
    if (!calibration.pick_times_s.empty())
      pick = mean_and_spread(calibration.pick_times_s, z);
    else
      calibration.notes.push_back(
          "pick_time_s and pick_time_cv are not determined: no pick ends in the logs");
    if (!pick.cv.identified) {
      pick.cv = undetermined(params.pick_time_cv);
      if (!calibration.pick_times_s.empty())
        calibration.notes.push_back("pick_time_cv is not determined: every pick took no time");
    }
    calibration.values.push_back(
        {.parameter = "pick_time_s", .estimate = pick.mean, .guess = params.pick_time_s});
    calibration.values.push_back(
        {.parameter = "pick_time_cv", .estimate = pick.cv, .guess = params.pick_time_cv});
    if (pick.mean.identified) calibration.params_patch["pick_time_s"] = pick.mean.value;
    if (pick.cv.identified) calibration.params_patch["pick_time_cv"] = pick.cv.value;
  }

  calibration.randomize =
      randomize_from_fit(calibration.values, spec, guess.parameters(), false, calibration.notes);
  return calibration;
}

}  // namespace twinrl
