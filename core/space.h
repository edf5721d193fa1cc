#pragma once
// Observation and action spaces: Box (continuous), Discrete and MultiDiscrete.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/rng.h"

namespace twinrl {

enum class SpaceKind { kBox, kDiscrete, kMultiDiscrete };

class Space {
 public:
  // A box of `low.size()` float dimensions; low and high may be +-infinity.
  static Space box(std::vector<float> low, std::vector<float> high);
  static Space box(int64_t size, float low, float high);
  static Space discrete(int64_t n);
  static Space multi_discrete(std::vector<int64_t> nvec);

  SpaceKind kind() const { return kind_; }
  bool is_discrete() const { return kind_ != SpaceKind::kBox; }

  // Numbers per element of a batch: Box dimensions, 1 for Discrete, len(nvec).
  int64_t size() const { return kind_ == SpaceKind::kBox ? std::ssize(low_) : std::ssize(nvec_); }
  // Choices per discrete dimension (Discrete holds one).
  const std::vector<int64_t>& nvec() const { return nvec_; }
  const std::vector<float>& low() const { return low_; }
  const std::vector<float>& high() const { return high_; }
  // Entries of an action mask: the sum of nvec (0 for Box).
  int64_t mask_size() const;

  bool contains(std::span<const float> value) const;
  bool contains(std::span<const int64_t> value) const;
  void sample(Rng& rng, std::span<float> out) const;
  // Uniform over the choices `mask` allows (mask_size() entries; empty allows
  // all). A dimension with no allowed choice takes choice 0.
  void sample(Rng& rng, std::span<int64_t> out, std::span<const bool> mask = {}) const;

  // "Box(4, [-inf, inf])", "Discrete(2)", "MultiDiscrete([3 3 2])".
  std::string describe() const;

  bool operator==(const Space&) const = default;

 private:
  SpaceKind kind_ = SpaceKind::kBox;
  std::vector<float> low_, high_;
  std::vector<int64_t> nvec_;
};

}  // namespace twinrl
