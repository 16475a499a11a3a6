#include "scenario/yaml_fields.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "util/did_you_mean.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

constexpr double max_points = 1000;

// yaml-cpp marks an empty value (`seq:` then a line break) at the start of the next line;
// pointing at the key is clearer.
YAML::Mark mark_of(const YAML::Node& value, const YAML::Mark& fallback) {
  if (!value.IsDefined() || value.IsNull() || value.Mark().is_null()) return fallback;
  return value.Mark();
}

bool id_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

// ---- Diagnostics ----------------------------------------------------------------------------

Diagnostics::Diagnostics(std::string file, std::string_view text, size_t limit)
    : file_(std::move(file)), text_(text), limit_(limit) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

SourceLocation Diagnostics::locate(const YAML::Mark& mark) const {
  if (mark.is_null() || mark.line < 0) return {file_, 0, 0};
  return {file_, mark.line + 1, mark.column + 1};
}

std::string Diagnostics::line_text(int line) const {
  if (line <= 0 || static_cast<size_t>(line) > line_starts_.size()) return "";
  size_t start = line_starts_[line - 1];
  size_t end = text_.find('\n', start);
  std::string text = text_.substr(start, end == std::string::npos ? end : end - start);
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

void Diagnostics::error(const YAML::Mark& mark, std::string message) {
  error(locate(mark), std::move(message));
}

void Diagnostics::error(const SourceLocation& where, std::string message) {
  if (list_.size() >= limit_) {
    overflowed_ = true;
    return;
  }
  list_.push_back({where, std::move(message), line_text(where.line)});
}

void Diagnostics::file_error(std::string message) { error(YAML::Mark::null_mark(), message); }

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = list_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  });
  if (overflowed_) {
    Diagnostic note;  // member by member: GCC 12 -O3 misreads a nested brace-init here
    note.where.file = file_;
    note.message =
        fmt::format("too many errors: showing the first {}; fix them and lint again", limit_);
    out.push_back(std::move(note));
  }
  return out;
}

// ---- Fields ---------------------------------------------------------------------------------

std::string Field::label() const {
  if (name.empty()) return place.empty() ? "the scenario" : place;
  return place.empty() ? name : name + " in " + place;
}

std::string Field::inside() const {
  if (name.empty()) return place.empty() ? "at the top level" : "in " + place;
  return place.empty() ? "in " + name : "in " + name + " of " + place;
}

Field Field::child(std::string_view key, const YAML::Node& value,
                   const YAML::Mark& key_mark) const {
  std::string child_name = name.empty() ? std::string(key) : name + "." + std::string(key);
  return {child_name, place, value, mark_of(value, key_mark)};
}

Field Field::element(const YAML::Node& value) const {
  return {name, place, value, mark_of(value, mark)};
}

std::string describe_value(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  return quote(node.Scalar());
}

namespace {

std::string joined(const std::vector<std::string>& words, std::string_view last) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? last : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace

std::string or_list(const std::vector<std::string>& words) { return joined(words, " or "); }
std::string and_list(const std::vector<std::string>& words) { return joined(words, " and "); }

std::string choice_error(const Field& field, const std::vector<std::string>& words) {
  std::string got = describe_value(field.node);
  std::string message = fmt::format("{}: expected {}; got {}", field.label(), or_list(words), got);
  if (field.node.IsScalar()) message += did_you_mean(field.node.Scalar(), words);
  return message;
}

// ---- Maps -----------------------------------------------------------------------------------

MapReader::MapReader(Diagnostics& diagnostics, const Field& map,
                     const std::vector<std::string>& keys, std::string_view expected, KeyHint hint)
    : diagnostics_(diagnostics), map_(map) {
  if (!map.node.IsMap()) {
    std::string top = map.name.empty() && map.place.empty() ? "" : map.label() + ": ";
    diagnostics_.error(
        map.mark, fmt::format("{}expected {}; got {}", top, expected, describe_value(map.node)));
    return;
  }
  is_map_ = true;
  for (auto it = map.node.begin(); it != map.node.end(); ++it) {
    YAML::Node key = it->first;  // a copy: the iterator hands out a temporary pair
    if (!key.IsScalar()) {
      diagnostics_.error(mark_of(key, map.mark),
                         fmt::format("a key must be a plain word, not {} ({})", describe_value(key),
                                     map.inside()));
      clean_ = false;
      continue;
    }
    const std::string& name = key.Scalar();
    if (name == "<<" && std::find(keys.begin(), keys.end(), name) == keys.end()) {
      // yaml-cpp reads a merge key as a plain key named '<<'.
      diagnostics_.error(key.Mark(),
                         fmt::format("merge keys (<<:) are not supported {}; repeat the keys, or "
                                     "reuse a whole map with an alias (options: *syn_options)",
                                     map.inside()));
      clean_ = false;
      continue;
    }
    if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
      std::string message = fmt::format("unknown key {} {}", quote(name), map.inside());
      std::string suggestion = did_you_mean(name, keys);
      if (suggestion.empty() && hint) suggestion = hint(name);
      diagnostics_.error(key.Mark(), message + suggestion);
      clean_ = false;
      continue;
    }
    if (std::optional<Field> first = get(name)) {
      diagnostics_.error(key.Mark(),
                         fmt::format("duplicate key {} {} (first at line {})", quote(name),
                                     map.inside(), diagnostics_.locate(first->mark).line));
      clean_ = false;
      continue;
    }
    entries_.emplace_back(name, map.child(name, it->second, key.Mark()));
  }
}

std::optional<Field> MapReader::get(std::string_view key) const {
  for (const auto& [name, field] : entries_)
    if (name == key) return field;
  return std::nullopt;
}

std::optional<Field> MapReader::require(std::string_view key, std::string_view hint) const {
  std::optional<Field> field = get(key);
  if (!field && is_map_)
    diagnostics_.error(map_.mark, fmt::format("missing key {} {}{}", quote(key), map_.inside(),
                                              hint.empty() ? "" : fmt::format(" ({})", hint)));
  return field;
}

int MapReader::count(const std::vector<std::string>& keys) const {
  int n = 0;
  for (const std::string& key : keys) n += has(key) ? 1 : 0;
  return n;
}

// ---- Scalars --------------------------------------------------------------------------------

std::optional<int64_t> parse_integer(std::string_view text) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (end != text.data() + text.size()) return std::nullopt;
  constexpr int64_t big = std::numeric_limits<int64_t>::max();
  if (error == std::errc::result_out_of_range || value > static_cast<uint64_t>(big))
    return negative ? -big : big;
  return negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
}

std::optional<std::string> read_text(Diagnostics& d, const Field& field) {
  if (field.node.IsScalar()) return field.node.Scalar();
  d.error(field.mark,
          fmt::format("{}: expected text; got {}", field.label(), describe_value(field.node)));
  return std::nullopt;
}

std::optional<bool> read_bool(Diagnostics& d, const Field& field) {
  if (field.node.IsScalar() && field.node.Scalar() == "true") return true;
  if (field.node.IsScalar() && field.node.Scalar() == "false") return false;
  d.error(field.mark, fmt::format("{}: expected true or false; got {}", field.label(),
                                  describe_value(field.node)));
  return std::nullopt;
}

std::optional<double> read_points(Diagnostics& d, const Field& field) {
  if (field.node.IsScalar()) {
    const std::string& text = field.node.Scalar();
    double value = 0;
    auto [end, error] =
        std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
    if (!text.empty() && error == std::errc() && end == text.data() + text.size() &&
        std::isfinite(value) && value >= 0 && value <= max_points)
      return value;
  }
  d.error(field.mark, fmt::format("{}: expected a number of points from 0 to {}; got {}",
                                  field.label(), max_points, describe_value(field.node)));
  return std::nullopt;
}

bool is_valid_id(std::string_view text, size_t max_bytes) {
  return !text.empty() && text.size() <= max_bytes &&
         std::all_of(text.begin(), text.end(), id_character);
}

std::optional<std::string> read_id(Diagnostics& d, const Field& field, size_t max_bytes) {
  std::optional<std::string> text = read_text(d, field);
  if (!text) return std::nullopt;
  if (is_valid_id(*text, max_bytes)) return text;
  d.error(field.mark, fmt::format("{}: {} is not a valid name: use lower-case letters, digits, "
                                  "'-' and '_' (at most {})",
                                  field.label(), quote(*text), max_bytes));
  return std::nullopt;
}

std::optional<int64_t> read_integer(Diagnostics& d, const Field& field, int64_t low, int64_t high,
                                    std::string_view what) {
  std::optional<int64_t> value;
  if (field.node.IsScalar()) value = parse_integer(field.node.Scalar());
  if (!value) {
    d.error(field.mark, fmt::format("{}: expected a whole number; got {}", field.label(),
                                    describe_value(field.node)));
    return std::nullopt;
  }
  if (*value < low || *value > high) {
    d.error(field.mark, fmt::format("{}: {} does not fit {} ({}..{})", field.label(),
                                    field.node.Scalar(), what, low, high));
    return std::nullopt;
  }
  return value;
}

}  // namespace tcpgrade
