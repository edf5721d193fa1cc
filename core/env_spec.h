#pragma once
// What every copy of an environment shares: built once, read-only afterwards.
#include <string>
#include <vector>

#include "core/space.h"

namespace twinrl {

struct EnvSpec {
  std::string id;
  Space observation_space = Space::box(1, 0.0f, 0.0f);  // per agent
  Space action_space = Space::discrete(1);              // per agent
  int num_agents = 1;
  double control_period_s = 0.02;      // simulated seconds per step
  int max_episode_steps = 0;           // the runner truncates here; 0: no limit
  bool has_action_mask = false;        // discrete envs may publish valid actions
  std::vector<std::string> kpi_names;  // per-episode figures, in Env::episode_kpis order
  // Optional names (with units) of each observation and action number, for
  // exported policies' metadata; empty when the env does not name them.
  std::vector<std::string> observation_names;
  std::vector<std::string> action_names;
};

}  // namespace twinrl
