#include "grade/shard.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "grade/capture_print_json.h"
#include "util/fnv_hash.h"
#include "util/terminal_text.h"

namespace tcpgrade {
namespace {

constexpr int shard_format_version = 1;

nlohmann::ordered_json text_json(const std::string& text) {
  if (valid_utf8(text) == text) return text;
  std::string hex;
  for (unsigned char c : text) hex += fmt::format("{:02x}", c);
  return {{"hex", hex}};
}

std::string text_from_json(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (!j.is_object() || !j.contains("hex") || !j["hex"].is_string())
    throw std::runtime_error("a text field is neither a string nor {\"hex\": ...}");
  const std::string& hex = j["hex"].get_ref<const std::string&>();
  if (hex.size() % 2) throw std::runtime_error("odd hex text");
  std::string text;
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned byte = 0;
    auto [end, error] = std::from_chars(hex.data() + i, hex.data() + i + 2, byte, 16);
    if (error != std::errc() || end != hex.data() + i + 2) throw std::runtime_error("bad hex text");
    text += static_cast<char>(byte);
  }
  return text;
}

}  // namespace

ShardSpec parse_shard(std::string_view text) {
  auto number = [](std::string_view part, unsigned& value) {
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    return error == std::errc() && end == part.data() + part.size() && !part.empty();
  };
  size_t slash = text.find('/');
  ShardSpec shard;
  if (slash == std::string_view::npos || !number(text.substr(0, slash), shard.index) ||
      !number(text.substr(slash + 1), shard.count) || shard.count == 0 || shard.count > 100000 ||
      shard.index == 0 || shard.index > shard.count)
    throw std::runtime_error(fmt::format(
        "--shard {}: expected K/N with 1 <= K <= N <= 100000 (the first of four is 1/4)",
        terminal_safe(text)));
  return shard;
}

uint64_t stable_id_hash(std::string_view id) { return fnv1a(id); }

bool in_shard(const std::string& id, const ShardSpec& shard) {
  return stable_id_hash(id) % shard.count == shard.index - 1;
}

std::string shard_file_name(const ShardSpec& shard) {
  return fmt::format("shard-{}-of-{}.json", shard.index, shard.count);
}

bool is_shard_file_name(const std::string& name) {
  unsigned index = 0, count = 0;
  int consumed = 0;
  return std::sscanf(name.c_str(), "shard-%u-of-%u.json%n", &index, &count, &consumed) == 2 &&
         consumed == static_cast<int>(name.size()) && name == shard_file_name({index, count});
}

ShardClass shard_class(const std::string& scenario, double max,
                       const std::vector<Submission>& whole_class) {
  uint64_t hash = fnv1a_offset_basis;
  for (const Submission& s : whole_class)
    hash = fnv1a_mix(fnv1a(s.id, hash), 0x100);  // the end of an id: "ab","c" ≠ "a","bc"
  return {scenario, max, whole_class.size(), fmt::format("{:016x}", hash)};
}

std::string shard_json(const ShardFile& shard) {
  nlohmann::ordered_json j;
  j["format"] = "tcpgrade-shard";
  j["version"] = shard_format_version;
  j["shard"] = {{"index", shard.shard.index}, {"count", shard.shard.count}};
  j["class"] = {{"scenario", text_json(shard.whole.scenario)},
                {"max", shard.whole.max},
                {"submissions", shard.whole.size},
                {"ids_digest", shard.whole.ids_digest}};
  j["rows"] = nlohmann::ordered_json::array();
  for (const GradeRow& row : shard.rows) {
    nlohmann::ordered_json failed = nlohmann::ordered_json::array();
    for (const std::string& id : row.failed_checks) failed.push_back(text_json(id));
    nlohmann::ordered_json r = {{"id", text_json(row.id)},   {"file", text_json(row.file)},
                                {"score", row.score},        {"max", row.max},
                                {"status", row.status},      {"reason", text_json(row.reason)},
                                {"failed_checks", failed},   {"report", text_json(row.report)},
                                {"file_hash", row.file_hash}};
    if (row.print) r["print"] = capture_print_json(*row.print);
    if (row.writeup)
      r["writeup"] = {{"file", text_json(row.writeup->file)},
                      {"score", row.writeup->score},
                      {"max", row.writeup->max},
                      {"status", row.writeup->status},
                      {"reason", text_json(row.writeup->reason)},
                      {"report", text_json(row.writeup->report)}};
    j["rows"].push_back(std::move(r));
  }
  return j.dump(1) + "\n";
}

ShardFile read_shard_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read the shard file", path.string()));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    if (j.value("format", "") != "tcpgrade-shard" || j.value("version", 0) != shard_format_version)
      throw std::runtime_error(
          fmt::format("not a shard file of this tcpgrade (version {})", shard_format_version));
    ShardFile shard;
    shard.shard = {j.at("shard").at("index").get<unsigned>(),
                   j.at("shard").at("count").get<unsigned>()};
    const nlohmann::json& whole = j.at("class");
    shard.whole = {text_from_json(whole.at("scenario")), whole.at("max").get<double>(),
                   whole.at("submissions").get<size_t>(),
                   whole.at("ids_digest").get<std::string>()};
    for (const nlohmann::json& r : j.at("rows")) {
      GradeRow row;
      row.id = text_from_json(r.at("id"));
      row.file = text_from_json(r.at("file"));
      row.score = r.at("score").get<double>();
      row.max = r.at("max").get<double>();
      row.status = r.at("status").get<std::string>();
      row.reason = text_from_json(r.at("reason"));
      for (const nlohmann::json& id : r.at("failed_checks"))
        row.failed_checks.push_back(text_from_json(id));
      row.report = text_from_json(r.at("report"));
      row.file_hash = r.at("file_hash").get<std::string>();
      if (r.contains("print")) row.print = capture_print_from_json(r["print"]);
      if (r.contains("writeup")) {
        const nlohmann::json& w = r["writeup"];
        row.writeup = WriteupGrade{.file = text_from_json(w.at("file")),
                                   .score = w.at("score").get<double>(),
                                   .max = w.at("max").get<double>(),
                                   .status = w.at("status").get<std::string>(),
                                   .reason = text_from_json(w.at("reason")),
                                   .report = text_from_json(w.at("report"))};
      }
      shard.rows.push_back(std::move(row));
    }
    return shard;
  } catch (const std::exception& error) {
    throw std::runtime_error(
        fmt::format("{}: not a valid shard file: {}", path.string(), error.what()));
  }
}

}  // namespace tcpgrade
