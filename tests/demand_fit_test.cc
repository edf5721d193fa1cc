#include "twins/demand_fit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/rng.h"
#include "core/samplers.h"

namespace twinrl {
namespace {

struct DemandTruth {
  DemandFamily family = DemandFamily::kNegativeBinomial;
  double mean = 20;
  double dispersion = 4;
  std::vector<double> profile;  // empty: flat
};

double period_mean(const DemandTruth& truth, int64_t period) {
  if (truth.profile.empty()) return truth.mean;
  return truth.mean * truth.profile[period % std::ssize(truth.profile)];
}

double period_variance(const DemandTruth& truth, int64_t period) {
  const double mean = period_mean(truth, period);
  return truth.family == DemandFamily::kPoisson ? mean : mean + mean * mean / truth.dispersion;
}

// A retailer with a base-stock policy: each evening it orders enough to raise its
// inventory position (on hand plus on order) to the forecast demand of the next
// two periods plus a quarter of its standard deviation; orders arrive two periods
// later and unmet demand is lost. About 30% of periods stock out. The log shows
// sales = min(demand, on hand), censored when demand emptied the shelf.
std::vector<DemandObservation> simulate_sales(const DemandTruth& truth, int periods,
                                              uint64_t seed) {
  constexpr int kLeadTime = 2;
  auto base_stock = [&](int64_t period) {
    double mean = 0, variance = 0;
    for (int64_t ahead = 1; ahead <= kLeadTime; ++ahead) {
      mean += period_mean(truth, period + ahead);
      variance += period_variance(truth, period + ahead);
    }
    return std::llround(mean + 0.25 * std::sqrt(variance));
  };
  Rng rng(seed);
  std::vector<int64_t> arriving(periods + kLeadTime, 0);
  int64_t on_hand = base_stock(-1);
  std::vector<DemandObservation> log;
  for (int64_t period = 0; period < periods; ++period) {
    on_hand += arriving[period];
    const double mean = period_mean(truth, period);
    const int64_t demand = truth.family == DemandFamily::kPoisson
                               ? poisson_variate(rng, mean)
                               : negative_binomial_variate(rng, mean, truth.dispersion);
    const int64_t sales = std::min(demand, on_hand);
    log.push_back({period, sales, demand >= on_hand});
    on_hand -= sales;
    int64_t on_order = 0;
    for (int64_t ahead = 1; ahead < kLeadTime; ++ahead) on_order += arriving[period + ahead];
    arriving[period + kLeadTime] += std::max<int64_t>(0, base_stock(period) - on_hand - on_order);
  }
  return log;
}

bool covers(const Estimate& estimate, double truth) {
  return estimate.low <= truth && truth <= estimate.high;
}

void expect_finite(const Estimate& estimate) {
  EXPECT_TRUE(std::isfinite(estimate.value));
  EXPECT_TRUE(std::isfinite(estimate.low));
  EXPECT_TRUE(std::isfinite(estimate.high));
}

TEST(DemandFit, CensoredNegativeBinomialRecoversTheMeanThatNaiveSalesUnderstate) {
  const DemandTruth truth;
  const auto log = simulate_sales(truth, 730, 11);
  const DemandFit fit = fit_demand(log);

  const double censored_share = static_cast<double>(fit.censored_periods) / 730;
  EXPECT_GT(censored_share, 0.25);
  EXPECT_LT(censored_share, 0.35);
  EXPECT_NEAR(fit.mean.value, truth.mean, 0.05 * truth.mean);
  EXPECT_LT(fit.naive_mean, 0.9 * truth.mean);
  EXPECT_EQ(fit.family, DemandFamily::kNegativeBinomial);
  EXPECT_EQ(fit.profile_length, 0);
  EXPECT_TRUE(fit.mean.identified);
  EXPECT_TRUE(fit.dispersion.identified);
  EXPECT_TRUE(covers(fit.mean, truth.mean));
  EXPECT_TRUE(covers(fit.dispersion, truth.dispersion));

  ASSERT_EQ(fit.candidates.size(), 4u);
  EXPECT_EQ(std::ranges::count_if(fit.candidates, [](const auto& c) { return c.chosen; }), 1);
  for (const DemandCandidate& candidate : fit.candidates) {
    EXPECT_NEAR(candidate.aic, 2 * candidate.num_parameters - 2 * candidate.log_likelihood, 1e-9);
    EXPECT_NEAR(candidate.bic,
                candidate.num_parameters * std::log(730.0) - 2 * candidate.log_likelihood, 1e-9);
  }
}

TEST(DemandFit, PoissonTruthChoosesPoisson) {
  const DemandTruth truth{DemandFamily::kPoisson, 12, 0, {}};
  const DemandFit fit = fit_demand(simulate_sales(truth, 730, 5));
  EXPECT_EQ(fit.family, DemandFamily::kPoisson);
  EXPECT_EQ(fit.profile_length, 0);
  EXPECT_NEAR(fit.mean.value, truth.mean, 0.05 * truth.mean);
  EXPECT_FALSE(fit.dispersion.identified);
  EXPECT_EQ(fit.dispersion.value, DemandFitOptions{}.dispersion_start);
}

TEST(DemandFit, WeeklyProfileIsChosenAndEachFactorCovered) {
  std::vector<double> factors = {0.6, 0.8, 1, 1, 1.2, 1.4, 1.0};
  const double average = std::reduce(factors.begin(), factors.end()) / 7;
  for (double& factor : factors) factor /= average;
  const DemandTruth truth{DemandFamily::kNegativeBinomial, 20, 8, factors};
  const DemandFit fit = fit_demand(simulate_sales(truth, 730, 3));

  EXPECT_EQ(fit.profile_length, 7);
  EXPECT_EQ(fit.family, DemandFamily::kNegativeBinomial);
  EXPECT_TRUE(covers(fit.mean, truth.mean));
  ASSERT_EQ(fit.profile.size(), 7u);
  double factor_sum = 0;
  for (int day = 0; day < 7; ++day) {
    EXPECT_TRUE(fit.profile[day].identified) << "day " << day;
    EXPECT_TRUE(covers(fit.profile[day], factors[day]))
        << "day " << day << ": " << factors[day] << " outside [" << fit.profile[day].low << ", "
        << fit.profile[day].high << "]";
    factor_sum += fit.profile[day].value;
  }
  EXPECT_NEAR(factor_sum, 7, 1e-9);
}

TEST(DemandFit, MeanIntervalCoversTheTruthAtAboutItsLevel) {
  const DemandTruth truth;
  DemandFitOptions options;
  options.families = {DemandFamily::kNegativeBinomial};
  options.profile_lengths = {0};
  int covered = 0;
  for (uint64_t seed = 100; seed < 140; ++seed) {
    const Estimate mean = fit_demand(simulate_sales(truth, 730, seed), options).mean;
    covered += covers(mean, truth.mean);
    // Not covering by being vague: 730 periods pin the mean to about +-5%.
    EXPECT_LT(mean.high - mean.low, 0.15 * truth.mean) << "seed " << seed;
  }
  EXPECT_GE(covered, 34);  // 85% of 40
}

TEST(DemandFit, IntervalWidthFollowsTheConfidenceLevel) {
  const auto log = simulate_sales(DemandTruth{}, 730, 11);
  DemandFitOptions options;
  const Estimate at_95 = fit_demand(log, options).mean;
  options.confidence = 0.99;
  const Estimate at_99 = fit_demand(log, options).mean;
  // Wald intervals on the log scale: half-widths scale with z (2.5758 / 1.9600).
  EXPECT_NEAR(std::log(at_99.high / at_99.value) / std::log(at_95.high / at_95.value),
              2.5758293 / 1.9599640, 1e-6);
  EXPECT_DOUBLE_EQ(at_99.value, at_95.value);
}

TEST(DemandFit, ClosedWeekdayPinsOnlyItsOwnFactor) {
  const DemandTruth truth{DemandFamily::kNegativeBinomial,
                          20 * 6.0 / 7,
                          6,
                          {7.0 / 6, 7.0 / 6, 7.0 / 6, 7.0 / 6, 7.0 / 6, 7.0 / 6, 0}};
  const DemandFit fit = fit_demand(simulate_sales(truth, 730, 4));
  ASSERT_EQ(fit.profile_length, 7);
  // The closed day's factor sits at its bound, so it is reported unidentified,
  // but the open days then carry the whole week and everything else is determined.
  EXPECT_FALSE(fit.profile[6].identified);
  EXPECT_TRUE(fit.mean.identified);
  EXPECT_TRUE(covers(fit.mean, truth.mean));
  double open_factor_sum = 0;
  for (int day = 0; day < 6; ++day) {
    EXPECT_TRUE(fit.profile[day].identified) << "day " << day;
    open_factor_sum += fit.profile[day].value;
  }
  EXPECT_NEAR(open_factor_sum, 7, 1e-3);
}

TEST(DemandFit, WeekdayThatAlwaysStocksOutLeavesTheWeeklyMeanUnidentified) {
  auto log = simulate_sales(DemandTruth{}, 730, 6);
  for (DemandObservation& observation : log)
    if (observation.period % 7 == 3) observation = {observation.period, 5, true};
  DemandFitOptions options;
  options.profile_lengths = {7};
  const DemandFit fit = fit_demand(log, options);
  // Wednesday's demand is only known to be >= 5, so neither it nor the weekly
  // average (nor the factors, which share that average) is determined.
  EXPECT_FALSE(fit.mean.identified);
  for (const Estimate& factor : fit.profile) {
    EXPECT_FALSE(factor.identified);
    expect_finite(factor);
  }
  expect_finite(fit.mean);
}

// Without censoring the Poisson MLE is the sample mean and the observed
// information of log m is the total of the sales: a closed form to check the
// numerical Hessian and the delta method against.
TEST(DemandFit, UncensoredPoissonMatchesTheClosedForm) {
  const std::vector<int64_t> sales = {3, 5, 4, 6, 2, 7, 4, 5, 3, 6};
  std::vector<DemandObservation> log;
  for (int64_t period = 0; period < std::ssize(sales); ++period)
    log.push_back({period, sales[period], false});
  DemandFitOptions options;
  options.families = {DemandFamily::kPoisson};
  options.profile_lengths = {0};
  const DemandFit fit = fit_demand(log, options);
  const double total = std::reduce(sales.begin(), sales.end(), 0.0);
  const double mean = total / std::ssize(sales);
  EXPECT_NEAR(fit.mean.value, mean, 1e-6 * mean);
  EXPECT_NEAR(std::log(fit.mean.high / fit.mean.value), 1.9599640 / std::sqrt(total), 1e-5);
  EXPECT_NEAR(std::log(fit.mean.value / fit.mean.low), 1.9599640 / std::sqrt(total), 1e-5);
}

// The censored log-likelihood reported for a candidate equals log P(D = s) and
// log(1 - P(D < s)) summed directly at the fitted mean.
TEST(DemandFit, CensoredLikelihoodMatchesADirectSum) {
  const auto log = simulate_sales(DemandTruth{DemandFamily::kPoisson, 12, 0, {}}, 200, 8);
  DemandFitOptions options;
  options.families = {DemandFamily::kPoisson};
  options.profile_lengths = {0};
  const DemandFit fit = fit_demand(log, options);
  const double mean = fit.mean.value;
  auto pmf = [&](int64_t k) { return std::exp(k * std::log(mean) - mean - std::lgamma(k + 1.0)); };
  double expected = 0;
  for (const DemandObservation& observation : log) {
    double below = 0;
    for (int64_t k = 0; k < observation.sales; ++k) below += pmf(k);
    expected += observation.censored ? std::log(1 - below) : std::log(pmf(observation.sales));
  }
  EXPECT_NEAR(fit.candidates[0].log_likelihood, expected, 1e-8 * std::abs(expected));
}

TEST(DemandFit, AllCensoredLeavesTheMeanUnidentifiedWithoutNaN) {
  std::vector<DemandObservation> log;
  for (int64_t period = 0; period < 50; ++period) log.push_back({period, 10, true});
  const DemandFit fit = fit_demand(log);
  EXPECT_FALSE(fit.mean.identified);
  EXPECT_EQ(fit.censored_periods, 50);
  expect_finite(fit.mean);
  expect_finite(fit.dispersion);
  for (const Estimate& factor : fit.profile) expect_finite(factor);
  for (const DemandCandidate& candidate : fit.candidates)
    EXPECT_TRUE(std::isfinite(candidate.log_likelihood));
}

TEST(DemandFit, AllZeroSalesPutTheMeanAtItsLowerBound) {
  std::vector<DemandObservation> log(30);
  for (int64_t period = 0; period < 30; ++period) log[period].period = period;
  const DemandFit fit = fit_demand(log);
  EXPECT_FALSE(fit.mean.identified);
  EXPECT_EQ(fit.mean.value, DemandFitOptions{}.mean_min);
  expect_finite(fit.mean);
  expect_finite(fit.dispersion);
}

TEST(DemandFit, ZeroSalesStockedOutCarryNoInformation) {
  std::vector<DemandObservation> log(20);
  for (int64_t period = 0; period < 20; ++period) log[period] = {period, 0, true};
  const DemandFit fit = fit_demand(log);
  EXPECT_FALSE(fit.mean.identified);
  for (const DemandCandidate& candidate : fit.candidates) EXPECT_EQ(candidate.log_likelihood, 0);
}

TEST(DemandFit, SinglePeriodFitsWithoutNaN) {
  const std::vector<DemandObservation> log = {{0, 7, false}};
  const DemandFit fit = fit_demand(log);
  EXPECT_EQ(fit.profile_length, 0);
  EXPECT_NEAR(fit.mean.value, 7, 1e-3);
  expect_finite(fit.mean);
  expect_finite(fit.dispersion);
}

TEST(DemandFit, RejectsEmptyInputAndNegativeSales) {
  EXPECT_THROW(fit_demand({}), std::invalid_argument);
  const std::vector<DemandObservation> log = {{0, 3, false}, {41, -2, false}};
  try {
    fit_demand(log);
    FAIL() << "negative sales accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("period 41"), std::string::npos) << error.what();
  }
}

TEST(DemandFit, RejectsInconsistentOptions) {
  const std::vector<DemandObservation> log = {{0, 3, false}};
  DemandFitOptions options;
  options.families.clear();
  EXPECT_THROW(fit_demand(log, options), std::invalid_argument);
  options = {};
  options.mean_min = 0;
  EXPECT_THROW(fit_demand(log, options), std::invalid_argument);
  options = {};
  options.confidence = 1;
  EXPECT_THROW(fit_demand(log, options), std::invalid_argument);
  options = {};
  options.profile_lengths = {-7};
  EXPECT_THROW(fit_demand(log, options), std::invalid_argument);
}

TEST(DemandFit, FamilyNames) {
  EXPECT_EQ(family_name(DemandFamily::kPoisson), "poisson");
  EXPECT_EQ(family_name(DemandFamily::kNegativeBinomial), "negative_binomial");
}

}  // namespace
}  // namespace twinrl
