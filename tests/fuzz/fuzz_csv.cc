// CSV files with a header (demand histories, a twin's logs): every cell read
// as a count, an integer and a number; errors are CsvErrors.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/csv_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const twinrl::CsvTable table = twinrl::CsvTable::parse(std::string(input), "fuzz.csv");
    for (size_t row = 0; row < table.rows(); ++row)
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
    if (!table.header().empty()) table.column(table.header().back() + "x");
  } catch (const twinrl::CsvError&) {
  }
  return 0;
}
