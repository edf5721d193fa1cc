#include "envs/supply_chain/demand_history.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string_view>

namespace twinrl {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

}  // namespace

DemandHistory read_demand_history(const std::string& path,
                                  const std::vector<std::string>& columns) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error(path + ": cannot open the demand history file");
  const auto fail = [&](const std::string& message) -> void {
    throw std::runtime_error(path + ": " + message);
  };

  std::string line;
  if (!std::getline(file, line)) fail("empty file; expected a header row naming the columns");
  // Spreadsheets save UTF-8 CSV with a byte-order mark: it is not part of the first name.
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  const std::vector<std::string_view> header = split_fields(line);
  std::vector<size_t> positions;
  for (const std::string& column : columns) {
    const auto found = std::ranges::find(header, column);
    if (found == header.end()) {
      std::string known;
      for (std::string_view name : header) known += (known.empty() ? "" : ", ") + std::string(name);
      fail("row 1 (the header): no column '" + column + "' (columns: " + known + ")");
    }
    positions.push_back(static_cast<size_t>(found - header.begin()));
  }

  DemandHistory history;
  history.columns.resize(columns.size());
  for (int row = 2; std::getline(file, line); ++row) {
    if (trim(line).empty()) continue;
    const std::vector<std::string_view> fields = split_fields(line);
    const std::string where = "row " + std::to_string(row);
    if (fields.size() != header.size())
      fail(where + ": " + std::to_string(fields.size()) + " fields, the header has " +
           std::to_string(header.size()));
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string_view text = fields[positions[c]];
      const std::string cell = where + ", column '" + columns[c] + "': '" + std::string(text) + "'";
      double value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
          !std::isfinite(value))
        fail(cell + " is not a number");
      if (value < 0) fail(cell + " is negative; demand is a count of units");
      if (value != std::floor(value)) fail(cell + " is not a whole number of units");
      history.columns[c].push_back(static_cast<int64_t>(value));
    }
  }
  if (history.periods() == 0) fail("no data rows after the header");
  return history;
}

}  // namespace twinrl
