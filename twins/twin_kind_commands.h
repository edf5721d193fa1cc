#pragma once
// The twin commands of each kind of twin, which twin_commands.cc dispatches
// to by the config's env:
// - SupplyChain (supply_chain_twin_commands.cc): logs of a hidden truth under
//   a baseline or a trained policy; demand and lead times fitted to logs; the
//   fidelity report of replays under the logged policy.
// - Arm (arm_twin_commands.cc): a trajectory log of a hidden truth under an
//   excitation, a baseline or a trained policy; the arm's physics identified
//   from logs; the fidelity report of open-loop replays of the logged actions.
// - Warehouse (warehouse_twin_commands.cc): order and robot event logs of a
//   hidden truth under a dispatcher; arrival rates, move failures and pick
//   times fitted to logs; the fidelity report of replays under the dispatcher.
#include "agents/experiment.h"
#include "twins/twin_commands.h"

namespace twinrl {

void check_supply_chain_twin(const Experiment& experiment);
void supply_chain_twin_synth(Experiment experiment, const TwinSynthOptions& options);
void supply_chain_twin_calibrate(Experiment experiment, const TwinCalibrateOptions& options);
void supply_chain_twin_validate(Experiment experiment, const TwinValidateOptions& options);

void check_arm_twin(const Experiment& experiment);
void arm_twin_synth(Experiment experiment, const TwinSynthOptions& options);
void arm_twin_calibrate(Experiment experiment, const TwinCalibrateOptions& options);
void arm_twin_validate(Experiment experiment, const TwinValidateOptions& options);

void check_warehouse_twin(const Experiment& experiment);
void warehouse_twin_synth(Experiment experiment, const TwinSynthOptions& options);
void warehouse_twin_calibrate(Experiment experiment, const TwinCalibrateOptions& options);
void warehouse_twin_validate(Experiment experiment, const TwinValidateOptions& options);

}  // namespace twinrl
