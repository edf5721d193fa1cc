#include <mujoco/mujoco.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "envs/robot/arm_env.h"
#include "rundir/atomic_file.h"
#include "viewer/drawers/drawers.h"
#include "viewer/ffmpeg.h"
#include "viewer/mujoco_offscreen.h"

namespace twinrl::viewer {
namespace {

constexpr int kPictureWidth = 480;         // pixels, of the HTML player's pictures
constexpr const char* kJpegQuality = "5";  // ffmpeg's -q:v: 2 (best) to 31
// The arm, the table and the work space from the front left, a little above.
const OrbitCamera kCamera{
    .lookat = {0.25, 0, 0.18}, .distance = 1.3, .azimuth = 135, .elevation = -25};

// Three quarters of the width, rounded to even for video encoders.
int picture_height(int width) {
  return static_cast<int>(2 * std::lround(width * 3 / 8.0));
}

// `object[key]`, a list of `count` numbers; `where` names the object in errors.
std::vector<double> numbers(const nlohmann::json& object, const char* key, size_t count,
                            const std::string& where) {
  const auto found = object.find(key);
  const bool valid =
      found != object.end() && found->is_array() && found->size() == count &&
      std::ranges::all_of(*found, [](const auto& value) { return value.is_number(); });
  if (!valid)
    throw std::runtime_error(where + ": '" + key + "' must be a list of " + std::to_string(count) +
                             " numbers");
  return found->template get<std::vector<double>>();
}

class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string path = (std::filesystem::temp_directory_path() / "twinrl-arm-XXXXXX").string();
    if (!mkdtemp(path.data()))
      throw std::runtime_error("cannot create a temporary directory for the arm's pictures");
    path_ = path;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string base64(std::string_view bytes) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t available = std::min<size_t>(3, bytes.size() - i);
    uint32_t group = 0;
    for (size_t k = 0; k < 3; ++k)
      group = group << 8 | (k < available ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    for (size_t k = 0; k < 4; ++k)
      text += k <= available ? kDigits[(group >> (18 - 6 * k)) & 63] : '=';
  }
  return text;
}

// The MuJoCo scene of each recorded step, rendered offscreen.
class ArmDrawer : public SceneDrawer {
 public:
  explicit ArmDrawer(std::shared_ptr<const robot::ArmModel> model) : model_(std::move(model)) {}

  // The HTML player shows a JPEG picture per step.
  EpisodePicture draw(const RolloutEpisode& episode) const override {
    const int height = picture_height(kPictureWidth);
    const Bounds bounds{0, 0, kPictureWidth, static_cast<float>(height), false};
    EpisodePicture picture{Drawing(bounds, Color::rgb(0, 0, 0)), {}};
    for (const std::string& jpeg : jpeg_pictures(episode, height)) {
      Drawing frame(bounds);
      frame.image(0, 0, kPictureWidth, height, "data:image/jpeg;base64," + base64(jpeg));
      picture.frames.push_back(std::move(frame));
    }
    return picture;
  }

  void render_frames(const RolloutEpisode& episode, int width,
                     const FrameSink& sink) const override {
    const mjModel& model = *model_->mujoco_model();
    MujocoOffscreen renderer(model, width, picture_height(width), kCamera);
    const robot::MjDataPtr data = robot::make_data(model);
    // The target is a mocap body placed for display, as the env does.
    if (const int mocap = model_->layout().target_mocap; mocap >= 0) {
      const std::vector<double> target = numbers(episode.scene, "target", 3, "Arm rollout scene");
      std::copy(target.begin(), target.end(), data->mocap_pos + 3 * mocap);
    }
    RgbFrame frame;
    for (size_t t = 0; t < episode.steps.size(); ++t) {
      const std::vector<double> qpos = numbers(episode.steps[t].state, "qpos", model.nq,
                                               "Arm rollout step " + std::to_string(t));
      std::copy(qpos.begin(), qpos.end(), data->qpos);
      mj_forward(&model, data.get());
      renderer.render(*data, frame);
      sink(frame);
    }
  }

 private:
  // Each step's picture as the bytes of a JPEG file, all encoded by one ffmpeg run.
  std::vector<std::string> jpeg_pictures(const RolloutEpisode& episode, int height) const {
    if (episode.steps.empty()) return {};
    const TemporaryDirectory directory;
    FfmpegEncoder encoder(
        kPictureWidth, height, 25,
        {"-q:v", kJpegQuality, "-start_number", "0", (directory.path() / "%06d.jpg").string()});
    render_frames(episode, kPictureWidth, [&](const RgbFrame& frame) { encoder.write(frame); });
    encoder.finish();
    std::vector<std::string> pictures;
    for (size_t t = 0; t < episode.steps.size(); ++t) {
      char name[32];
      std::snprintf(name, sizeof name, "%06zu.jpg", t);
      pictures.push_back(read_file(directory.path() / name));
    }
    return pictures;
  }

  std::shared_ptr<const robot::ArmModel> model_;
};

}  // namespace

std::unique_ptr<SceneDrawer> make_arm_drawer(std::shared_ptr<const EnvModel> model) {
  auto arm = std::dynamic_pointer_cast<const robot::ArmModel>(model);
  if (!arm) throw std::invalid_argument("the Arm drawer needs the model of an Arm env");
  return std::make_unique<ArmDrawer>(std::move(arm));
}

}  // namespace twinrl::viewer
