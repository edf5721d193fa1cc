#include "viewer/page_data.h"

#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

#include "rundir/atomic_file.h"
#include "rundir/run_dir.h"

namespace twinrl::viewer {
namespace {

nlohmann::json header_json(const RolloutHeader& header) {
  return {{"env_id", header.env_id},
          {"policy", header.policy},
          {"training_step", header.training_step},
          {"num_agents", header.num_agents},
          {"action_size", header.action_size},
          {"discrete_actions", header.discrete_actions},
          {"control_period_s", header.control_period_s},
          {"kpi_names", header.kpi_names},
          {"action_names", header.action_names},
          {"observation_names", header.observation_names}};
}

nlohmann::json steps_json(const RolloutEpisode& episode) {
  nlohmann::json steps = nlohmann::json::array();
  double cumulative = 0;
  for (size_t t = 0; t < episode.steps.size(); ++t) {
    const RolloutStep& step = episode.steps[t];
    cumulative += std::accumulate(step.reward.begin(), step.reward.end(), 0.0);
    steps.push_back({{"t", t},
                     {"action", step.action},
                     {"reward", step.reward},
                     {"return", cumulative},
                     {"kpis", step.kpis},
                     {"terminated", step.terminated},
                     {"truncated", step.truncated}});
  }
  return steps;
}

// "12.5" for numbers, null for NaN and empty fields.
nlohmann::json csv_value(const std::string& field) {
  if (field.empty()) return nullptr;
  char* end = nullptr;
  const double value = std::strtod(field.c_str(), &end);
  if (end == field.c_str() || !std::isfinite(value)) return nullptr;
  return value;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

nlohmann::json curves_json(const std::filesystem::path& metrics_csv) {
  std::ifstream in(metrics_csv);
  if (!in) return nullptr;
  std::string line;
  if (!std::getline(in, line)) return nullptr;
  nlohmann::json curves = {{"columns", split_csv_line(line)}, {"rows", nlohmann::json::array()}};
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json row = nlohmann::json::array();
    for (const std::string& field : split_csv_line(line)) row.push_back(csv_value(field));
    curves["rows"].push_back(std::move(row));
  }
  return curves;
}

nlohmann::json mean_and_std_json(const std::vector<float>& values) {
  if (values.empty()) return {{"mean", nullptr}, {"std", nullptr}};
  const auto [mean, std] = mean_and_std(values);
  return {{"mean", mean}, {"std", std}};
}

}  // namespace

nlohmann::json player_data(const Rollout& rollout, const SceneDrawer* drawer) {
  nlohmann::json episodes = nlohmann::json::array();
  for (const RolloutEpisode& episode : rollout.episodes) {
    nlohmann::json json = {{"background", nullptr},        {"frames", nullptr},
                           {"steps", steps_json(episode)}, {"return", episode.episode_return},
                           {"kpis", episode.kpis},         {"length", episode.steps.size() - 1}};
    if (drawer) {
      const EpisodePicture picture = drawer->draw(episode);
      json["background"] = picture.background.to_json();
      json["frames"] = nlohmann::json::array();
      for (const Drawing& frame : picture.frames) json["frames"].push_back(frame.to_json());
    }
    episodes.push_back(std::move(json));
  }
  return {{"header", header_json(rollout.header)}, {"episodes", std::move(episodes)}};
}

nlohmann::json report_data(const std::filesystem::path& run_dir,
                           const std::vector<EvaluationSummary>& evaluations) {
  nlohmann::json table = nlohmann::json::array();
  for (const auto& [policy, result] : evaluations) {
    nlohmann::json kpis = nlohmann::json::object();
    for (size_t k = 0; k < result.kpi_names.size(); ++k)
      kpis[result.kpi_names[k]] = mean_and_std_json(result.kpis[k]);
    table.push_back({{"policy", policy},
                     {"episodes", result.returns.size()},
                     {"return", mean_and_std_json(result.returns)},
                     {"kpis", std::move(kpis)}});
  }
  const RunDir run(run_dir);
  const std::filesystem::path config = run.config();
  return {{"run", run_dir.string()},
          {"curves", curves_json(run.metrics_csv())},
          {"evaluations", std::move(table)},
          {"config_yaml", std::filesystem::exists(config) ? read_file(config) : ""}};
}

std::string page_title(const std::string& source, const RolloutHeader& header) {
  std::string title = source + ": " + header.policy;
  if (header.training_step >= 0) title += " (step " + std::to_string(header.training_step) + ")";
  return title + " on " + header.env_id;
}

}  // namespace twinrl::viewer
