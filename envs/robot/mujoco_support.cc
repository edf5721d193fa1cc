#include "envs/robot/mujoco_support.h"

#include <array>
#include <mutex>

namespace twinrl::robot {
namespace {

[[noreturn]] void throw_mujoco_error(const char* message) {
  throw MujocoError(std::string("MuJoCo error: ") + message);
}

void ignore_mujoco_warning(const char*) {}

}  // namespace

void install_mujoco_handlers() {
  static std::once_flag installed;
  std::call_once(installed, [] {
    mju_user_error = throw_mujoco_error;
    mju_user_warning = ignore_mujoco_warning;
  });
}

MjModelPtr load_mjcf(const std::string& path) {
  install_mujoco_handlers();
  std::array<char, 1024> error{};
  MjModelPtr model(mj_loadXML(path.c_str(), nullptr, error.data(), static_cast<int>(error.size())));
  if (!model) throw MujocoError(error.data());
  return model;
}

MjModelPtr copy_model(const mjModel& model) {
  MjModelPtr copy(mj_copyModel(nullptr, &model));
  if (!copy) throw MujocoError("cannot copy the MuJoCo model");
  return copy;
}

MjDataPtr make_data(const mjModel& model) {
  MjDataPtr data(mj_makeData(&model));
  if (!data) throw MujocoError("cannot allocate MuJoCo data");
  return data;
}

}  // namespace twinrl::robot
