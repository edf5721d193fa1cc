#pragma once
// System identification of an arm twin from trajectory logs: nonlinear least
// squares (Ceres, Levenberg-Marquardt within bounds) on the difference between
// the logged arm joint trajectories and the twin's replays of the same actions
// (arm_replay.h). Jacobians are forward differences of perturbed replays, run
// in parallel on a worker pool (one replay per episode and parameter: the same
// numbers whatever the number of threads). The control latency, a whole number
// of control steps, is searched around the best fit; the sensor noise is the
// spread of the position residuals at the optimum.
//
// Confidence intervals come from the Jacobian at the optimum, with a
// covariance clustered by episode (residuals within an episode are
// correlated: one noisy start state shifts the whole replay). Parameters the logs do not determine
// (no effect on the logged joints, or a near-singular direction of J'J, such as every scale moving
// together) are flagged and held at their guess while the rest are refitted,
// never reported as fitted.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/worker_pool.h"
#include "envs/robot/arm_env.h"
#include "twins/arm_replay.h"
#include "twins/arm_trajectory_log.h"
#include "twins/estimate.h"

namespace twinrl {

// A continuous parameter to fit: its index among the model's parameters, the
// twin's guess (the start) and its bounds.
struct ArmFitParameter {
  std::string name;
  size_t index = 0;
  double guess = 1, low = 0, high = 0;
};

struct ArmFitSettings {
  std::vector<ArmFitParameter> parameters;
  // control_latency_steps, searched among whole numbers in [0, max_latency].
  std::optional<size_t> latency_index = std::nullopt;
  int latency_guess = 0;  // the twin's (and the value used when not searched)
  int max_latency = robot::ArmParams::kMaxLatencySteps;
  double confidence = 0.95;
  int max_iterations = 50;
  // Told of each fit as it ends (latency, cost, iterations), for progress lines.
  std::function<void(const std::string&)> progress = nullptr;
};

struct ArmFitResult {
  std::vector<Estimate> estimates;  // one per settings.parameters, in order
  int latency_steps = 0;
  // Least-squares cost (half the sum of squared residuals) after fitting at
  // each latency tried; NaN for latencies not tried.
  std::vector<double> latency_costs;
  double cost_before = 0, cost_after = 0;  // at the guess / the fit
  // Root mean square of the position residuals (rad) at the fit: the sensor
  // noise when the model is right, with its confidence interval.
  Estimate position_noise;
  int64_t residuals = 0;           // transitions x compared numbers
  int iterations = 0;              // Levenberg-Marquardt iterations, all fits together
  std::vector<std::string> notes;  // what was not determined, and why
};

class ArmTrajectoryFit {
 public:
  // `model` has no randomization; `episodes` outlive this object; replays
  // are put back on the log every `horizon` steps (0: whole episodes).
  ArmTrajectoryFit(const robot::ArmModel& model, std::vector<const ArmLogEpisode*> episodes,
                   WorkerPool& pool, int horizon = 0);

  int64_t num_residuals() const { return residuals_; }
  // Replay minus log for every episode, with `values` set (num_residuals numbers).
  void residuals(std::span<const IndexedValue> values, std::span<double> out);
  // The residuals and, row-major (num_residuals x fitted.size()), their
  // forward-difference derivatives in the parameters `fitted` of `values`.
  void jacobian(std::span<const IndexedValue> values, std::span<const size_t> fitted,
                std::span<double> residuals, std::span<double> jacobian);

  ArmFitResult fit(const ArmFitSettings& settings);

 private:
  // Runs replays (episode e with the values of variant v) into `out`, which
  // holds one residual vector per variant.
  void replay_variants(const std::vector<std::vector<IndexedValue>>& variants,
                       std::span<double> out);

  const robot::ArmModel& model_;
  std::vector<const ArmLogEpisode*> episodes_;
  WorkerPool& pool_;
  int horizon_;
  std::vector<ArmReplayer> replayers_;  // one per worker
  std::vector<int64_t> offsets_;        // first residual of each episode
  std::vector<double> logged_;          // the logged signals, as residuals are laid out
  // The last residuals computed and where: a Jacobian there reuses them.
  std::vector<IndexedValue> last_values_;
  std::vector<double> last_residuals_;
  int64_t residuals_ = 0;
};

}  // namespace twinrl
