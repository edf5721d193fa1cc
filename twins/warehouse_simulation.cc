#include "twins/warehouse_simulation.h"

#include <algorithm>
#include <vector>

#include "core/env_registry.h"
#include "core/rng.h"
#include "envs/warehouse/warehouse_env.h"

namespace twinrl {
namespace {

using warehouse::MoveOutcome;

// Collects the env's events as log rows.
class LogRecorder : public warehouse::WarehouseEventObserver {
 public:
  LogRecorder(const warehouse::Layout& layout, WarehouseLogs& logs, uint64_t seed)
      : layout_(layout), logs_(logs), stamps_(seed) {}

  void order_received(double from_s, double to_s, int shelf) override {
    logs_.orders.push_back({from_s + (to_s - from_s) * stamps_.uniform(), shelf});
  }
  void forward_move(double time_s, int robot, int cell, MoveOutcome outcome) override {
    const RobotEventKind kind = outcome == MoveOutcome::kMoved    ? RobotEventKind::kMove
                                : outcome == MoveOutcome::kFailed ? RobotEventKind::kFailedMove
                                                                  : RobotEventKind::kBlockedMove;
    logs_.robot_events.push_back({.time_s = time_s,
                                  .robot = robot,
                                  .kind = kind,
                                  .x = layout_.x(cell),
                                  .y = layout_.y(cell)});
  }
  void pick(double time_s, int robot, int cell, int shelf, double end_s) override {
    const RobotEvent start{.time_s = time_s,
                           .robot = robot,
                           .kind = RobotEventKind::kPickStart,
                           .x = layout_.x(cell),
                           .y = layout_.y(cell),
                           .shelf = shelf};
    logs_.robot_events.push_back(start);
    RobotEvent end = start;
    end.time_s = end_s;
    end.kind = RobotEventKind::kPickEnd;
    logs_.robot_events.push_back(end);
  }

 private:
  const warehouse::Layout& layout_;
  WarehouseLogs& logs_;
  Rng stamps_;
};

}  // namespace

WarehouseLogs simulate_warehouse_logs(const warehouse::WarehouseModel& model,
                                      const FacilityPolicy& policy, int64_t steps, uint64_t seed) {
  warehouse::WarehouseParams params = model.params();
  params.max_episode_steps = 0;
  params.start_time_s = 0;
  const auto run = make_model<warehouse::WarehouseParams, warehouse::WarehouseModel>(params);
  const EnvSpec& spec = run->spec();
  const std::unique_ptr<Env> env = run->make_env();
  auto& floor = static_cast<warehouse::WarehouseEnv&>(*env);
  std::vector<float> observation(spec.observation_space.size() * spec.num_agents),
      reward(spec.num_agents);
  std::vector<int64_t> actions(spec.num_agents);
  auto mask = std::make_unique<bool[]>(spec.num_agents * warehouse::kNumActions);
  const EnvOutput out{observation.data(), reward.data(), mask.get()};

  WarehouseLogs logs;
  LogRecorder recorder(run->layout(), logs, stream_seed(seed, 1));
  floor.report_events_to(&recorder);
  env->seed(seed);
  env->reset(out);
  for (int64_t step = 0; step < steps; ++step) {
    policy(*env, observation, ActionOutput{.discrete = actions.data()});
    env->step(ActionRef{.discrete = actions.data()}, out);
  }
  floor.report_events_to(nullptr);
  const double end_s = static_cast<double>(steps) * params.control_period_s;
  logs.shifts.push_back({0, end_s});
  // A pick still going at the end was logged with its future end: the log
  // keeps its start only. Pick ends are sorted in among the later events.
  std::erase_if(logs.robot_events, [&](const RobotEvent& event) {
    return event.kind == RobotEventKind::kPickEnd && event.time_s > end_s;
  });
  std::ranges::stable_sort(logs.robot_events, {}, &RobotEvent::time_s);
  std::ranges::sort(logs.orders, {}, &OrderArrival::time_s);
  return logs;
}

}  // namespace twinrl
