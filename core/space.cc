#include "core/space.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace twinrl {

Space Space::box(std::vector<float> low, std::vector<float> high) {
  if (low.size() != high.size() || low.empty())
    throw std::invalid_argument("Box: low and high must be non-empty and of the same size");
  for (size_t i = 0; i < low.size(); ++i)
    if (!(low[i] <= high[i])) throw std::invalid_argument("Box: low must be <= high");
  Space space;
  space.kind_ = SpaceKind::kBox;
  space.low_ = std::move(low);
  space.high_ = std::move(high);
  return space;
}

Space Space::box(int64_t size, float low, float high) {
  if (size <= 0) throw std::invalid_argument("Box: size must be positive");
  return box(std::vector<float>(size, low), std::vector<float>(size, high));
}

Space Space::discrete(int64_t n) {
  if (n <= 0) throw std::invalid_argument("Discrete: n must be positive");
  Space space = multi_discrete({n});
  space.kind_ = SpaceKind::kDiscrete;
  return space;
}

Space Space::multi_discrete(std::vector<int64_t> nvec) {
  if (nvec.empty() || std::ranges::any_of(nvec, [](int64_t n) { return n <= 0; }))
    throw std::invalid_argument("MultiDiscrete: nvec must be non-empty and positive");
  Space space;
  space.kind_ = SpaceKind::kMultiDiscrete;
  space.nvec_ = std::move(nvec);
  return space;
}

int64_t Space::mask_size() const {
  return std::accumulate(nvec_.begin(), nvec_.end(), int64_t{0});
}

bool Space::contains(std::span<const float> value) const {
  if (kind_ != SpaceKind::kBox || std::ssize(value) != size()) return false;
  for (size_t i = 0; i < value.size(); ++i)
    if (!(value[i] >= low_[i] && value[i] <= high_[i])) return false;
  return true;
}

bool Space::contains(std::span<const int64_t> value) const {
  if (kind_ == SpaceKind::kBox || std::ssize(value) != size()) return false;
  for (size_t i = 0; i < value.size(); ++i)
    if (value[i] < 0 || value[i] >= nvec_[i]) return false;
  return true;
}

void Space::sample(Rng& rng, std::span<float> out) const {
  if (kind_ != SpaceKind::kBox || std::ssize(out) != size())
    throw std::invalid_argument("sample: float output needs a Box space of the same size");
  for (size_t i = 0; i < out.size(); ++i) {
    // Unbounded dimensions sample a standard normal-like spread, as Gymnasium does.
    const double low = std::isfinite(low_[i]) ? low_[i] : -1.0;
    const double high = std::isfinite(high_[i]) ? high_[i] : 1.0;
    out[i] = static_cast<float>(rng.uniform(low, high));
  }
}

void Space::sample(Rng& rng, std::span<int64_t> out, std::span<const bool> mask) const {
  if (kind_ == SpaceKind::kBox || std::ssize(out) != size())
    throw std::invalid_argument("sample: integer output needs a discrete space of the same size");
  if (!mask.empty() && std::ssize(mask) != mask_size())
    throw std::invalid_argument("sample: the mask needs " + std::to_string(mask_size()) +
                                " entries");
  for (size_t i = 0; i < out.size(); ++i) {
    const auto choices = static_cast<uint64_t>(nvec_[i]);
    if (mask.empty()) {
      out[i] = static_cast<int64_t>(rng.below(choices));
      continue;
    }
    const std::span<const bool> allowed = mask.first(choices);
    mask = mask.subspan(choices);
    const auto count = static_cast<uint64_t>(std::ranges::count(allowed, true));
    // The pick-th allowed choice.
    uint64_t pick = count == 0 ? 0 : rng.below(count);
    out[i] = 0;
    for (uint64_t choice = 0; choice < choices && count > 0; ++choice)
      if (allowed[choice] && pick-- == 0) {
        out[i] = static_cast<int64_t>(choice);
        break;
      }
  }
}

std::string Space::describe() const {
  std::ostringstream text;
  switch (kind_) {
    case SpaceKind::kBox: {
      const auto [min_low, max_low] = std::ranges::minmax(low_);
      const auto [min_high, max_high] = std::ranges::minmax(high_);
      text << "Box(" << size() << ", [";
      if (min_low == max_low && min_high == max_high)
        text << min_low << ", " << min_high << "])";
      else
        text << min_low << ".." << max_low << ", " << min_high << ".." << max_high << "])";
      break;
    }
    case SpaceKind::kDiscrete:
      text << "Discrete(" << nvec_[0] << ")";
      break;
    case SpaceKind::kMultiDiscrete:
      text << "MultiDiscrete([";
      for (size_t i = 0; i < nvec_.size(); ++i) text << (i ? " " : "") << nvec_[i];
      text << "])";
      break;
  }
  return text.str();
}

}  // namespace twinrl
