#include "twins/arm_identification.h"

#include <ceres/ceres.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <tuple>

namespace twinrl {
namespace {

// Relative finite-difference step: large against MuJoCo's rounding, small
// against the curvature of a trajectory in its parameters.
constexpr double kRelativeStep = 1e-4;
// Directions of J'J (scaled to unit diagonal) weaker than this against the
// strongest are numerically singular: what moves along them the data cannot tell.
constexpr double kSingularRatio = 1e-8;
// An eigenvector's components above this mark the parameters it moves.
constexpr double kInvolved = 0.1;

double half_sum_of_squares(std::span<const double> r) {
  return 0.5 * std::inner_product(r.begin(), r.end(), r.begin(), 0.0);
}

// The least-squares problem's one residual block: every logged transition,
// evaluated through the fit's parallel replays. Parameters with a positive
// lower bound are searched as their logarithms: the arm's scales act through
// ratios (gain over inertia), which are linear in logarithms, and a step of
// the same size means the same relative change whatever the scale.
class TrajectoryCost : public ceres::CostFunction {
 public:
  TrajectoryCost(ArmTrajectoryFit& fit, std::vector<IndexedValue> values,
                 std::vector<size_t> fitted, std::vector<bool> logarithmic)
      : fit_(fit),
        values_(std::move(values)),
        fitted_(std::move(fitted)),
        logarithmic_(std::move(logarithmic)) {
    set_num_residuals(static_cast<int>(fit.num_residuals()));
    mutable_parameter_block_sizes()->push_back(static_cast<int>(fitted_.size()));
  }

  bool Evaluate(double const* const* parameters, double* residuals,
                double** jacobians) const override {
    const size_t k = fitted_.size();
    for (size_t j = 0; j < k; ++j)
      values_[fitted_[j]].value = logarithmic_[j] ? std::exp(parameters[0][j]) : parameters[0][j];
    const auto n = static_cast<size_t>(fit_.num_residuals());
    if (jacobians && jacobians[0]) {
      fit_.jacobian(values_, fitted_, {residuals, n}, {jacobians[0], n * k});
      // d r / d log(x) = x d r / d x
      for (size_t j = 0; j < k; ++j)
        if (logarithmic_[j])
          for (size_t i = 0; i < n; ++i) jacobians[0][i * k + j] *= values_[fitted_[j]].value;
    } else {
      fit_.residuals(values_, {residuals, n});
    }
    return std::all_of(residuals, residuals + n, [](double r) { return std::isfinite(r); });
  }

 private:
  ArmTrajectoryFit& fit_;
  mutable std::vector<IndexedValue> values_;
  std::vector<size_t> fitted_;
  std::vector<bool> logarithmic_;
};

}  // namespace

ArmTrajectoryFit::ArmTrajectoryFit(const robot::ArmModel& model,
                                   std::vector<const ArmLogEpisode*> episodes, WorkerPool& pool,
                                   int horizon)
    : model_(model), episodes_(std::move(episodes)), pool_(pool), horizon_(horizon) {
  replayers_.reserve(pool.size());
  for (int part = 0; part < pool.size(); ++part) replayers_.emplace_back(model);
  const int64_t width = arm_replay_width(model);
  for (const ArmLogEpisode* episode : episodes_) {
    offsets_.push_back(residuals_);
    residuals_ += (episode->steps - 1) * width;
  }
  logged_.resize(residuals_);
  for (size_t e = 0; e < episodes_.size(); ++e)
    logged_arm_signals(model, *episodes_[e],
                       std::span(logged_).subspan(offsets_[e], (episodes_[e]->steps - 1) * width));
}

void ArmTrajectoryFit::replay_variants(const std::vector<std::vector<IndexedValue>>& variants,
                                       std::span<double> out) {
  const int64_t width = arm_replay_width(model_);
  const size_t tasks = variants.size() * episodes_.size();
  auto work = [&](int part) {
    for (size_t task = part; task < tasks; task += pool_.size()) {
      const size_t variant = task / episodes_.size(), e = task % episodes_.size();
      const int64_t length = (episodes_[e]->steps - 1) * width;
      const std::span<double> slot = out.subspan(variant * residuals_ + offsets_[e], length);
      replayers_[part].replay(*episodes_[e], variants[variant], slot, horizon_);
      for (int64_t i = 0; i < length; ++i) slot[i] -= logged_[offsets_[e] + i];
    }
  };
  pool_.run(work);
}

namespace {

bool same_values(std::span<const IndexedValue> a, std::span<const IndexedValue> b) {
  return std::ranges::equal(a, b, [](const IndexedValue& x, const IndexedValue& y) {
    return x.index == y.index && x.value == y.value;
  });
}

}  // namespace

void ArmTrajectoryFit::residuals(std::span<const IndexedValue> values, std::span<double> out) {
  replay_variants({std::vector<IndexedValue>(values.begin(), values.end())}, out);
  last_values_.assign(values.begin(), values.end());
  last_residuals_.assign(out.begin(), out.end());
}

void ArmTrajectoryFit::jacobian(std::span<const IndexedValue> values,
                                std::span<const size_t> fitted, std::span<double> residuals,
                                std::span<double> jacobian) {
  const std::vector<IndexedValue> base(values.begin(), values.end());
  // The optimizer asks for the Jacobian where it last evaluated the
  // residuals: those replays are not run again.
  const bool known = same_values(base, last_values_);
  std::vector<std::vector<IndexedValue>> variants;
  if (!known) variants.push_back(base);
  std::vector<double> steps;
  for (const size_t position : fitted) {
    const IndexedValue& value = base[position];
    double step = kRelativeStep * std::max(std::abs(value.value), 1e-2);
    // Backward where a forward step would leave the parameter's range.
    if (const auto max = model_.parameters().info(value.index).max;
        max && value.value + step > *max)
      step = -step;
    steps.push_back(step);
    variants.push_back(base);
    variants.back()[position].value += step;
  }
  std::vector<double> replays(variants.size() * residuals_);
  replay_variants(variants, replays);
  const std::span<const double> at_base = known
                                              ? std::span<const double>(last_residuals_)
                                              : std::span<const double>(replays).first(residuals_);
  std::copy(at_base.begin(), at_base.end(), residuals.begin());
  const size_t k = fitted.size(), first = known ? 0 : 1;
  for (size_t j = 0; j < k; ++j)
    for (int64_t i = 0; i < residuals_; ++i)
      jacobian[i * k + j] = (replays[(first + j) * residuals_ + i] - residuals[i]) / steps[j];
  if (!known) {
    last_values_ = base;
    last_residuals_.assign(residuals.begin(), residuals.end());
  }
}

ArmFitResult ArmTrajectoryFit::fit(const ArmFitSettings& settings) {
  const size_t k = settings.parameters.size();
  ArmFitResult result;
  // values[j] is parameter j; the latency, when searched, is the last entry.
  std::vector<IndexedValue> values;
  for (const ArmFitParameter& p : settings.parameters)
    values.push_back({p.index, std::clamp(p.guess, p.low, p.high)});
  int latency = settings.latency_guess;
  if (settings.latency_index) values.push_back({*settings.latency_index, double(latency)});
  std::vector<double> r(residuals_);
  const auto cost_at = [&](std::vector<IndexedValue> at, int steps) {
    if (settings.latency_index) at.back().value = steps;
    residuals(at, r);
    const double cost = half_sum_of_squares(r);
    return std::isfinite(cost) ? cost : std::numeric_limits<double>::infinity();
  };
  result.cost_before = cost_at(values, latency);
  result.latency_costs.assign(settings.max_latency + 1, std::nan(""));

  std::vector<size_t> free(k);
  std::iota(free.begin(), free.end(), 0);
  const auto solve = [&] {
    if (free.empty()) return;
    if (settings.latency_index) values.back().value = latency;
    std::vector<double> x;
    std::vector<bool> logarithmic;
    for (size_t j : free) {
      logarithmic.push_back(settings.parameters[j].low > 0);
      x.push_back(logarithmic.back() ? std::log(values[j].value) : values[j].value);
    }
    ceres::Problem problem;
    problem.AddResidualBlock(new TrajectoryCost(*this, values, free, logarithmic), nullptr,
                             x.data());
    for (size_t j = 0; j < free.size(); ++j) {
      const ArmFitParameter& p = settings.parameters[free[j]];
      const auto at = static_cast<int>(j);
      problem.SetParameterLowerBound(x.data(), at, logarithmic[j] ? std::log(p.low) : p.low);
      problem.SetParameterUpperBound(x.data(), at, logarithmic[j] ? std::log(p.high) : p.high);
    }
    ceres::Solver::Options options;
    options.trust_region_strategy_type = ceres::LEVENBERG_MARQUARDT;
    options.linear_solver_type = ceres::DENSE_QR;
    options.max_num_iterations = settings.max_iterations;
    options.function_tolerance = 1e-10;
    options.parameter_tolerance = 1e-8;
    options.logging_type = ceres::SILENT;
    // Bounds make Ceres search along the projected step, evaluating the
    // Jacobian (a replay per parameter) at every trial; the plain projected
    // trust-region step converges as well here at a fraction of the replays.
    options.max_num_line_search_step_size_iterations = 0;
    ceres::Solver::Summary summary;
    ceres::Solve(options, &problem, &summary);
    result.iterations += static_cast<int>(summary.iterations.size());
    if (settings.progress) {
      char line[160];
      std::snprintf(line, sizeof line,
                    "  fit of %zu parameters at latency %d: cost %.6g after %zu iterations",
                    free.size(), latency, summary.final_cost, summary.iterations.size());
      settings.progress(line);
    }
    for (size_t j = 0; j < free.size(); ++j)
      values[free[j]].value = logarithmic[j] ? std::exp(x[j]) : x[j];
  };
  // The latency with the lowest cost at the twin's guess: where the search starts.
  const auto best_latency_at_guess = [&] {
    int best = latency;
    double best_cost = cost_at(values, latency);
    for (int steps = 0; steps <= settings.max_latency; ++steps)
      if (const double cost = cost_at(values, steps); cost < best_cost) {
        best_cost = cost;
        best = steps;
      }
    return best;
  };
  // Fits the free parameters. A searched latency is refitted at its
  // neighbours, warm-started from the fit, and moves to the best until no
  // neighbour's fit is better: a wrong latency is partly made up for by other
  // parameters (a stiffer servo answers a later action sooner), so costs are
  // compared after fitting, not at one latency's parameters.
  // The fit at each latency tried, for the current set of free parameters.
  std::map<int, std::pair<std::vector<IndexedValue>, double>> fitted_at;
  const auto fit_all = [&] {
    fitted_at.clear();
    solve();
    if (!settings.latency_index) return;
    double best_cost = cost_at(values, latency);
    fitted_at[latency] = {values, best_cost};
    for (int step : {-1, 1}) {
      for (;;) {
        const int candidate = latency + step;
        if (candidate < 0 || candidate > settings.max_latency) break;
        if (!fitted_at.contains(candidate)) {
          const std::vector<IndexedValue> kept = values;
          const int kept_latency = latency;
          latency = candidate;
          solve();
          fitted_at[candidate] = {values, cost_at(values, candidate)};
          values = kept;
          latency = kept_latency;
        }
        if (fitted_at[candidate].second >= best_cost) break;
        latency = candidate;  // better: keep going this way
        std::tie(values, best_cost) = fitted_at[candidate];
      }
    }
    for (const auto& [steps, fit] : fitted_at) result.latency_costs[steps] = fit.second;
  };

  if (settings.latency_index) latency = best_latency_at_guess();
  fit_all();

  // Identifiability at the fit: parameters without effect or in a singular
  // direction are held at their guess, and the others refitted.
  std::vector<double> jac;
  Eigen::MatrixXd information;
  for (;;) {
    jac.assign(residuals_ * free.size(), 0);
    jacobian(values, free, r, jac);
    const auto m = static_cast<Eigen::Index>(free.size());
    const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
        J(jac.data(), residuals_, m);
    information = J.transpose() * J;
    std::vector<size_t> undetermined;
    const Eigen::VectorXd scale = information.diagonal().cwiseSqrt();
    const double strongest = m > 0 ? scale.maxCoeff() : 0;
    std::vector<Eigen::Index> effective;
    for (Eigen::Index j = 0; j < m; ++j) {
      if (scale[j] <= 1e-9 * std::max(strongest, 1e-300)) {
        undetermined.push_back(free[j]);
        result.notes.push_back(settings.parameters[free[j]].name +
                               ": no effect on the logged joint trajectories; not determined, "
                               "held at the twin's value");
      } else {
        effective.push_back(j);
      }
    }
    if (!effective.empty()) {
      const auto e = static_cast<Eigen::Index>(effective.size());
      Eigen::MatrixXd correlation(e, e);
      for (Eigen::Index a = 0; a < e; ++a)
        for (Eigen::Index b = 0; b < e; ++b)
          correlation(a, b) =
              information(effective[a], effective[b]) / (scale[effective[a]] * scale[effective[b]]);
      const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(correlation);
      const double largest = eigen.eigenvalues().maxCoeff();
      for (Eigen::Index d = 0; d < e; ++d) {
        if (eigen.eigenvalues()[d] > kSingularRatio * largest) continue;
        std::string together;
        std::vector<size_t> involved;
        for (Eigen::Index a = 0; a < e; ++a)
          if (std::abs(eigen.eigenvectors()(a, d)) > kInvolved) {
            involved.push_back(free[effective[a]]);
            together += (together.empty() ? "" : ", ") + settings.parameters[involved.back()].name;
          }
        for (size_t j : involved)
          if (std::ranges::find(undetermined, j) == undetermined.end()) {
            undetermined.push_back(j);
            result.notes.push_back(settings.parameters[j].name +
                                   ": not determined by the logs (only a combination of " +
                                   together + " is); held at the twin's value");
          }
      }
    }
    if (undetermined.empty()) break;
    for (size_t j : undetermined) {
      values[j].value = std::clamp(settings.parameters[j].guess, settings.parameters[j].low,
                                   settings.parameters[j].high);
      std::erase(free, j);
    }
    // What was dropped moved nothing the data can tell, so the latency
    // found with it stands: refit the others there only.
    solve();
  }

  result.cost_after = half_sum_of_squares(r);
  result.latency_steps = latency;
  if (settings.latency_index) result.latency_costs[latency] = result.cost_after;
  result.residuals = residuals_;
  // Wald intervals with a covariance robust to residuals that are correlated
  // within an episode (a replay that starts from a noisy logged state is off
  // for the whole episode): clustered by episode,
  // (J'J)^-1 (sum_e J_e' r_e r_e' J_e) (J'J)^-1, times E / (E - 1).
  const double z = two_sided_normal_quantile(settings.confidence);
  Eigen::MatrixXd covariance;
  if (!free.empty()) {
    const auto m = static_cast<Eigen::Index>(free.size());
    const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
        J(jac.data(), residuals_, m);
    const Eigen::Map<const Eigen::VectorXd> residual(r.data(), residuals_);
    Eigen::MatrixXd meat = Eigen::MatrixXd::Zero(m, m);
    for (size_t e = 0; e < episodes_.size(); ++e) {
      const int64_t end = e + 1 < episodes_.size() ? offsets_[e + 1] : residuals_;
      const Eigen::VectorXd score = J.middleRows(offsets_[e], end - offsets_[e]).transpose() *
                                    residual.segment(offsets_[e], end - offsets_[e]);
      meat += score * score.transpose();
    }
    const double clusters = static_cast<double>(episodes_.size());
    const Eigen::MatrixXd bread = information.inverse();
    covariance = bread * meat * bread * (clusters / std::max(clusters - 1, 1.0));
  }
  result.estimates.resize(k);
  for (size_t j = 0; j < k; ++j) {
    const ArmFitParameter& p = settings.parameters[j];
    const auto at = std::ranges::find(free, j);
    if (at == free.end()) {
      result.estimates[j] = {
          .value = values[j].value, .low = p.low, .high = p.high, .identified = false};
      continue;
    }
    const auto f = static_cast<Eigen::Index>(at - free.begin());
    const double half = z * std::sqrt(std::max(covariance(f, f), 0.0));
    const double value = values[j].value;
    // Searched as a logarithm: the interval is symmetric in log(value).
    const bool logarithmic = p.low > 0;
    Estimate estimate{
        .value = value,
        .low = std::max(logarithmic ? value * std::exp(-half / value) : value - half, p.low),
        .high = std::min(logarithmic ? value * std::exp(half / value) : value + half, p.high)};
    const double margin = 1e-6 * std::max(1.0, p.high - p.low);
    if (value <= p.low + margin || value >= p.high - margin) {
      estimate.identified = false;
      result.notes.push_back(p.name + ": the fit ends at its bound [" + std::to_string(p.low) +
                             ", " + std::to_string(p.high) +
                             "]; widen the bounds or check the log");
    } else if (half > std::abs(value)) {
      estimate.identified = false;
      result.notes.push_back(p.name +
                             ": the confidence interval is wider than the value; "
                             "not determined by these logs");
    }
    result.estimates[j] = estimate;
  }

  // The position residuals' spread: the sensor noise once the model is right.
  const int64_t n = model_.layout().num_arm_joints();
  double squares = 0;
  int64_t count = 0;
  for (int64_t i = 0; i < residuals_; ++i)
    if (i % (2 * n) < n) {
      squares += r[i] * r[i];
      ++count;
    }
  const double rms = std::sqrt(squares / std::max<int64_t>(count, 1));
  const double relative = z / std::sqrt(2.0 * std::max<int64_t>(count, 1));
  result.position_noise = {.value = rms, .low = rms * (1 - relative), .high = rms * (1 + relative)};
  return result;
}

}  // namespace twinrl
