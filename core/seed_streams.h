#pragma once
// The random streams of a run besides its envs' (env i draws from
// stream_seed(seed, i)): each is stream_seed(run seed, its salt), so that no
// two share numbers and each stays the same whatever else a run does. The
// salts spell their names in ASCII.
#include <cstdint>

namespace twinrl::seed_streams {

// The learner's sampling and minibatch shuffling (PPO, DQN).
inline constexpr uint64_t kLearner = ~uint64_t{0};
// `twinrl eval`'s env seeds ("eval"), apart from training's.
inline constexpr uint64_t kEvaluation = 0x6576616c;
// The actions of a random policy in an evaluation ("pol").
inline constexpr uint64_t kRandomPolicy = 0x706f6c;
// Rollouts recorded during training ("roll"), then one stream per step.
inline constexpr uint64_t kTrainingRollouts = 0x726f6c6c;
// The evaluations of `twinrl view`'s report ("view").
inline constexpr uint64_t kReport = 0x76696577;
// The evaluations at checkpoints that choose best.pt ("val"), apart from
// `twinrl eval`'s and `compare`'s, so that a policy chosen on them is judged
// on other episodes.
inline constexpr uint64_t kValidation = 0x76616c;
// The baseline that demonstrates in PPO's warm start ("warm").
inline constexpr uint64_t kWarmStart = 0x7761726d;

}  // namespace twinrl::seed_streams
