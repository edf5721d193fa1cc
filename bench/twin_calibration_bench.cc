// Calibration of the supply-chain twin against hidden truths (issue goals in
// bench/RESULTS.md, "Supply-chain twin"): for each of N synthetic facilities
// with a random truth (demand level, dispersion, weekly profile or none,
// lead-time ranges, the store's base-stock level and so its stock-outs),
// writes two years of daily logs with `twin synth`'s code, runs `twin
// calibrate` end to end (logs read from disk, fit, calibrated config, replay,
// report) and reads the report: which true values lie in their 95% intervals,
// how long it took, and the censored against the naive estimate of mean demand.
// Usage: twin_calibration_bench [facilities=20] [periods=730] [seed=1]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/rng.h"
#include "rundir/atomic_file.h"
#include "twins/twin_commands.h"

namespace {

namespace fs = std::filesystem;
using twinrl::Rng;

// One random facility: its hidden truth (parameters by name) and what the
// twin knows of it, its capacities and base-stock levels (config overrides).
struct Facility {
  double mean = 0;
  std::string truth;
  std::vector<std::string> known;
};

Facility random_facility(Rng& rng) {
  Facility facility;
  facility.mean = rng.uniform(5.0, 60.0);
  const double dispersion = rng.uniform(1.5, 20.0);
  const int store_low = static_cast<int>(rng.uniform(0.0, 2.99));
  const int store_high = store_low + static_cast<int>(rng.uniform(0.0, 2.99));
  const int warehouse_low = 1 + static_cast<int>(rng.uniform(0.0, 3.99));
  const int warehouse_high = warehouse_low + static_cast<int>(rng.uniform(0.0, 4.99));
  char text[512];
  std::snprintf(text, sizeof text,
                "demand.mean: %.3f\ndemand.dispersion: %.3f\nstages.lead_time[0]: %d\n"
                "stages.lead_time_max[0]: %d\nstages.lead_time[1]: %d\n"
                "stages.lead_time_max[1]: %d\n",
                facility.mean, dispersion, store_low, store_high, warehouse_low, warehouse_high);
  facility.truth = text;
  // Half the facilities have a weekly cycle, the others none.
  std::vector<double> profile(7, 1.0);
  if (rng.uniform(0.0, 1.0) < 0.5) {
    double sum = 0;
    for (double& factor : profile) sum += factor = rng.uniform(0.6, 1.4);
    for (double& factor : profile) factor *= 7 / sum;
  }
  for (int k = 0; k < 7; ++k) {
    std::snprintf(text, sizeof text, "demand.profile[%d]: %.6f\n", k, profile[k]);
    facility.truth += text;
  }
  // Levels from the mean demand over the pipeline, leaner or richer, so that
  // stock-outs range from rare to frequent.
  const double store_cover = rng.uniform(0.75, 1.4), chain_cover = rng.uniform(1.0, 1.6);
  std::snprintf(text, sizeof text, "env.params.baselines.base_stock_levels=[%.0f,%.0f]",
                std::ceil(facility.mean * (store_high + 1) * store_cover),
                std::ceil(facility.mean * (store_high + warehouse_high + 2) * chain_cover));
  facility.known.push_back(text);
  std::snprintf(text, sizeof text, "env.params.stages.capacity=[%.0f,%.0f]",
                std::ceil(facility.mean * 4), std::ceil(facility.mean * 8));
  facility.known.push_back(text);
  return facility;
}

}  // namespace

int main(int argc, char** argv) {
  const int facilities = argc > 1 ? std::atoi(argv[1]) : 20;
  const long periods = argc > 2 ? std::atol(argv[2]) : 730;
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  const std::string config = TWINRL_SOURCE_DIR "/configs/twins/supply_chain_retailer.yaml";
  const fs::path scratch = fs::temp_directory_path() / "twinrl_twin_calibration_bench";
  fs::remove_all(scratch);
  fs::create_directories(scratch);

  std::printf(
      "| facility | mean | stocked out | censored mean | naive mean | covered | calibrate s "
      "|\n|---:|---:|---:|---:|---:|---:|---:|\n");
  Rng rng(seed);
  int pairs = 0, covered_pairs = 0, facilities_all = 0;
  double slowest = 0;
  // Facilities with 25-35% of periods stocked out: how often the censored
  // estimate of mean demand is within 5% of the truth, the naive one off by 10%.
  int about_30 = 0, censored_within_5 = 0, naive_off_10 = 0;
  for (int facility = 0; facility < facilities; ++facility) {
    const fs::path dir = scratch / std::to_string(facility);
    fs::create_directories(dir);
    const Facility truth_facility = random_facility(rng);
    const double mean = truth_facility.mean;
    const std::vector<std::string>& overrides = truth_facility.known;
    const fs::path truth = dir / "truth.yaml";
    twinrl::write_file_atomically(truth, truth_facility.truth);
    twinrl::TwinSynthOptions synth{.config = config,
                                   .truth = truth.string(),
                                   .periods = periods,
                                   .seed = seed * 1000 + static_cast<uint64_t>(facility),
                                   .out = (dir / "logs").string(),
                                   .overrides = overrides};
    twinrl::twin_synth(synth);
    const auto start = std::chrono::steady_clock::now();
    twinrl::twin_calibrate({.config = config,
                            .logs = (dir / "logs").string(),
                            .out = (dir / "calibrated.yaml").string(),
                            .truth = truth.string(),
                            .overrides = overrides});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    slowest = std::max(slowest, seconds);
    std::ifstream report_file(dir / "calibrated.report.json");
    const nlohmann::json report = nlohmann::json::parse(report_file);
    int covered = 0, total = 0;
    for (const nlohmann::json& parameter : report["parameters"]) {
      if (parameter["truth"].is_null()) continue;
      ++total;
      covered += parameter["truth_in_interval"].get<bool>() ? 1 : 0;
    }
    pairs += total;
    covered_pairs += covered;
    facilities_all += covered == total ? 1 : 0;
    const double censored = report["demand"]["censored_periods"].get<double>() /
                            report["demand"]["periods"].get<double>();
    const double estimate = report["demand"]["mean"]["value"].get<double>();
    const double naive = report["demand"]["naive_mean"].get<double>();
    if (censored >= 0.25 && censored <= 0.35) {
      ++about_30;
      censored_within_5 += std::fabs(estimate / mean - 1) <= 0.05 ? 1 : 0;
      naive_off_10 += std::fabs(naive / mean - 1) > 0.10 ? 1 : 0;
    }
    std::printf("| %d | %.2f | %.0f%% | %.2f (%+.1f%%) | %.2f (%+.1f%%) | %d/%d | %.2f |\n",
                facility, mean, 100 * censored, estimate, 100 * (estimate / mean - 1), naive,
                100 * (naive / mean - 1), covered, total, seconds);
    std::fflush(stdout);
  }
  std::printf(
      "\n%d facilities, %ld periods each: %d of %d true values (%.1f%%) in their 95%% "
      "intervals; every value in %d facilities (%.0f%%); slowest calibration %.2f s\n",
      facilities, periods, covered_pairs, pairs, 100.0 * covered_pairs / pairs, facilities_all,
      100.0 * facilities_all / facilities, slowest);
  std::printf(
      "%d facilities with 25-35%% of periods stocked out: censored mean within 5%% of the truth "
      "in %d, naive mean of sales off by more than 10%% in %d\n",
      about_30, censored_within_5, naive_off_10);
  fs::remove_all(scratch);
  return 0;
}
