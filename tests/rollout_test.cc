// Rollout files: what the recorder writes and reads back is what was played,
// and damaged files give errors that name the file, line and key.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "envs/builtin_envs.h"
#include "rundir/rollout.h"
#include "rundir/rollout_recorder.h"
#include "tests/runner_checks.h"

namespace twinrl::viewer {
namespace {

namespace fs = std::filesystem;

fs::path temp_file(const std::string& name) {
  return fs::temp_directory_path() / ("twinrl_rollout_test_" + name);
}

std::shared_ptr<const EnvModel> build(const std::string& id, const std::string& params_yaml) {
  const ConfigNode params = parse_config_text(params_yaml, "test params");
  return builtin_envs().build(id, params, params);
}

// Records the first episode of `episodes` envs of a runner on `threads`
// threads, taking random actions, and writes the rollout to `path`.
Rollout record(const std::shared_ptr<const EnvModel>& model, int episodes, int threads,
               uint64_t seed, const fs::path& path) {
  VecEnv envs(model, {.num_envs = episodes + 1, .threads = threads, .seed = seed});
  RolloutRecorder recorder(
      make_rollout_header(model->spec(), "env:\n  id: test\n", "random", -1, seed), episodes);
  envs.reset();
  recorder.start(envs);
  const auto choose = test_support::random_actions(seed);
  for (int64_t step = 0; !recorder.finished(); ++step) {
    const ActionRef actions = choose(envs, step);
    envs.step(actions);
    recorder.record_step(envs, actions);
  }
  write_rollout(path, recorder.rollout());
  return recorder.rollout();
}

// Plays each recorded episode again on a lone env seeded as the runner seeds
// env k, with the recorded actions, and expects every recorded figure.
void expect_replay_matches(const EnvModel& model, const Rollout& rollout) {
  const EnvSpec& spec = model.spec();
  const Space& space = spec.action_space;
  const int agents = spec.num_agents;
  for (size_t k = 0; k < rollout.episodes.size(); ++k) {
    SCOPED_TRACE("episode " + std::to_string(k));
    const RolloutEpisode& episode = rollout.episodes[k];
    auto env = model.make_env();
    env->seed(stream_seed(rollout.header.seed, k));
    std::vector<float> observation(agents * spec.observation_space.size()), reward(agents);
    std::vector<uint8_t> mask_bytes(spec.has_action_mask ? agents * space.mask_size() : 0);
    const EnvOutput out{
        observation.data(), reward.data(),
        spec.has_action_mask ? reinterpret_cast<bool*>(mask_bytes.data()) : nullptr};
    env->reset(out);
    nlohmann::json scene;
    env->render_scene(scene);
    EXPECT_EQ(scene, episode.scene);
    double total = 0;
    for (size_t t = 0; t < episode.steps.size(); ++t) {
      const RolloutStep& recorded = episode.steps[t];
      SCOPED_TRACE("t = " + std::to_string(t));
      if (t > 0) {
        std::vector<int64_t> discrete(recorded.action.begin(), recorded.action.end());
        const ActionRef action{space.is_discrete() ? nullptr : recorded.action.data(),
                               space.is_discrete() ? discrete.data() : nullptr};
        const StepStatus status = env->step(action, out);
        EXPECT_EQ(recorded.terminated, status.terminated);
        EXPECT_EQ(recorded.truncated,
                  status.truncated || static_cast<int>(t) == spec.max_episode_steps);
        EXPECT_EQ(recorded.reward, reward);
        for (float r : reward) total += r;
      }
      EXPECT_EQ(recorded.observation, observation);
      nlohmann::json state;
      env->render_state(state);
      EXPECT_EQ(recorded.state, state);
      std::vector<float> kpis(spec.kpi_names.size());
      env->episode_kpis(kpis);
      ASSERT_EQ(recorded.kpis.size(), kpis.size());
      for (size_t i = 0; i < kpis.size(); ++i) {
        if (std::isnan(kpis[i])) continue;
        EXPECT_EQ(recorded.kpis[i], kpis[i]) << spec.kpi_names[i];
      }
    }
    const RolloutStep& last = episode.steps.back();
    EXPECT_TRUE(last.terminated || last.truncated);
    EXPECT_NEAR(episode.episode_return, total, 1e-3 * (1 + std::abs(total)));
    EXPECT_EQ(episode.kpis.size(), spec.kpi_names.size());
  }
}

void expect_same(const Rollout& read, const Rollout& written) {
  EXPECT_EQ(read.header.env_id, written.header.env_id);
  EXPECT_EQ(read.header.seed, written.header.seed);
  EXPECT_EQ(read.header.kpi_names, written.header.kpi_names);
  EXPECT_EQ(read.header.config_yaml, written.header.config_yaml);
  ASSERT_EQ(read.episodes.size(), written.episodes.size());
  for (size_t k = 0; k < read.episodes.size(); ++k) {
    const RolloutEpisode& a = read.episodes[k];
    const RolloutEpisode& b = written.episodes[k];
    EXPECT_EQ(a.scene, b.scene);
    EXPECT_EQ(a.episode_return, static_cast<double>(static_cast<float>(b.episode_return)));
    ASSERT_EQ(a.steps.size(), b.steps.size());
    for (size_t t = 0; t < a.steps.size(); ++t) {
      EXPECT_EQ(a.steps[t].observation, b.steps[t].observation);
      EXPECT_EQ(a.steps[t].action, b.steps[t].action);
      EXPECT_EQ(a.steps[t].reward, b.steps[t].reward);
      EXPECT_EQ(a.steps[t].terminated, b.steps[t].terminated);
      EXPECT_EQ(a.steps[t].truncated, b.steps[t].truncated);
      EXPECT_EQ(a.steps[t].state, b.steps[t].state);
    }
  }
}

TEST(RolloutTest, AWarehouseRecordingReadsBackAsPlayedWithEveryAgent) {
  const auto model = build("Warehouse", "layout: tiny\nnum_robots: 2\nmax_episode_steps: 60\n");
  const fs::path path = temp_file("warehouse.jsonl");
  const Rollout written = record(model, 2, 2, 7, path);
  const Rollout read = read_rollout(path);
  EXPECT_EQ(read.header.num_agents, 2);
  EXPECT_TRUE(read.header.discrete_actions);
  expect_same(read, written);
  expect_replay_matches(*model, read);
}

TEST(RolloutTest, ALanderRecordingKeepsTheLastStepBeforeTheReset) {
  const auto model = build("Lander", "{}");
  const fs::path path = temp_file("lander.jsonl");
  const Rollout read = (record(model, 3, 2, 11, path), read_rollout(path));
  for (const RolloutEpisode& episode : read.episodes) EXPECT_TRUE(episode.steps.back().terminated);
  expect_replay_matches(*model, read);
}

// The recorded CartPole file with `edit` applied to its lines.
fs::path damaged(const std::string& name,
                 const std::function<void(std::vector<std::string>&)>& edit) {
  const fs::path good = temp_file("good.jsonl");
  record(build("CartPole", "{}"), 2, 1, 3, good);
  std::ifstream in(good);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  edit(lines);
  const fs::path path = temp_file(name);
  std::ofstream out(path);
  for (const std::string& line : lines) out << line << "\n";
  return path;
}

std::string error_of(const fs::path& path) {
  try {
    read_rollout(path);
  } catch (const RolloutError& error) {
    return error.what();
  }
  return "no error";
}

void replace(std::string& text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
}

TEST(RolloutTest, DamagedFilesGiveErrorsNamingTheFileLineAndKey) {
  const fs::path cut = damaged("cut.jsonl", [](auto& lines) {
    lines.resize(lines.size() - 3);
    lines.back().resize(lines.back().size() / 2);
  });
  std::string error = error_of(cut);
  EXPECT_NE(error.find(cut.string() + ":"), std::string::npos) << error;
  EXPECT_NE(error.find("not a JSON object"), std::string::npos) << error;

  const fs::path missing_end = damaged("no_end.jsonl", [](auto& lines) { lines.pop_back(); });
  error = error_of(missing_end);
  EXPECT_NE(error.find("has no end line"), std::string::npos) << error;

  const fs::path wrong_type = damaged("type.jsonl", [](auto& lines) {
    replace(lines[3], "\"terminated\":false", "\"terminated\":\"no\"");
  });
  error = error_of(wrong_type);
  EXPECT_NE(error.find(wrong_type.string() + ":4: key 'terminated': expected true or false"),
            std::string::npos)
      << error;

  const fs::path short_row = damaged("row.jsonl", [](auto& lines) {
    replace(lines[2], "\"observation\":[[", "\"observation\":[[1.0,");
  });
  error = error_of(short_row);
  EXPECT_NE(error.find(":3: key 'observation': expected 4 numbers, got 5"), std::string::npos)
      << error;

  const fs::path skipped =
      damaged("skip.jsonl", [](auto& lines) { lines.erase(lines.begin() + 3); });
  error = error_of(skipped);
  EXPECT_NE(error.find(":4: key 't': expected step 1"), std::string::npos) << error;

  const fs::path not_rollout = temp_file("config.jsonl");
  std::ofstream(not_rollout) << "{\"seed\": 1}\n";
  error = error_of(not_rollout);
  EXPECT_NE(error.find(":1: missing key 'type'"), std::string::npos) << error;

  error = error_of(temp_file("does_not_exist.jsonl"));
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
}

}  // namespace
}  // namespace twinrl::viewer
