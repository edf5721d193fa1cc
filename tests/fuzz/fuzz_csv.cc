// CSV files with a header (demand histories, a twin's logs): the cells of the
// first rows and of the last read as a count and a number; errors are
// CsvErrors. Reading every cell would spend nearly all the time throwing the
// same per-cell error thousands of times under the sanitizers; the parse
// itself, which is what varies with the input, runs on the whole file.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/csv_table.h"

namespace {

void read_row(const twinrl::CsvTable& table, size_t row) {
  for (size_t column = 0; column < table.header().size(); ++column) {
    try {
      table.count(row, column);
    } catch (const twinrl::CsvError&) {
    }
    try {
      table.number(row, column);
    } catch (const twinrl::CsvError&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr size_t rows_read = 8;
  try {
    const twinrl::CsvTable table = twinrl::CsvTable::parse(std::string(input), "fuzz.csv");
    for (size_t row = 0; row < std::min(table.rows(), rows_read); ++row) read_row(table, row);
    if (table.rows() > rows_read) read_row(table, table.rows() - 1);
    if (!table.header().empty()) table.column(table.header().back() + "x");
  } catch (const twinrl::CsvError&) {
  }
  return 0;
}
