#pragma once
// A supply chain run as a facility would log it: the synthetic reality of
// `twin synth` (a hidden truth under the facility's policy) and the twin's
// side of every fidelity comparison come from this one function, so that log
// and twin are measured alike.
#include <cstdint>

#include "twins/facility_policy.h"
#include "twins/supply_chain_logs.h"

namespace twinrl {

// Steps one env of `model`, seeded with `seed`, for `periods` periods from a
// reset under `policy` (for envs of `model`) and records the sales at every
// retailer, the stock on hand at every stage and the shipments received
// within the horizon, periods numbered from 0.
SupplyChainLogs simulate_supply_chain_logs(const SupplyChainModel& model,
                                           const FacilityPolicy& policy, int64_t periods,
                                           uint64_t seed);

}  // namespace twinrl
