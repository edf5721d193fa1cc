#pragma once
// Recorded episodes (rollouts) and their file format: JSON Lines, one object
// per line, readable without twinrl (see viewer/README.md, "Rollout files").
//   {"type": "header", ...}                        what was recorded, once
//   {"type": "episode", "episode": k, "scene": {}} an episode starts
//   {"type": "step", "t": 0, ...}                  after reset: observation, state
//   {"type": "step", "t": 1, ...}                  after each step: action, reward, flags too
//   {"type": "end", "episode": k, ...}             return, length and KPIs
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/env_registry.h"

namespace twinrl {

struct RolloutHeader {
  std::string env_id;
  std::string config_yaml;     // the experiment's resolved config, to rebuild the env
  std::string policy;          // "trained", "random" or a baseline's name
  int64_t training_step = -1;  // of the checkpoint that acted; -1 when not a trained policy
  uint64_t seed = 0;
  int num_agents = 1;
  int64_t observation_size = 0;
  int64_t action_size = 0;
  bool discrete_actions = false;
  double control_period_s = 0;
  std::vector<std::string> observation_names, action_names, kpi_names;
};

// Step t of an episode. Step 0 is the state after reset: it has no action or
// reward and its flags are false. Vectors hold num_agents rows.
struct RolloutStep {
  std::vector<float> observation;  // [num_agents * observation_size]
  std::vector<float> action;       // [num_agents * action_size]; empty at t = 0
  std::vector<float> reward;       // [num_agents]; empty at t = 0
  bool terminated = false;
  bool truncated = false;
  std::vector<float> kpis;  // the KPIs so far, in kpi_names order (NaN where undefined)
  nlohmann::json state;     // Env::render_state
};

struct RolloutEpisode {
  nlohmann::json scene;  // Env::render_scene
  std::vector<RolloutStep> steps;
  double episode_return = 0;  // summed over agents and steps
  std::vector<float> kpis;    // at the end, as the runner reports them
};

struct Rollout {
  RolloutHeader header;
  std::vector<RolloutEpisode> episodes;
};

// A rollout file that cannot be read: the message names the file and line.
class RolloutError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes atomically (a temporary file renamed into place).
void write_rollout(const std::filesystem::path& path, const Rollout& rollout);
// Throws RolloutError naming the file, line and key of the first problem.
Rollout read_rollout(const std::filesystem::path& path);
// The same from a stream; `name` stands for the file in messages.
Rollout parse_rollout(std::istream& in, const std::string& name);

// The env model the rollout was recorded on, rebuilt from its config.
std::shared_ptr<const EnvModel> rebuild_env_model(const RolloutHeader& header,
                                                  const EnvRegistry& registry);

}  // namespace twinrl
