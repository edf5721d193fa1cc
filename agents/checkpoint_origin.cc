#include "agents/checkpoint_origin.h"

#include <stdexcept>
#include <string>

namespace twinrl {
namespace {

constexpr const char* kEnvKey = "origin/env";
constexpr const char* kAlgorithmKey = "origin/algorithm";

std::string saved_text(torch::serialize::InputArchive& archive, const char* key) {
  c10::IValue value;
  if (!archive.try_read(key, value)) return {};
  if (!value.isString()) throw std::invalid_argument(std::string("'") + key + "' is not text");
  return value.toStringRef();
}

}  // namespace

void write_checkpoint_origin(torch::serialize::OutputArchive& archive,
                             const Experiment& experiment) {
  archive.write(kEnvKey, c10::IValue(experiment.env_model->spec().id));
  archive.write(kAlgorithmKey, c10::IValue(experiment.agent.algorithm));
}

void check_checkpoint_origin(torch::serialize::InputArchive& archive,
                             const Experiment& experiment) {
  const std::string env = saved_text(archive, kEnvKey);
  const std::string algorithm = saved_text(archive, kAlgorithmKey);
  if (env.empty() && algorithm.empty()) return;
  const std::string& wanted_env = experiment.env_model->spec().id;
  const std::string& wanted_algorithm = experiment.agent.algorithm;
  if (env != wanted_env || algorithm != wanted_algorithm)
    throw std::invalid_argument("it was trained with " + algorithm + " on " + env +
                                ", the config asks for " + wanted_algorithm + " on " + wanted_env);
}

}  // namespace twinrl
