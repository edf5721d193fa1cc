#pragma once
// Excitation signals for system identification (robot_controller `--excitation`): actions that
// move every joint through its range at many speeds, in place of a policy.
// Logged with `--log`, they show a robot's dynamics better than a policy's
// few smooth motions to its targets.
#include <cstdint>
#include <functional>
#include <string>

#include "core/env_spec.h"

namespace twinrl {

// observation -> action, as a policy computes it (an excitation ignores the
// observation).
using ActionSource = std::function<void(const float* observation, float* action)>;

// "steps": every action a new uniform draw in the action space's bounds, held
// for 5 control steps. "chirp": each action a sine over its bounds whose
// frequency sweeps from 1 to 10 cycles per episode, phases spread over the
// actions. The same seed gives the same actions.
// Throws std::invalid_argument for another name.
ActionSource excitation_signal(const std::string& kind, const EnvSpec& spec, uint64_t seed);

}  // namespace twinrl
