// Reading the CSV files an instructor hands grade (a roster): RFC 4180 records, with Excel's
// UTF-8 byte-order mark skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tcpgrade {

// One record: fields split at commas, quotes doubled inside quoted fields, and a quoted field
// may hold commas and line breaks.
struct CsvRecord {
  size_t line = 0;  // where the record starts, 1-based
  std::vector<std::string> fields;
};

std::vector<CsvRecord> csv_records(std::string_view text);

}  // namespace tcpgrade
