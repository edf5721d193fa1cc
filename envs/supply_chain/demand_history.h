#pragma once
// Demand history replayed from a CSV file: a header row naming the columns,
// then one row per period of whole, non-negative unit counts.
#include <cstdint>
#include <string>
#include <vector>

namespace twinrl {

struct DemandHistory {
  // columns[c][period]: the demand of the c-th requested column.
  std::vector<std::vector<int64_t>> columns;
  int64_t periods() const { return columns.empty() ? 0 : std::ssize(columns.front()); }
};

// Reads `columns` from the CSV at `path`. Throws CsvError naming the
// path, and the row and column of a bad cell: a missing column, a short row, a
// value that is not a number, negative or fractional.
DemandHistory read_demand_history(const std::string& path, const std::vector<std::string>& columns);

}  // namespace twinrl
