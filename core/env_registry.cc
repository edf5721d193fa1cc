#include "core/env_registry.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "config/closest_match.h"

namespace twinrl {

void EnvRegistry::add(EnvEntry entry) {
  if (find(entry.id))
    throw std::invalid_argument("environment '" + entry.id + "' is registered twice");
  entries_.push_back(std::move(entry));
}

const EnvEntry* EnvRegistry::find(const std::string& id) const {
  const auto it = std::ranges::find(entries_, id, &EnvEntry::id);
  return it == entries_.end() ? nullptr : &*it;
}

std::string describe_env(const EnvEntry& entry) {
  const auto model = entry.build(ConfigNode(), ConfigNode(), {});  // the defaults
  const EnvSpec& spec = model->spec();
  std::ostringstream text;
  text << "## " << entry.id << "\n\n" << entry.description << "\n\n";
  text << "- observation (per agent): " << spec.observation_space.describe() << "\n";
  text << "- action (per agent): " << spec.action_space.describe()
       << (spec.has_action_mask ? ", with an action mask" : "") << "\n";
  text << "- agents: " << spec.num_agents << "\n";
  text << "- control period: " << spec.control_period_s << " s";
  if (spec.max_episode_steps > 0)
    text << "; truncated after " << spec.max_episode_steps << " steps";
  text << "\n- KPIs per episode:";
  for (const auto& name : spec.kpi_names) text << " " << name;
  text << "\n\nParameters (`env.params`):\n\n" << format_field_table(entry.parameters);
  text << "\nEvery number above is a parameter by dotted name (list elements by index, "
          "`name[0]`); `env.randomize` draws real-valued ones per episode, and `twinrl config "
          "parameters CONFIG` lists them with their values.\n";
  return text.str();
}

std::shared_ptr<const EnvModel> EnvRegistry::build(const std::string& id, const ConfigNode& id_node,
                                                   const ConfigNode& params,
                                                   const ConfigNode& randomize) const {
  return entry(id, id_node).build(params, randomize, {});
}

const EnvEntry& EnvRegistry::entry(const std::string& id, const ConfigNode& id_node) const {
  if (const EnvEntry* found = find(id)) return *found;
  std::vector<std::string> ids;
  for (const auto& entry : entries_) ids.push_back(entry.id);
  std::string message = "unknown environment '" + id + "'";
  if (const auto close = closest_match(id, ids))
    message += "; did you mean '" + *close + "'?";
  else
    message += " (`twinrl envs` lists them)";
  id_node.fail(message);
}

}  // namespace twinrl
