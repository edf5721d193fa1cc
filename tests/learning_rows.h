#pragma once
// A run's metrics.csv as end-to-end tests compare runs: every row without
// the column that measures time (steps_per_second) rather than learning;
// none while the file or its header is not there yet.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace twinrl::test_support {

inline std::vector<std::string> learning_rows(const std::filesystem::path& run) {
  std::ifstream csv(run / "metrics.csv");
  std::string line;
  std::vector<std::string> rows;
  // No file yet, or no header yet: no rows.
  if (!std::getline(csv, line) || line.find("steps_per_second") == std::string::npos) return rows;
  const size_t timing = std::count(line.begin(), line.begin() + line.find("steps_per_second"), ',');
  while (std::getline(csv, line)) {
    std::string kept;
    size_t column = 0, start = 0;
    while (start <= line.size()) {
      const size_t end = std::min(line.find(',', start), line.size());
      if (column++ != timing) kept += line.substr(start, end - start) + ",";
      start = end + 1;
    }
    rows.push_back(kept);
  }
  return rows;
}

}  // namespace twinrl::test_support
