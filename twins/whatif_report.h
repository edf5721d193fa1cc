#pragma once
// The what-if results as a Markdown table (returns), as JSON and as a
// self-contained HTML page with a chart and a table per KPI (each policy's
// mean with its 95% interval, and its paired difference to the first policy).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace twinrl {

struct WhatIfResults {
  std::string config, scenarios_file;
  int episodes = 0;
  uint64_t seed = 0;
  std::vector<std::string> scenarios = {}, policies = {}, kpi_names = {};
  // values[scenario][policy][kpi][episode]; kpi 0 is the return.
  std::vector<std::vector<std::vector<std::vector<float>>>> values = {};
};

std::string whatif_markdown(const WhatIfResults& results);
nlohmann::json whatif_json(const WhatIfResults& results);
std::string whatif_html(const nlohmann::json& report);

}  // namespace twinrl
