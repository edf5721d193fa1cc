#pragma once
// A run of the arm written as a trajectory log: the synthetic reality of
// `twin synth` for an arm twin (a hidden truth under an excitation, a
// baseline or a trained policy), logged as the robot controller logs.
#include <cstdint>
#include <string>

#include "envs/robot/arm_env.h"
#include "twins/facility_policy.h"

namespace twinrl {

// Runs episodes of `robot` (seeded with `seed`) under `policy` until `steps`
// control steps are logged to `path`; an episode that goes unstable ends
// there. Returns the number of episodes. Throws std::runtime_error if the log
// cannot be written.
int64_t log_arm_run(const robot::ArmModel& robot, const FacilityPolicy& policy, int64_t steps,
                    uint64_t seed, const std::string& path);

}  // namespace twinrl
