#include "twins/twin_commands.h"

#include "agents/experiment.h"
#include "envs/builtin_envs.h"
#include "envs/robot/arm_env.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "envs/warehouse/warehouse_env.h"
#include "twins/twin_kind_commands.h"

namespace twinrl {
namespace {

enum class TwinKind { kSupplyChain, kArm, kWarehouse };

// Which twin a config is, from its env; a ConfigError at env.id for envs
// without twins.
TwinKind twin_kind(const Experiment& experiment) {
  if (dynamic_cast<const SupplyChainModel*>(experiment.env_model.get()))
    return TwinKind::kSupplyChain;
  if (dynamic_cast<const robot::ArmModel*>(experiment.env_model.get())) return TwinKind::kArm;
  if (dynamic_cast<const warehouse::WarehouseModel*>(experiment.env_model.get()))
    return TwinKind::kWarehouse;
  experiment.run.source.child("env").child("id").fail(
      "twins calibrate SupplyChain, Arm and Warehouse envs so far; " + experiment.run.env.id +
      " has no twin yet");
}

}  // namespace

void check_twin_section(const Experiment& experiment) {
  switch (twin_kind(experiment)) {
    case TwinKind::kSupplyChain:
      return check_supply_chain_twin(experiment);
    case TwinKind::kArm:
      return check_arm_twin(experiment);
    case TwinKind::kWarehouse:
      return check_warehouse_twin(experiment);
  }
}

void twin_synth(const TwinSynthOptions& options) {
  Experiment experiment = load_experiment(options.config, options.overrides, builtin_envs());
  switch (twin_kind(experiment)) {
    case TwinKind::kSupplyChain:
      return supply_chain_twin_synth(std::move(experiment), options);
    case TwinKind::kArm:
      return arm_twin_synth(std::move(experiment), options);
    case TwinKind::kWarehouse:
      return warehouse_twin_synth(std::move(experiment), options);
  }
}

void twin_calibrate(const TwinCalibrateOptions& options) {
  Experiment experiment = load_experiment(options.config, options.overrides, builtin_envs());
  switch (twin_kind(experiment)) {
    case TwinKind::kSupplyChain:
      return supply_chain_twin_calibrate(std::move(experiment), options);
    case TwinKind::kArm:
      return arm_twin_calibrate(std::move(experiment), options);
    case TwinKind::kWarehouse:
      return warehouse_twin_calibrate(std::move(experiment), options);
  }
}

void twin_validate(const TwinValidateOptions& options) {
  Experiment experiment = load_experiment(options.config, options.overrides, builtin_envs());
  switch (twin_kind(experiment)) {
    case TwinKind::kSupplyChain:
      return supply_chain_twin_validate(std::move(experiment), options);
    case TwinKind::kArm:
      return arm_twin_validate(std::move(experiment), options);
    case TwinKind::kWarehouse:
      return warehouse_twin_validate(std::move(experiment), options);
  }
}

}  // namespace twinrl
