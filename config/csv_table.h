#pragma once
// A CSV file with a header row, read so that every error can name the file,
// the row (1-based in the file, the header being row 1) and the column: the
// demand history of a config and a facility's logs (twins/) both read this way.
// Fields are separated by commas and trimmed; quoting is not supported.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace twinrl {

// Bad content of a CSV file (or a missing one); the message is located.
class CsvError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class CsvTable {
 public:
  // Reads the whole file. A byte-order mark before the header is skipped,
  // blank lines are ignored, and every row must have the header's number of
  // fields. An empty file, a header without data rows or a short row is a
  // CsvError.
  static CsvTable read(const std::filesystem::path& path);
  // The same from the file's contents; `path` names it in messages.
  static CsvTable parse(std::string text, const std::string& path);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  size_t rows() const { return file_rows_.size(); }
  // The row's number in the file, for messages.
  int file_row(size_t row) const { return file_rows_[row]; }

  // The index of the column named `name`; a CsvError at the header naming the
  // columns there (and the closest one) otherwise.
  size_t column(std::string_view name) const;
  std::string_view cell(size_t row, size_t column) const {
    const CellSpan span = cells_[row * header_.size() + column];
    return {text_.data() + span.offset, span.length};
  }
  // The cell as a finite number / a whole number / a whole number >= 0.
  double number(size_t row, size_t column) const;
  int64_t integer(size_t row, size_t column) const;
  int64_t count(size_t row, size_t column) const;

  // Throws CsvError "<path>: row R, column 'name': 'cell' <message>".
  [[noreturn]] void fail(size_t row, size_t column, std::string_view message) const;
  // Throws CsvError "<path>: row R: <message>".
  [[noreturn]] void fail_row(size_t row, std::string_view message) const;

 private:
  // Where a cell's trimmed text lies in text_: 8 bytes a cell, so that event
  // logs of millions of rows stay small in memory.
  struct CellSpan {
    uint32_t offset, length;
  };

  std::string path_;
  std::string text_;  // the file's contents
  std::vector<std::string> header_;
  std::vector<CellSpan> cells_;  // row-major, header_.size() per row
  std::vector<int> file_rows_;
};

}  // namespace twinrl
