#pragma once
// The twin jobs of `twinrl twin`: synth (a hidden truth's logs), calibrate
// (logs -> calibrated config + fidelity report) and validate (a twin's
// fidelity on logs it was not fitted to). Each prints its progress; bad input
// throws ConfigError or CsvError (exit 2 in the CLI), anything else is a
// failure while running.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace twinrl {

struct TwinSynthOptions {
  std::string config;
  std::string truth;  // YAML of parameter values by dotted name
  // Supply chain: days (default 730); arm: control steps (default 1500, 60 s
  // at 25 Hz); warehouse: control steps (default: one week).
  std::optional<int64_t> periods = std::nullopt;
  // A baseline of the env or a run directory; arm twins also take the
  // excitations steps and chirp. Empty: twin.logged_policy (arm: steps).
  std::string policy = "";
  std::optional<uint64_t> seed = std::nullopt;  // default: the config's seed
  std::string out;                              // logs directory (arm twins: the log file, .csv)
  std::vector<std::string> overrides;
};

struct TwinCalibrateOptions {
  std::string config;
  std::string logs;
  std::string out;         // the calibrated config (YAML); the report goes beside it
  std::string truth = "";  // optional: shown against the estimates
  std::vector<std::string> overrides;
};

struct TwinValidateOptions {
  std::string config;
  std::string logs;
  std::string out = "";  // report (.html, with .json beside); default: beside the config
  std::vector<std::string> overrides;
};

struct Experiment;

// Checks a config's twin section as the twin commands read it (for `twinrl
// config check`): a ConfigError at the first problem.
void check_twin_section(const Experiment& experiment);

void twin_synth(const TwinSynthOptions& options);
void twin_calibrate(const TwinCalibrateOptions& options);
void twin_validate(const TwinValidateOptions& options);

}  // namespace twinrl
