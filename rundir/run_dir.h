#pragma once
// The layout of a run directory, spelled once:
//
//   runs/<name>/config.yaml            the resolved experiment config
//   runs/<name>/metrics.csv, tb/       metrics as CSV and TensorBoard event files
//   runs/<name>/checkpoints/<name>.pt  latest.pt and best.pt, written atomically
//   runs/<name>/rollouts/<label>.jsonl recorded episodes (step_<N>, eval_<policy>)
//   runs/<name>/report.html            the report `twinrl view` writes
//   runs/<name>/.lock                  held while training or resuming writes the run
#include <filesystem>
#include <stdexcept>
#include <string>

namespace twinrl {

class RunDir {
 public:
  explicit RunDir(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path config() const { return root_ / "config.yaml"; }
  std::filesystem::path metrics_csv() const { return root_ / "metrics.csv"; }
  std::filesystem::path tensorboard() const { return root_ / "tb"; }
  std::filesystem::path checkpoints() const { return root_ / "checkpoints"; }
  // checkpoints/<name>.pt: "latest" or "best".
  std::filesystem::path checkpoint(const std::string& name) const {
    return checkpoints() / (name + ".pt");
  }
  std::filesystem::path rollouts() const { return root_ / "rollouts"; }
  // rollouts/<label>.jsonl
  std::filesystem::path rollout(const std::string& label) const {
    return rollouts() / (label + ".jsonl");
  }
  std::filesystem::path report() const { return root_ / "report.html"; }
  // Held by the process that writes the run (rundir/run_lock.h).
  std::filesystem::path lock_file() const { return root_ / ".lock"; }

  // A run directory is one that holds a resolved config.
  bool exists() const { return std::filesystem::exists(config()); }
  // Throws std::invalid_argument (bad input) unless exists().
  void require_exists() const {
    if (!exists())
      throw std::invalid_argument(root_.string() + " is not a run directory: it has no " +
                                  config().filename().string());
  }

 private:
  std::filesystem::path root_;
};

}  // namespace twinrl
