#pragma once
// The greedy dispatcher that warehouse operators use as a first baseline: each
// empty robot takes the nearest requested shelf not yet taken, carries it to
// the nearest pick station, then returns it to the nearest free shelf cell;
// every route is a shortest path over (cell, heading). Robots are routed in
// an order of right of way; one without a way that stands in the way of a
// robot before it pulls over, so two robots meeting head-on in a one-wide
// aisle do not block each other for the rest of an episode. Stateless: the
// assignment is recomputed from the env's state at every step.
#include "core/baseline_policy.h"

namespace twinrl::warehouse {

class GreedyDispatcher : public BaselinePolicy {
 public:
  // `env` must be a WarehouseEnv; writes one discrete action per robot.
  void act(const Env& env, const ActionOutput& out) const override;
};

}  // namespace twinrl::warehouse
