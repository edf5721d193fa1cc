#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twinrl {

// The candidate nearest to `word` by edit distance (insertions, deletions, substitutions and
// swaps of adjacent characters), if it is within max(2, word.size() / 3) edits; the first such
// candidate on ties. Used for "did you mean" hints on misspelled keys, choices and env ids.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace twinrl
