#include "core/env.h"

#include <array>
#include <string>

namespace twinrl {

void Env::reset(const EnvOutput& out) {
  if (randomization_) randomization_->draw(parameters_, rng_);
  reset_episode(out);
}

void Env::set_parameter(size_t index, double value) {
  const NumberRef& parameter = parameters_.at(index);
  if (!parameter.is_real())
    throw ParameterError("parameter " + std::to_string(index) +
                         " is an integer, which shapes an env's buffers: change it with "
                         "EnvModel::with_parameters");
  parameter.set(value);
}

void Env::save(StateWriter& out) const {
  out.write(rng_.state());
  for (const NumberRef& parameter : parameters_) {
    const std::string_view bytes = parameter.bytes();
    out.write(std::span<const char>(bytes.data(), bytes.size()));
  }
  // Saving only reads through the archive; archive_state is not const because
  // the same declaration loads.
  StateArchive archive(out);
  const_cast<Env*>(this)->archive_state(archive);
}

void Env::load(StateReader& in) {
  rng_.set_state(in.read<Rng::State>());
  for (const NumberRef& parameter : parameters_) {
    std::array<char, 8> bytes;  // the widest number type
    const std::span<char> saved(bytes.data(), parameter.bytes().size());
    in.read(saved);
    parameter.set_bytes({saved.data(), saved.size()});
  }
  StateArchive archive(in);
  archive_state(archive);
}

std::unique_ptr<Env> EnvModel::make_env() const {
  std::unique_ptr<Env> env = create_env();
  // A model made outside the registry has no table (and so no randomization).
  if (parameters_.size() != 0 && env->parameters_.size() != parameters_.size())
    throw std::logic_error("env " + spec_.id + ": its envs have " +
                           std::to_string(env->parameters_.size()) + " parameters, its model " +
                           std::to_string(parameters_.size()));
  if (!randomization_.empty()) env->randomization_ = &randomization_;
  return env;
}

void EnvModel::bind(ParameterTable parameters, Randomization randomization, Rebuild rebuild) {
  parameters_ = std::move(parameters);
  randomization_ = std::move(randomization);
  rebuild_ = std::move(rebuild);
}

std::shared_ptr<const EnvModel> EnvModel::with_parameters(
    const std::vector<ParameterValue>& overrides,
    const std::vector<ParameterWindow>& windows) const {
  if (!rebuild_)
    throw std::logic_error("env " + spec_.id +
                           ": only a model built by the registry can be rebuilt with parameters");
  std::shared_ptr<EnvModel> model = rebuild_(overrides);
  for (const ParameterWindow& window : windows) {
    if (window.parameter >= parameters_.size() || !parameters_.info(window.parameter).real)
      throw ParameterError("a parameter window changes parameter " +
                           std::to_string(window.parameter) +
                           ", which is not a real-valued parameter of " + spec_.id);
    parameters_.check(window.parameter, window.value);
  }
  model->windows_ = windows;
  return model;
}

}  // namespace twinrl
