#pragma once
// A warehouse run as its systems would log it: the synthetic reality of `twin
// synth` (a hidden truth under the facility's dispatcher) and the twin's side
// of every fidelity comparison come from this one function, so that log and
// twin are measured alike.
#include <cstdint>

#include "twins/facility_policy.h"
#include "twins/warehouse_logs.h"

namespace twinrl {

namespace warehouse {
class WarehouseModel;
}

// Runs the warehouse of `model` (its parameters, without randomization) from
// midnight for `steps` control steps in one shift, under `policy`, seeded
// with `seed`, and records what its systems would log. An order received
// during a step is stamped at a uniformly drawn instant of that step (from
// a stream of its own, so the env's draws are those of an unlogged run).
WarehouseLogs simulate_warehouse_logs(const warehouse::WarehouseModel& model,
                                      const FacilityPolicy& policy, int64_t steps, uint64_t seed);

}  // namespace twinrl
