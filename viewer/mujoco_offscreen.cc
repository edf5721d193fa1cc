#include "viewer/mujoco_offscreen.h"

#include <GL/osmesa.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace twinrl::viewer {
namespace {

constexpr int kMaxSceneGeoms = 1000;

// An OSMesa context drawing into memory; MuJoCo draws into its own offscreen
// framebuffer, so this buffer only has to exist.
class OsmesaContext {
 public:
  OsmesaContext(int width, int height)
      : width_(width), height_(height), buffer_(static_cast<size_t>(width) * height * 4) {
    context_ = OSMesaCreateContextExt(OSMESA_RGBA, 24, 8, 0, nullptr);
    if (!context_)
      throw std::runtime_error("cannot create an OSMesa GL context for MuJoCo rendering");
  }
  ~OsmesaContext() { OSMesaDestroyContext(context_); }
  OsmesaContext(const OsmesaContext&) = delete;
  OsmesaContext& operator=(const OsmesaContext&) = delete;

  // GL contexts are current per thread: made current before any GL work.
  bool make_current() {
    return OSMesaMakeCurrent(context_, buffer_.data(), GL_UNSIGNED_BYTE, width_, height_);
  }

 private:
  int width_;
  int height_;
  std::vector<unsigned char> buffer_;
  OSMesaContext context_;
};

class AbstractScene {
 public:
  explicit AbstractScene(const mjModel& model) {
    mjv_defaultScene(&scene_);
    mjv_makeScene(&model, &scene_, kMaxSceneGeoms);
  }
  ~AbstractScene() { mjv_freeScene(&scene_); }
  AbstractScene(const AbstractScene&) = delete;
  AbstractScene& operator=(const AbstractScene&) = delete;
  mjvScene* get() { return &scene_; }

 private:
  mjvScene scene_;
};

// MuJoCo's GL resources (meshes, textures, the offscreen framebuffer); made
// and freed with the GL context current.
class RenderingContext {
 public:
  explicit RenderingContext(const mjModel& model) {
    mjr_defaultContext(&context_);
    mjr_makeContext(&model, &context_, mjFONTSCALE_100);
    mjr_setBuffer(mjFB_OFFSCREEN, &context_);
  }
  ~RenderingContext() { mjr_freeContext(&context_); }
  RenderingContext(const RenderingContext&) = delete;
  RenderingContext& operator=(const RenderingContext&) = delete;
  mjrContext* get() { return &context_; }

 private:
  mjrContext context_;
};

}  // namespace

// Members in the order of their making; freed in reverse, the GL context last.
struct MujocoOffscreen::Rendering {
  Rendering(const mjModel& model, int width, int height) : gl(width, height), scene(model) {
    make_current();
    context = std::make_unique<RenderingContext>(model);
  }
  ~Rendering() {
    // Another renderer of this thread may have made its own context current.
    // Should this one fail, MuJoCo's GL objects are leaked rather than freed
    // in the wrong context.
    if (gl.make_current())
      context.reset();
    else
      (void)context.release();
  }
  void make_current() {
    if (!gl.make_current()) throw std::runtime_error("cannot make the OSMesa GL context current");
  }
  Rendering(const Rendering&) = delete;
  Rendering& operator=(const Rendering&) = delete;

  OsmesaContext gl;
  AbstractScene scene;
  std::unique_ptr<RenderingContext> context;
};

MujocoOffscreen::MujocoOffscreen(const mjModel& model, int width, int height,
                                 const OrbitCamera& camera)
    : width_(width), height_(height), bottom_up_(static_cast<size_t>(width) * height * 3) {
  if (width < 1 || height < 1)
    throw std::invalid_argument("a MuJoCo picture needs a positive width and height");
  robot::install_mujoco_handlers();  // MuJoCo's errors throw rather than exit
  try {
    model_ = robot::copy_model(model);
    model_->vis.global.offwidth = width;
    model_->vis.global.offheight = height;
    rendering_ = std::make_unique<Rendering>(*model_, width, height);
  } catch (const robot::MujocoError& error) {
    throw std::runtime_error(std::string("MuJoCo cannot render offscreen: ") + error.what());
  }
  mjv_defaultCamera(&camera_);
  camera_.type = mjCAMERA_FREE;
  std::copy(camera.lookat.begin(), camera.lookat.end(), camera_.lookat);
  camera_.distance = camera.distance;
  camera_.azimuth = camera.azimuth;
  camera_.elevation = camera.elevation;
  mjv_defaultOption(&options_);
}

MujocoOffscreen::~MujocoOffscreen() = default;

void MujocoOffscreen::render(mjData& data, RgbFrame& frame) {
  rendering_->make_current();
  mjv_updateScene(model_.get(), &data, &options_, nullptr, &camera_, mjCAT_ALL,
                  rendering_->scene.get());
  const mjrRect viewport{0, 0, width_, height_};
  mjr_render(viewport, rendering_->scene.get(), rendering_->context->get());
  mjr_readPixels(bottom_up_.data(), nullptr, viewport, rendering_->context->get());
  frame.width = width_;
  frame.height = height_;
  frame.pixels.resize(bottom_up_.size());
  const size_t row_bytes = static_cast<size_t>(width_) * 3;
  for (int row = 0; row < height_; ++row)
    std::copy_n(bottom_up_.data() + (height_ - 1 - row) * row_bytes, row_bytes,
                frame.pixels.data() + row * row_bytes);
}

}  // namespace twinrl::viewer
