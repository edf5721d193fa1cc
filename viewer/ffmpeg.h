#pragma once
// ffmpeg fed with raw RGB frames on its standard input: the encoder behind
// videos (video_encoder.cc) and the arm's JPEG pictures (drawers/arm_drawer.cc).
#include <cstdio>
#include <string>
#include <vector>

#include "viewer/drawers/scene_drawer.h"

namespace twinrl::viewer {

class FfmpegEncoder {
 public:
  // Starts `ffmpeg -f rawvideo -pix_fmt rgb24 -s WIDTHxHEIGHT -r FPS -i -
  // OUTPUT_ARGUMENTS...` (each argument passed as is). Its messages go to a
  // temporary file, for the error message.
  FfmpegEncoder(int width, int height, double fps,
                const std::vector<std::string>& output_arguments);
  // An encoder not finished is closed and waited for; its errors are dropped.
  ~FfmpegEncoder();
  FfmpegEncoder(const FfmpegEncoder&) = delete;
  FfmpegEncoder& operator=(const FfmpegEncoder&) = delete;

  // Throws std::invalid_argument for a frame of another size and
  // std::runtime_error (with ffmpeg's message) when ffmpeg has quit.
  void write(const RgbFrame& frame);
  // Ends the input and waits for ffmpeg; throws std::runtime_error with the
  // end of its message when it is missing or failed.
  void finish();

 private:
  // Closes the pipe; ffmpeg's exit status, or -1 if it did not exit.
  int close();
  [[noreturn]] void fail(int exit_status);

  int width_;
  int height_;
  std::string log_path_;
  FILE* pipe_ = nullptr;
};

}  // namespace twinrl::viewer
