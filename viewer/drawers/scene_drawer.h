#pragma once
// How an env's recorded episodes look: a background drawn once per episode
// and a foreground per step, for the HTML player; RGB frames for videos.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/env_registry.h"
#include "rundir/rollout.h"
#include "viewer/drawing.h"

namespace twinrl::viewer {

struct EpisodePicture {
  Drawing background;
  std::vector<Drawing> frames;  // one per recorded step, drawn over the background
};

// One video frame: width * height * 3 bytes, RGB, rows from the top.
struct RgbFrame {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
};
using FrameSink = std::function<void(const RgbFrame& frame)>;

class SceneDrawer {
 public:
  virtual ~SceneDrawer() = default;
  virtual EpisodePicture draw(const RolloutEpisode& episode) const = 0;
  // The episode as video frames `width` pixels wide (height from the scene's
  // aspect, rounded to even for video encoders), one per recorded step. The
  // default rasterizes draw(); 3D envs render their own.
  virtual void render_frames(const RolloutEpisode& episode, int width, const FrameSink& sink) const;
};

// A drawer of 2D scenes, one step at a time.
class StepDrawer : public SceneDrawer {
 public:
  EpisodePicture draw(const RolloutEpisode& episode) const override;

 protected:
  virtual Drawing background(const nlohmann::json& scene) const = 0;
  // Drawn over the background; bounds are taken from the background.
  virtual void foreground(const nlohmann::json& scene, const nlohmann::json& state,
                          Drawing& out) const = 0;
};

// The drawer of the rollout's env, or null when there is none for it (the
// player then shows the plots without a scene).
std::unique_ptr<SceneDrawer> make_scene_drawer(const RolloutHeader& header,
                                               const EnvRegistry& registry);

}  // namespace twinrl::viewer
