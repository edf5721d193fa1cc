#include "cli/view_command.h"

#include <cstdio>
#include <stdexcept>

#include "agents/policy_checkpoint.h"
#include "agents/record_rollout.h"
#include "agents/train.h"
#include "core/seed_streams.h"
#include "envs/builtin_envs.h"
#include "rundir/atomic_file.h"
#include "rundir/run_dir.h"
#include "viewer/html_page.h"
#include "viewer/page_data.h"
#include "viewer/video_encoder.h"

namespace twinrl {
namespace {

namespace fs = std::filesystem;

// The most recently written rollout of a run, or "" when it has none.
fs::path newest_rollout(const fs::path& run_dir) {
  fs::path newest;
  fs::file_time_type newest_time;
  const fs::path rollouts = RunDir(run_dir).rollouts();
  if (!fs::is_directory(rollouts)) return newest;
  for (const auto& entry : fs::directory_iterator(rollouts)) {
    if (entry.path().extension() != ".jsonl") continue;
    if (newest.empty() || entry.last_write_time() > newest_time) {
      newest = entry.path();
      newest_time = entry.last_write_time();
    }
  }
  return newest;
}

// Records one episode of the run's best policy, for a run that has no rollout yet.
fs::path record_best(const Experiment& experiment, const fs::path& run_dir) {
  const fs::path checkpoint = RunDir(run_dir).checkpoint("best");
  const fs::path out = RunDir(run_dir).rollout("eval_trained");
  std::printf("%s has no rollouts: recording one episode of %s into %s\n", run_dir.c_str(),
              checkpoint.c_str(), out.c_str());
  std::fflush(stdout);
  record_rollout(experiment,
                 {.policy = {.name = "trained", .checkpoint = checkpoint},
                  .episodes = 1,
                  .seed = stream_seed(experiment.run.seed, seed_streams::kReport),
                  .training_step = checkpoint_training_step(checkpoint)},
                 out);
  return out;
}

// The trained policy (best.pt), random, and each of the env's baselines.
std::vector<viewer::EvaluationSummary> evaluate_policies(const Experiment& experiment,
                                                         const fs::path& run_dir, int episodes) {
  std::vector<viewer::EvaluationSummary> summaries;
  if (episodes == 0) return summaries;
  std::vector<std::string> names = {"trained", "random"};
  for (const std::string& name : experiment.env_model->baseline_names()) names.push_back(name);
  const uint64_t seed = stream_seed(experiment.run.seed, seed_streams::kEvaluation);
  for (const std::string& name : names) {
    std::printf("evaluating %s (%d episodes)\n", name.c_str(), episodes);
    std::fflush(stdout);
    const EvaluationPolicy policy{name, RunDir(run_dir).checkpoint("best")};
    summaries.push_back({name, evaluate(experiment, policy, episodes, seed)});
  }
  return summaries;
}

void write_videos(const ViewArguments& args, const Rollout& rollout,
                  const viewer::SceneDrawer* drawer) {
  if (!drawer)
    throw std::invalid_argument("env " + rollout.header.env_id +
                                " has no drawing, so no video can be made of it");
  if (args.episode < 0 || args.episode >= std::ssize(rollout.episodes))
    throw std::invalid_argument("--episode " + std::to_string(args.episode) +
                                ": the rollout holds episodes 0 to " +
                                std::to_string(rollout.episodes.size() - 1));
  for (const std::string& out : {args.mp4, args.gif}) {
    if (out.empty()) continue;
    const int frames = viewer::write_video(*drawer, rollout.episodes[args.episode],
                                           rollout.header.control_period_s, out,
                                           {.width = args.width, .fps = args.fps});
    std::printf("wrote %s (%d frames)\n", out.c_str(), frames);
  }
}

}  // namespace

int run_view(const ViewArguments& args) {
  const fs::path path(args.path);
  const bool is_run = fs::is_directory(path);
  if (!is_run && !fs::is_regular_file(path))
    throw std::invalid_argument(args.path + ": no such run directory or rollout file");
  if (!is_run && !args.rollout.empty())
    throw std::invalid_argument("--rollout chooses among a run's rollouts; " + args.path +
                                " is a rollout file already");

  std::optional<Experiment> experiment;
  fs::path rollout_file = path;
  if (is_run) {
    experiment = load_run_experiment(path, builtin_envs());
    rollout_file = args.rollout.empty() ? newest_rollout(path) : fs::path(args.rollout);
    if (rollout_file.empty()) rollout_file = record_best(*experiment, path);
  }
  const Rollout rollout = read_rollout(rollout_file);
  const std::unique_ptr<viewer::SceneDrawer> drawer =
      viewer::make_scene_drawer(rollout.header, builtin_envs());
  if (!args.mp4.empty() || !args.gif.empty()) {
    write_videos(args, rollout, drawer.get());
    return 0;
  }

  nlohmann::json page = {
      {"title", viewer::page_title(is_run ? path.string() : rollout_file.string(), rollout.header)},
      {"rollout", viewer::player_data(rollout, drawer.get())},
      {"report", nullptr}};
  if (is_run)
    page["report"] =
        viewer::report_data(path, evaluate_policies(*experiment, path, args.eval_episodes));
  fs::path out = args.out;
  if (out.empty())
    out = is_run ? RunDir(path).report() : fs::path(rollout_file).replace_extension(".html");
  write_file_atomically(out, viewer::html_page(page));
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

}  // namespace twinrl
