#include "viewer/video_encoder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "rundir/atomic_file.h"
#include "viewer/ffmpeg.h"

namespace twinrl::viewer {
namespace {

// Players show 1 to 60 frames per second well: real time is clamped to that
// range (a control period under 17 ms plays slower than real time), and so is
// a requested rate.
constexpr double kMinFps = 1;
constexpr double kMaxFps = 60;
constexpr double kFpsWithoutPeriod = 30;

double frames_per_second(double requested, double control_period_s) {
  const double fps = requested > 0          ? requested
                     : control_period_s > 0 ? 1 / control_period_s
                                            : kFpsWithoutPeriod;
  return std::clamp(fps, kMinFps, kMaxFps);
}

// ffmpeg's output options for the file's extension, the format named since
// the temporary file has none.
std::vector<std::string> output_options(const std::filesystem::path& out) {
  std::string extension = out.extension().string();
  std::ranges::transform(extension, extension.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".mp4")
    return {"-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4"};
  if (extension == ".gif")
    // One palette for the whole clip, computed from its frames.
    return {"-vf",   "split[frames][again];[again]palettegen[palette];[frames][palette]paletteuse",
            "-loop", "0",
            "-f",    "gif"};
  throw std::invalid_argument("video '" + out.string() + "': the file must end in .mp4 or .gif");
}

}  // namespace

int write_video(const SceneDrawer& drawer, const RolloutEpisode& episode, double control_period_s,
                const std::filesystem::path& out, const VideoOptions& options) {
  const std::vector<std::string> options_for_format = output_options(out);
  if (options.width < 2) throw std::invalid_argument("a video needs a width of 2 pixels or more");
  if (!(options.fps >= 0)) throw std::invalid_argument("a video's fps must not be negative");
  if (episode.steps.empty()) throw std::invalid_argument("the episode has no steps to show");
  // H.264 in yuv420p needs even sizes; drawers make the height even.
  const int width = options.width - options.width % 2;
  const double fps = frames_per_second(options.fps, control_period_s);
  int frames = 0;
  write_atomically(out, [&](const std::filesystem::path& temp_path) {
    std::vector<std::string> arguments = options_for_format;
    arguments.push_back(temp_path.string());
    std::optional<FfmpegEncoder> encoder;  // started at the first frame, which gives the height
    drawer.render_frames(episode, width, [&](const RgbFrame& frame) {
      if (!encoder) encoder.emplace(frame.width, frame.height, fps, arguments);
      encoder->write(frame);
      ++frames;
    });
    if (!encoder) throw std::runtime_error("the scene drawer gave no frames");
    encoder->finish();
  });
  return frames;
}

}  // namespace twinrl::viewer
