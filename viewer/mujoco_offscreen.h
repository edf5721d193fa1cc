#pragma once
// MuJoCo scenes rendered into RGB frames without a display: a software GL
// context (OSMesa) made current in the calling thread, MuJoCo's rendering
// context and its abstract scene. One per rendering job, used by one thread.
#include <mujoco/mujoco.h>

#include <array>
#include <memory>
#include <vector>

#include "envs/robot/mujoco_support.h"
#include "viewer/drawers/scene_drawer.h"

namespace twinrl::viewer {

// A free camera: the point it looks at (m), its distance (m) and direction (degrees).
struct OrbitCamera {
  std::array<double, 3> lookat{};
  double distance = 1;
  double azimuth = 90;
  double elevation = -45;
};

class MujocoOffscreen {
 public:
  // Renders `model`'s scene at width x height pixels. Throws std::runtime_error
  // when no GL context can be made or MuJoCo cannot use it.
  MujocoOffscreen(const mjModel& model, int width, int height, const OrbitCamera& camera);
  ~MujocoOffscreen();
  MujocoOffscreen(const MujocoOffscreen&) = delete;
  MujocoOffscreen& operator=(const MujocoOffscreen&) = delete;

  // The picture of `data`, whose positions are computed (mj_forward); `data`
  // belongs to the model given at construction. Resizes `frame`.
  void render(mjData& data, RgbFrame& frame);

 private:
  struct Rendering;  // the GL context, MuJoCo's rendering context and scene

  int width_;
  int height_;
  robot::MjModelPtr model_;  // a copy whose offscreen buffer fits the frames
  mjvCamera camera_;
  mjvOption options_;
  std::unique_ptr<Rendering> rendering_;
  std::vector<unsigned char> bottom_up_;  // rows as GL reads them
};

}  // namespace twinrl::viewer
