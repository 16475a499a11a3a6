// Renderers: pure functions from a Report to the bytes a reader or a tool gets.
#pragma once

#include <string>

#include "report/report.h"

namespace tcpgrade {

struct TextStyle {
  bool color = false;  // ANSI colours, only for a terminal
  bool brief = false;  // without the scenario's teaches: sentences (--brief)
};

std::string render_text(const Report& report, const TextStyle& style = {});
// render_text in three parts, for reports written one conversation at a time: the head
// (verdict, warnings, root causes), each conversation, the tail (claims, other connections,
// processes). render_text is head, then every conversation, then tail.
std::string render_text_head(const Report& report, const TextStyle& style = {});
std::string render_text_conversation(const ConversationResult& conversation,
                                     const TextStyle& style = {});
std::string render_text_tail(const Report& report, const TextStyle& style = {});
std::string render_json(const Report& report);  // versioned schema: report_schema_version

// render_json in parts, for a report whose conversations were handed on one at a time
// (Report::streamed_conversations) and rendered with render_json_conversation: `head`, then the
// elements joined by ",\n", then `tail` is render_json of the report holding them. Without
// streamed conversations, head is the whole report and tail empty.
struct JsonAround {
  std::string head, tail;
};
JsonAround render_json_around(const Report& report);
std::string render_json_conversation(const ConversationResult& conversation);
std::string render_junit(const Report& report);       // JUnit XML: a testcase per check
std::string render_tap(const Report& report);         // TAP version 14
std::string render_gradescope(const Report& report);  // Gradescope results.json
// results.json for a submission that could not be graded: score 0 and the reason.
std::string render_gradescope_error(const std::string& reason, double max_score);
std::string render_markdown(const Report& report);  // a CI job summary
std::string render_html(const Report& report);      // one self-contained page with a ladder diagram

// Renders in one of: text, json, junit, tap, gradescope, markdown, html.
std::string render_report(const Report& report, const std::string& format,
                          const TextStyle& style = {});

}  // namespace tcpgrade
