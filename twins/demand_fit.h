#pragma once
// Maximum-likelihood fit of a retailer's daily customer demand from its sales
// logs, the statistical core of supply-chain twin calibration. Sales understate
// demand whenever the shelf ran empty, so a stocked-out period is treated as a
// censored observation (demand >= sales) rather than as a measurement; fitting
// the plain sales would calibrate a twin that under-orders.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "twins/estimate.h"  // Estimate: value, confidence interval, identified

namespace twinrl {

// One period of one demand stream, as the logs show it.
struct DemandObservation {
  int64_t period = 0;     // absolute period number (weekday = period mod profile length)
  int64_t sales = 0;      // units sold
  bool censored = false;  // stocked out: demand >= sales (else demand == sales)
};

enum class DemandFamily { kPoisson, kNegativeBinomial };
std::string family_name(DemandFamily family);  // "poisson", "negative_binomial"

struct DemandFitOptions {
  std::vector<DemandFamily> families = {DemandFamily::kPoisson, DemandFamily::kNegativeBinomial};
  // Candidate seasonal profile lengths: 0 = no profile, 7 = weekly factors.
  std::vector<int> profile_lengths = {0, 7};
  double mean_min = 1e-3, mean_max = 1e6, mean_start = 0;  // start 0: from the data
  double dispersion_min = 1e-2, dispersion_max = 1e4, dispersion_start = 5;
  double confidence = 0.95;
  enum class Criterion { kAic, kBic } criterion = Criterion::kAic;
};

struct DemandCandidate {
  DemandFamily family;
  int profile_length = 0;
  double log_likelihood = 0;
  int num_parameters = 0;
  double aic = 0, bic = 0;
  bool chosen = false;
};

struct DemandFit {
  DemandFamily family;
  int profile_length = 0;  // 0: none
  // Unidentified estimates (see estimate.h) hold the start value and the bounds.
  Estimate mean;        // mean demand per period (average over the profile)
  Estimate dispersion;  // negative binomial r (variance = m + m^2/r); identified=false for Poisson
  // profile_length factors averaging 1: the demand mean at period t is
  // mean * profile[t mod L]. An unidentified factor has value 1 and bounds [0, L].
  std::vector<Estimate> profile;
  std::vector<DemandCandidate> candidates;  // every (family, profile) tried, in order
  double naive_mean = 0;  // plain mean of sales (biased low under censoring), for comparison
  int64_t periods = 0, censored_periods = 0;
};

// Fits every (family, profile length) candidate of `options` and returns the one
// with the lowest AIC (or BIC). Throws std::invalid_argument on empty input,
// negative sales (naming the period) or inconsistent options.
DemandFit fit_demand(std::span<const DemandObservation> observations,
                     const DemandFitOptions& options = {});

}  // namespace twinrl
