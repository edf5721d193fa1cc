#pragma once
// Blanks around a field of a user's file: spaces, tabs and a Windows line's '\r'.
#include <string_view>

namespace twinrl {

// The text without its leading and trailing blanks; a view into `text`, so
// that a caller can tell where the field lies in it.
inline std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return text.substr(text.size());  // empty, within text
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace twinrl
