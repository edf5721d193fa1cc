#include "twins/arm_calibration.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string_view>

#include "config/closest_match.h"

namespace twinrl {
namespace {

constexpr std::string_view kLatency = "control_latency_steps";
constexpr std::string_view kNoise = "observation_noise";
// Default search range: the guess divided and multiplied by this.
constexpr double kDefaultRange = 5;

// Writes `value` at the dotted `name` ("physics.link_mass_scale") of `patch`.
void set_dotted(YAML::Node patch, std::string_view name, double value) {
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos) {
    patch[std::string(name)] = value;
    return;
  }
  set_dotted(patch[std::string(name.substr(0, dot))], name.substr(dot + 1), value);
}

}  // namespace

ArmCalibrationSpec read_arm_calibration_spec(const ConfigNode& calibrate,
                                             const robot::ArmModel& guess) {
  ArmCalibrationSpec spec;
  read_fields(calibrate, spec);
  const ParameterTable& parameters = guess.parameters();
  std::vector<std::string> real_names;
  for (const ParameterInfo& info : parameters.infos())
    if (info.real && info.name.find('[') == std::string::npos) real_names.push_back(info.name);
  ArmFitSettings& settings = spec.settings;
  settings.confidence = spec.confidence;
  settings.max_iterations = spec.max_iterations;
  for (size_t i = 0; i < spec.parameters.size(); ++i) {
    const std::string& name = spec.parameters[i];
    const ConfigNode at = calibrate.child("parameters").element(i);
    if (std::ranges::find(real_names, name) == real_names.end()) {
      std::string message = "'" + name + "' is not a real-valued scalar parameter of " +
                            guess.spec().id + " that a twin can calibrate";
      if (const auto close = closest_match(name, real_names))
        message += "; did you mean '" + *close + "'?";
      at.fail(message);
    }
    if (std::ranges::count(spec.parameters, name) > 1) at.fail("'" + name + "' is listed twice");
    const size_t index = parameters.index_of(name);
    const double value = parameters.value(index);
    if (name == kLatency) {
      settings.latency_index = index;
      settings.latency_guess = static_cast<int>(std::lround(value));
      continue;
    }
    if (name == kNoise) continue;  // from the residuals, after the fit
    const ParameterInfo& info = parameters.info(index);
    ArmFitParameter p{.name = name, .index = index, .guess = value};
    p.low = value > 0 ? value / kDefaultRange : info.min.value_or(0);
    p.high = value > 0 ? value * kDefaultRange : 1;
    if (info.min) p.low = std::max(p.low, *info.min);
    if (info.max) p.high = std::min(p.high, *info.max);
    settings.parameters.push_back(p);
  }
  for (const std::string& key : spec.bounds.keys()) {
    const ConfigNode range = spec.bounds.child(key);
    const auto p = std::ranges::find(settings.parameters, key, &ArmFitParameter::name);
    if (p == settings.parameters.end())
      spec.bounds.fail_at_key(key, "'" + key +
                                       "' is not among twin.calibrate.parameters fitted by least "
                                       "squares (latency and noise take no bounds)");
    std::vector<double> values;
    schema_detail::read_value(range, values, {});
    if (values.size() != 2 || !(values[0] < values[1]))
      range.fail("expected [low, high] with low < high");
    const ParameterInfo& info = parameters.info(p->index);
    if ((info.min && values[0] < *info.min) || (info.max && values[1] > *info.max))
      range.fail("outside the parameter's range [" +
                 format_parameter_value(info.min.value_or(-HUGE_VAL)) + ", " +
                 format_parameter_value(info.max.value_or(HUGE_VAL)) + "]");
    p->low = values[0];
    p->high = values[1];
  }
  return spec;
}

std::vector<ArmTrajectoryLog> read_arm_logs(const std::string& folder,
                                            const std::vector<std::string>& files,
                                            const robot::ArmModel& model) {
  std::vector<ArmTrajectoryLog> logs;
  for (const std::string& file : files)
    logs.push_back(read_arm_trajectory_log(std::filesystem::path(folder) / file, model));
  return logs;
}

std::vector<const ArmLogEpisode*> replayed_episodes(const std::vector<ArmTrajectoryLog>& logs) {
  std::vector<const ArmLogEpisode*> episodes;
  for (const ArmTrajectoryLog& log : logs)
    for (const ArmLogEpisode& episode : log.episodes)
      if (episode.steps > 1) episodes.push_back(&episode);
  return episodes;
}

ArmFidelity measure_arm_fidelity(const robot::ArmModel& model,
                                 const std::vector<ArmTrajectoryLog>& logs, WorkerPool& pool) {
  const std::vector<const ArmLogEpisode*> episodes = replayed_episodes(logs);
  ArmTrajectoryFit replays(model, episodes, pool);
  std::vector<double> r(replays.num_residuals());
  replays.residuals({}, r);
  const int n = model.layout().num_arm_joints();
  const double period = model.spec().control_period_s;
  // Residuals come per transition: n positions, then n velocities x period.
  std::vector<double> position_squares(n), velocity_squares(n);
  for (size_t i = 0; i < r.size(); i += 2 * n)
    for (int j = 0; j < n; ++j) {
      position_squares[j] += r[i + j] * r[i + j];
      velocity_squares[j] += r[i + n + j] * r[i + n + j] / (period * period);
    }
  const double transitions = static_cast<double>(r.size() / (2 * n));
  ArmFidelity fidelity;
  for (int j = 0; j < n; ++j) {
    fidelity.joints.push_back(model.layout().arm[j].name);
    fidelity.position_rmse.push_back(std::sqrt(position_squares[j] / transitions));
    fidelity.velocity_rmse.push_back(std::sqrt(velocity_squares[j] / transitions));
  }
  // The first episode's replay: its logged positions plus the residuals,
  // which lead the residual vector.
  const ArmLogEpisode& first = *episodes.front();
  fidelity.replayed = logged_positions(model, first);
  for (int step = 0; step < first.steps; ++step) fidelity.time_s.push_back(step * period);
  for (int step = 1; step < first.steps; ++step)
    for (int j = 0; j < n; ++j) fidelity.replayed[j][step] += r[(step - 1) * 2 * n + j];
  return fidelity;
}

std::vector<std::vector<double>> logged_positions(const robot::ArmModel& model,
                                                  const ArmLogEpisode& first) {
  const int nq = model.mujoco_model()->nq;
  std::vector<std::vector<double>> positions;
  for (const robot::ActuatedJoint& joint : model.layout().arm) {
    positions.emplace_back();
    for (int step = 0; step < first.steps; ++step)
      positions.back().push_back(first.qpos[step * nq + joint.qpos]);
  }
  return positions;
}

ArmCalibration calibrate_arm(const robot::ArmModel& guess,
                             const std::vector<ArmTrajectoryLog>& logs,
                             const ArmCalibrationSpec& settings, const TwinSpec& spec,
                             WorkerPool& pool) {
  const std::vector<const ArmLogEpisode*> episodes = replayed_episodes(logs);
  ArmTrajectoryFit problem(guess, episodes, pool, settings.horizon);
  ArmCalibration result;
  result.fit = problem.fit(settings.settings);
  result.notes = result.fit.notes;
  result.params_patch = YAML::Node(YAML::NodeType::Map);
  const ParameterTable& parameters = guess.parameters();
  for (size_t j = 0; j < settings.settings.parameters.size(); ++j) {
    const ArmFitParameter& p = settings.settings.parameters[j];
    const Estimate& estimate = result.fit.estimates[j];
    result.values.push_back({.parameter = p.name, .estimate = estimate, .guess = p.guess});
    if (estimate.identified) set_dotted(result.params_patch, p.name, estimate.value);
  }
  if (settings.settings.latency_index) {
    const double steps = result.fit.latency_steps;
    result.values.push_back({.parameter = std::string(kLatency),
                             .estimate = {.value = steps, .low = steps, .high = steps},
                             .guess = double(settings.settings.latency_guess)});
    set_dotted(result.params_patch, kLatency, steps);
  }
  if (std::ranges::count(settings.parameters, kNoise) > 0) {
    result.values.push_back({.parameter = std::string(kNoise),
                             .estimate = result.fit.position_noise,
                             .guess = parameters.value(kNoise)});
    set_dotted(result.params_patch, kNoise, result.fit.position_noise.value);
  }
  result.randomize = randomize_from_fit(result.values, spec, parameters, true, result.notes);
  return result;
}

}  // namespace twinrl
