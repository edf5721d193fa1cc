#pragma once
// `twinrl view`: the HTML player or run report of recorded rollouts, or a
// video of one episode.
#include <filesystem>
#include <string>

namespace twinrl {

struct ViewArguments {
  std::string path;        // a run directory or a rollout file (.jsonl)
  std::string out;         // the HTML page; default: report.html of a run, <rollout>.html
  std::string rollout;     // for a run: which rollout file (default: the newest)
  int episode = 0;         // the episode of a video
  std::string mp4, gif;    // video files to write instead of the page
  int width = 640;         // video width in pixels
  double fps = 0;          // 0: real time
  int eval_episodes = 10;  // per policy, for the report's table; 0: no table
};

int run_view(const ViewArguments& args);

}  // namespace twinrl
