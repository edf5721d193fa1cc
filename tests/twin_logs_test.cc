// The supply-chain twin's parts: logs written and read back, every mistake
// in them located (file, row, column), and calibration against a hidden truth.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/csv_table.h"
#include "core/env_registry.h"
#include "core/parameter_mapping.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "tests/command_line.h"
#include "tests/temp_dir_test.h"
#include "twins/supply_chain_calibration.h"
#include "twins/supply_chain_simulation.h"
#include "twins/twin_spec.h"

namespace twinrl {
namespace {

using test_support::source_path;
namespace fs = std::filesystem;

const std::string kTwinConfig = "configs/twins/supply_chain_retailer.yaml";
const std::string kTruth = "configs/twins/data/retailer_truth.yaml";

std::string read_text(const fs::path& path) {
  std::ifstream file(path);
  return {std::istreambuf_iterator<char>(file), {}};
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

// The example twin, its hidden truth and logs the truth wrote under the
// logged policy.
struct TwinWithTruth {
  RunConfig run = load_run_config(source_path(kTwinConfig));
  std::shared_ptr<const SupplyChainModel> model = chain_model(run);
  const SupplyChainModel& guess = *model;
  std::shared_ptr<const EnvModel> truth = guess.with_parameters(
      parse_parameter_values(load_config_file(source_path(kTruth)), guess.parameters()));
  TwinSpec spec = read_twin_spec(run, guess);

  static std::shared_ptr<const SupplyChainModel> chain_model(const RunConfig& run) {
    SupplyChainParams params;
    read_fields(run.env.params, params);
    return make_model<SupplyChainParams, SupplyChainModel>(params, run.env.randomize);
  }

  SupplyChainLogs logs(int64_t periods, uint64_t seed) const {
    const auto policy = truth->make_baseline("base_stock", 1);
    return simulate_supply_chain_logs(static_cast<const SupplyChainModel&>(*truth),
                                      baseline_facility_policy(*policy), periods, seed);
  }
};

class TwinLogsTest : public test_support::TempDirTest {};

TEST_F(TwinLogsTest, WrittenLogsReadBackAndEveryMistakeIsLocated) {
  const TwinWithTruth twin;
  const SupplyChainLogs logs = twin.logs(60, 3);
  write_supply_chain_logs(dir_, logs, twin.guess);
  const SupplyChainLogFiles files;
  const SupplyChainLogs read = read_supply_chain_logs(dir_, files, twin.guess);
  ASSERT_EQ(read.sales.size(), logs.sales.size());
  ASSERT_EQ(read.shipments.size(), logs.shipments.size());
  EXPECT_EQ(read.sales[7].sales, logs.sales[7].sales);
  EXPECT_EQ(read.shipments[4].received, logs.shipments[4].received);

  const std::string sales = read_text(dir_ / "sales.csv");
  // Each case replaces the sales file and expects these words in the error.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"period,stage,sku\n0,store,0\n", "no column 'sales'"},
      {"period,stage,sku,sales\n1,store,0,5\n0,store,0,5\n",
       "row 3, column 'period': '0' comes before"},
      {"period,stage,sku,sales\n0,store,0,5\n0,store,0,6\n", "row 3, column 'period': '0' repeats"},
      {"period,stage,sku,sales\n0,store,0,-2\n", "row 2, column 'sales': '-2' is negative"},
      {"period,stage,sku,sales\n0,store,0,nan\n", "row 2, column 'sales': 'nan' is not a number"},
      {"period,stage,sku,sales\n0,store,0,1e300\n", "row 2, column 'sales': '1e300' is too large"},
      {"period,stage,sku,sales\n0,shop,0,5\n", "column 'stage': 'shop' is not a stage"},
      {"period,stage,sku,sales\n0,store,3,5\n", "column 'sku': '3' is not a SKU"},
      {"period,stage,sku,sales\n0,warehouse,0,5\n", "has no customer demand"},
      {"period,stage,sku,sales\n0,store,0,5\n999,store,0,5\n",
       "row 3: no on-hand stock for period 999"},
      {"", "empty file"},
      {"period,stage,sku,sales\n", "no data rows"},
      {"period,stage,sku,sales\n0,store,0\n", "row 2: 3 fields, the header has 4"},
  };
  for (const auto& [text, expected] : cases) {
    write_text(dir_ / "sales.csv", text);
    try {
      read_supply_chain_logs(dir_, files, twin.guess);
      ADD_FAILURE() << "no error for:\n" << text;
    } catch (const CsvError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find((dir_ / "sales.csv").string()), std::string::npos) << message;
      EXPECT_NE(message.find(expected), std::string::npos) << message;
    }
  }
  // A spreadsheet's byte-order mark is not part of the first column's name.
  write_text(dir_ / "sales.csv", "\xEF\xBB\xBF" + sales);
  EXPECT_EQ(read_supply_chain_logs(dir_, files, twin.guess).sales.size(), logs.sales.size());
  write_text(dir_ / "shipments.csv",
             "stage,sku,shipped_period,received_period,quantity\nstore,0,5,4,10\n");
  try {
    read_supply_chain_logs(dir_, files, twin.guess);
    ADD_FAILURE() << "a shipment received before it left was read";
  } catch (const CsvError& error) {
    EXPECT_NE(std::string(error.what()).find("column 'received_period': '4' is before"),
              std::string::npos)
        << error.what();
  }
}

TEST(TwinCalibrationTest, RecoversTheHiddenTruthWithinItsIntervals) {
  const TwinWithTruth twin;
  const SupplyChainLogs logs = twin.logs(730, 11);
  const SupplyChainCalibration calibration = calibrate_supply_chain(
      twin.guess, logs, read_calibration_spec(twin.spec.calibrate, twin.guess), twin.spec);
  ASSERT_TRUE(calibration.demand);
  EXPECT_EQ(family_name(calibration.demand->family), "negative_binomial");
  EXPECT_EQ(calibration.demand->profile_length, 7);
  EXPECT_GT(calibration.demand->censored_periods, 0);
  int checked = 0;
  for (const CalibratedValue& value : calibration.values) {
    const double truth = twin.truth->parameters().value(value.parameter);
    EXPECT_TRUE(value.estimate.identified) << value.parameter;
    EXPECT_LE(value.estimate.low, truth) << value.parameter;
    EXPECT_GE(value.estimate.high, truth) << value.parameter;
    ++checked;
  }
  // mean, dispersion, 7 weekday factors, two stages' shortest and longest lead times
  EXPECT_EQ(checked, 13);
  // The guess was off; the fit is not.
  EXPECT_NEAR(calibration.values[0].estimate.value, 22, 22 * 0.08);
  EXPECT_EQ(calibration.randomize.size(), 2u);
}

}  // namespace
}  // namespace twinrl
