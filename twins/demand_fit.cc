#include "twins/demand_fit.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <tuple>

#include <nlopt.hpp>

namespace twinrl {
namespace {

// A tail sum stops once its terms no longer change it in double precision. The
// cap bounds the cost where terms decay slowly: a negative binomial tail needs
// about 40 m / r terms, so tails are exact while m / r < 25000.
constexpr double kNegligibleTerm = 1e-17;
constexpr int kMaxTailTerms = 1000000;
// Profile log-factors stay within log(1e6) of the reference phase's, so a phase
// that never sells (a closed day) drives its factor to a bound, not to -infinity.
constexpr double kMaxLogFactorRatio = 13.815510557964274;
// Central-difference step for the observed information, on the log scales: large
// enough that rounding in the likelihood is negligible, small enough for curvature.
constexpr double kHessianStep = 1e-3;
// A log-scale parameter this close to a bound is at the bound.
constexpr double kAtBound = 1e-4;
// A parameter with less curvature than this (log-likelihood per squared log unit,
// a standard error above 30 log units) is flat: the data do not determine it.
constexpr double kMinCurvature = 1e-3;
// Parameters whose information is this collinear (1 - R^2 below it: a variance
// inflated a thousand-fold) are not separately determined. Simulated retail data
// stay above 0.4; an optimizer stopped on a flat ridge (a phase that only ever
// stocked out) falls below 1e-5.
constexpr double kCollinearPivot = 1e-3;
// A quantity whose log moves by more than this per log unit of a pinned parameter
// depends on where the bound or the flat start put it.
constexpr double kNegligibleSensitivity = 1e-3;

using Matrix = std::vector<std::vector<double>>;

// log Gamma(x) for x > 0: recurrence up to x >= 12, then Stirling's series (error
// below 1e-12). Written here because glibc's std::lgamma writes the global signgam,
// a data race when several twins calibrate on parallel threads.
double log_gamma(double x) {
  double shift_product = 1;
  for (; x < 12; x += 1) shift_product *= x;
  const double inverse = 1 / x, inverse2 = inverse * inverse;
  const double series =
      inverse * (1.0 / 12 - inverse2 * (1.0 / 360 - inverse2 * (1.0 / 1260 - inverse2 / 1680)));
  return (x - 0.5) * std::log(x) - x + 0.5 * std::log(2 * std::numbers::pi) + series -
         std::log(shift_product);
}

// The observations of one phase (period mod profile length) with equal sales and
// censoring, merged with a count: a likelihood evaluation then costs the number of
// distinct cells, not of periods.
struct Cell {
  int64_t sales = 0;
  bool censored = false;
  double count = 0;
};

// The demand distribution of one period: Poisson, or negative binomial (a
// gamma-Poisson mixture with variance m + m^2/r).
class CountDistribution {
 public:
  CountDistribution(DemandFamily family, double mean, double dispersion)
      : poisson_(family == DemandFamily::kPoisson), mean_(mean), dispersion_(dispersion) {
    if (poisson_) {
      log_mean_ = std::log(mean);
      return;
    }
    failure_ = mean / (dispersion + mean);
    log_success_ = std::log(dispersion) - std::log(dispersion + mean);  // log(r / (r + m))
    log_failure_ = std::log(mean) - std::log(dispersion + mean);
    log_gamma_dispersion_ = log_gamma(dispersion);
  }

  double log_pmf(int64_t units) const {
    const auto k = static_cast<double>(units);
    if (poisson_) return k * log_mean_ - mean_ - log_gamma(k + 1);
    return log_gamma(k + dispersion_) - log_gamma_dispersion_ - log_gamma(k + 1) +
           dispersion_ * log_success_ + k * log_failure_;
  }

  // Sum of count * log P(D = s) over the uncensored cells and count * log P(D >= s)
  // over the censored ones (sorted by sales, none at s = 0). Each tail is summed
  // from the side whose probability is small, which avoids the cancellation of
  // log(1 - cdf), and neighbouring tails share one walk, so all the tails cost
  // about one tail sum plus the span of the sales rather than one sum each:
  //  - upward while P(D < s) < 1/2, through R_k = P(D <= k) / pmf(k), which obeys
  //    R_{k+1} = 1 + R_k / ratio(k), then P(D >= s) = 1 - pmf(s - 1) R_{s-1};
  //  - downward for the rest, through S_k = P(D >= k) / pmf(k), which obeys
  //    S_{k-1} = 1 + ratio(k - 1) S_k.
  double log_likelihood(std::span<const Cell> cells) const {
    double total = 0;
    std::vector<const Cell*> censored;
    for (const Cell& cell : cells) {
      if (cell.censored)
        censored.push_back(&cell);
      else
        total += cell.count * log_pmf(cell.sales);
    }
    if (censored.empty()) return total;
    size_t upper_start = 0;
    int64_t k = censored.front()->sales - 1;
    double relative_below = relative_sum_down(k);
    for (; upper_start < censored.size(); ++upper_start) {
      const int64_t sales = censored[upper_start]->sales;
      for (; k < sales - 1; ++k) relative_below = 1 + relative_below / ratio(k);
      const double below = std::exp(log_pmf(sales - 1) + std::log(relative_below));
      if (!(below < 0.5)) break;
      total += censored[upper_start]->count * std::log1p(-below);
    }
    if (upper_start == censored.size()) return total;
    k = censored.back()->sales;
    double relative_above = relative_sum_up(k);
    for (size_t i = censored.size(); i-- > upper_start;) {
      const int64_t sales = censored[i]->sales;
      for (; k > sales; --k) relative_above = 1 + ratio(k - 1) * relative_above;
      total += censored[i]->count * (log_pmf(sales) + std::log(relative_above));
    }
    return total;
  }

 private:
  // pmf(k + 1) / pmf(k): the recurrence that walks the tails.
  double ratio(int64_t k) const {
    const auto units = static_cast<double>(k);
    if (poisson_) return mean_ / (units + 1);
    return (units + dispersion_) / (units + 1) * failure_;
  }

  // Sum over k >= from of pmf(k) / pmf(from), relative so that nothing underflows.
  double relative_sum_up(int64_t from) const {
    double term = 1, sum = 1;
    for (int64_t k = from; term > kNegligibleTerm * sum && k - from < kMaxTailTerms; ++k) {
      term *= ratio(k);
      sum += term;
    }
    return sum;
  }

  // Sum over 0 <= k <= from of pmf(k) / pmf(from). A sum cut short by the cap
  // would understate P(D < s) and so overstate the tail: it returns infinity
  // instead, which sends the caller to the upper tail, whose truncation can only
  // understate the tail (never lure the fit towards a truncated region).
  double relative_sum_down(int64_t from) const {
    double term = 1, sum = 1;
    for (int64_t k = from; k > 0 && term > kNegligibleTerm * sum; --k) {
      if (from - k == kMaxTailTerms) return std::numeric_limits<double>::infinity();
      term /= ratio(k - 1);
      sum += term;
    }
    return sum;
  }

  bool poisson_;
  double mean_, dispersion_;
  double failure_ = 0;  // m / (r + m)
  double log_mean_ = 0, log_success_ = 0, log_failure_ = 0, log_gamma_dispersion_ = 0;
};

// Cells by phase (a single phase without a profile), each phase sorted by sales.
using PhaseCells = std::vector<std::vector<Cell>>;

PhaseCells aggregate(std::span<const DemandObservation> observations, int profile_length) {
  std::map<std::tuple<int, int64_t, bool>, int64_t> counts;
  for (const DemandObservation& observation : observations) {
    if (observation.censored && observation.sales == 0) continue;  // P(D >= 0) = 1: no information
    const int phase =
        profile_length == 0
            ? 0
            : static_cast<int>((observation.period % profile_length + profile_length) %
                               profile_length);
    ++counts[{phase, observation.sales, observation.censored}];
  }
  PhaseCells cells(std::max(profile_length, 1));
  for (const auto& [key, count] : counts) {
    const auto& [phase, sales, censored] = key;
    cells[phase].push_back({sales, censored, static_cast<double>(count)});
  }
  return cells;
}

// A candidate model and the layout of its unconstrained parameter vector theta:
// [log mean, log r (negative binomial only), log-factor of each phase but the
// reference]. The reference's log-factor is fixed at 0 for identifiability; the
// factors are a softmax scaled by the profile length, so they average 1.
struct CandidateModel {
  DemandFamily family;
  int profile_length = 0;
  int reference_phase = 0;

  bool has_dispersion() const { return family == DemandFamily::kNegativeBinomial; }
  int profile_offset() const { return has_dispersion() ? 2 : 1; }
  int num_parameters() const { return profile_offset() + std::max(profile_length - 1, 0); }
  int parameter_of_phase(int phase) const {
    return profile_offset() + (phase < reference_phase ? phase : phase - 1);
  }

  // log(factor / profile_length) of every phase (a single 0 without a profile).
  std::vector<double> log_weights(const std::vector<double>& theta) const {
    if (profile_length == 0) return {0.0};
    std::vector<double> logits(profile_length, 0.0);
    for (int phase = 0; phase < profile_length; ++phase)
      if (phase != reference_phase) logits[phase] = theta[parameter_of_phase(phase)];
    const double largest = *std::ranges::max_element(logits);
    double normalizer = 0;
    for (double logit : logits) normalizer += std::exp(logit - largest);
    for (double& logit : logits) logit -= largest + std::log(normalizer);
    return logits;
  }

  std::vector<double> log_factors(const std::vector<double>& theta) const {
    std::vector<double> logs = log_weights(theta);
    if (profile_length > 0)
      for (double& value : logs) value += std::log(profile_length);
    return logs;
  }

  double log_likelihood(const PhaseCells& cells, const std::vector<double>& theta) const {
    const double mean = std::exp(theta[0]);
    const double dispersion = has_dispersion() ? std::exp(theta[1]) : 0;
    const std::vector<double> factors = log_factors(theta);
    double total = 0;
    for (size_t phase = 0; phase < cells.size(); ++phase) {
      const CountDistribution demand(family, mean * std::exp(factors[phase]), dispersion);
      total += demand.log_likelihood(cells[phase]);
    }
    return total;
  }
};

// The phase with the most units sold uncensored anchors the profile: its factor is
// the best determined, so the others are estimated relative to solid ground.
int reference_phase(const PhaseCells& cells) {
  std::vector<double> units_sold;
  for (const std::vector<Cell>& phase : cells) {
    units_sold.push_back(0);
    for (const Cell& cell : phase)
      if (!cell.censored) units_sold.back() += cell.count * static_cast<double>(cell.sales);
  }
  return static_cast<int>(std::ranges::max_element(units_sold) - units_sold.begin());
}

struct Box {
  std::vector<double> lower, upper;
};

Box parameter_box(const CandidateModel& model, const DemandFitOptions& options) {
  Box box{std::vector<double>(model.num_parameters(), -kMaxLogFactorRatio),
          std::vector<double>(model.num_parameters(), kMaxLogFactorRatio)};
  box.lower[0] = std::log(options.mean_min);
  box.upper[0] = std::log(options.mean_max);
  if (model.has_dispersion()) {
    box.lower[1] = std::log(options.dispersion_min);
    box.upper[1] = std::log(options.dispersion_max);
  }
  return box;
}

// The maximum-likelihood theta by BOBYQA (derivative-free, bound-constrained).
std::vector<double> maximize_likelihood(const CandidateModel& model, const PhaseCells& cells,
                                        std::vector<double> theta, const Box& box) {
  struct Objective {
    const CandidateModel& model;
    const PhaseCells& cells;
  } objective{model, cells};
  nlopt::opt search(nlopt::LN_BOBYQA, static_cast<unsigned>(theta.size()));
  search.set_lower_bounds(box.lower);
  search.set_upper_bounds(box.upper);
  search.set_max_objective(
      [](const std::vector<double>& x, std::vector<double>&, void* data) {
        const auto& self = *static_cast<const Objective*>(data);
        return self.model.log_likelihood(self.cells, x);
      },
      &objective);
  search.set_initial_step(0.5);
  search.set_xtol_abs(1e-8);
  search.set_ftol_abs(1e-10);
  search.set_maxeval(20000);
  double value = 0;
  try {
    search.optimize(theta, value);
  } catch (const std::runtime_error&) {
    // Round-off and similar stops leave the best point found in theta.
  }
  return theta;
}

// Minus the Hessian of `log_likelihood` at theta, by central differences.
Matrix observed_information(const std::function<double(const std::vector<double>&)>& log_likelihood,
                            const std::vector<double>& theta) {
  const double h = kHessianStep;
  auto shifted = [&](int i, double step_i, int j, double step_j) {
    std::vector<double> point = theta;
    point[i] += step_i;
    point[j] += step_j;
    return log_likelihood(point);
  };
  const double center = log_likelihood(theta);
  const int n = static_cast<int>(theta.size());
  Matrix information(n, std::vector<double>(n, 0.0));
  for (int i = 0; i < n; ++i) {
    information[i][i] = -(shifted(i, h, i, 0) - 2 * center + shifted(i, -h, i, 0)) / (h * h);
    for (int j = 0; j < i; ++j) {
      information[i][j] = information[j][i] = -(shifted(i, h, j, h) - shifted(i, h, j, -h) -
                                                shifted(i, -h, j, h) + shifted(i, -h, j, -h)) /
                                              (4 * h * h);
    }
  }
  return information;
}

// Lower Cholesky factor of a matrix with unit diagonal, or nothing when a pivot
// (1 - R^2 of a parameter regressed on the previous ones) shows that a parameter is
// all but a combination of the others.
std::optional<Matrix> cholesky(const Matrix& matrix) {
  const int n = static_cast<int>(matrix.size());
  Matrix factor(n, std::vector<double>(n, 0.0));
  for (int j = 0; j < n; ++j) {
    for (int i = j; i < n; ++i) {
      double sum = matrix[i][j];
      for (int k = 0; k < j; ++k) sum -= factor[i][k] * factor[j][k];
      if (i > j) {
        factor[i][j] = sum / factor[j][j];
      } else if (sum > kCollinearPivot) {
        factor[j][j] = std::sqrt(sum);
      } else {
        return std::nullopt;
      }
    }
  }
  return factor;
}

// x with (L L') x = b, for the lower Cholesky factor L.
std::vector<double> cholesky_solve(const Matrix& lower, std::vector<double> b) {
  const int n = static_cast<int>(b.size());
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < i; ++k) b[i] -= lower[i][k] * b[k];
    b[i] /= lower[i][i];
  }
  for (int i = n - 1; i >= 0; --i) {
    for (int k = i + 1; k < n; ++k) b[i] -= lower[k][i] * b[k];
    b[i] /= lower[i][i];
  }
  return b;
}

// Wald intervals at the MLE. The parameters split into free ones (interior, with
// curvature) and pinned ones (at a bound, or flat). A quantity q with log-gradient g
// has Var(log q) = g_F' I_FF^-1 g_F over the free ones, and is identified only if
// its conditional MLE does not move with the pinned ones: the sensitivity
// g_P - I_PF I_FF^-1 g_F must vanish (a phase that only ever stocked out pins its
// factor at a bound, and with it the mean averaged over the profile).
class WaldIntervals {
 public:
  WaldIntervals(const CandidateModel& model, const PhaseCells& cells,
                const std::vector<double>& theta, const Box& box, double z)
      : z_(z),
        information_(observed_information(
            [&](const std::vector<double>& x) { return model.log_likelihood(cells, x); }, theta)) {
    // Without a single uncensored period every mean is unbounded above.
    if (std::ranges::all_of(cells, [](const std::vector<Cell>& phase) {
          return std::ranges::all_of(phase, &Cell::censored);
        }))
      return;
    for (int i = 0; i < std::ssize(theta); ++i) {
      const bool interior =
          theta[i] - box.lower[i] > kAtBound && box.upper[i] - theta[i] > kAtBound;
      (interior && information_[i][i] > kMinCurvature ? free_ : pinned_).push_back(i);
    }
    // Scaled to unit diagonal, so that the pivots measure collinearity, not units.
    Matrix normalized;
    for (int i : free_) {
      scale_.push_back(1 / std::sqrt(information_[i][i]));
      normalized.emplace_back();
      for (int j : free_)
        normalized.back().push_back(information_[i][j] /
                                    std::sqrt(information_[i][i] * information_[j][j]));
    }
    factor_ = cholesky(normalized);
  }

  Estimate estimate(double log_value, const std::vector<double>& log_gradient,
                    const Estimate& unidentified) const {
    if (!factor_) return unidentified;
    // solved = I_FF^-1 g_F = D (D I_FF D)^-1 D g_F with D = diag(scale_).
    std::vector<double> free_gradient, scaled_gradient;
    for (size_t f = 0; f < free_.size(); ++f) {
      free_gradient.push_back(log_gradient[free_[f]]);
      scaled_gradient.push_back(free_gradient[f] * scale_[f]);
    }
    std::vector<double> solved = cholesky_solve(*factor_, scaled_gradient);
    for (size_t f = 0; f < free_.size(); ++f) solved[f] *= scale_[f];
    for (int p : pinned_) {
      double sensitivity = log_gradient[p];
      for (size_t f = 0; f < free_.size(); ++f)
        sensitivity -= information_[p][free_[f]] * solved[f];
      if (std::abs(sensitivity) > kNegligibleSensitivity) return unidentified;
    }
    double variance = 0;
    for (size_t f = 0; f < free_.size(); ++f) variance += free_gradient[f] * solved[f];
    const double half_width = z_ * std::sqrt(std::max(variance, 0.0));
    return {std::exp(log_value), std::exp(log_value - half_width), std::exp(log_value + half_width),
            true};
  }

 private:
  double z_;
  Matrix information_;
  std::vector<int> free_, pinned_;
  std::vector<double> scale_;     // 1 / sqrt(information) of each free parameter
  std::optional<Matrix> factor_;  // of the scaled information over the free parameters
};

void validate(const DemandFitOptions& options) {
  auto require = [](bool holds, const std::string& what) {
    if (!holds) throw std::invalid_argument("fit_demand: " + what);
  };
  require(!options.families.empty() && !options.profile_lengths.empty(),
          "options name no family or no profile length");
  require(std::ranges::all_of(options.profile_lengths, [](int length) { return length >= 0; }),
          "profile lengths must be >= 0");
  require(0 < options.mean_min && options.mean_min < options.mean_max,
          "need 0 < mean_min < mean_max");
  require(0 < options.dispersion_min && options.dispersion_min < options.dispersion_max,
          "need 0 < dispersion_min < dispersion_max");
  require(0 < options.confidence && options.confidence < 1, "confidence must lie in (0, 1)");
}

}  // namespace

std::string family_name(DemandFamily family) {
  return family == DemandFamily::kPoisson ? "poisson" : "negative_binomial";
}

DemandFit fit_demand(std::span<const DemandObservation> observations,
                     const DemandFitOptions& options) {
  validate(options);
  if (observations.empty()) throw std::invalid_argument("fit_demand: no observations");
  DemandFit fit;
  double units_sold = 0;
  for (const DemandObservation& observation : observations) {
    if (observation.sales < 0)
      throw std::invalid_argument("fit_demand: negative sales (" +
                                  std::to_string(observation.sales) + ") in period " +
                                  std::to_string(observation.period));
    units_sold += static_cast<double>(observation.sales);
    fit.censored_periods += observation.censored ? 1 : 0;
  }
  fit.periods = std::ssize(observations);
  fit.naive_mean = units_sold / static_cast<double>(fit.periods);

  const double mean_start = std::clamp(options.mean_start > 0 ? options.mean_start : fit.naive_mean,
                                       options.mean_min, options.mean_max);
  const double dispersion_start =
      std::clamp(options.dispersion_start, options.dispersion_min, options.dispersion_max);
  struct Trial {
    CandidateModel model;
    PhaseCells cells;
    std::vector<double> theta;
  };
  std::vector<Trial> trials;
  for (DemandFamily family : options.families) {
    for (int profile_length : options.profile_lengths) {
      PhaseCells cells = aggregate(observations, profile_length);
      const CandidateModel model{family, profile_length, reference_phase(cells)};
      std::vector<double> start(model.num_parameters(), 0.0);
      start[0] = std::log(mean_start);
      if (model.has_dispersion()) start[1] = std::log(dispersion_start);
      std::vector<double> theta =
          maximize_likelihood(model, cells, start, parameter_box(model, options));
      const double log_likelihood = model.log_likelihood(cells, theta);
      const int k = model.num_parameters();
      fit.candidates.push_back(
          {family, profile_length, log_likelihood, k, 2 * k - 2 * log_likelihood,
           k * std::log(static_cast<double>(fit.periods)) - 2 * log_likelihood, false});
      trials.push_back({model, std::move(cells), std::move(theta)});
    }
  }

  auto score = [&](const DemandCandidate& candidate) {
    return options.criterion == DemandFitOptions::Criterion::kAic ? candidate.aic : candidate.bic;
  };
  const auto best = std::ranges::min_element(
      fit.candidates, [&](const auto& a, const auto& b) { return score(a) < score(b); });
  best->chosen = true;
  const Trial& chosen = trials[best - fit.candidates.begin()];
  const CandidateModel& model = chosen.model;
  const std::vector<double>& theta = chosen.theta;
  fit.family = model.family;
  fit.profile_length = model.profile_length;

  const WaldIntervals intervals(model, chosen.cells, theta, parameter_box(model, options),
                                two_sided_normal_quantile(options.confidence));
  auto unit_vector = [&](int index) {
    std::vector<double> gradient(theta.size(), 0.0);
    gradient[index] = 1;
    return gradient;
  };
  fit.mean = intervals.estimate(theta[0], unit_vector(0),
                                {mean_start, options.mean_min, options.mean_max, false});
  const Estimate dispersion_unidentified{dispersion_start, options.dispersion_min,
                                         options.dispersion_max, false};
  fit.dispersion = model.has_dispersion()
                       ? intervals.estimate(theta[1], unit_vector(1), dispersion_unidentified)
                       : dispersion_unidentified;
  if (model.profile_length > 0) {
    // d log f_k / d logit_j = [j == k] - weight_j over the free logits j.
    const std::vector<double> log_weights = model.log_weights(theta);
    const std::vector<double> log_factors = model.log_factors(theta);
    const Estimate factor_unidentified{1, 0, static_cast<double>(model.profile_length), false};
    for (int phase = 0; phase < model.profile_length; ++phase) {
      std::vector<double> gradient(theta.size(), 0.0);
      for (int other = 0; other < model.profile_length; ++other) {
        if (other == model.reference_phase) continue;
        gradient[model.parameter_of_phase(other)] =
            (other == phase ? 1.0 : 0.0) - std::exp(log_weights[other]);
      }
      fit.profile.push_back(intervals.estimate(log_factors[phase], gradient, factor_unidentified));
    }
  }
  return fit;
}

}  // namespace twinrl
