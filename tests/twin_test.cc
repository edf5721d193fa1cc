// The supply-chain twin: logs read with located errors, calibration against a
// hidden truth, and the user's day end to end through the `twinrl` command
// (synth, calibrate, validate, train) with the report opened in Chromium.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "agents/experiment.h"
#include "config/csv_table.h"
#include "core/parameter_mapping.h"
#include "envs/builtin_envs.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "tests/command_line.h"
#include "tests/player_check.h"
#include "tests/temp_dir_test.h"
#include "twins/supply_chain_calibration.h"
#include "twins/supply_chain_simulation.h"
#include "twins/twin_spec.h"

namespace twinrl {
namespace {

using test_support::Outcome;
using test_support::source_path;
namespace fs = std::filesystem;

const std::string kTwinConfig = "configs/twins/supply_chain_retailer.yaml";
const std::string kTruth = "configs/twins/data/retailer_truth.yaml";

Outcome twinrl(const std::string& arguments) {
  return test_support::run_program(TWINRL_BINARY, arguments);
}

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
  Experiment experiment = load_experiment(source_path(kTwinConfig), {}, builtin_envs());
  const SupplyChainModel& guess = static_cast<const SupplyChainModel&>(*experiment.env_model);
  std::shared_ptr<const EnvModel> truth = guess.with_parameters(
      parse_parameter_values(load_config_file(source_path(kTruth)), guess.parameters()));
  TwinSpec spec = read_twin_spec(experiment.run, guess);

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

class TwinCliTest : public test_support::TempDirTest {};

TEST_F(TwinCliTest, SynthCalibrateValidateAndTrainAsAUserWould) {
  const std::string config = source_path(kTwinConfig), truth = source_path(kTruth);
  const fs::path logs = dir_ / "logs", heldout = dir_ / "heldout", out = dir_ / "retailer.yaml";
  Outcome result = twinrl("twin synth " + config + " --truth " + truth + " --periods 400 --out " +
                          logs.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("400 periods under base_stock"), std::string::npos) << result.output;
  result = twinrl("twin synth " + config + " --truth " + truth + " --periods 200 --seed 9 --out " +
                  heldout.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;

  result = twinrl("twin calibrate " + config + " --logs " + logs.string() + " --out " +
                  out.string() + " --truth " + truth);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("calibrated twin"), std::string::npos) << result.output;
  const nlohmann::json report = nlohmann::json::parse(read_text(dir_ / "retailer.report.json"));
  EXPECT_EQ(report["parameters"].size(), 13u);
  ASSERT_EQ(report["fidelity"].size(), 2u);
  // The calibrated twin's sales look like the log's, the uncalibrated one's do not.
  EXPECT_LT(report["fidelity"][1]["sales_ks"].get<double>(),
            report["fidelity"][0]["sales_ks"].get<double>());
  const nlohmann::json page =
      test_support::check_page(dir_ / "retailer.report.html", {{"twin_report", true}});
  EXPECT_TRUE(page["console_errors"].empty()) << page.dump();
  EXPECT_TRUE(page["requests"].empty()) << page.dump();
  EXPECT_EQ(page["twin_report"]["plots"], 3) << page.dump();
  EXPECT_EQ(page["twin_report"]["drawn_lines"], 9) << page.dump();
  EXPECT_TRUE(page["twin_report"]["plots_visible"].get<bool>()) << page.dump();
  EXPECT_EQ(page["twin_report"]["parameter_rows"], 13) << page.dump();

  result = twinrl("twin validate " + out.string() + " --logs " + heldout.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(fs::exists(dir_ / "retailer.validation.html"));
  EXPECT_TRUE(fs::exists(dir_ / "retailer.validation.json"));

  // The calibrated twin is a config like any other.
  result = twinrl("config check " + out.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  result = twinrl("train " + out.string() + " --runs-dir " + (dir_ / "runs").string() +
                  " --set agent.total_steps=2000 --set agent.checkpoint_every=2000");
  ASSERT_EQ(result.exit_code, 0) << result.output;

  // A trained run can be the facility's policy, on a twin of its observation's shape.
  const fs::path run = dir_ / "runs" / "supply_chain_retailer_calibrated";
  result = twinrl("twin synth " + config + " --truth " + truth + " --periods 50 --policy " +
                  run.string() + " --out " + (dir_ / "trained_logs").string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("50 periods under"), std::string::npos) << result.output;
  result = twinrl("twin synth " + config + " --truth " + truth + " --periods 50 --policy " +
                  run.string() + " --set env.params.observed_pipeline=3 --out " +
                  (dir_ / "trained_logs").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("the run's policy was trained on SupplyChain with 24 observations"),
            std::string::npos)
      << result.output;
  result = twinrl("twin synth " + config + " --truth " + truth + " --policy s_Ss --out " +
                  (dir_ / "trained_logs").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("--policy"), std::string::npos) << result.output;
}

TEST_F(TwinCliTest, BadInputNamesTheFileRowAndKeyAndExitsWithTwo) {
  const std::string config = source_path(kTwinConfig);
  write_text(dir_ / "truth.yaml", "demand.men: 3\n");
  Outcome result = twinrl("twin synth " + config + " --truth " + (dir_ / "truth.yaml").string() +
                          " --out " + (dir_ / "logs").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("truth.yaml:1:1"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("did you mean 'demand.mean'"), std::string::npos) << result.output;

  fs::create_directories(dir_ / "logs");
  write_text(dir_ / "logs" / "inventory.csv", "period,stage,sku,on_hand\n0,store,0,4\n");
  write_text(dir_ / "logs" / "sales.csv", "period,stage,sku,sales\n0,store,0,x\n");
  result = twinrl("twin calibrate " + config + " --logs " + (dir_ / "logs").string() + " --out " +
                  (dir_ / "c.yaml").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("sales.csv: row 2, column 'sales': 'x' is not a number"),
            std::string::npos)
      << result.output;

  result = twinrl("config check " + config + " --set twin.calibrate.lead_time.stages=[stor]");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("did you mean 'store'"), std::string::npos) << result.output;
  result = twinrl("twin calibrate " + config + " --set twin.logged_polcy=base_stock --logs " +
                  (dir_ / "logs").string() + " --out " + (dir_ / "c.yaml").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("did you mean 'logged_policy'"), std::string::npos) << result.output;
  result = twinrl("twin calibrate " + source_path("configs/cartpole_ppo.yaml") + " --logs " +
                  (dir_ / "logs").string() + " --out " + (dir_ / "c.yaml").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("has no twin"), std::string::npos) << result.output;
  result = twinrl("twin --help");
  EXPECT_EQ(result.exit_code, 0);
  for (const char* job : {"synth", "calibrate", "validate"})
    EXPECT_NE(result.output.find(job), std::string::npos) << result.output;
}

}  // namespace
}  // namespace twinrl
