#include <nlohmann/json.hpp>
#include <string_view>

#include "report/report_limits.h"
#include "report/report_render.h"

namespace tcpgrade {
namespace {

using json = nlohmann::ordered_json;

json check_json(const CheckResult& c) {
  json j;
  j["id"] = c.id;
  j["name"] = c.name;
  j["status"] = to_string(c.status);
  j["points"] = c.points;
  j["max_points"] = c.max_points;
  if (c.frame) j["frame"] = c.frame;
  if (!c.expected_id.empty()) j["expected_id"] = c.expected_id;
  j["field"] = c.field;
  j["expected"] = c.expected;
  j["actual"] = c.actual;
  if (!c.hint.empty()) j["hint"] = c.hint;
  if (!c.root_cause.empty()) j["root_cause"] = c.root_cause;
  if (!c.teaches.empty()) j["teaches"] = c.teaches;
  if (!c.scenario_hint.empty()) j["scenario_hint"] = c.scenario_hint;
  j["visibility"] = c.visibility;
  return j;
}

// `c` is bounded (report/report_limits.h): what it left out is counted after its lists.
json conversation_json(const ConversationResult& c) {
  json conversation;
  conversation["stream"] = c.stream;
  conversation["client"] = c.client;
  conversation["server"] = c.server;
  conversation["state"] = c.state;
  conversation["history"] = c.history;
  conversation["variants"] = c.variants;
  conversation["frames"] = json::array();
  for (const FrameRow& row : c.rows) {
    json r;
    r["frame"] = row.frame;
    r["expected_id"] = row.expected_id;
    r["ok"] = row.ok;
    r["graded"] = row.graded;
    r["direction"] = to_string(row.direction);
    r["flags"] = flag_names(row.flags);
    if (row.frame) {
      r["seq"] = row.seq;
      if (row.has_ack) r["ack"] = row.ack;
      r["len"] = row.len;
    }
    if (!row.note.empty()) r["note"] = row.note;
    conversation["frames"].push_back(r);
  }
  conversation["checks"] = json::array();
  for (const CheckResult& check : c.checks) conversation["checks"].push_back(check_json(check));
  if (c.rows_left_out)
    conversation["frames_left_out"] = {{"count", c.rows_left_out},
                                       {"not_ok", c.rows_left_out_not_ok},
                                       {"first_frame", c.rows_left_out_first},
                                       {"last_frame", c.rows_left_out_last}};
  if (c.checks_left_out)
    conversation["checks_left_out"] = {{"count", c.checks_left_out},
                                       {"failed", c.failed_checks_left_out},
                                       {"failed_like", c.failed_left_out_like},
                                       {"points", c.points_left_out},
                                       {"max_points", c.max_points_left_out}};
  return conversation;
}

std::string dumped(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

// How the empty conversations array reads in the report (a string value never holds a raw
// line break, so this is found only where the key itself is).
constexpr std::string_view empty_conversations = "\n  \"conversations\": []";

}  // namespace

std::string render_json(const Report& report) {
  json j;
  j["schema_version"] = report_schema_version;
  j["scenario"] = report.scenario;
  j["scenario_title"] = report.scenario_title;
  j["capture"] = report.capture_file;
  j["capture_frames"] = report.capture_frames;
  j["verdict"] = report.passed() ? "pass" : "fail";
  j["points"] = report.points;
  j["max_points"] = report.max_points;
  j["failed_checks"] = report.failed_checks();
  j["warnings"] = report.warnings;
  if (!report.notes.empty()) j["notes"] = report.notes;
  if (!report.processes.empty()) {
    j["processes"] = json::array();
    for (const ProcessLog& p : report.processes)
      j["processes"].push_back({{"name", p.name},
                                {"command", p.command},
                                {"status", p.status},
                                {"stderr_tail", p.stderr_tail}});
  }
  j["root_causes"] = json::array();
  for (const RootCause& cause : report.root_causes)
    j["root_causes"].push_back(
        {{"id", cause.id}, {"title", cause.title}, {"explanation", cause.explanation}});
  j["conversations"] = json::array();
  for (const ConversationResult& c : report.conversations)
    j["conversations"].push_back(conversation_json(bounded_conversation(c)));
  j["claims"] = json::array();
  for (const CheckResult& claim : report.claims) j["claims"].push_back(check_json(claim));
  j["other_conversations"] = report.other_conversations;
  return dumped(j) + "\n";
}

JsonAround render_json_around(const Report& report) {
  std::string whole = render_json(report);
  size_t at = whole.find(empty_conversations);
  if (report.streamed_conversations == 0 || !report.conversations.empty() ||
      at == std::string::npos)
    return {whole, ""};
  return {whole.substr(0, at) + "\n  \"conversations\": [\n",
          "\n  ]" + whole.substr(at + empty_conversations.size())};
}

std::string render_json_conversation(const ConversationResult& conversation) {
  std::string element = dumped(conversation_json(bounded_conversation(conversation)));
  std::string out = "    ";
  out.reserve(element.size() * 5 / 4);
  for (char c : element) {
    out += c;
    if (c == '\n') out += "    ";  // two levels deeper: the report, then its array
  }
  return out;
}

}  // namespace tcpgrade
