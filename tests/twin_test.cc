// The supply-chain twin as a user meets it: the day end to end through the
// `twinrl` command (synth, calibrate, validate, train, synth with a trained
// run) with the report opened in Chromium, and bad input at each step.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/command_line.h"
#include "tests/player_check.h"
#include "tests/temp_dir_test.h"

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

  // A facility's logs have no episode's end: nothing may count down to one.
  result = twinrl("config check " + config + " --set env.params.observe_periods_left=true");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("observe_periods_left"), std::string::npos) << result.output;
  result = twinrl("config check " + config + " --set twin.logged_policy=horizon_capped_base_stock");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("logged_policy"), std::string::npos) << result.output;
  result = twinrl("twin synth " + config + " --truth " + source_path(kTruth) +
                  " --policy horizon_capped_base_stock --out " + (dir_ / "h").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("--policy horizon_capped_base_stock"), std::string::npos)
      << result.output;
  result = twinrl("twin --help");
  EXPECT_EQ(result.exit_code, 0);
  for (const char* job : {"synth", "calibrate", "validate"})
    EXPECT_NE(result.output.find(job), std::string::npos) << result.output;
}

// The arm twin as a user meets it: a "real" arm's excitation logged, its
// physics identified, the report opened in Chromium, the calibrated twin
// checked and validated; bad logs and options located.
TEST_F(TwinCliTest, ArmTwinIdentifiesTheRealArmFromItsLogs) {
  const std::string config = source_path("configs/twins/arm_reach.yaml");
  write_text(dir_ / "truth.yaml",
             "physics.link_mass_scale: 1.2\nphysics.joint_damping_scale: 0.8\n"
             "physics.actuator_gain_scale: 1.1\ncontrol_latency_steps: 1\n");
  const std::string truth = (dir_ / "truth.yaml").string();
  const fs::path logs = dir_ / "logs", out = dir_ / "arm.yaml";
  Outcome result = twinrl("twin synth " + config + " --truth " + truth + " --periods 200 --out " +
                          (logs / "excitation.csv").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("200 control steps (2 episodes) under steps"), std::string::npos)
      << result.output;
  result =
      twinrl("twin synth " + config + " --truth " + truth +
             " --periods 100 --policy chirp --seed 9 --out " + (logs / "heldout.csv").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;

  const std::string heldout = " --set twin.logs.heldout=[heldout.csv]";
  result = twinrl("twin calibrate " + config + heldout + " --logs " + logs.string() + " --out " +
                  out.string() + " --truth " + truth);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json report = nlohmann::json::parse(read_text(dir_ / "arm.report.json"));
  ASSERT_EQ(report["parameters"].size(), 5u);
  for (size_t j = 0; j < 3; ++j) {
    const nlohmann::json& p = report["parameters"][j];
    EXPECT_TRUE(p["identified"].get<bool>()) << p.dump();
    EXPECT_NEAR(p["value"].get<double>(), p["truth"].get<double>(), 0.02 * p["truth"].get<double>())
        << p.dump();
  }
  EXPECT_EQ(report["parameters"][3]["value"], 1) << report["parameters"][3].dump();
  // Fit and held-out logs, each replayed by the uncalibrated and the calibrated twin.
  ASSERT_EQ(report["fidelity"].size(), 4u);
  for (size_t column : {0, 2})
    for (size_t joint = 0; joint < 6; ++joint)
      EXPECT_LT(report["fidelity"][column + 1]["position_rmse"][joint].get<double>(),
                0.1 * report["fidelity"][column]["position_rmse"][joint].get<double>())
          << report["fidelity"][column]["logs"] << " joint " << joint;
  const nlohmann::json page =
      test_support::check_page(dir_ / "arm.report.html", {{"twin_report", true}});
  EXPECT_TRUE(page["console_errors"].empty()) << page.dump();
  EXPECT_EQ(page["twin_report"]["plots"], 6) << page.dump();         // one per joint
  EXPECT_EQ(page["twin_report"]["drawn_lines"], 18) << page.dump();  // log and two twins
  EXPECT_EQ(page["twin_report"]["parameter_rows"], 5) << page.dump();
  EXPECT_EQ(page["twin_report"]["fidelity_rows"], 6) << page.dump();

  // The calibrated twin is a config like any other, and validates on the logs.
  result = twinrl("config check " + out.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  result = twinrl("twin validate " + out.string() + " --logs " + logs.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(fs::exists(dir_ / "arm.validation.html"));

  // A log of another robot: the push scene has a box, so more columns.
  result = twinrl("twin synth " + config + " --truth " + truth +
                  " --set env.params.task=push --periods 20 --out " +
                  (dir_ / "push" / "excitation.csv").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  result = twinrl("twin calibrate " + config + " --logs " + (dir_ / "push").string() + " --out " +
                  (dir_ / "c.yaml").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("excitation.csv: row 1, column 'qpos_box[0]': not a column of the "
                               "twin's robot"),
            std::string::npos)
      << result.output;
  result = twinrl("twin synth " + config + " --truth " + truth + " --out " + logs.string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("one CSV file"), std::string::npos) << result.output;
  result = twinrl("twin calibrate " + config + " --set twin.calibrate.parameters=[physics.mass]" +
                  " --logs " + logs.string() + " --out " + (dir_ / "c.yaml").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("twin.calibrate.parameters[0]"), std::string::npos) << result.output;
}

// The warehouse twin as a user meets it: a "real" distribution centre's
// event logs under its dispatcher, arrival rates, move failures and pick
// times fitted, the report opened in Chromium, the calibrated twin checked
// and validated; a mistake in the logs located.
TEST_F(TwinCliTest, WarehouseTwinCalibratesFromTheFacilitysEventLogs) {
  const std::string config = source_path("configs/twins/warehouse_dc.yaml"),
                    truth = source_path("configs/twins/data/warehouse_dc_truth.yaml");
  const fs::path logs = dir_ / "logs", out = dir_ / "dc.yaml";
  // Six hours from midnight: the morning peak's first hours, and 18 hours no shift covers.
  Outcome result = twinrl("twin synth " + config + " --truth " + truth + " --periods 21600 --out " +
                          logs.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("6.0 hours under greedy"), std::string::npos) << result.output;
  result = twinrl("twin calibrate " + config + " --logs " + logs.string() + " --out " +
                  out.string() + " --truth " + truth + " --set env.threads=2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json report = nlohmann::json::parse(read_text(dir_ / "dc.report.json"));
  ASSERT_EQ(report["parameters"].size(), 27u);
  int determined = 0;
  for (const nlohmann::json& p : report["parameters"]) determined += p["identified"].get<bool>();
  EXPECT_EQ(determined, 6 + 3) << report["parameters"].dump();
  for (size_t p : {24, 25, 26})  // move failures, pick time and its spread
    EXPECT_TRUE(report["parameters"][p]["truth_in_interval"].get<bool>())
        << report["parameters"][p].dump();
  // Orders delivered per hour: the calibrated twin's replays match the log, the guess's do not.
  ASSERT_EQ(report["fidelity"].size(), 2u);
  const auto delivered_error = [&](size_t twin) {
    const nlohmann::json& kpi = report["fidelity"][twin]["kpis"][1];
    EXPECT_EQ(kpi["name"], "orders delivered per hour");
    return std::abs(kpi["relative_error"].get<double>());
  };
  EXPECT_LT(delivered_error(1), 0.05);
  EXPECT_GT(delivered_error(0), 0.1);
  const nlohmann::json page =
      test_support::check_page(dir_ / "dc.report.html", {{"twin_report", true}});
  EXPECT_TRUE(page["console_errors"].empty()) << page.dump();
  EXPECT_TRUE(page["requests"].empty()) << page.dump();
  EXPECT_EQ(page["twin_report"]["plots"], 3) << page.dump();
  EXPECT_EQ(page["twin_report"]["drawn_lines"], 9) << page.dump();  // log and two twins
  EXPECT_EQ(page["twin_report"]["parameter_rows"], 27) << page.dump();

  result = twinrl("config check " + out.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  result = twinrl("twin validate " + out.string() + " --logs " + logs.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(fs::exists(dir_ / "dc.validation.html"));

  write_text(logs / "robot_events.csv", "time_s,robot,event,x,y,shelf\n5,7,move,1,1,\n");
  result = twinrl("twin calibrate " + config + " --logs " + logs.string() + " --out " +
                  (dir_ / "c.yaml").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("robot_events.csv: row 2, column 'robot': '7' is not a robot of "
                               "the twin (0 to 3)"),
            std::string::npos)
      << result.output;
  // RWARE's rule (no arrival rates): no order arrives on its own, so there is nothing to log.
  write_text(dir_ / "truth.yaml", "move_failure_probability: 0.01\n");
  result = twinrl("twin synth " + source_path("configs/warehouse_tiny_ppo.yaml") +
                  " --set twin.logged_policy=greedy --truth " + (dir_ / "truth.yaml").string() +
                  " --out " + (dir_ / "tiny").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("truth.yaml: the truth has no order_arrival_rates"),
            std::string::npos)
      << result.output;
  result = twinrl("config check " + config + " --set twin.calibrate.pick_tim=true");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("did you mean 'pick_time'"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace twinrl

namespace twinrl {
namespace {

class WhatIfTest : public test_support::TempDirTest {};

TEST_F(WhatIfTest, EveryPolicyOnEveryScenarioOnCommonRandomNumbersTwiceTheSame) {
  const std::string command = "twin whatif " + source_path(kTwinConfig) + " --scenarios " +
                              source_path("configs/twins/retailer_whatif.yaml") +
                              " --policy base_stock --policy s_S --episodes 20 --out ";
  Outcome result = twinrl(command + (dir_ / "first.html").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("| dearer raw material | s_S |"), std::string::npos)
      << result.output;
  ASSERT_EQ(twinrl(command + (dir_ / "second.html").string()).exit_code, 0);
  const std::string first = read_text(dir_ / "first.json");
  EXPECT_EQ(first, read_text(dir_ / "second.json"));

  const nlohmann::json report = nlohmann::json::parse(first);
  ASSERT_EQ(report["scenarios"].size(), 7u);
  ASSERT_EQ(report["kpis"].size(), 6u);  // the return and the env's five KPIs
  const nlohmann::json& returns = report["kpis"][0]["rows"];
  ASSERT_EQ(returns.size(), 14u);
  // Rows: scenario by scenario, policies in order; the first policy is the reference.
  EXPECT_EQ(returns[0]["difference"], 0.0);
  // A scenario's value holds although env.randomize draws that parameter.
  EXPECT_LT(returns[10]["mean"].get<double>(), returns[0]["mean"].get<double>() - 100)
      << returns.dump();
  // More demand, more sales.
  EXPECT_GT(returns[2]["mean"].get<double>(), returns[0]["mean"].get<double>()) << returns.dump();

  const nlohmann::json page =
      test_support::check_page(dir_ / "first.html", {{"twin_report", true}});
  EXPECT_TRUE(page["console_errors"].empty()) << page.dump();
  EXPECT_EQ(page["twin_report"]["plots"], 6) << page.dump();
  EXPECT_TRUE(page["twin_report"]["plots_visible"].get<bool>()) << page.dump();
}

TEST_F(WhatIfTest, BadScenariosAreLocatedErrors) {
  const auto error_of = [&](const std::string& scenarios, const std::string& policy = "") {
    write_text(dir_ / "s.yaml", scenarios);
    return twinrl("twin whatif " + source_path(kTwinConfig) + " --scenarios " +
                  (dir_ / "s.yaml").string() + " --episodes 2 " + policy);
  };
  Outcome result = error_of("scenarios:\n  surge:\n    demand.men: x2\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("s.yaml:3:5: scenarios.surge: unknown parameter 'demand.men'; "
                               "did you mean 'demand.mean'?"),
            std::string::npos)
      << result.output;
  result = error_of("scenarios:\n  late:\n    stages.lead_time[1]: x1.5\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("s.yaml:3:26"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("whole number"), std::string::npos) << result.output;
  result = error_of("scenarios:\n  odd:\n    demand.mean: times2\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("expected a value (2.5), a factor (x1.5) or a change"),
            std::string::npos)
      << result.output;
  result = error_of("scenarios:\n  negative:\n    demand.mean: -100\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  result = error_of("scenarios:\n  late:\n    stages.lead_time[1]: +5\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("s.yaml:3:5: scenarios.late: the env refuses this scenario: "),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("below its lead_time"), std::string::npos) << result.output;
  result = error_of("scenario:\n  a: {}\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("unknown key 'scenario'"), std::string::npos) << result.output;
  result = error_of("scenarios:\n  a: {}\n", "--policy bass_stock");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("--policy bass_stock"), std::string::npos) << result.output;
}

// Changes for part of every episode: a window over the whole episode is the
// whole-episode change, two windows in a row are one, a window in the middle
// is something else; the parameter is back to its value after each window.
TEST_F(WhatIfTest, WindowsChangeARealParameterForPartOfEveryEpisode) {
  write_text(dir_ / "s.yaml",
             "scenarios:\n"
             "  as planned: {}\n"
             "  surge: {demand.mean: x1.5}\n"
             "  surge in one window:\n"
             "    windows: [{from: 0, to: 28, changes: {demand.mean: x1.5}}]\n"
             "  surge in two windows:\n"
             "    windows:\n"
             "      - {from: 0, to: 12, changes: {demand.mean: x1.5}}\n"
             "      - {from: 12, to: 28, changes: {demand.mean: x1.5}}\n"
             "  surge from period 10 to 20:\n"
             "    windows: [{from: 10, to: 20, changes: {demand.mean: x1.5}}]\n");
  const Outcome result = twinrl("twin whatif " + source_path(kTwinConfig) + " --scenarios " +
                                (dir_ / "s.yaml").string() + " --policy base_stock --episodes 40");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const nlohmann::json report = nlohmann::json::parse(read_text(dir_ / "s.report.json"));
  ASSERT_EQ(report["scenarios"].size(), 5u);
  for (const nlohmann::json& kpi : report["kpis"]) {
    const nlohmann::json& rows = kpi["rows"];
    for (size_t same : {2, 3}) {
      EXPECT_EQ(rows[same]["mean"], rows[1]["mean"]) << kpi["name"] << " scenario " << same;
      EXPECT_EQ(rows[same]["low"], rows[1]["low"]) << kpi["name"] << " scenario " << same;
    }
  }
  // Sales (the return) rise with demand, for a part of the episode less.
  const nlohmann::json& returns = report["kpis"][0]["rows"];
  const double planned = returns[0]["mean"].get<double>(), surge = returns[1]["mean"].get<double>(),
               middle = returns[4]["mean"].get<double>();
  EXPECT_GT(surge, planned) << returns.dump();
  EXPECT_GT(middle, planned) << returns.dump();
  EXPECT_LT(middle, surge) << returns.dump();
}

TEST_F(WhatIfTest, BadWindowsAreLocatedErrors) {
  const auto error_of = [&](const std::string& windows) {
    write_text(dir_ / "s.yaml", "scenarios:\n  w:\n    windows:\n" + windows);
    return twinrl("twin whatif " + source_path(kTwinConfig) + " --scenarios " +
                  (dir_ / "s.yaml").string() + " --episodes 2");
  };
  Outcome result = error_of(
      "      - {from: 0, to: 10, changes: {demand.mean: x2}}\n"
      "      - {from: 5, to: 15, changes: {demand.mean: x3}}\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("s.yaml:5:50"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("overlaps the change of 'demand.mean' at "), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("s.yaml:4:50"), std::string::npos) << result.output;
  result = error_of("      - {from: 0, to: 5, changes: {\"stages.lead_time[1]\": 4}}\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("'stages.lead_time[1]' is an integer"), std::string::npos)
      << result.output;
  result = error_of("      - {from: 8, to: 8, changes: {demand.mean: 30}}\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("must be after from (8)"), std::string::npos) << result.output;
  result = error_of("      - {from: 40, to: 50, changes: {demand.mean: 30}}\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("after the episode's last (max_episode_steps 28)"),
            std::string::npos)
      << result.output;
  result = error_of("      - {form: 1, to: 5, changes: {demand.mean: 30}}\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("did you mean 'from'"), std::string::npos) << result.output;
  result = error_of("      {from: 1, to: 5}\n");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("expected a list of windows"), std::string::npos) << result.output;
}

TEST_F(WhatIfTest, CompareGivesPairedIntervalsOfThePoliciesOnTheConfigAsItIs) {
  const std::string command =
      "compare " + source_path("configs/inventory_orgym_ppo.yaml") +
      " --policy capped_base_stock --policy base_stock --policy random --episodes 200"
      " --set env.params.baselines.base_stock_levels=[90,205,395] --out ";
  const Outcome result = twinrl(command + (dir_ / "compare.html").string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("| as configured | base_stock |"), std::string::npos)
      << result.output;
  const nlohmann::json report = nlohmann::json::parse(read_text(dir_ / "compare.json"));
  ASSERT_EQ(report["scenarios"].size(), 1u);
  const nlohmann::json& returns = report["kpis"][0]["rows"];
  ASSERT_EQ(returns.size(), 3u);
  // On the same episodes capping earns more (about 18 per episode), and the
  // paired interval, far narrower than either policy's own, excludes zero.
  EXPECT_LT(returns[1]["difference_high"].get<double>(), 0) << returns.dump();
  EXPECT_LT(
      returns[1]["difference_high"].get<double>() - returns[1]["difference_low"].get<double>(),
      returns[1]["high"].get<double>() - returns[1]["low"].get<double>())
      << returns.dump();
  EXPECT_LT(returns[2]["difference_high"].get<double>(), -300) << returns.dump();
  const nlohmann::json page =
      test_support::check_page(dir_ / "compare.html", {{"twin_report", true}});
  EXPECT_TRUE(page["console_errors"].empty()) << page.dump();

  const Outcome bad = twinrl("compare " + source_path("configs/inventory_orgym_ppo.yaml") +
                             " --policy capped_base_stok --episodes 2");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("capped_base_stok"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace twinrl
