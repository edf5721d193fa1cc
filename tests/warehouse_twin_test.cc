// The warehouse twin's parts: picks that hold a robot at its station, event
// reports that leave the run unchanged, logs written and read back with every
// mistake located (file, row, column), and calibration that recovers a hidden
// truth and flags what its logs cannot determine.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "config/csv_table.h"
#include "core/env_registry.h"
#include "envs/warehouse/warehouse_env.h"
#include "tests/temp_dir_test.h"
#include "twins/warehouse_calibration.h"
#include "twins/warehouse_logs.h"
#include "twins/warehouse_simulation.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;
using warehouse::WarehouseModel;
using warehouse::WarehouseParams;

// RWARE's tiny layout with three robots and orders arriving by the hour over
// a four-hour cycle.
WarehouseParams tiny_floor() {
  WarehouseParams params;
  params.layout = "tiny";
  params.num_robots = 3;
  params.request_queue_size = 4;
  params.order_arrival_rates = {60, 120, 30, 90};
  params.max_backlog = 100;
  return params;
}

std::shared_ptr<const WarehouseModel> model_of(const WarehouseParams& params) {
  return make_model<WarehouseParams, WarehouseModel>(params);
}

// `steps` control steps of the greedy dispatcher on `model`, logged.
WarehouseLogs greedy_logs(const WarehouseModel& model, int64_t steps, uint64_t seed = 5) {
  const auto greedy = model.make_baseline("greedy", seed);
  return simulate_warehouse_logs(model, baseline_facility_policy(*greedy), steps, seed);
}

TEST(WarehousePickTest, APickHoldsTheRobotAtItsStationForThePickTime) {
  WarehouseParams params = tiny_floor();
  params.pick_time_s = 7;
  const WarehouseLogs logs = greedy_logs(*model_of(params), 3600);
  const std::vector<double> picks = pick_durations(logs);
  ASSERT_GT(picks.size(), 20u);
  for (double duration : picks) EXPECT_DOUBLE_EQ(duration, 7.0);
  // Nothing else happens to a robot between its pick's start and end.
  std::vector<double> picking_since(params.num_robots, -1);
  for (const RobotEvent& event : logs.robot_events) {
    if (event.kind == RobotEventKind::kPickStart) {
      picking_since[event.robot] = event.time_s;
    } else if (event.kind == RobotEventKind::kPickEnd) {
      picking_since[event.robot] = -1;
    } else {
      EXPECT_LT(picking_since[event.robot], 0)
          << "robot " << event.robot << " moved at " << event.time_s << " while picking";
    }
  }

  // Without a pick time, picks take no time and the robots move on at once.
  params.pick_time_s = 0;
  for (double duration : pick_durations(greedy_logs(*model_of(params), 1200)))
    EXPECT_EQ(duration, 0.0);
}

// Counts what the env reports.
struct EventCounter : warehouse::WarehouseEventObserver {
  int orders = 0, moves = 0, picks = 0;
  void order_received(double, double, int) override { ++orders; }
  void forward_move(double, int, int, warehouse::MoveOutcome) override { ++moves; }
  void pick(double, int, int, int, double) override { ++picks; }
};

TEST(WarehousePickTest, ReportingEventsLeavesTheRunAsItWas) {
  WarehouseParams params = tiny_floor();
  params.move_failure_probability = 0.05;
  params.pick_time_s = 4;
  params.pick_time_cv = 0.5;
  params.max_episode_steps = 0;
  const auto model = model_of(params);
  const auto greedy = model->make_baseline("greedy", 1);
  std::vector<std::vector<float>> kpis;
  EventCounter counter;
  for (bool observed : {false, true}) {
    const std::unique_ptr<Env> env = model->make_env();
    auto& floor = static_cast<warehouse::WarehouseEnv&>(*env);
    if (observed) floor.report_events_to(&counter);
    std::vector<float> observation(model->spec().observation_space.size() * 3), reward(3);
    std::vector<int64_t> actions(3);
    auto mask = std::make_unique<bool[]>(3 * warehouse::kNumActions);
    const EnvOutput out{observation.data(), reward.data(), mask.get()};
    env->seed(11);
    env->reset(out);
    for (int step = 0; step < 3000; ++step) {
      greedy->act(*env, {.discrete = actions.data()});
      env->step({.discrete = actions.data()}, out);
    }
    kpis.emplace_back(model->spec().kpi_names.size());
    env->episode_kpis(kpis.back());
  }
  EXPECT_EQ(kpis[0], kpis[1]);
  EXPECT_GT(kpis[0][0], 20);  // orders delivered
  EXPECT_GT(counter.orders, 0);
  EXPECT_GT(counter.moves, 0);
  // Every delivery was a pick; a pick may still be going at the end.
  EXPECT_GE(counter.picks, static_cast<int>(kpis[0][0]));
  EXPECT_LE(counter.picks, static_cast<int>(kpis[0][0]) + params.num_robots);
}

class WarehouseLogTest : public test_support::TempDirTest {};

TEST_F(WarehouseLogTest, LogsAreReadBackAsTheyWereWritten) {
  WarehouseParams params = tiny_floor();
  params.pick_time_s = 5;
  params.pick_time_cv = 0.3;
  params.move_failure_probability = 0.02;
  const auto model = model_of(params);
  const WarehouseLogs written = greedy_logs(*model, 2000);
  write_warehouse_logs(dir_, written);
  const WarehouseLogs read = read_warehouse_logs(dir_, WarehouseLogFiles{}, *model);
  ASSERT_EQ(read.orders.size(), written.orders.size());
  ASSERT_EQ(read.robot_events.size(), written.robot_events.size());
  ASSERT_EQ(read.shifts.size(), 1u);
  EXPECT_EQ(read.shifts[0].end_s, 2000);
  for (size_t i = 0; i < read.orders.size(); ++i) {
    EXPECT_NEAR(read.orders[i].time_s, written.orders[i].time_s, 5e-4);
    EXPECT_EQ(read.orders[i].shelf, written.orders[i].shelf);
  }
  int failed = 0;
  for (size_t i = 0; i < read.robot_events.size(); ++i) {
    const RobotEvent &a = read.robot_events[i], &b = written.robot_events[i];
    EXPECT_NEAR(a.time_s, b.time_s, 5e-4);
    EXPECT_EQ(a.robot, b.robot);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.x, b.x);
    EXPECT_EQ(a.y, b.y);
    EXPECT_EQ(a.shelf, b.shelf);
    failed += a.kind == RobotEventKind::kFailedMove;
  }
  EXPECT_GT(failed, 0);
}

TEST_F(WarehouseLogTest, MistakesInTheLogsNameTheFileRowAndColumn) {
  const auto model = model_of(tiny_floor());
  const int station_x = model->layout().x(model->layout().pick_stations()[0]);
  const int station_y = model->layout().y(model->layout().pick_stations()[0]);
  const std::string station = std::to_string(station_x) + "," + std::to_string(station_y);
  const std::string shifts = "start_s,end_s\n0,3600\n";
  const std::string orders = "time_s,shelf\n10.5,3\n12,\n";
  const std::string events = "time_s,robot,event,x,y,shelf\n1,0,move,1,1,\n2,0,pick_start," +
                             station + ",3\n9.5,0,pick_end," + station + ",3\n";
  struct Case {
    std::string file, text, message;
  };
  const std::vector<Case> cases = {
      {"robot_events.csv", "time_s,robot,event,x,y,shelf\n5,0,move,1,1,\n4,1,move,1,2,\n",
       "robot_events.csv: row 3, column 'time_s': '4' comes before the time of the row above"},
      {"robot_events.csv", "time_s,robot,event,x,y,shelf\n5,0,move,1,1,\n5,0,move,1,1,\n",
       "row 3: repeats the event of row 2 for the same robot at the same time"},
      {"robot_events.csv", "time_s,robot,event,x,y,shelf\n5,3,move,1,1,\n",
       "row 2, column 'robot': '3' is not a robot of the twin (0 to 2)"},
      {"robot_events.csv", "time_s,robot,event,x,y,shelf\n5,0,mvoe,1,1,\n",
       "column 'event': 'mvoe' is not an event (move, failed_move, blocked_move, pick_start, "
       "pick_end); did you mean 'move'?"},
      {"robot_events.csv", "time_s,robot,event,x,y,shelf\n5,0,pick_start,1,1,2\n",
       "column 'x': '1' is not at a pick station of the twin's map"},
      {"robot_events.csv", "time_s,robot,event,x,y,shelf\n5,0,pick_end," + station + ",2\n",
       "row 2: ends a pick that the robot never started"},
      {"robot_events.csv",
       "time_s,robot,event,x,y,shelf\n5,0,pick_start," + station + ",2\n6,0,pick_end," + station +
           ",4\n",
       "row 3, column 'shelf': '4' is not the shelf of the robot's pick_start in row 2 (shelf 2)"},
      {"robot_events.csv", "time_s,robot,event,x,y,shelf\nnan,0,move,1,1,\n",
       "row 2, column 'time_s': 'nan' is not a number"},
      {"robot_events.csv", "time_s,robot,event,x,y,shelf\n5,0,move,99,1,\n",
       "column 'x': '99' is not a map column of the twin (0 to 9)"},
      {"robot_events.csv", "time_s,robot,event,x,y,shelf\n5000,0,move,1,1,\n",
       "column 'time_s': '5000' is outside every shift"},
      {"robot_events.csv", "time_s,robot,event,x,y\n5,0,move,1,1\n",
       "row 1 (the header): no column 'shelf'"},
      {"orders.csv", "time_s,shelf\n", "orders.csv: no data rows after the header"},
      {"orders.csv", "time_s,shelf\n1,500\n", "column 'shelf': '500' is not a shelf of the twin"},
      {"orders.csv", "time_s,shelf\n-1,\n", "column 'time_s': '-1' is negative"},
      {"shifts.csv", "start_s,end_s\n100,50\n",
       "shifts.csv: row 2, column 'end_s': '50' is not after the shift's start"},
      {"shifts.csv", "start_s,end_s\n0,1e300\n",
       "column 'end_s': '1e300' is more than ten years (315360000 s) after the first logged "
       "midnight"},
      {"orders.csv", "time_s,shelf\n1733500000000,\n", "is more than ten years"},
      {"shifts.csv", "start_s,end_s\n0,100\n50,3600\n",
       "row 3, column 'start_s': '50' is before the end of the shift above"},
  };
  for (const Case& c : cases) {
    std::ofstream(dir_ / "shifts.csv") << shifts;
    std::ofstream(dir_ / "orders.csv") << orders;
    std::ofstream(dir_ / "robot_events.csv") << events;
    EXPECT_NO_THROW(read_warehouse_logs(dir_, WarehouseLogFiles{}, *model));
    std::ofstream(dir_ / c.file) << c.text;
    try {
      read_warehouse_logs(dir_, WarehouseLogFiles{}, *model);
      ADD_FAILURE() << "no error for " << c.message;
    } catch (const CsvError& error) {
      EXPECT_NE(std::string(error.what()).find(c.message), std::string::npos)
          << error.what() << "\n  expected: " << c.message;
    }
  }
}

// Within `widths` half-widths of the interval: a correct estimator misses
// two half-widths about once in 20,000 tries, a biased one soon.
void expect_recovered(const CalibratedValue& value, double truth, double widths = 2) {
  ASSERT_TRUE(value.estimate.identified) << value.parameter;
  const double half = (value.estimate.high - value.estimate.low) / 2;
  EXPECT_GT(half, 0) << value.parameter;
  EXPECT_NEAR(value.estimate.value, truth, widths * half) << value.parameter;
}

TEST(WarehouseCalibrationTest, RecoversAHiddenTruthFromItsLogs) {
  WarehouseParams truth = tiny_floor();
  truth.move_failure_probability = 0.05;
  truth.pick_time_s = 8;
  truth.pick_time_cv = 0.5;
  WarehouseParams guess = tiny_floor();
  guess.order_arrival_rates = {50, 50, 50, 50};
  const WarehouseLogs logs = greedy_logs(*model_of(truth), 8 * 3600);
  TwinSpec spec;
  spec.randomize_from_fit = {"pick_time_s", "order_arrival_rates[1]"};
  const WarehouseCalibration calibration =
      calibrate_warehouse(*model_of(guess), logs, WarehouseCalibrationSpec{}, spec);
  ASSERT_EQ(calibration.values.size(), 7u);
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(calibration.values[k].parameter, "order_arrival_rates[" + std::to_string(k) + "]");
    EXPECT_DOUBLE_EQ(calibration.slots[k].exposure_hours, 2.0);
    expect_recovered(calibration.values[k], truth.order_arrival_rates[k]);
  }
  expect_recovered(calibration.values[4], truth.move_failure_probability);
  expect_recovered(calibration.values[5], truth.pick_time_s);
  expect_recovered(calibration.values[6], truth.pick_time_cv);
  EXPECT_EQ(calibration.params_patch["order_arrival_rates"].size(), 4u);
  EXPECT_NEAR(calibration.params_patch["pick_time_s"].as<double>(), 8, 1);
  // Drawn per episode within the intervals.
  ASSERT_TRUE(calibration.randomize["pick_time_s"]);
  EXPECT_DOUBLE_EQ(calibration.randomize["pick_time_s"][0].as<double>(),
                   calibration.values[5].estimate.low);
  EXPECT_TRUE(calibration.randomize["order_arrival_rates[1]"]);
  EXPECT_TRUE(calibration.notes.empty());
}

TEST(WarehouseCalibrationTest, WhatTheLogsDoNotCoverIsFlaggedNotFitted) {
  WarehouseParams truth = tiny_floor();
  truth.pick_time_s = 0;
  WarehouseLogs logs = greedy_logs(*model_of(truth), 2 * 3600);
  // The facility logged its first two hours only: slots 2 and 3 are unseen.
  TwinSpec spec;
  spec.randomize_from_fit = {"order_arrival_rates[3]"};
  const WarehouseCalibration calibration =
      calibrate_warehouse(*model_of(tiny_floor()), logs, WarehouseCalibrationSpec{}, spec);
  EXPECT_TRUE(calibration.values[0].estimate.identified);
  for (size_t k : {2, 3}) {
    const CalibratedValue& value = calibration.values[k];
    EXPECT_FALSE(value.estimate.identified) << value.parameter;
    EXPECT_EQ(value.estimate.value, tiny_floor().order_arrival_rates[k]);
    EXPECT_EQ(calibration.params_patch["order_arrival_rates"][k].as<double>(),
              tiny_floor().order_arrival_rates[k]);
  }
  // Instant picks: the pick time is 0, its spread undefined.
  EXPECT_EQ(calibration.values[5].estimate.value, 0);
  EXPECT_FALSE(calibration.values[6].estimate.identified);
  EXPECT_FALSE(calibration.randomize["order_arrival_rates[3]"]);
  const auto has_note = [&](const std::string& text) {
    for (const std::string& note : calibration.notes)
      if (note.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has_note("order_arrival_rates[2] is not determined: no shift covers 02:00-03:00"));
  EXPECT_TRUE(has_note("pick_time_cv is not determined: every pick took no time"));
  EXPECT_TRUE(has_note("order_arrival_rates[3] is not randomized: the logs do not determine it"));
}

}  // namespace
}  // namespace twinrl
