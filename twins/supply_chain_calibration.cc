#include "twins/supply_chain_calibration.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "config/closest_match.h"
#include "envs/supply_chain/supply_chain_env.h"

namespace twinrl {
namespace {

DemandFamily parse_family(const std::string& name) {
  return name == "poisson" ? DemandFamily::kPoisson : DemandFamily::kNegativeBinomial;
}

// The retail periods of the logs, a stock-out (no stock left at the end of
// the period) marking the sales as a lower bound on demand.
std::vector<DemandObservation> demand_observations(const SupplyChainLogs& logs) {
  std::map<std::tuple<int, int, int64_t>, int64_t> stock_at;
  for (const InventoryRow& row : logs.inventory)
    stock_at[{row.stage, row.sku, row.period}] = row.on_hand;
  std::vector<DemandObservation> observations;
  observations.reserve(logs.sales.size());
  for (const SalesRow& row : logs.sales)
    observations.push_back({.period = row.period,
                            .sales = row.sales,
                            .censored = stock_at.at({row.stage, row.sku, row.period}) == 0});
  return observations;
}

double guess_value(const SupplyChainModel& guess, const std::string& name, double otherwise) {
  const auto index = guess.parameters().find(name);
  return index ? guess.parameters().value(*index) : otherwise;
}

void fit_demand_into(const SupplyChainModel& guess, const SupplyChainLogs& logs,
                     const SupplyChainCalibrationSpec& spec, SupplyChainCalibration& result) {
  const SupplyChainParams& params = guess.params();
  DemandFitOptions options;
  options.families.clear();
  for (const std::string& family : spec.demand.families)
    options.families.push_back(parse_family(family));
  options.profile_lengths = spec.demand.profile_lengths;
  options.mean_min = spec.demand.mean_min;
  options.mean_max = spec.demand.mean_max;
  options.dispersion_min = spec.demand.dispersion_min;
  options.dispersion_max = spec.demand.dispersion_max;
  options.dispersion_start =
      std::clamp(params.demand.dispersion, spec.demand.dispersion_min, spec.demand.dispersion_max);
  options.confidence = spec.confidence;
  options.criterion = spec.demand.criterion == "bic" ? DemandFitOptions::Criterion::kBic
                                                     : DemandFitOptions::Criterion::kAic;
  const DemandFit fit = fit_demand(demand_observations(logs), options);

  YAML::Node demand;
  demand["model"] = family_name(fit.family);
  demand["mean"] = fit.mean.value;
  result.values.push_back({.parameter = "demand.mean",
                           .estimate = fit.mean,
                           .guess = guess_value(guess, "demand.mean", 0)});
  if (fit.family == DemandFamily::kNegativeBinomial) {
    demand["dispersion"] = fit.dispersion.value;
    result.values.push_back({.parameter = "demand.dispersion",
                             .estimate = fit.dispersion,
                             .guess = guess_value(guess, "demand.dispersion", 0)});
  }
  YAML::Node profile(YAML::NodeType::Sequence);
  profile.SetStyle(YAML::EmitterStyle::Flow);
  for (size_t k = 0; k < fit.profile.size(); ++k) {
    profile.push_back(fit.profile[k].value);
    const std::string name = "demand.profile[" + std::to_string(k) + "]";
    result.values.push_back(
        {.parameter = name, .estimate = fit.profile[k], .guess = guess_value(guess, name, 1)});
  }
  demand["profile"] = profile;
  result.params_patch["demand"] = demand;
  for (const Estimate* estimate : {&fit.mean, &fit.dispersion})
    if (!estimate->identified && (estimate == &fit.mean || fit.family != DemandFamily::kPoisson))
      result.notes.push_back(
          std::string(estimate == &fit.mean ? "demand.mean" : "demand.dispersion") +
          " is not determined by the logs: the twin keeps " + std::to_string(estimate->value));
  result.demand = fit;
}

void fit_lead_times_into(const SupplyChainModel& guess, const SupplyChainLogs& logs,
                         const SupplyChainCalibrationSpec& spec, SupplyChainCalibration& result) {
  const StageParams& stages = guess.params().stages;
  const int count = guess.num_stages();
  std::vector<int> shortest(stages.lead_time.begin(), stages.lead_time.end());
  std::vector<int> longest = stages.lead_time_max.empty() ? shortest : stages.lead_time_max;
  for (int stage : spec.lead_time_stages) {
    std::vector<int64_t> leads;
    for (const ShipmentRow& row : logs.shipments)
      if (row.stage == stage && row.quantity > 0) leads.push_back(row.received - row.shipped);
    const LeadTimeFit fit = fit_lead_time(leads, spec.confidence, shortest[stage], longest[stage]);
    const std::string suffix = "[" + std::to_string(stage) + "]";
    result.values.push_back({.parameter = "stages.lead_time" + suffix,
                             .estimate = fit.shortest,
                             .guess = static_cast<double>(shortest[stage])});
    result.values.push_back({.parameter = "stages.lead_time_max" + suffix,
                             .estimate = fit.longest,
                             .guess = static_cast<double>(longest[stage])});
    if (fit.shipments == 0)
      result.notes.push_back("no shipments to " + stages.names[stage] +
                             " in the logs: its lead time is not determined (the twin keeps " +
                             std::to_string(shortest[stage]) + " to " +
                             std::to_string(longest[stage]) + ")");
    else if (fit.uniform_p_value < 0.01)
      result.notes.push_back("lead times to " + stages.names[stage] +
                             " are not uniform over their range (chi-square p = " +
                             std::to_string(fit.uniform_p_value) +
                             "): the twin's uniform range is an approximation");
    shortest[stage] = static_cast<int>(fit.shortest.value);
    longest[stage] = static_cast<int>(fit.longest.value);
    result.lead_times.emplace_back(stage, fit);
  }
  YAML::Node lead_time(YAML::NodeType::Sequence), lead_time_max(YAML::NodeType::Sequence);
  lead_time.SetStyle(YAML::EmitterStyle::Flow);
  lead_time_max.SetStyle(YAML::EmitterStyle::Flow);
  for (int stage = 0; stage < count; ++stage) {
    lead_time.push_back(shortest[stage]);
    if (shortest != longest) lead_time_max.push_back(longest[stage]);
  }
  result.params_patch["stages"]["lead_time"] = lead_time;
  result.params_patch["stages"]["lead_time_max"] = lead_time_max;
}

}  // namespace

SupplyChainCalibrationSpec read_calibration_spec(const ConfigNode& calibrate,
                                                 const SupplyChainModel& guess) {
  SupplyChainCalibrationSpec spec;
  read_fields(calibrate, spec);
  const ConfigNode demand = calibrate.child("demand");
  if (spec.demand.enabled) {
    const ConfigNode& at = demand.defined() ? demand : calibrate;
    if (guess.params().backlog)
      at.fail(
          "demand is calibrated from lost sales; with backlog: true a stock-out delays demand "
          "instead of censoring it (set demand.enabled: false)");
    if (guess.demand_items().size() != 1)
      at.fail("demand calibration fits one demand stream (one retailer, one SKU); the twin has " +
              std::to_string(guess.demand_items().size()) + " (set demand.enabled: false)");
  }
  if (spec.demand.mean_min > spec.demand.mean_max)
    demand.child("mean_min").fail("mean_min is above mean_max");
  if (spec.demand.dispersion_min > spec.demand.dispersion_max)
    demand.child("dispersion_min").fail("dispersion_min is above dispersion_max");
  if (spec.demand.families.empty()) demand.child("families").fail("no candidate family");
  if (spec.demand.profile_lengths.empty())
    demand.child("profile_lengths").fail("no candidate profile");

  const std::vector<std::string>& names = guess.params().stages.names;
  const std::vector<std::string>& stages = spec.lead_time.stages;
  for (size_t i = 0; i < stages.size(); ++i) {
    const auto found = std::ranges::find(names, stages[i]);
    if (found == names.end()) {
      std::string message = "'" + stages[i] + "' is not a stage of the twin";
      if (const auto close = closest_match(stages[i], names))
        message += "; did you mean '" + *close + "'?";
      calibrate.child("lead_time").child("stages").element(i).fail(message);
    }
    spec.lead_time_stages.push_back(static_cast<int>(found - names.begin()));
  }
  if (stages.empty())
    for (int stage = 0; stage < guess.num_stages(); ++stage) spec.lead_time_stages.push_back(stage);
  return spec;
}

SupplyChainCalibration calibrate_supply_chain(const SupplyChainModel& guess,
                                              const SupplyChainLogs& logs,
                                              const SupplyChainCalibrationSpec& settings,
                                              const TwinSpec& spec) {
  SupplyChainCalibration result;
  result.params_patch = YAML::Node(YAML::NodeType::Map);
  if (settings.demand.enabled) fit_demand_into(guess, logs, settings, result);
  if (settings.lead_time.enabled) fit_lead_times_into(guess, logs, settings, result);

  result.randomize =
      randomize_from_fit(result.values, spec, guess.parameters(), false, result.notes);
  return result;
}

}  // namespace twinrl
