#include "twins/arm_excitation.h"

#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "core/rng.h"

namespace twinrl {

ActionSource excitation_signal(const std::string& kind, const EnvSpec& spec, uint64_t seed) {
  if (kind != "steps" && kind != "chirp")
    throw std::invalid_argument("excitation '" + kind + "' is not steps or chirp");
  const int64_t size = spec.action_space.size();
  const std::vector<float> low = spec.action_space.low(), high = spec.action_space.high();
  const int episode_steps = spec.max_episode_steps;
  // The signal's clock: control steps since the start of the run.
  auto step = std::make_shared<int64_t>(0);
  if (kind == "steps") {
    constexpr int kHoldSteps = 5;
    auto rng = std::make_shared<Rng>(seed);
    auto held = std::make_shared<std::vector<float>>(size);
    return [=](const float*, float* action) {
      if (*step % kHoldSteps == 0 || *step % episode_steps == 0)
        for (int64_t i = 0; i < size; ++i)
          (*held)[i] = static_cast<float>(low[i] + rng->uniform() * (high[i] - low[i]));
      std::copy(held->begin(), held->end(), action);
      ++*step;
    };
  }
  return [=](const float*, float* action) {
    // Instantaneous frequency 1 + 9 s cycles per episode at episode fraction s.
    const double s = static_cast<double>(*step % episode_steps) / episode_steps;
    const double cycles = s + 4.5 * s * s;
    for (int64_t i = 0; i < size; ++i) {
      const double phase = 2 * std::numbers::pi * (cycles + static_cast<double>(i) / size);
      action[i] = static_cast<float>(low[i] + (high[i] - low[i]) * 0.5 * (1 + std::sin(phase)));
    }
    ++*step;
  };
}

}  // namespace twinrl
