#pragma once
// One self-contained HTML page (everything inlined, no network): the rollout
// player and, for a run, its report. The page's data is the JSON described in
// viewer/README.md ("Page data"); the player's code is viewer/player/.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace twinrl::viewer {

std::string html_page(const nlohmann::json& page_data);

// For other self-contained pages in the same style (the twin reports).
std::string_view page_stylesheet();
// `text` with & < > " as entities.
std::string html_escaped(std::string_view text);

}  // namespace twinrl::viewer
