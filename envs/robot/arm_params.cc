#include "envs/robot/arm_params.h"

#include <filesystem>
#include <stdexcept>

#include "envs/robot/arm_env.h"

namespace twinrl::robot {
namespace {

namespace fs = std::filesystem;

const fs::path kAssets = TWINRL_ROBOT_ASSETS;

void check_corners(const ConfigNode& node, const char* low_key, const std::vector<double>& low,
                   const char* high_key, const std::vector<double>& high, size_t size) {
  const std::string expected = size == 3 ? "[x, y, z]" : "[x, y]";
  if (low.size() != size) node.child(low_key).fail("expected " + expected);
  if (high.size() != size) node.child(high_key).fail("expected " + expected);
  for (size_t i = 0; i < size; ++i)
    if (low[i] > high[i])
      node.child(high_key).fail("below " + std::string(low_key) + " in coordinate " +
                                std::to_string(i));
}

}  // namespace

std::string ArmParams::model_path() const {
  if (!model.empty()) return model;
  return (kAssets / (moves_box() ? "arm_box.xml" : "arm_reach.xml")).string();
}

void ArmParams::validate(const ConfigNode& node) {
  check_corners(node, "target_low", target_low, "target_high", target_high, 3);
  check_corners(node, "box_low", box_low, "box_high", box_high, 2);
  const ConfigNode model_node = node.child("model");
  if (!model.empty()) {
    // Relative to the config file, else one of the built-in scenes; stored
    // absolute so that a run's resolved config finds it too.
    fs::path path(model);
    if (path.is_relative()) {
      const fs::path config_dir = fs::path(model_node.source_name()).parent_path();
      const fs::path beside_config = fs::absolute(config_dir / path).lexically_normal();
      if (!model_node.source_name().empty() && fs::exists(beside_config))
        path = beside_config;
      else if (fs::exists(kAssets / path))
        path = kAssets / path;
      else
        model_node.fail("no MJCF file '" + model + "' beside the config (" +
                        beside_config.string() + ") or among the built-in scenes (" +
                        kAssets.string() + ")");
    } else if (!fs::exists(path)) {
      model_node.fail("no MJCF file " + model);
    }
    model = fs::absolute(path).lexically_normal().string();
  }
  try {
    const ArmModel trial(*this);
  } catch (const std::invalid_argument& error) {
    model_node.fail(error.what());
  }
}

}  // namespace twinrl::robot
