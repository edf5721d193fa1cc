#include "config/run_config.h"

#include <filesystem>

namespace twinrl {

void RunConfig::validate(const ConfigNode& node) const {
  // The name becomes a directory under runs/, so it must not lead anywhere else.
  if (name.find('/') != std::string::npos || name == "." || name == "..") {
    node.child("name").fail("'" + name + "' is not a plain directory name");
  }
}

RunConfig load_run_config(const std::string& path, const std::vector<std::string>& overrides) {
  RunConfig config;
  config.source = load_config_file(path, overrides);
  // All defaults is a legal experiment, but an empty file is a mistake (a
  // wrong path, an unsaved editor), not a request to train CartPole.
  if (!config.source.defined())
    config.source.fail(
        "the config is empty: an experiment names at least its environment "
        "(env: {id: ...}; see configs/)");
  read_fields(config.source, config);
  if (config.name.empty()) config.name = std::filesystem::path(path).stem().string();
  return config;
}

}  // namespace twinrl
