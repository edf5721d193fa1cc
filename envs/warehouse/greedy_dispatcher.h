#pragma once
// The greedy dispatcher that warehouse operators use as a first baseline: each
// empty robot takes the nearest requested shelf not yet taken, carries it to
// the nearest pick station, then returns it to the nearest free shelf cell.
// Moves are planned one step at a time with priority inheritance (PIBT), so
// that robots meeting head-on in a one-wide aisle, or one boxed in between
// others, make way instead of blocking each other for the rest of an episode.
// Stateless: goals and moves are recomputed from the env's state at every step.
#include "core/baseline_policy.h"

namespace twinrl::warehouse {

class GreedyDispatcher : public BaselinePolicy {
 public:
  // `env` must be a WarehouseEnv; writes one discrete action per robot.
  void act(const Env& env, const ActionOutput& out) const override;
};

}  // namespace twinrl::warehouse
