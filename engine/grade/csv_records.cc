#include "grade/csv_records.h"

namespace tcpgrade {

std::vector<CsvRecord> csv_records(std::string_view text) {
  if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);  // Excel's "CSV UTF-8" BOM
  std::vector<CsvRecord> records;
  CsvRecord record{1, {""}};
  size_t line = 1;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') ++line;
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        record.fields.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        record.fields.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.fields.emplace_back();
    } else if (c == '\n') {
      records.push_back(std::move(record));
      record = {line, {""}};
    } else if (c != '\r') {
      record.fields.back() += c;
    }
  }
  if (record.fields.size() > 1 || !record.fields[0].empty()) records.push_back(std::move(record));
  return records;
}

}  // namespace tcpgrade
