#include "rundir/rollout.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <span>
#include <sstream>

#include "config/run_config.h"
#include "config/schema.h"
#include "rundir/atomic_file.h"

namespace twinrl {
namespace {

constexpr const char* kFormat = "twinrl-rollout";
constexpr int kVersion = 1;

// The double nearest the shortest decimal that reads back as `value`: JSON
// holds doubles, and 0.1f written as a double takes 19 digits instead of 3.
nlohmann::json float_json(float value) {
  if (!std::isfinite(value)) return nullptr;
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  return std::strtod(std::string(text, result.ptr).c_str(), nullptr);
}

nlohmann::json floats_json(std::span<const float> values) {
  nlohmann::json json = nlohmann::json::array();
  for (float value : values) json.push_back(float_json(value));
  return json;
}

// Rows of `row_size` numbers: [[...], [...]], one per agent.
nlohmann::json rows_json(const std::vector<float>& values, int64_t row_size) {
  nlohmann::json rows = nlohmann::json::array();
  for (size_t first = 0; first < values.size(); first += row_size)
    rows.push_back(floats_json(std::span(values).subspan(first, row_size)));
  return rows;
}

nlohmann::json header_json(const RolloutHeader& header) {
  return {{"type", "header"},
          {"format", kFormat},
          {"version", kVersion},
          {"env_id", header.env_id},
          {"policy", header.policy},
          {"training_step", header.training_step},
          {"seed", header.seed},
          {"num_agents", header.num_agents},
          {"observation_size", header.observation_size},
          {"action_size", header.action_size},
          {"discrete_actions", header.discrete_actions},
          {"control_period_s", header.control_period_s},
          {"observation_names", header.observation_names},
          {"action_names", header.action_names},
          {"kpi_names", header.kpi_names},
          {"config_yaml", header.config_yaml}};
}

nlohmann::json step_json(const RolloutHeader& header, int episode, size_t t,
                         const RolloutStep& step) {
  nlohmann::json json = {{"type", "step"},
                         {"episode", episode},
                         {"t", t},
                         {"observation", rows_json(step.observation, header.observation_size)}};
  if (t > 0) {
    json["action"] = rows_json(step.action, header.action_size);
    json["reward"] = floats_json(step.reward);
  }
  json["terminated"] = step.terminated;
  json["truncated"] = step.truncated;
  json["kpis"] = floats_json(step.kpis);  // NaN is written as null
  json["state"] = step.state;
  return json;
}

// Reads one line's object, naming the file and line in every error.
class LineReader {
 public:
  LineReader(std::string file, int line, nlohmann::json json)
      : file_(std::move(file)), line_(line), json_(std::move(json)) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw RolloutError(file_ + ":" + std::to_string(line_) + ": " + message);
  }
  const nlohmann::json& at(const std::string& key) const {
    const auto found = json_.find(key);
    if (found == json_.end()) fail("missing key '" + key + "'");
    return *found;
  }
  [[noreturn]] void wrong_type(const std::string& key, const std::string& expected) const {
    fail("key '" + key + "': expected " + expected + ", got " + at(key).dump().substr(0, 40));
  }
  template <class T>
  T get(const std::string& key) const {
    const nlohmann::json& value = at(key);
    if constexpr (std::is_same_v<T, bool>) {
      if (!value.is_boolean()) wrong_type(key, "true or false");
    } else if constexpr (std::is_integral_v<T>) {
      if (!value.is_number_integer()) wrong_type(key, "an integer");
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!value.is_number()) wrong_type(key, "a number");
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!value.is_string()) wrong_type(key, "a string");
    } else {
      if (!value.is_array()) wrong_type(key, "a list of strings");
      for (const auto& item : value)
        if (!item.is_string()) wrong_type(key, "a list of strings");
    }
    return value.get<T>();
  }
  // Numbers (null for NaN), `count` of them unless count < 0.
  std::vector<float> numbers(const std::string& key, const nlohmann::json& value,
                             int64_t count) const {
    if (!value.is_array()) wrong_type(key, "a list of numbers");
    std::vector<float> out;
    out.reserve(value.size());
    for (const auto& item : value) {
      if (item.is_null())
        out.push_back(std::numeric_limits<float>::quiet_NaN());
      else if (item.is_number())
        out.push_back(item.get<float>());
      else
        wrong_type(key, "a list of numbers");
    }
    if (count >= 0 && static_cast<int64_t>(out.size()) != count)
      fail("key '" + key + "': expected " + std::to_string(count) + " numbers, got " +
           std::to_string(out.size()));
    return out;
  }
  // num_rows rows of row_size numbers, flattened.
  std::vector<float> rows(const std::string& key, int64_t num_rows, int64_t row_size) const {
    const nlohmann::json& value = at(key);
    if (!value.is_array() || static_cast<int64_t>(value.size()) != num_rows)
      fail("key '" + key + "': expected " + std::to_string(num_rows) + " rows (one per agent)");
    std::vector<float> out;
    for (const auto& row : value) {
      const std::vector<float> numbers_of_row = numbers(key, row, row_size);
      out.insert(out.end(), numbers_of_row.begin(), numbers_of_row.end());
    }
    return out;
  }
  const nlohmann::json& object(const std::string& key) const {
    const nlohmann::json& value = at(key);
    if (!value.is_object()) wrong_type(key, "an object");
    return value;
  }

 private:
  std::string file_;
  int line_;
  nlohmann::json json_;
};

RolloutHeader read_header(const LineReader& line) {
  if (line.get<std::string>("type") != "header")
    line.fail("expected the header line first (\"type\": \"header\"): is this a rollout file?");
  if (line.get<std::string>("format") != kFormat)
    line.fail("key 'format': expected \"" + std::string(kFormat) + "\"");
  if (line.get<int>("version") != kVersion)
    line.fail("key 'version': this twinrl reads version " + std::to_string(kVersion));
  RolloutHeader header;
  header.env_id = line.get<std::string>("env_id");
  header.config_yaml = line.get<std::string>("config_yaml");
  header.policy = line.get<std::string>("policy");
  header.training_step = line.get<int64_t>("training_step");
  header.seed = line.get<uint64_t>("seed");
  header.num_agents = line.get<int>("num_agents");
  header.observation_size = line.get<int64_t>("observation_size");
  header.action_size = line.get<int64_t>("action_size");
  if (header.num_agents < 1 || header.observation_size < 0 || header.action_size < 0)
    line.fail("num_agents, observation_size and action_size must be positive");
  header.discrete_actions = line.get<bool>("discrete_actions");
  header.control_period_s = line.get<double>("control_period_s");
  header.observation_names = line.get<std::vector<std::string>>("observation_names");
  header.action_names = line.get<std::vector<std::string>>("action_names");
  header.kpi_names = line.get<std::vector<std::string>>("kpi_names");
  return header;
}

RolloutStep read_step(const LineReader& line, const RolloutHeader& header, size_t expected_t) {
  if (line.get<int64_t>("t") != static_cast<int64_t>(expected_t))
    line.fail("key 't': expected step " + std::to_string(expected_t));
  RolloutStep step;
  step.observation = line.rows("observation", header.num_agents, header.observation_size);
  if (expected_t > 0) {
    step.action = line.rows("action", header.num_agents, header.action_size);
    step.reward = line.numbers("reward", line.at("reward"), header.num_agents);
  }
  step.terminated = line.get<bool>("terminated");
  step.truncated = line.get<bool>("truncated");
  step.kpis = line.numbers("kpis", line.at("kpis"), std::ssize(header.kpi_names));
  step.state = line.object("state");
  return step;
}

}  // namespace

void write_rollout(const std::filesystem::path& path, const Rollout& rollout) {
  std::filesystem::create_directories(path.parent_path().empty() ? "." : path.parent_path());
  std::string text = header_json(rollout.header).dump() + "\n";
  for (size_t k = 0; k < rollout.episodes.size(); ++k) {
    const RolloutEpisode& episode = rollout.episodes[k];
    const int index = static_cast<int>(k);
    text +=
        nlohmann::json{{"type", "episode"}, {"episode", index}, {"scene", episode.scene}}.dump() +
        "\n";
    for (size_t t = 0; t < episode.steps.size(); ++t)
      text += step_json(rollout.header, index, t, episode.steps[t]).dump() + "\n";
    text += nlohmann::json{{"type", "end"},
                           {"episode", index},
                           {"return", episode.episode_return},
                           {"length", std::max<int64_t>(std::ssize(episode.steps) - 1, 0)},
                           {"kpis", floats_json(episode.kpis)}}
                .dump() +
            "\n";
  }
  write_file_atomically(path, text);
}

Rollout read_rollout(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw RolloutError(path.string() + ": cannot open the rollout file");
  return parse_rollout(in, path.string());
}

Rollout parse_rollout(std::istream& in, const std::string& file) {
  Rollout rollout;
  RolloutEpisode* episode = nullptr;  // the open episode, until its end line
  std::string text;
  int line_number = 0;
  while (std::getline(in, text)) {
    ++line_number;
    if (text.empty()) continue;
    nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object())
      throw RolloutError(file + ":" + std::to_string(line_number) +
                         ": not a JSON object (a damaged or truncated file?)");
    const LineReader line(file, line_number, std::move(json));
    if (line_number == 1) {
      rollout.header = read_header(line);
      continue;
    }
    const std::string type = line.get<std::string>("type");
    const int64_t index = line.get<int64_t>("episode");
    if (type == "episode") {
      if (episode) line.fail("episode " + std::to_string(index) + " starts before the last ended");
      if (index != std::ssize(rollout.episodes))
        line.fail("key 'episode': expected " + std::to_string(rollout.episodes.size()));
      episode = &rollout.episodes.emplace_back();
      episode->scene = line.object("scene");
      continue;
    }
    if (!episode || index != std::ssize(rollout.episodes) - 1)
      line.fail("a '" + type + "' line outside episode " + std::to_string(index));
    if (type == "step") {
      episode->steps.push_back(read_step(line, rollout.header, episode->steps.size()));
    } else if (type == "end") {
      if (episode->steps.empty()) line.fail("episode ends before its first step");
      if (line.get<int64_t>("length") != std::ssize(episode->steps) - 1)
        line.fail("key 'length': the episode has " + std::to_string(episode->steps.size() - 1) +
                  " steps (is a line missing?)");
      episode->episode_return = line.get<double>("return");
      episode->kpis = line.numbers("kpis", line.at("kpis"), std::ssize(rollout.header.kpi_names));
      episode = nullptr;
    } else {
      line.fail("key 'type': unknown line type '" + type + "' (header, episode, step or end)");
    }
  }
  if (line_number == 0) throw RolloutError(file + ": empty file, not a rollout");
  if (episode)
    throw RolloutError(file + ":" + std::to_string(line_number) + ": episode " +
                       std::to_string(rollout.episodes.size() - 1) +
                       " has no end line (the file is cut short)");
  if (rollout.episodes.empty()) throw RolloutError(file + ": holds no episode");
  return rollout;
}

std::shared_ptr<const EnvModel> rebuild_env_model(const RolloutHeader& header,
                                                  const EnvRegistry& registry) {
  const ConfigNode root = parse_config_text(header.config_yaml, "the rollout's config_yaml");
  const ConfigNode env_node = root.child("env");
  EnvConfig env;
  read_fields(env_node, env);
  return registry.build(env.id, env_node.child("id"), env.params, env.randomize);
}

}  // namespace twinrl
