// Holds the conversations a streaming check hands on until the report can be written: rendered
// (text or JSON) into an unlinked temporary file, so memory stays small however many there are;
// as values for the other formats. Written in stream order, between the report's head and tail.
#pragma once

#include <cstdio>
#include <vector>

#include "check/capture_grader.h"
#include "cli/report_output.h"
#include "report/report.h"

namespace tcpgrade::cli {

class ConversationSpool {
 public:
  explicit ConversationSpool(const ReportOutputOptions& options);
  ~ConversationSpool();
  ConversationSpool(const ConversationSpool&) = delete;
  ConversationSpool& operator=(const ConversationSpool&) = delete;

  void add(ConversationResult&& conversation);
  // The checks a conversation must keep for the report: the text report shows only those not
  // passed.
  CheckDetail detail() const {
    return format_ == Spooled::text ? CheckDetail::failures : CheckDetail::all;
  }
  // Renders what the report needs besides the conversations spooled: its head and tail (text,
  // JSON), or the whole report with every conversation held (the other formats). Call it under
  // the check's memory cap and deadline; it writes nothing.
  void render(Report& report);
  // Writes the report render() prepared, every conversation in stream order, whole or not at all.
  void write();

 private:
  // Conversations `stream` to `stream + count - 1`, one after the other in the spool: graded
  // in the order they close, connections mostly follow stream order, so a run of them costs
  // one entry (text only: JSON elements need their separators placed in stream order).
  struct Section {
    uint32_t stream;
    uint32_t count;
    uint64_t offset, size;
  };
  enum class Spooled { text, json, none };
  ReportOutputOptions options_;
  TextStyle style_;
  Spooled format_;
  FILE* spool_ = nullptr;
  uint64_t spooled_ = 0;
  std::vector<Section> sections_;
  std::vector<ConversationResult> held_;
  std::string head_, tail_;  // render(): for the formats held as values, head_ is the report
};

}  // namespace tcpgrade::cli
