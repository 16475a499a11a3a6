// Reading a YAML tree for the scenario loader without stopping at the first mistake: every
// problem becomes a Diagnostic with its place, and reading goes on with what is usable.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenario/diagnostic_format.h"

namespace tcpgrade {

// The errors of one scenario file, each with its location and source line.
class Diagnostics {
 public:
  Diagnostics(std::string file, std::string_view text, size_t limit);

  void error(const YAML::Mark& mark, std::string message);  // a null mark: the whole file
  void error(const SourceLocation& where, std::string message);
  void file_error(std::string message);
  SourceLocation locate(const YAML::Mark& mark) const;
  std::string line_text(int line) const;  // 1-based, without the line break
  const std::string& file() const { return file_; }
  bool empty() const { return list_.empty(); }
  // At the limit: further errors are dropped, so costly suggestions need not be computed.
  bool full() const { return list_.size() >= limit_; }
  // In file order (whole-file errors first); a note closes the list when the limit cut it.
  std::vector<Diagnostic> sorted() const;

 private:
  std::string file_;
  std::string text_;
  std::vector<size_t> line_starts_;
  size_t limit_;
  bool overflowed_ = false;
  std::vector<Diagnostic> list_;
};

// One value the instructor wrote, and what messages call it.
struct Field {
  std::string name;   // "seq", "options.ts.tsval"; empty for a frame, stream or claim itself
  std::string place;  // "frame 'syn'", "claim #3"; empty at the top level
  YAML::Node node;
  YAML::Mark mark;  // the value's; its key's when the value is empty

  // "seq in frame 'syn'", "conversation", "frame 'syn'", "the scenario".
  std::string label() const;
  // "in options of frame 'syn'", "in frame 'syn'", "in conversation", "at the top level".
  std::string inside() const;
  Field child(std::string_view key, const YAML::Node& value, const YAML::Mark& key_mark) const;
  // An element of this list: messages keep the list's name, the mark is the element's.
  Field element(const YAML::Node& value) const;
};

// "'syn'", "a list", "a map", "nothing": what a message says it got.
std::string describe_value(const YAML::Node& node);
// "a, b or c"; "a, b and c".
std::string or_list(const std::vector<std::string>& words);
std::string and_list(const std::vector<std::string>& words);

// A hint for a key that is valid somewhere else ("'seq' belongs in a frame or a claim").
using KeyHint = std::string (*)(std::string_view key);

// The entries of a YAML map, checked against the keys valid at that place: an unknown key gets
// a did-you-mean, a repeated key an error. A value that is not a map is reported with
// `expected` ("a map of frame fields") and reads as an empty map.
class MapReader {
 public:
  MapReader(Diagnostics& diagnostics, const Field& map, const std::vector<std::string>& keys,
            std::string_view expected = "a map (key: value)", KeyHint hint = nullptr);

  bool is_map() const { return is_map_; }
  // False when a key was unknown or repeated: a "missing" complaint would then be noise.
  bool clean() const { return clean_; }
  const Field& field() const { return map_; }
  std::optional<Field> get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
  // Reports "missing key 'id' in frame #2" (and the hint) when the key is absent.
  std::optional<Field> require(std::string_view key, std::string_view hint = "") const;
  // How many of `keys` are present.
  int count(const std::vector<std::string>& keys) const;

 private:
  Diagnostics& diagnostics_;
  Field map_;
  bool is_map_ = false;
  bool clean_ = true;
  std::vector<std::pair<std::string, Field>> entries_;
};

// Whole numbers as written: decimal, or hexadecimal after 0x; a leading '-' is kept so range
// checks can reject it. A number beyond int64 reads as the int64 limit of its sign. nullopt:
// the text is not a whole number.
std::optional<int64_t> parse_integer(std::string_view text);

// Scalar readers: each reports a type error naming the field and what it expects.
std::optional<std::string> read_text(Diagnostics& d, const Field& field);
std::optional<bool> read_bool(Diagnostics& d, const Field& field);
std::optional<double> read_points(Diagnostics& d, const Field& field);
// A frame, stream or claim id, or the scenario name: [a-z0-9_-], at most `max_bytes`.
bool is_valid_id(std::string_view text, size_t max_bytes);
std::optional<std::string> read_id(Diagnostics& d, const Field& field, size_t max_bytes);
// A whole number in [low, high]; `what` names it in the range error ("a TCP port").
std::optional<int64_t> read_integer(Diagnostics& d, const Field& field, int64_t low, int64_t high,
                                    std::string_view what);

template <typename T>
using Choices = std::vector<std::pair<std::string, T>>;

// "dir in frame 'syn': expected client->server, ... or server; got 'x'; did you mean ...?"
std::string choice_error(const Field& field, const std::vector<std::string>& words);

// One of a few words, e.g. dir: client->server.
template <typename T>
std::optional<T> read_choice(Diagnostics& d, const Field& field, const Choices<T>& choices) {
  if (field.node.IsScalar())
    for (const auto& [word, value] : choices)
      if (field.node.Scalar() == word) return value;
  std::vector<std::string> words;
  for (const auto& choice : choices) words.push_back(choice.first);
  d.error(field.mark, choice_error(field, words));
  return std::nullopt;
}

}  // namespace tcpgrade
