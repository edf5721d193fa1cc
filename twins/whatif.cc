#include "twins/whatif.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "agents/evaluate.h"
#include "agents/train.h"
#include "config/config_error.h"
#include "config/schema.h"
#include "core/parameter_mapping.h"
#include "envs/builtin_envs.h"
#include "rundir/atomic_file.h"
#include "rundir/run_dir.h"
#include "twins/whatif_report.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

// One change: "x1.5" multiplies the config's value, "+3" or "-3" adds to
// it, a plain number replaces it.
double changed_value(const ConfigNode& node, double base) {
  if (!node.yaml().IsScalar())
    node.fail("expected a value (2.5), a factor (x1.5) or a change (+3, -0.5), got " +
              node.describe());
  const std::string& text = node.yaml().Scalar();
  const auto number = [&](std::string_view digits) {
    if (digits.starts_with('+')) digits.remove_prefix(1);
    double value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size())
      node.fail("expected a value (2.5), a factor (x1.5) or a change (+3, -0.5), got '" + text +
                "'");
    if (!std::isfinite(value)) node.fail("'" + text + "' is not a finite number");
    return value;
  };
  if (text.starts_with('x')) return base * number(std::string_view(text).substr(1));
  if (text.starts_with('+') || text.starts_with('-')) return base + number(text);
  return number(text);
}

// The change `value` to parameter `index`, within the parameter's bounds.
double checked_change(const ConfigNode& value, const ParameterTable& parameters, size_t index) {
  const double changed = changed_value(value, parameters.value(index));
  try {
    parameters.check(index, changed);
  } catch (const ParameterError& error) {
    value.fail(error.what());
  }
  return changed;
}

// A scenario's change for part of every episode.
struct WindowSpec {
  int64_t from = 0, to = 0;
  ConfigNode changes;
  template <class Visitor>
  void visit(Visitor& v) {
    v("from", from,
      {.doc = "the first step (period) of the change, from 0 at the episode's start", .min = 0});
    v("to", to, {.doc = "the step (period) at which the change ends", .min = 1});
    v("changes", changes, {.doc = "real-valued parameter changes, written as a scenario's"});
  }
};

// Reads the `windows` list of a scenario into it.
void read_windows(const ConfigNode& list, const ParameterTable& parameters, Scenario& scenario) {
  if (!list.yaml().IsSequence())
    list.fail(
        "expected a list of windows ([{from: 10, to: 20, changes: {parameter: value}}]), "
        "got " +
        list.describe());
  for (size_t i = 0; i < list.yaml().size(); ++i) {
    const ConfigNode node = list.element(i);
    WindowSpec window;
    read_fields(node, window);
    if (window.to <= window.from)
      node.child("to").fail("must be after from (" + std::to_string(window.from) + ")");
    if (!window.changes.defined()) node.fail("a window needs changes: {parameter: value}");
    for_each_parameter_entry(
        window.changes, parameters, true, [&](size_t index, const ConfigNode& value) {
          const double changed = checked_change(value, parameters, index);
          for (size_t other = 0; other < scenario.windows.size(); ++other) {
            const ParameterWindow& earlier = scenario.windows[other];
            if (earlier.parameter == index && earlier.from_step < window.to &&
                window.from < earlier.to_step)
              value.fail("overlaps the change of '" + parameters.info(index).name + "' at " +
                         scenario.window_nodes[other].location() + " (steps " +
                         std::to_string(earlier.from_step) + " to " +
                         std::to_string(earlier.to_step) + "): one change at a time");
          }
          scenario.windows.push_back({.parameter = index,
                                      .value = changed,
                                      .from_step = window.from,
                                      .to_step = window.to});
          scenario.window_nodes.push_back(value);
        });
  }
}

// Who acts: a name evaluate() knows, or a run directory.
struct PolicyChoice {
  std::string label;
  EvaluationPolicy policy;
  std::optional<Experiment> run;  // a trained run's experiment (its network)
};

std::vector<PolicyChoice> choose_policies(const WhatIfOptions& options, const EnvModel& model) {
  std::vector<std::string> names = options.policies;
  if (names.empty()) names = model.baseline_names();
  if (names.empty()) names = {"random"};
  std::vector<PolicyChoice> choices;
  const std::vector<std::string> known = policy_names(model);
  for (const std::string& name : names) {
    if (fs::is_directory(name)) {
      PolicyChoice choice{
          .label = fs::path(name).filename().string(),
          .policy = {.name = "trained", .checkpoint = RunDir(name).checkpoint("best")},
          .run = load_run_experiment(name, builtin_envs())};
      const EnvSpec& trained = choice.run->env_model->spec();
      if (trained.observation_space.size() != model.spec().observation_space.size() ||
          trained.action_space.size() != model.spec().action_space.size())
        throw ConfigError("--policy " + name + ": the run's policy was trained on " + trained.id +
                          " with " + std::to_string(trained.observation_space.size()) +
                          " observations; the config's env has " +
                          std::to_string(model.spec().observation_space.size()));
      choices.push_back(std::move(choice));
      continue;
    }
    if (std::ranges::find(known, name) == known.end() || name == "trained") {
      std::string list;
      for (const std::string& option : known)
        if (option != "trained") list += (list.empty() ? "" : ", ") + option;
      throw ConfigError("--policy " + name + ": not a run directory nor a policy of " +
                        model.spec().id + " (" + list + ")");
    }
    choices.push_back({.label = name, .policy = {.name = name, .checkpoint = {}}, .run = {}});
  }
  return choices;
}

}  // namespace

std::vector<Scenario> read_scenarios(const ConfigNode& file, const ParameterTable& parameters) {
  if (!file.defined() || !file.yaml().IsMap())
    file.fail(
        "expected a mapping with a 'scenarios' key (scenarios: {name: {parameter: "
        "value}, ...})");
  for (const std::string& key : file.keys())
    if (key != "scenarios") file.fail_at_key(key, "unknown key '" + key + "' (only 'scenarios')");
  const ConfigNode list = file.child("scenarios");
  if (!list.yaml().IsMap() || list.yaml().size() == 0)
    list.fail("expected a mapping of scenario names to parameter changes, got " + list.describe());
  std::vector<Scenario> scenarios;
  for (const std::string& name : list.keys()) {
    const ConfigNode changes = list.child(name);
    Scenario& scenario =
        scenarios.emplace_back(Scenario{.name = name, .overrides = {}, .node = changes});
    if (!changes.defined()) continue;
    for_each_parameter_entry(
        changes, parameters, false,
        [&](size_t index, const ConfigNode& value) {
          const double changed = checked_change(value, parameters, index);
          scenario.overrides.push_back({.name = parameters.info(index).name, .value = changed});
        },
        {"windows"});
    if (const ConfigNode windows = changes.child("windows"); windows.defined())
      read_windows(windows, parameters, scenario);
  }
  return scenarios;
}

void twin_whatif(const WhatIfOptions& options) {
  const Experiment base = load_experiment(options.config, options.overrides, builtin_envs());
  const std::vector<Scenario> scenarios =
      options.scenarios.empty()
          ? std::vector<Scenario>{{.name = "as configured", .overrides = {}, .node = {}}}
          : read_scenarios(load_config_file(options.scenarios), base.env_model->parameters());
  const std::vector<PolicyChoice> policies = choose_policies(options, *base.env_model);
  const uint64_t seed = options.seed.value_or(base.run.seed);

  WhatIfResults results{.config = options.config,
                        .scenarios_file = options.scenarios,
                        .episodes = options.episodes,
                        .seed = seed};
  for (const PolicyChoice& policy : policies) results.policies.push_back(policy.label);
  results.kpi_names.push_back("return");
  for (const std::string& name : base.env_model->spec().kpi_names)
    results.kpi_names.push_back(name);
  // Every scenario's env first, so that one the env refuses (more robots than
  // start cells) is an error at its place in the file before anything runs.
  std::vector<std::shared_ptr<const EnvModel>> models;
  for (const Scenario& scenario : scenarios) {
    if (scenario.overrides.empty() && scenario.windows.empty()) {
      models.push_back(base.env_model);
      continue;
    }
    const int max_steps = base.env_model->spec().max_episode_steps;
    for (size_t w = 0; w < scenario.windows.size(); ++w)
      if (max_steps > 0 && scenario.windows[w].from_step >= max_steps)
        scenario.window_nodes[w].fail(
            "its window starts at step " + std::to_string(scenario.windows[w].from_step) +
            ", after the episode's last (max_episode_steps " + std::to_string(max_steps) + ")");
    try {
      models.push_back(base.env_model->with_parameters(scenario.overrides, scenario.windows));
    } catch (const std::exception& error) {
      std::string message = error.what();
      // The env's own checks locate their message in its defaults: the
      // scenario is what to point at.
      if (message.starts_with("<defaults>: ")) message.erase(0, 12);
      scenario.node.fail("the env refuses this scenario: " + message);
    }
  }
  const auto start = std::chrono::steady_clock::now();
  for (size_t s = 0; s < scenarios.size(); ++s) {
    const Scenario& scenario = scenarios[s];
    const std::shared_ptr<const EnvModel>& model = models[s];
    std::vector<std::vector<std::vector<float>>>& values = results.values.emplace_back();
    results.scenarios.push_back(scenario.name);
    for (const PolicyChoice& policy : policies) {
      Experiment experiment = policy.run ? *policy.run : base;
      experiment.env_model = model;
      // The same seed for every policy and scenario: common random numbers.
      const EvaluationResult result = evaluate(experiment, policy.policy, options.episodes, seed);
      std::vector<std::vector<float>>& per_kpi = values.emplace_back();
      per_kpi.push_back(result.returns);
      for (const std::vector<float>& kpi : result.kpis) per_kpi.push_back(kpi);
      std::printf("%-24s %-20s return %10.2f  (%.1f s)\n", scenario.name.c_str(),
                  policy.label.c_str(), mean_and_std(result.returns).first,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      std::fflush(stdout);
    }
  }
  std::printf("\n%s", whatif_markdown(results).c_str());
  fs::path html = options.out;
  if (html.empty())
    html = options.scenarios.empty()
               ? fs::path(options.config).filename().replace_extension(".compare.html")
               : fs::path(options.scenarios).replace_extension(".report.html");
  const nlohmann::json report = whatif_json(results);
  fs::path json_path = html;
  json_path.replace_extension(".json");
  write_file_atomically(json_path, report.dump(2) + "\n");
  write_file_atomically(html, whatif_html(report));
  std::printf("\nreport: %s (and %s)\n", html.c_str(), json_path.c_str());
}

}  // namespace twinrl
