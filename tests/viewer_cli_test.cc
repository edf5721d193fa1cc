// End-to-end tests of recording and viewing through the `twinrl` command:
// `eval --record`, recording during training, `view` (the HTML player in
// Chromium, a run's report, MP4 video) and the errors users see.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "rundir/rollout.h"
#include "tests/command_line.h"
#include "tests/player_check.h"
#include "tests/temp_dir_test.h"

namespace twinrl::viewer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test_support::Outcome;
using test_support::source_path;

class ViewerCliTest : public test_support::TempDirTest {
 protected:
  // `twinrl arguments`, run in the test's directory.
  Outcome twinrl(const std::string& arguments) const {
    return test_support::run_program("cd " + dir_.string() + " && " TWINRL_BINARY, arguments);
  }
};

using Cell = std::pair<int, int>;

// The cells of the warehouse robots at step t: state "robots" rows are x, y, heading, shelf.
std::set<Cell> robot_cells(const RolloutStep& step) {
  std::set<Cell> cells;
  for (const json& robot : step.state.at("robots")) cells.emplace(robot[0], robot[1]);
  return cells;
}

json cell_centre(const Cell& cell) {
  return {cell.first + 0.5, cell.second + 0.5};
}

TEST_F(ViewerCliTest, AWarehouseRecordingPlaysInTheBrowserWhereTheRobotsMoved) {
  Outcome result = twinrl("eval " + source_path("configs/warehouse_tiny_ppo.yaml") +
                          " --policy heuristic --episodes 3 --record 2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const fs::path rollout_file = dir_ / "runs/warehouse_tiny_ppo/rollouts/eval_heuristic.jsonl";
  EXPECT_NE(result.output.find("recorded 2 episodes into"), std::string::npos) << result.output;
  const Rollout rollout = read_rollout(rollout_file);
  ASSERT_EQ(rollout.episodes.size(), 2u);
  EXPECT_EQ(rollout.header.policy, "heuristic");

  result = twinrl("view " + rollout_file.string() + " --out page.html");
  ASSERT_EQ(result.exit_code, 0) << result.output;

  // The first step at which a robot stands somewhere new; a cell that holds
  // no robot, shelf or station at either step stays as it was.
  const RolloutEpisode& episode = rollout.episodes[0];
  const std::set<Cell> before = robot_cells(episode.steps[0]);
  size_t t1 = 1;
  while (t1 < episode.steps.size() && robot_cells(episode.steps[t1]) == before) ++t1;
  ASSERT_LT(t1, episode.steps.size());
  const std::set<Cell> after = robot_cells(episode.steps[t1]);
  Cell left, arrived;
  for (const Cell& cell : before)
    if (!after.contains(cell)) left = cell;
  for (const Cell& cell : after)
    if (!before.contains(cell)) arrived = cell;
  std::set<Cell> occupied(before);
  occupied.insert(after.begin(), after.end());
  for (const json& cell : episode.scene.at("shelf_cells")) occupied.emplace(cell[0], cell[1]);
  for (const json& cell : episode.scene.at("pick_stations")) occupied.emplace(cell[0], cell[1]);
  Cell empty{-1, -1};
  for (int x = 0; x < episode.scene.at("width").get<int>() && empty.first < 0; ++x)
    for (int y = 0; y < episode.scene.at("height").get<int>(); ++y)
      if (!occupied.contains({x, y})) {
        empty = {x, y};
        break;
      }

  const json found = test_support::check_page(
      dir_ / "page.html",
      {{"pixels",
        {{"t0", 0},
         {"t1", t1},
         {"points", {cell_centre(left), cell_centre(arrived), cell_centre(empty)}},
         {"radius", 3}}}});
  EXPECT_EQ(found.value("ready", false), true) << found.dump();
  EXPECT_EQ(found.value("console_errors", json::array()).size(), 0u) << found.dump();
  const json& points = found.at("pixels").at("points");
  EXPECT_GT(points[0].at("changed").get<int>(), 0) << "where a robot left: " << found.dump();
  EXPECT_GT(points[1].at("changed").get<int>(), 0) << "where a robot arrived: " << found.dump();
  EXPECT_EQ(points[2].at("changed").get<int>(), 0) << "an empty cell: " << found.dump();
}

TEST_F(ViewerCliTest, AnArmRecordingBecomesAnMp4OfOneFramePerStep) {
  Outcome result = twinrl("eval " + source_path("configs/arm_reach_ppo.yaml") +
                          " --policy scripted --episodes 1 --record 1"
                          " --set env.params.episode_steps=12");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::string rollout_file = "runs/arm_reach_ppo/rollouts/eval_scripted.jsonl";
  result = twinrl("view " + rollout_file + " --mp4 arm.mp4 --width 320");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("wrote arm.mp4 (13 frames)"), std::string::npos) << result.output;
  const Outcome probe =
      test_support::run_program("ffprobe",
                                "-v error -count_frames -select_streams v:0 -show_entries "
                                "stream=nb_read_frames,width,height -of csv=p=0 " +
                                    (dir_ / "arm.mp4").string());
  EXPECT_EQ(probe.output, "320,240,13\n");

  result = twinrl("view " + rollout_file + " --mp4 arm.avi");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  result = twinrl("view " + rollout_file + " --mp4 arm.mp4 --episode 1");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("episodes 0 to 0"), std::string::npos) << result.output;
}

TEST_F(ViewerCliTest, TrainingRecordsRolloutsAndTheReportShowsCurvesEvaluationsAndPlayer) {
  Outcome result = twinrl("train " + source_path("configs/cartpole_ppo.yaml") +
                          " --set agent.total_steps=3072 --set agent.checkpoint_every=1024"
                          " --set agent.record_every=2048 --set agent.record_episodes=2");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const fs::path run = dir_ / "runs/cartpole_ppo";
  // At the checkpoint that passes 2048 steps and at the end.
  for (const char* name : {"step_2048.jsonl", "step_3072.jsonl"}) {
    const Rollout rollout = read_rollout(run / "rollouts" / name);
    EXPECT_EQ(rollout.episodes.size(), 2u) << name;
    EXPECT_EQ(rollout.header.policy, "trained");
  }
  EXPECT_FALSE(fs::exists(run / "rollouts/step_1024.jsonl"));

  result = twinrl("view runs/cartpole_ppo --eval-episodes 3");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("wrote runs/cartpole_ppo/report.html"), std::string::npos)
      << result.output;
  const json found = test_support::check_page(run / "report.html", {{"report", true}});
  EXPECT_EQ(found.value("ready", false), true) << found.dump();
  EXPECT_EQ(found.value("console_errors", json::array()).size(), 0u) << found.dump();
  EXPECT_EQ(found.at("report").at("evaluation_rows"), 2) << found.dump();  // trained, random
  EXPECT_GT(found.at("report").at("curve_charts").get<int>(), 3) << found.dump();
}

TEST_F(ViewerCliTest, BadRolloutsAndRequestsAreBadInputThatNamesTheProblem) {
  std::ofstream(dir_ / "notes.jsonl") << "{\"type\": \"header\"}\n";
  Outcome result = twinrl("view notes.jsonl");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("notes.jsonl:1: missing key 'format'"), std::string::npos)
      << result.output;

  result = twinrl("view nothing_here");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("no such run directory or rollout file"), std::string::npos);

  result = twinrl("eval " + source_path("configs/cartpole_ppo.yaml") +
                  " --policy random --episodes 2 --record 3");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("--record 3 is more than --episodes 2"), std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace twinrl::viewer
