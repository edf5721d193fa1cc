#pragma once
// A scripted landing controller: proportional-derivative loops on the tilt
// (leaning towards the pad to cancel the horizontal offset and drift) and on
// the height (descending along a glide path that reaches the ground over the
// pad); once a leg touches, only the descent is braked. In the spirit of
// Gymnasium's documented heuristic, with gains of its own.
#include "core/baseline_policy.h"

namespace twinrl::lander {

class PdController : public BaselinePolicy {
 public:
  // Reads a LanderEnv's observation; writes Discrete(4) or Box(2) actions.
  void act(const Env& env, const ActionOutput& out) const override;
};

}  // namespace twinrl::lander
