// The MuJoCo arm and the Box2D lander: env steps per second through the
// synchronous runner next to plain loops of the bare physics (mj_step times
// the frame skip; b2World::Step) on the same model, with 1 and 2 threads. The
// plain loop is the physical limit: the runner's goal is to stay within 10%.
// Configurations are interleaved and repeated; each figure is the median.
// Usage: physics_throughput [steps per measurement] [repeats]
#include <mujoco/mujoco.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "bench/throughput.h"
#include "config/run_config.h"
#include "envs/box2d/lander_env.h"
#include "envs/builtin_envs.h"
#include "envs/robot/arm_env.h"

namespace {

using twinrl::EnvModel;

// One env copy's physics, stepped one control period at a time.
class PhysicsCopy {
 public:
  virtual ~PhysicsCopy() = default;
  virtual void step() = 0;
};

// mj_step frame_skip times on the arm's mjModel, under random controls drawn
// beforehand, restarting from the home pose at the episode length as the env does.
class ArmPhysics : public PhysicsCopy {
 public:
  ArmPhysics(const twinrl::robot::ArmModel& arm, uint64_t seed)
      : model_(arm.mujoco_model()),
        data_(mj_makeData(model_)),
        frame_skip_(arm.frame_skip()),
        episode_steps_(arm.spec().max_episode_steps) {
    twinrl::Rng rng(seed);
    controls_.resize(kControlSets * model_->nu);
    for (int set = 0; set < kControlSets; ++set)
      for (int a = 0; a < model_->nu; ++a) {
        const double* range = model_->actuator_ctrlrange + 2 * a;
        controls_[set * model_->nu + a] = model_->actuator_ctrllimited[a]
                                              ? rng.uniform(range[0], range[1])
                                              : rng.uniform(-1.0, 1.0);
      }
    restart();
  }
  ~ArmPhysics() override { mj_deleteData(data_); }

  void step() override {
    if (++steps_ == episode_steps_) restart();
    std::copy_n(controls_.data() + (steps_ % kControlSets) * model_->nu, model_->nu, data_->ctrl);
    for (int k = 0; k < frame_skip_; ++k) mj_step(model_, data_);
  }

 private:
  static constexpr int kControlSets = 64;
  void restart() {
    steps_ = 0;
    if (model_->nkey > 0)
      mj_resetDataKeyframe(model_, data_, 0);
    else
      mj_resetData(model_, data_);
    mj_forward(model_, data_);
  }

  const mjModel* model_;
  mjData* data_;
  int frame_skip_;
  int episode_steps_;
  int steps_ = 0;
  std::vector<double> controls_;
};

// b2World::Step alone on a lander world, rebuilt when the lander has crashed
// or come to rest, as the env would start a new episode.
class LanderPhysics : public PhysicsCopy {
 public:
  LanderPhysics(const twinrl::lander::LanderModel& lander, uint64_t seed)
      : params_(lander.params()), rng_(seed) {
    world_.build(params_, rng_);
  }
  void step() override {
    if (world_.hull_touched_ground() || world_.at_rest()) world_.build(params_, rng_);
    world_.step_physics();
  }

 private:
  twinrl::lander::LanderParams params_;
  twinrl::Rng rng_;
  twinrl::lander::LanderWorld world_;
};

using CopyFactory = std::function<std::unique_ptr<PhysicsCopy>(uint64_t seed)>;

// Steps per second of `num_envs` physics copies, each thread stepping its own
// contiguous block with no hand-off at all.
double plain_loop(const CopyFactory& make_copy, int num_envs, int threads, int64_t steps) {
  std::vector<std::unique_ptr<PhysicsCopy>> copies;
  for (int i = 0; i < num_envs; ++i) copies.push_back(make_copy(i + 1));
  const int64_t rounds = std::max<int64_t>(1, steps / num_envs);
  auto run_block = [&](int first, int end, int64_t count) {
    for (int64_t round = 0; round < count; ++round)
      for (int i = first; i < end; ++i) copies[i]->step();
  };
  run_block(0, num_envs, rounds / 10);  // warm-up
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back(run_block, t * num_envs / threads, (t + 1) * num_envs / threads, rounds);
  for (std::thread& worker : workers) worker.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return rounds * num_envs / seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::shared_ptr<const EnvModel> model_of(const char* config) {
  const twinrl::RunConfig run = twinrl::load_run_config(config);
  return twinrl::builtin_envs()
      .entry(run.env.id, run.source.child("env").child("id"))
      .build(run.env.params, run.env.randomize, {});
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t steps = argc > 1 ? std::atoll(argv[1]) : 200'000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  struct Subject {
    const char* label;
    std::shared_ptr<const EnvModel> model;
    CopyFactory make_copy;
  };
  const auto arm = model_of("configs/arm_reach_ppo.yaml");
  const auto lander = model_of("configs/lander_ppo.yaml");
  const std::vector<Subject> subjects = {
      {"arm_reach", arm,
       [&](uint64_t seed) {
         return std::make_unique<ArmPhysics>(dynamic_cast<const twinrl::robot::ArmModel&>(*arm),
                                             seed);
       }},
      {"lander", lander, [&](uint64_t seed) {
         return std::make_unique<LanderPhysics>(
             dynamic_cast<const twinrl::lander::LanderModel&>(*lander), seed);
       }}};

  std::printf(
      "Env steps per second (thousands), median of %d; physics = plain loop of the "
      "bare physics on the same model\n\n",
      repeats);
  std::printf(
      "| env | num_envs | physics 1T | runner 1T | runner/physics 1T | physics 2T | "
      "runner 2T | runner/physics 2T |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const Subject& subject : subjects)
    for (const int num_envs : {16, 64}) {
      std::vector<double> samples[4];
      for (int repeat = 0; repeat < repeats; ++repeat)
        for (int threads = 1; threads <= 2; ++threads) {
          samples[2 * (threads - 1)].push_back(
              plain_loop(subject.make_copy, num_envs, threads, steps));
          const twinrl::ThroughputOptions options{.mode = twinrl::StepMode::kSync,
                                                  .num_envs = num_envs,
                                                  .threads = threads,
                                                  .steps = steps};
          samples[2 * (threads - 1) + 1].push_back(
              twinrl::measure_throughput(subject.model, options).steps_per_second());
        }
      double m[4];
      for (int k = 0; k < 4; ++k) m[k] = median(samples[k]);
      std::printf("| %s | %d | %.1f | %.1f | %.3f | %.1f | %.1f | %.3f |\n", subject.label,
                  num_envs, m[0] / 1e3, m[1] / 1e3, m[1] / m[0], m[2] / 1e3, m[3] / 1e3,
                  m[3] / m[2]);
      std::fflush(stdout);
    }
  return 0;
}
