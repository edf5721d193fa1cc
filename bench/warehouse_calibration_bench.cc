// Calibration of the warehouse twin against hidden truths (issue goals in
// bench/RESULTS.md, "Warehouse twin"): for each of N random truths of the
// distribution centre (configs/twins/warehouse_dc.yaml; each hourly order
// rate 0.6-1.4x the twin's guess, move failures 0-8%, a mean pick time of
// 4-30 s with a coefficient of variation of 0.1-0.8), writes `days` days of
// logs under the greedy dispatcher with `twin synth`'s code, then times what
// `twin calibrate` does before its replays: reading the logs from disk and
// fitting. Counts, per parameter, how often the truth lies in the 95% interval.
// Usage: warehouse_calibration_bench [truths=20] [seed=1] [days=7]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "agents/experiment.h"
#include "core/env_registry.h"
#include "core/rng.h"
#include "envs/builtin_envs.h"
#include "envs/warehouse/warehouse_env.h"
#include "twins/warehouse_calibration.h"
#include "twins/warehouse_logs.h"
#include "twins/warehouse_simulation.h"

namespace {

namespace fs = std::filesystem;
using twinrl::warehouse::WarehouseModel;
using twinrl::warehouse::WarehouseParams;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int truths = argc > 1 ? std::atoi(argv[1]) : 20;
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  const int days = argc > 3 ? std::atoi(argv[3]) : 7;
  const twinrl::Experiment experiment =
      twinrl::load_experiment(std::string(TWINRL_SOURCE_DIR) + "/configs/twins/warehouse_dc.yaml",
                              {}, twinrl::builtin_envs());
  const WarehouseParams guess = static_cast<const WarehouseModel&>(*experiment.env_model).params();
  const auto guess_model = twinrl::make_model<WarehouseParams, WarehouseModel>(guess);
  const fs::path dir = fs::temp_directory_path() / "twinrl_warehouse_calibration_bench";
  twinrl::Rng rng(seed);
  const size_t slots = guess.order_arrival_rates.size();
  // Per parameter (slots, then failure, pick time, its spread): truths inside the interval.
  std::vector<int> covered(slots + 3);
  std::vector<double> read_seconds, fit_seconds;
  std::printf("%-6s %10s %10s %10s %9s %9s %8s %8s %s\n", "truth", "failure", "pick s", "pick cv",
              "read s", "fit s", "rates in", "others", "(simulated s)");
  for (int t = 0; t < truths; ++t) {
    WarehouseParams truth = guess;
    for (double& rate : truth.order_arrival_rates) rate *= rng.uniform(0.6, 1.4);
    truth.move_failure_probability = rng.uniform(0.0, 0.08);
    truth.pick_time_s = rng.uniform(4, 30);
    truth.pick_time_cv = rng.uniform(0.1, 0.8);
    const auto model = twinrl::make_model<WarehouseParams, WarehouseModel>(truth);
    const auto greedy = model->make_baseline("greedy", seed * 1000 + t);
    auto start = std::chrono::steady_clock::now();
    const twinrl::WarehouseLogs written = twinrl::simulate_warehouse_logs(
        *model, twinrl::baseline_facility_policy(*greedy), int64_t{days} * 86400, seed * 1000 + t);
    fs::remove_all(dir);
    twinrl::write_warehouse_logs(dir, written);
    const double simulated = seconds_since(start);

    start = std::chrono::steady_clock::now();
    const twinrl::WarehouseLogs logs =
        twinrl::read_warehouse_logs(dir, twinrl::WarehouseLogFiles{}, *guess_model);
    read_seconds.push_back(seconds_since(start));
    start = std::chrono::steady_clock::now();
    const twinrl::WarehouseCalibration calibration = twinrl::calibrate_warehouse(
        *guess_model, logs, twinrl::WarehouseCalibrationSpec{}, twinrl::TwinSpec{});
    fit_seconds.push_back(seconds_since(start));

    std::vector<double> true_values = truth.order_arrival_rates;
    true_values.insert(true_values.end(),
                       {truth.move_failure_probability, truth.pick_time_s, truth.pick_time_cv});
    int rates_in = 0, others_in = 0;
    for (size_t p = 0; p < true_values.size(); ++p) {
      const twinrl::Estimate& e = calibration.values[p].estimate;
      const bool inside = e.identified && true_values[p] >= e.low && true_values[p] <= e.high;
      covered[p] += inside;
      (p < slots ? rates_in : others_in) += inside;
    }
    std::printf("%-6d %10.4f %10.2f %10.3f %9.2f %9.3f %5d/%zu %6d/3 (%.1f)\n", t,
                truth.move_failure_probability, truth.pick_time_s, truth.pick_time_cv,
                read_seconds.back(), fit_seconds.back(), rates_in, slots, others_in, simulated);
  }
  fs::remove_all(dir);

  int rate_total = 0, rate_worst = truths;
  for (size_t k = 0; k < slots; ++k) {
    rate_total += covered[k];
    rate_worst = std::min(rate_worst, covered[k]);
  }
  std::vector<double> total_seconds(read_seconds.size());
  for (size_t i = 0; i < total_seconds.size(); ++i)
    total_seconds[i] = read_seconds[i] + fit_seconds[i];
  std::ranges::sort(total_seconds);
  std::printf(
      "\n%d truths, %d days of logs each: arrival rates in their 95%% interval %d of %d (%.1f%%; "
      "worst slot %d of %d); move failure %d of %d; pick time %d of %d; pick time cv %d of %d; "
      "read + fit median %.2f s, max %.2f s\n",
      truths, days, rate_total, truths * static_cast<int>(slots),
      100.0 * rate_total / (truths * static_cast<double>(slots)), rate_worst, truths,
      covered[slots], truths, covered[slots + 1], truths, covered[slots + 2], truths,
      total_seconds[total_seconds.size() / 2], total_seconds.back());
  return 0;
}
