#pragma once
// Owning handles for MuJoCo's model and data, MJCF loading, and error handlers
// that keep MuJoCo from ending the process: its default error handler calls
// exit(), which would take a whole training run down with one bad env.
#include <mujoco/mujoco.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace twinrl::robot {

// What MuJoCo's error handler throws (it is called where MuJoCo would exit).
class MujocoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MjModelDeleter {
  void operator()(mjModel* model) const { mj_deleteModel(model); }
};
struct MjDataDeleter {
  void operator()(mjData* data) const { mj_deleteData(data); }
};
using MjModelPtr = std::unique_ptr<mjModel, MjModelDeleter>;
using MjDataPtr = std::unique_ptr<mjData, MjDataDeleter>;

// Installs, once per process and thread-safely, an error handler that throws
// MujocoError and a warning handler that stays quiet: warnings are counted in
// mjData::warning, where the env reads them.
void install_mujoco_handlers();

// Loads and compiles an MJCF file; throws MujocoError with MuJoCo's message.
MjModelPtr load_mjcf(const std::string& path);
// A private copy of `model`.
MjModelPtr copy_model(const mjModel& model);
MjDataPtr make_data(const mjModel& model);

}  // namespace twinrl::robot
