#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "envs/builtin_envs.h"
#include "envs/robot/arm_env.h"
#include "tests/command_line.h"
#include "tests/temp_dir_test.h"
#include "viewer/drawers/drawers.h"
#include "viewer/rasterizer.h"
#include "viewer/video_encoder.h"

namespace twinrl::viewer {
namespace {

namespace fs = std::filesystem;
using test_support::run_program;

using Rgb = std::array<int, 3>;
constexpr Color kRed = Color::rgb(255, 0, 0);
constexpr Color kBlue = Color::rgb(0, 0, 255);
constexpr Rgb kWhite{255, 255, 255};

RgbFrame white_frame(int width, int height) {
  return {width, height, std::vector<uint8_t>(size_t(width) * height * 3, 255)};
}

Rgb pixel(const RgbFrame& frame, int x, int y) {
  const uint8_t* p = frame.pixels.data() + 3 * (size_t(y) * frame.width + x);
  return {p[0], p[1], p[2]};
}

int count_pixels(const RgbFrame& frame, Rgb colour) {
  int count = 0;
  for (int y = 0; y < frame.height; ++y)
    for (int x = 0; x < frame.width; ++x) count += pixel(frame, x, y) == colour;
  return count;
}

RgbFrame rasterized(const Drawing& drawing, int width, int height) {
  RgbFrame frame = white_frame(width, height);
  rasterize(drawing, drawing.bounds(), frame);
  return frame;
}

TEST(RasterizerTest, FrameHeightKeepsTheAspectEvenAndAtLeastTwo) {
  EXPECT_EQ(frame_height({0, 0, 4, 3}, 640), 480);
  EXPECT_EQ(frame_height({0, 0, 3, 1}, 100), 34);  // 33.3
  EXPECT_EQ(frame_height({-1, 5, 1, 6}, 7), 4);    // 3.5
  EXPECT_EQ(frame_height({0, 0, 100, 1}, 50), 2);  // 0.5
  EXPECT_THROW(frame_height({0, 0, 0, 1}, 50), std::invalid_argument);
}

TEST(RasterizerTest, RectsCoverTheirPixelsWithYUpOrDown) {
  Drawing up(Bounds{0, 0, 10, 10, true});
  up.rect(2, 1, 3, 2, kRed);
  const RgbFrame frame = rasterized(up, 10, 10);
  // y from 1 to 3 upwards: rows 7 and 8 from the top.
  EXPECT_EQ(count_pixels(frame, {255, 0, 0}), 6);
  for (int x = 2; x < 5; ++x) {
    EXPECT_EQ(pixel(frame, x, 7), (Rgb{255, 0, 0}));
    EXPECT_EQ(pixel(frame, x, 8), (Rgb{255, 0, 0}));
  }
  Drawing down(Bounds{0, 0, 10, 10, false});
  down.rect(2, 1, 3, 2, kRed);
  const RgbFrame flipped = rasterized(down, 10, 10);
  EXPECT_EQ(count_pixels(flipped, {255, 0, 0}), 6);
  EXPECT_EQ(pixel(flipped, 2, 1), (Rgb{255, 0, 0}));
  EXPECT_EQ(pixel(flipped, 4, 2), (Rgb{255, 0, 0}));
  EXPECT_EQ(pixel(flipped, 2, 7), kWhite);
}

TEST(RasterizerTest, BoundsScaleAndShiftOntoTheFrame) {
  Drawing drawing(Bounds{10, 20, 12, 22, false}, Color::rgb(0, 0, 0));
  drawing.rect(11, 21, 1, 1, kRed);  // the bottom right quarter
  const RgbFrame frame = rasterized(drawing, 20, 20);
  EXPECT_EQ(count_pixels(frame, {255, 0, 0}), 100);
  EXPECT_EQ(pixel(frame, 15, 15), (Rgb{255, 0, 0}));
  EXPECT_EQ(count_pixels(frame, {0, 0, 0}), 300);  // the background colour elsewhere
}

TEST(RasterizerTest, CirclesFillAndStrokeARing) {
  Drawing drawing(Bounds{0, 0, 20, 20, false});
  drawing.circle(10, 10, 5, kBlue);
  const RgbFrame filled = rasterized(drawing, 20, 20);
  EXPECT_EQ(pixel(filled, 10, 10), (Rgb{0, 0, 255}));
  EXPECT_EQ(pixel(filled, 16, 10), kWhite);
  EXPECT_EQ(pixel(filled, 10, 3), kWhite);
  EXPECT_NEAR(count_pixels(filled, {0, 0, 255}), M_PI * 25, 6);

  Drawing ring(Bounds{0, 0, 20, 20, false});
  ring.circle(10, 10, 5, Color::none(), kRed, 2);
  const RgbFrame stroked = rasterized(ring, 20, 20);
  EXPECT_EQ(pixel(stroked, 10, 10), kWhite);            // inside the ring
  EXPECT_EQ(pixel(stroked, 15, 10), (Rgb{255, 0, 0}));  // 5.5 px from the centre
  EXPECT_EQ(pixel(stroked, 10, 4), (Rgb{255, 0, 0}));
  EXPECT_EQ(pixel(stroked, 17, 10), kWhite);  // beyond it
}

TEST(RasterizerTest, ConcavePolygonsLeaveTheirNotchEmpty) {
  Drawing drawing(Bounds{0, 0, 6, 6, false});
  // A U open at the bottom: the notch is x in [2, 4), y in [2, 6).
  drawing.polygon({0, 0, 6, 0, 6, 6, 4, 6, 4, 2, 2, 2, 2, 6, 0, 6}, kRed);
  const RgbFrame frame = rasterized(drawing, 6, 6);
  EXPECT_EQ(count_pixels(frame, {255, 0, 0}), 36 - 8);
  EXPECT_EQ(pixel(frame, 3, 4), kWhite);
  EXPECT_EQ(pixel(frame, 1, 4), (Rgb{255, 0, 0}));
  EXPECT_EQ(pixel(frame, 3, 1), (Rgb{255, 0, 0}));
}

TEST(RasterizerTest, PolylinesHaveTheirWidth) {
  Drawing drawing(Bounds{0, 0, 10, 10, false});
  drawing.polyline({1, 5, 9, 5}, kBlue, 2);  // rows 4 and 5
  const RgbFrame frame = rasterized(drawing, 10, 10);
  for (int x = 2; x < 8; ++x) {
    EXPECT_EQ(pixel(frame, x, 3), kWhite) << x;
    EXPECT_EQ(pixel(frame, x, 4), (Rgb{0, 0, 255})) << x;
    EXPECT_EQ(pixel(frame, x, 5), (Rgb{0, 0, 255})) << x;
    EXPECT_EQ(pixel(frame, x, 6), kWhite) << x;
  }
}

TEST(RasterizerTest, TranslucentColoursBlendOncePerShape) {
  const Color half_red = Color::rgb(255, 0, 0, 128);
  Drawing drawing(Bounds{0, 0, 20, 20, false});
  drawing.rect(0, 0, 10, 10, half_red);
  drawing.rect(5, 5, 10, 10, half_red);
  // A translucent line whose segments and round joins overlap at (15, 15).
  drawing.polyline({15, 12, 15, 15, 18, 15}, Color::rgb(0, 0, 255, 128), 2);
  const RgbFrame frame = rasterized(drawing, 20, 20);
  const Rgb once{255, 127, 127};
  EXPECT_EQ(pixel(frame, 2, 2), once);
  EXPECT_EQ(pixel(frame, 7, 7), (Rgb{255, 63, 63}));  // both rects
  EXPECT_EQ(pixel(frame, 12, 12), once);
  const Rgb line = pixel(frame, 15, 13);
  EXPECT_EQ(line, (Rgb{127, 127, 255}));
  EXPECT_EQ(pixel(frame, 15, 15), line);  // the joint
  EXPECT_EQ(pixel(frame, 17, 15), line);
}

TEST(RasterizerTest, TextAndImagesAreLeftOut) {
  Drawing drawing(Bounds{0, 0, 10, 10, false});
  drawing.text(1, 5, "label", 3, kRed);
  drawing.image(0, 0, 10, 10, "data:image/png;base64,");
  EXPECT_EQ(count_pixels(rasterized(drawing, 10, 10), kWhite), 100);
}

// A temporary directory for the videos of one test.
using VideoTest = test_support::TempDirTest;

struct Probe {
  int frames = 0, width = 0, height = 0;
};

Probe probe(const fs::path& video) {
  const auto outcome = run_program("ffprobe",
                                   "-v error -count_frames -select_streams v:0 -show_entries "
                                   "stream=nb_read_frames,width,height -of csv=p=0 '" +
                                       video.string() + "'");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  // width,height,nb_read_frames
  Probe result;
  char comma = 0;
  std::istringstream(outcome.output) >> result.width >> comma >> result.height >> comma >>
      result.frames;
  return result;
}

// Frame `index` of `video`, decoded to RGB.
std::string decoded_frame(const fs::path& video, int index) {
  const auto outcome = run_program("ffmpeg", "-v error -i '" + video.string() +
                                                 "' -vf 'select=eq(n\\," + std::to_string(index) +
                                                 ")' -vframes 1 -f rawvideo -pix_fmt rgb24 -");
  EXPECT_EQ(outcome.exit_code, 0);
  return outcome.output;
}

double variance(const std::string& bytes) {
  double sum = 0, squares = 0;
  for (unsigned char byte : bytes) {
    sum += byte;
    squares += double(byte) * byte;
  }
  const double mean = sum / bytes.size();
  return squares / bytes.size() - mean * mean;
}

double mean_difference(const std::string& a, const std::string& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i)
    sum += std::abs(int(static_cast<unsigned char>(a[i])) - static_cast<unsigned char>(b[i]));
  return sum / a.size();
}

std::shared_ptr<const EnvModel> arm_model(const std::string& task) {
  const ConfigNode params =
      parse_config_text("task: " + task + "\nepisode_steps: 20\n", "params.yaml");
  return builtin_envs().build("Arm", params, params);
}

// An episode of the scripted arm, recorded as the rollout recorder does.
RolloutEpisode scripted_arm_episode(const EnvModel& model) {
  const std::unique_ptr<Env> env = model.make_env();
  env->seed(5);
  std::vector<float> observation(model.spec().observation_space.size());
  std::vector<float> action(model.spec().action_space.size());
  float reward = 0;
  const EnvOutput out{observation.data(), &reward, nullptr};
  const std::unique_ptr<BaselinePolicy> policy = model.make_baseline("scripted", 0);
  RolloutEpisode episode;
  env->reset(out);
  env->render_scene(episode.scene);
  episode.steps.emplace_back();
  env->render_state(episode.steps.back().state);
  for (int t = 0; t < model.spec().max_episode_steps; ++t) {
    policy->act(*env, {action.data(), nullptr});
    env->step({action.data(), nullptr}, out);
    episode.steps.emplace_back();
    env->render_state(episode.steps.back().state);
  }
  return episode;
}

TEST(ArmRenderTest, SceneAndStateDescribeThePicture) {
  const auto model = arm_model("push");
  const auto& arm = dynamic_cast<const robot::ArmModel&>(*model);
  const std::unique_ptr<Env> env = model->make_env();
  env->seed(2);
  std::vector<float> observation(model->spec().observation_space.size());
  float reward = 0;
  env->reset({observation.data(), &reward, nullptr});
  const auto& arm_env = dynamic_cast<const robot::ArmEnv&>(*env);
  nlohmann::json scene, state;
  env->render_scene(scene);
  env->render_state(state);
  const int nq = arm.mujoco_model()->nq;
  EXPECT_EQ(scene.at("task"), "push");
  for (int axis = 0; axis < 3; ++axis)
    EXPECT_NEAR(scene.at("target")[axis].get<double>(), arm_env.target()[axis], 1e-6);
  ASSERT_EQ(scene.at("qpos_names").size(), size_t(nq));
  EXPECT_EQ(scene["qpos_names"][0], "shoulder_yaw");
  EXPECT_EQ(scene["qpos_names"][nq - 4], "box_qw");
  ASSERT_EQ(state.at("qpos").size(), size_t(nq));
  const mjData* data = arm_env.data();
  for (int i = 0; i < nq; ++i)
    EXPECT_NEAR(state["qpos"][i].get<double>(), data->qpos[i], 1e-6) << i;
  const int grip = arm.layout().grip_site;
  for (int axis = 0; axis < 3; ++axis)
    EXPECT_NEAR(state.at("grip")[axis].get<double>(), data->site_xpos[3 * grip + axis], 1e-6);
  EXPECT_EQ(state.at("box").size(), 7u);
  EXPECT_NEAR(state.at("distance_m").get<double>(), arm_env.goal_distance(), 1e-6);
}

TEST_F(VideoTest, ArmEpisodeBecomesAnMp4OfMovingFrames) {
  const auto model = arm_model("reach");
  const RolloutEpisode episode = scripted_arm_episode(*model);
  const auto drawer = make_arm_drawer(model);
  const fs::path video = dir_ / "arm.mp4";
  const int frames =
      write_video(*drawer, episode, model->spec().control_period_s, video, {.width = 320});
  EXPECT_EQ(frames, 21);
  const Probe found = probe(video);
  EXPECT_EQ(found.frames, 21);
  EXPECT_EQ(found.width, 320);
  EXPECT_EQ(found.height, 240);
  const std::string first = decoded_frame(video, 0);
  const std::string last = decoded_frame(video, 20);
  ASSERT_EQ(first.size(), 320u * 240 * 3);
  ASSERT_EQ(last.size(), first.size());
  EXPECT_GT(variance(first), 100);
  EXPECT_GT(variance(last), 100);
  EXPECT_GT(mean_difference(first, last), 1.5);  // the arm moved
  for (const fs::directory_entry& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path(), video) << "a temporary file was left";
}

TEST_F(VideoTest, ArmPicturesForThePlayerAreJpegs) {
  const auto model = arm_model("pick_place");
  RolloutEpisode episode = scripted_arm_episode(*model);
  episode.steps.resize(3);
  const EpisodePicture picture = make_arm_drawer(model)->draw(episode);
  EXPECT_EQ(picture.background.bounds().x_max, 480);
  EXPECT_EQ(picture.background.bounds().y_max, 360);
  ASSERT_EQ(picture.frames.size(), 3u);
  for (const Drawing& frame : picture.frames) {
    ASSERT_EQ(frame.shapes().size(), 1u);
    EXPECT_EQ(frame.shapes()[0].kind, ShapeKind::image);
    // A JPEG file starts with FF D8 FF: "/9j/" in base64.
    EXPECT_EQ(frame.shapes()[0].text.rfind("data:image/jpeg;base64,/9j/", 0), 0u);
  }
  EXPECT_NE(picture.frames[0].shapes()[0].text, picture.frames[2].shapes()[0].text);
}

TEST(ArmDrawerTest, RefusesStatesOfAnotherModel) {
  const auto model = arm_model("reach");
  RolloutEpisode episode = scripted_arm_episode(*model);
  episode.steps[1].state["qpos"] = {0.1, 0.2};
  std::vector<RgbFrame> frames;
  try {
    make_arm_drawer(model)->render_frames(episode, 64,
                                          [&](const RgbFrame& frame) { frames.push_back(frame); });
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "Arm rollout step 1: 'qpos' must be a list of 8 numbers");
  }
  EXPECT_EQ(frames.size(), 1u);
  const ConfigNode no_params = parse_config_text("{}", "params.yaml");
  EXPECT_THROW(make_arm_drawer(builtin_envs().build("CartPole", no_params, no_params)),
               std::invalid_argument);
}

// A dot moving right, one step at a time.
class DotDrawer : public StepDrawer {
 protected:
  Drawing background(const nlohmann::json&) const override {
    Drawing drawing(Bounds{0, 0, 4, 3, true}, Color::rgb(240, 240, 240));
    drawing.rect(0, 0, 4, 0.5, Color::rgb(90, 60, 30));
    return drawing;
  }
  void foreground(const nlohmann::json&, const nlohmann::json& state, Drawing& out) const override {
    out.circle(state.at("x").get<float>(), 1.5, 0.4, kRed, Color::rgb(0, 0, 0), 0.05f);
  }
};

RolloutEpisode dot_episode(int steps) {
  RolloutEpisode episode;
  for (int t = 0; t < steps; ++t) {
    episode.steps.emplace_back();
    episode.steps.back().state = {{"x", 0.5 + 0.5 * t}};
  }
  return episode;
}

TEST_F(VideoTest, StepDrawingsBecomeAGif) {
  const fs::path video = dir_ / "dots.gif";
  EXPECT_EQ(write_video(DotDrawer(), dot_episode(6), 0.1, video, {.width = 81}), 6);
  const Probe found = probe(video);
  EXPECT_EQ(found.frames, 6);
  EXPECT_EQ(found.width, 80);
  EXPECT_EQ(found.height, 60);
}

TEST_F(VideoTest, BadExtensionsAndFfmpegFailuresAreErrors) {
  const RolloutEpisode episode = dot_episode(3);
  EXPECT_THROW(write_video(DotDrawer(), episode, 0.1, dir_ / "dots.avi"), std::invalid_argument);
  EXPECT_THROW(write_video(DotDrawer(), RolloutEpisode{}, 0.1, dir_ / "dots.mp4"),
               std::invalid_argument);
  // ffmpeg cannot write into a directory that does not exist, and says so.
  try {
    write_video(DotDrawer(), episode, 0.1, dir_ / "missing" / "dots.mp4");
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("ffmpeg failed"), std::string::npos) << message;
    EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  }
  EXPECT_TRUE(fs::is_empty(dir_));
}

}  // namespace
}  // namespace twinrl::viewer
