#pragma once
// Videos of recorded episodes, encoded by ffmpeg: MP4 (H.264) or GIF, chosen
// by the output file's extension.
#include <filesystem>

#include "rundir/rollout.h"
#include "viewer/drawers/scene_drawer.h"

namespace twinrl::viewer {

struct VideoOptions {
  int width = 640;  // pixels; the height follows the scene's aspect
  double fps = 0;   // 0: real time, one frame per control period
};

// Writes `episode` as drawn by `drawer` (one frame per recorded step) to
// `out` (.mp4 or .gif), atomically; returns the number of frames. Throws
// std::invalid_argument for another extension and std::runtime_error when
// ffmpeg is missing or fails (with its message).
int write_video(const SceneDrawer& drawer, const RolloutEpisode& episode, double control_period_s,
                const std::filesystem::path& out, const VideoOptions& options = {});

}  // namespace twinrl::viewer
