#pragma once
// The two ways a controller runs an exported policy: a TorchScript file
// loaded at start-up, or the C header compiled into the program.
#include <filesystem>

#include "control_loop.h"

namespace robot_controller {

// `twinrl export --format torchscript`: policy.pt, run on one thread.
PolicyFunction load_torchscript_policy(const std::filesystem::path& file, int64_t observation_size,
                                       int64_t action_size);

// `twinrl export --format c`: the header named at configure time by
// ROBOT_CONTROLLER_POLICY_HEADER. Throws if its sizes differ from the robot's.
PolicyFunction compiled_c_policy(int64_t observation_size, int64_t action_size);

}  // namespace robot_controller
