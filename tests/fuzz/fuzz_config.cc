// Experiment configs as users write them: YAML text with `--set` overrides
// (input lines starting "#set " are overrides), read into the run config and
// into the parameters of the envs that need no physics engine (CartPole, the
// warehouse with its maps, the supply chain). Bad input must end in a
// ConfigError (or another invalid_argument, which the command also reports
// as bad input), never a crash, a leak or a hang.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_error.h"
#include "config/run_config.h"
#include "core/env_registry.h"
#include "envs/classic/cartpole.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "envs/warehouse/warehouse_env.h"

namespace {

const twinrl::EnvRegistry& registry() {
  static const twinrl::EnvRegistry envs = [] {
    twinrl::EnvRegistry r;
    r.add(twinrl::make_env_entry<twinrl::CartPoleParams, twinrl::CartPoleModel>("CartPole", ""));
    r.add(twinrl::make_env_entry<twinrl::warehouse::WarehouseParams,
                                 twinrl::warehouse::WarehouseModel>("Warehouse", ""));
    r.add(twinrl::make_env_entry<twinrl::SupplyChainParams, twinrl::SupplyChainModel>("SupplyChain",
                                                                                      ""));
    return r;
  }();
  return envs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // A demand history names a file to read: not what this target explores
  // (a path such as /dev/zero would read forever, as `cat` would).
  if (input.find("history") != std::string_view::npos) return 0;
  std::vector<std::string> overrides;
  size_t start = 0;
  while (start < input.size()) {
    const size_t end = std::min(input.find('\n', start), input.size());
    const std::string_view line = input.substr(start, end - start);
    if (line.starts_with("#set ")) overrides.emplace_back(line.substr(5));
    start = end + 1;
  }
  try {
    twinrl::RunConfig config;
    config.source = twinrl::parse_config_text(input, "fuzz.yaml", overrides, "--set");
    twinrl::read_fields(config.source, config);
    const twinrl::ConfigNode env = config.source.child("env");
    registry().build(config.env.id, env.child("id"), config.env.params, config.env.randomize);
  } catch (const twinrl::ConfigError&) {
  } catch (const std::invalid_argument&) {
    // What the command also answers as bad input (exit code 2).
  }
  return 0;
}
