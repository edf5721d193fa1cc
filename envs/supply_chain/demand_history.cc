#include "envs/supply_chain/demand_history.h"

#include "config/csv_table.h"

namespace twinrl {

DemandHistory read_demand_history(const std::string& path,
                                  const std::vector<std::string>& columns) {
  const CsvTable table = CsvTable::read(path);
  DemandHistory history;
  for (const std::string& name : columns) {
    const size_t column = table.column(name);
    std::vector<int64_t>& values = history.columns.emplace_back();
    values.reserve(table.rows());
    for (size_t row = 0; row < table.rows(); ++row) values.push_back(table.count(row, column));
  }
  return history;
}

}  // namespace twinrl
