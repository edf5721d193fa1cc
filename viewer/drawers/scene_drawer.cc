#include "viewer/drawers/scene_drawer.h"

#include <algorithm>

#include "viewer/drawers/drawers.h"
#include "viewer/rasterizer.h"

namespace twinrl::viewer {

void SceneDrawer::render_frames(const RolloutEpisode& episode, int width,
                                const FrameSink& sink) const {
  const EpisodePicture picture = draw(episode);
  const Bounds& bounds = picture.background.bounds();
  RgbFrame background{width, frame_height(bounds, width), {}};
  background.pixels.assign(size_t(background.width) * background.height * 3, 255);
  rasterize(picture.background, bounds, background);
  RgbFrame frame;
  for (const Drawing& foreground : picture.frames) {
    frame = background;
    rasterize(foreground, bounds, frame);
    sink(frame);
  }
}

EpisodePicture StepDrawer::draw(const RolloutEpisode& episode) const {
  EpisodePicture picture{background(episode.scene), {}};
  picture.frames.reserve(episode.steps.size());
  for (const RolloutStep& step : episode.steps) {
    Drawing frame(picture.background.bounds());
    foreground(episode.scene, step.state, frame);
    picture.frames.push_back(std::move(frame));
  }
  return picture;
}

std::unique_ptr<SceneDrawer> make_scene_drawer(const RolloutHeader& header,
                                               const EnvRegistry& registry) {
  const std::string& id = header.env_id;
  if (id == "CartPole") return make_cartpole_drawer();
  if (id == "Warehouse") return make_warehouse_drawer();
  if (id == "SupplyChain") return make_supply_chain_drawer();
  if (id == "Lander") return make_lander_drawer();
  if (id == "Amr") return make_amr_drawer();
  if (id == "Arm") return make_arm_drawer(rebuild_env_model(header, registry));
  return nullptr;
}

}  // namespace twinrl::viewer
