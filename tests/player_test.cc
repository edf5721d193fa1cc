// The HTML player page (viewer/html_page.cc, viewer/player/): its data
// survives embedding, and in Chromium (tests/player_check.mjs, under Node) it
// loads without errors, draws the scene where things are, plays, pauses and
// steps, and shows a run's report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/player_check.h"
#include "tests/temp_dir_test.h"
#include "viewer/drawing.h"
#include "viewer/html_page.h"

namespace twinrl::viewer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A 10 x 5 world, y up, with a grid, a blue shelf in the top-left cell, a
// picture in the top-right cell and a red robot that moves right along
// y = 2.5 (between grid lines) three cells a step.
constexpr float kRobotX[] = {2.5f, 5.5f, 8.5f};
constexpr float kRobotY = 2.5f;
constexpr float kRobotRadius = 0.6f;
constexpr Color kWhite = Color::rgb(255, 255, 255);
constexpr Color kShelfBlue = Color::rgb(30, 60, 200);
constexpr Color kRobotRed = Color::rgb(220, 30, 30);
// A PNG one pixel wide: two green rows over two yellow ones.
const std::string kPicture =
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAECAIAAADAusJtAAAAEklEQVR42mNgWMDAAMLPToAxAB5MBJ2ZBk0FAAAAAElFTk"
    "SuQmCC";
const std::string kTitle = "runs/tiny: \"trained\" & <checked> </script>";

Drawing grid_background() {
  Drawing drawing(Bounds{0, 0, 10, 5, true}, kWhite);
  for (int x = 0; x <= 10; ++x)
    drawing.polyline({float(x), 0, float(x), 5}, Color::rgb(200, 200, 200), 0.03f);
  for (int y = 0; y <= 5; ++y)
    drawing.polyline({0, float(y), 10, float(y)}, Color::rgb(200, 200, 200), 0.03f);
  drawing.rect(0, 4, 1, 1, kShelfBlue);
  drawing.text(1.2f, 4.3f, "shelf", 0.4f, Color::rgb(0, 0, 0));
  drawing.image(9, 4, 1, 1, kPicture);
  return drawing;
}

json robot_frame(float x) {
  Drawing frame(Bounds{0, 0, 10, 5, true});
  frame.circle(x, kRobotY, kRobotRadius, kRobotRed, Color::rgb(0, 0, 0), 0.05f);
  return frame.to_json();
}

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// Two agents, one discrete action each, KPIs "picks" and "late" (NaN until
// the last step), three steps after reset; nlohmann writes NaN as null.
json synthetic_episode(bool drawn) {
  json steps = json::array();
  steps.push_back({{"t", 0},
                   {"action", json::array()},
                   {"reward", json::array()},
                   {"return", 0},
                   {"kpis", {0, kNaN}},
                   {"terminated", false},
                   {"truncated", false}});
  steps.push_back({{"t", 1},
                   {"action", {1, 3}},
                   {"reward", {0.5, 0}},
                   {"return", 0.5},
                   {"kpis", {1, kNaN}},
                   {"terminated", false},
                   {"truncated", false}});
  steps.push_back({{"t", 2},
                   {"action", {2, 0}},
                   {"reward", {1, 0.25}},
                   {"return", 1.75},
                   {"kpis", {2, 0.5}},
                   {"terminated", true},
                   {"truncated", false}});
  json frames = json::array();
  for (float x : kRobotX) frames.push_back(robot_frame(x));
  return {{"background", drawn ? grid_background().to_json() : json(nullptr)},
          {"frames", drawn ? frames : json(nullptr)},
          {"steps", steps},
          {"return", 1.75},
          {"kpis", {2, 0.5}},
          {"length", 2}};
}

json synthetic_rollout(bool drawn) {
  const json header = {{"env_id", "Synthetic"},
                       {"policy", "trained"},
                       {"training_step", 4096},
                       {"num_agents", 2},
                       {"action_size", 1},
                       {"discrete_actions", true},
                       {"control_period_s", 1.0},
                       {"kpi_names", {"picks", "late"}},
                       {"action_names", json::array()},
                       {"observation_names", {"x", "y"}}};
  return {{"header", header}, {"episodes", {synthetic_episode(drawn), synthetic_episode(drawn)}}};
}

json synthetic_report() {
  const json columns = {
      "step",           "learning_rate", "loss/policy", "loss/value",       "episode_return",
      "episode_length", "kpi/picks",     "kpi/late",    "steps_per_second", "eval/return"};
  json rows = json::array();
  for (int update = 1; update <= 4; ++update) {
    // A validation at every other update (agent.evaluate_episodes at checkpoints).
    rows.push_back({2048 * update, 3e-4, -0.01 * update, 1.0 / update, 10.0 * update, 100, update,
                    update < 3 ? json(nullptr) : json(0.5), 5000,
                    update % 2 ? json(nullptr) : json(12.0 * update)});
  }
  const auto stat = [](double mean, double std) { return json{{"mean", mean}, {"std", std}}; };
  json evaluations = json::array();
  evaluations.push_back({{"policy", "trained"},
                         {"episodes", 20},
                         {"return", stat(40, 3)},
                         {"kpis", {{"picks", stat(12, 1)}, {"late", stat(0.5, 0.1)}}}});
  evaluations.push_back({{"policy", "random"},
                         {"episodes", 20},
                         {"return", stat(2, 1)},
                         {"kpis", {{"picks", stat(1, 1)}, {"late", stat(kNaN, kNaN)}}}});
  evaluations.push_back({{"policy", "greedy"},
                         {"episodes", 20},
                         {"return", stat(30, 2)},
                         {"kpis", {{"picks", stat(9, 1)}, {"late", stat(0.7, 0.2)}}}});
  return {{"run", "runs/tiny"},
          {"curves", {{"columns", columns}, {"rows", rows}}},
          {"evaluations", evaluations},
          {"config_yaml", "name: tiny\nnote: \"</script><script>throw 1</script>\"\n"}};
}

// Pages written into the test's own folder.
class PlayerTest : public test_support::TempDirTest {
 protected:
  fs::path write_page(const json& page_data) const {
    const fs::path page = dir_ / "page.html";
    std::ofstream(page) << html_page(page_data);
    return page;
  }

  static json check(const fs::path& page, const json& checks) {
    return test_support::check_page(page, checks);
  }
};

// The data block between <script type="application/json" id="twinrl-data"> and </script>.
json embedded_data(const std::string& page) {
  const std::string open = "id=\"twinrl-data\">";
  const size_t begin = page.find(open) + open.size();
  return json::parse(page.substr(begin, page.find("</script>", begin) - begin));
}

TEST(HtmlPageTest, EmbedsTheDataWhereNoStringCanEndTheScriptEarly) {
  const json page_data = {{"title", kTitle}, {"rollout", nullptr}, {"report", synthetic_report()}};
  const std::string page = html_page(page_data);
  EXPECT_EQ(page.find("</script><script>throw"), std::string::npos);
  EXPECT_EQ(embedded_data(page).dump(), page_data.dump());  // NaN reads back as null
  EXPECT_NE(
      page.find("<title>runs/tiny: &quot;trained&quot; &amp; &lt;checked&gt; &lt;/script&gt;"),
      std::string::npos);
  // Self-contained: nothing is fetched.
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("{{"), std::string::npos);
}

TEST_F(PlayerTest, DrawsTheSceneWhereTheRobotMovedAndPlaysPausesAndSteps) {
  const fs::path page =
      write_page({{"title", kTitle}, {"rollout", synthetic_rollout(true)}, {"report", nullptr}});
  const json checks = {{"pixels",
                        {{"t0", 0},
                         {"t1", 2},
                         {"radius", 3},
                         {"points",
                          {{kRobotX[0], kRobotY},
                           {kRobotX[2], kRobotY},
                           {0.5, 4.5},
                           {9.5, 0.5},
                           {9.5, 4.75},
                           {9.5, 4.25}}}}},
                       {"play", {{"speed", "1"}}}};
  const json result = check(page, checks);
  ASSERT_TRUE(result.value("ready", false)) << result.dump(2);
  EXPECT_EQ(result["console_errors"], json::array()) << result.dump(2);
  EXPECT_EQ(result["requests"], json::array());
  EXPECT_EQ(result["title"], kTitle);
  EXPECT_TRUE(result["has_scene"].get<bool>());
  EXPECT_EQ(result["episode_charts"], 3);  // the return and two KPIs

  // The 10 x 5 world fills a 640 x 320 canvas with y up: the shelf's cell
  // (0..1, 4..5) is the top-left 64 pixels.
  const json& pixels = result["pixels"];
  EXPECT_EQ(pixels["canvas_size"], json({640, 320}));
  const json& robot_start = pixels["points"][0];
  const json& robot_end = pixels["points"][1];
  const json& shelf = pixels["points"][2];
  const json& corner = pixels["points"][3];
  EXPECT_NEAR(shelf["canvas"][0].get<double>(), 32, 1e-3);
  EXPECT_NEAR(shelf["canvas"][1].get<double>(), 32, 1e-3);
  EXPECT_GT(robot_start["changed"].get<int>(), 0) << robot_start;
  EXPECT_GT(robot_end["changed"].get<int>(), 0) << robot_end;
  EXPECT_EQ(shelf["changed"], 0) << shelf;
  EXPECT_EQ(corner["changed"], 0) << corner;
  EXPECT_EQ(robot_start["before"], json({220, 30, 30}));
  EXPECT_EQ(robot_start["after"], json({255, 255, 255}));
  EXPECT_EQ(robot_end["before"], json({255, 255, 255}));
  EXPECT_EQ(robot_end["after"], json({220, 30, 30}));
  EXPECT_EQ(shelf["before"], json({30, 60, 200}));
  // The picture, decoded before the page said it was ready, is upright.
  EXPECT_EQ(pixels["points"][4]["before"], json({0, 160, 0}));
  EXPECT_EQ(pixels["points"][5]["before"], json({230, 200, 0}));
  // The two agents' actions and rewards at t = 2, discrete actions as integers.
  EXPECT_EQ(pixels["action_cells"], json({"2", "1", "0", "0.25"}));

  const json& play = result["play"];
  EXPECT_TRUE(play["started"].get<bool>());
  EXPECT_GT(play["paused_at"].get<int>(), 0);
  EXPECT_TRUE(play["paused"].get<bool>());
  EXPECT_EQ(play["after_right"], play["paused_at"].get<int>() + 1);
  EXPECT_EQ(play["after_left"], play["paused_at"]);
  EXPECT_TRUE(play["space_started"].get<bool>());
  EXPECT_EQ(play["last_t"], 2);
  EXPECT_EQ(play["stopped_at"], 2);  // playing stops at the episode's end
}

TEST_F(PlayerTest, ReportShowsCurvesEvaluationsConfigAndPlotsWithoutAScene) {
  const json report = synthetic_report();
  const fs::path page =
      write_page({{"title", kTitle}, {"rollout", synthetic_rollout(false)}, {"report", report}});
  const json result = check(page, {{"report", true}});
  ASSERT_TRUE(result.value("ready", false)) << result.dump(2);
  EXPECT_EQ(result["console_errors"], json::array()) << result.dump(2);
  EXPECT_FALSE(result["has_scene"].get<bool>());
  EXPECT_EQ(result["scene_note"], "no scene drawing for Synthetic");
  EXPECT_EQ(result["episode_charts"], 3);

  const json& shown = result["report"];
  EXPECT_EQ(shown["curve_charts"], report["curves"]["columns"].size() - 1);  // all but step
  EXPECT_EQ(shown["curve_groups"], json({"Return and length", "Validation (chooses best.pt)",
                                         "Losses", "KPIs", "Speed", "Optimizer"}));
  EXPECT_EQ(shown["evaluation_rows"], report["evaluations"].size());
  EXPECT_EQ(shown["evaluation_headings"], json({"policy", "episodes", "return", "picks", "late"}));
  EXPECT_EQ(shown["config"], report["config_yaml"]);
}

}  // namespace
}  // namespace twinrl::viewer
