#include "config/csv_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>

#include "config/closest_match.h"
#include "config/trim.h"

namespace twinrl {
namespace {

template <class OnField>
size_t split_fields(std::string_view line, OnField on_field) {
  size_t count = 0, start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    on_field(trim(line.substr(start, comma - start)));
    ++count;
    if (comma == std::string_view::npos) return count;
    start = comma + 1;
  }
}

}  // namespace

CsvTable CsvTable::read(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw CsvError(path.string() + ": cannot open the file");
  std::string text{std::istreambuf_iterator<char>(file), {}};
  return parse(std::move(text), path.string());
}

CsvTable CsvTable::parse(std::string owned_text, const std::string& path) {
  CsvTable table;
  table.path_ = path;
  if (owned_text.size() > std::numeric_limits<uint32_t>::max())
    throw CsvError(path + ": the file is larger than 4 GiB; split it");
  table.text_ = std::move(owned_text);
  const std::string_view text = table.text_;
  // The next line of `text` (without its newline) into `line`; false at the end.
  size_t position = 0;
  std::string_view line;
  const auto next_line = [&] {
    if (position >= text.size()) return false;
    const size_t end = std::min(text.find('\n', position), text.size());
    line = text.substr(position, end - position);
    position = end + 1;
    return true;
  };
  if (!next_line())
    throw CsvError(table.path_ + ": empty file; expected a header row naming the columns");
  // Spreadsheets save UTF-8 CSV with a byte-order mark: it is not part of the first name.
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  split_fields(line, [&](std::string_view name) { table.header_.emplace_back(name); });
  for (size_t c = 0; c < table.header_.size(); ++c) {
    const std::string where = table.path_ + ": row 1 (the header): column " + std::to_string(c + 1);
    if (table.header_[c].empty()) throw CsvError(where + " has no name");
    for (size_t other = 0; other < c; ++other)
      if (table.header_[c] == table.header_[other])
        throw CsvError(where + " repeats the name '" + table.header_[c] + "'");
  }
  for (int row = 2; next_line(); ++row) {
    if (trim(line).empty()) continue;
    const size_t fields = split_fields(line, [&](std::string_view cell) {
      table.cells_.push_back(
          {static_cast<uint32_t>(cell.data() - text.data()), static_cast<uint32_t>(cell.size())});
    });
    if (fields != table.header_.size())
      throw CsvError(table.path_ + ": row " + std::to_string(row) + ": " + std::to_string(fields) +
                     " fields, the header has " + std::to_string(table.header_.size()));
    table.file_rows_.push_back(row);
  }
  if (table.file_rows_.empty()) throw CsvError(table.path_ + ": no data rows after the header");
  return table;
}

size_t CsvTable::column(std::string_view name) const {
  for (size_t c = 0; c < header_.size(); ++c)
    if (header_[c] == name) return c;
  std::string known;
  for (const std::string& column : header_) known += (known.empty() ? "" : ", ") + column;
  std::string message = path_ + ": row 1 (the header): no column '" + std::string(name) +
                        "' (columns: " + known + ")";
  if (const auto close = closest_match(name, header_))
    message += "; did you mean '" + *close + "'?";
  throw CsvError(message);
}

void CsvTable::fail(size_t row, size_t column, std::string_view message) const {
  throw CsvError(path_ + ": row " + std::to_string(file_rows_[row]) + ", column '" +
                 header_[column] + "': '" + std::string(cell(row, column)) + "' " +
                 std::string(message));
}

void CsvTable::fail_row(size_t row, std::string_view message) const {
  throw CsvError(path_ + ": row " + std::to_string(file_rows_[row]) + ": " + std::string(message));
}

double CsvTable::number(size_t row, size_t column) const {
  const std::string_view text = cell(row, column);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value))
    fail(row, column, "is not a number");
  return value;
}

int64_t CsvTable::integer(size_t row, size_t column) const {
  const double value = number(row, column);
  if (value != std::floor(value)) fail(row, column, "is not a whole number");
  // Larger counts would overflow the 64-bit sums of a few thousand periods.
  if (std::fabs(value) > 1e12) fail(row, column, "is too large (at most 1e12)");
  return static_cast<int64_t>(value);
}

int64_t CsvTable::count(size_t row, size_t column) const {
  const int64_t value = integer(row, column);
  if (value < 0) fail(row, column, "is negative; expected a count");
  return value;
}

}  // namespace twinrl
