#pragma once
// A trained policy reduced to what a controller runs: the observation
// normalizer, dense layers, and the rule that turns outputs into actions.
// Every export format is written from this one description, so the formats
// cannot drift apart.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "agents/experiment.h"

namespace twinrl {

struct DenseLayer {
  int64_t inputs = 0;
  int64_t outputs = 0;
  std::vector<float> weight;  // [outputs, inputs], row-major
  std::vector<float> bias;    // [outputs]
  bool activated = false;     // the hidden activation follows this layer
};

enum class ActionRule {
  kArgmaxPerDimension,  // discrete: the best choice of each dimension's outputs
  kClippedMean,         // continuous: the Gaussian mean clipped to the action bounds
};

struct ExportedPolicy {
  std::string algorithm;   // "ppo" or "dqn"
  std::string activation;  // "tanh" or "relu"
  int64_t observation_size = 0;
  // (observation - mean) / std, clipped to +-clip; identity when disabled.
  bool normalize_observations = false;
  std::vector<float> observation_mean, observation_std;
  float observation_clip = 0;
  std::vector<DenseLayer> layers;
  ActionRule rule = ActionRule::kArgmaxPerDimension;
  std::vector<int64_t> choices;                // per discrete dimension
  bool action_mask = false;                    // the env publishes masks of allowed choices
  std::vector<float> action_low, action_high;  // kClippedMean

  int64_t output_size() const { return layers.back().outputs; }
  // Numbers per action: discrete dimensions, or Box dimensions.
  int64_t action_size() const;
};

// The deterministic policy of `checkpoint`. DQN's dueling head keeps only the
// advantage stream: the value and the mean advantage are the same for every
// action, so the argmax, and so the action, is unchanged.
ExportedPolicy extract_policy(const Experiment& experiment,
                              const std::filesystem::path& checkpoint);

}  // namespace twinrl
