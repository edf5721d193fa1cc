#pragma once
// The scripted baseline of a warehouse AMR: follow the shortest grid path to
// the pick point (the env's waypoint, from the model's distance fields) with a
// pursuit controller that turns towards the waypoint, drives slower the larger
// its heading error, and slows down for whatever the lidar sees in the robot's
// path (people, robots, shelves), stopping short of it. Stateless.
#include "core/baseline_policy.h"

namespace twinrl::amr {

class AmrPlanner : public BaselinePolicy {
 public:
  // `env` must be an AmrEnv; writes its two continuous actions.
  void act(const Env& env, const ActionOutput& out) const override;
};

}  // namespace twinrl::amr
