// Holds the conversations a streaming check hands on until the report can be written: rendered
// (text or JSON) into an unlinked temporary file, so memory stays small however many there are;
// as values for the other formats. Written in stream order, between the report's head and tail.
//
// Conversations close out of stream order, but only among those open at once: a rendered one
// waits in memory until every lower stream is done (streams_done), then joins the file's one
// run in stream order, so the file needs no index of its streams. When too much waits (a
// connection held open across many), the waiting ones and every later one get an entry each
// in an index sorted at the end instead: memory then grows by one entry per conversation.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "check/capture_grader.h"
#include "cli/report_output.h"
#include "report/report.h"
#include "util/stream_order_buffer.h"

namespace tcpgrade::cli {

class ConversationSpool {
 public:
  explicit ConversationSpool(const ReportOutputOptions& options);
  ~ConversationSpool();
  ConversationSpool(const ConversationSpool&) = delete;
  ConversationSpool& operator=(const ConversationSpool&) = delete;

  void add(ConversationResult&& conversation);
  // Every conversation added later has a stream number at or above `lowest_unfinished_stream`
  // (StreamsDoneSink's promise): those waiting below it are written to the file in order.
  void streams_done(uint32_t lowest_unfinished_stream);
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
  // Conversations from `stream` on, one after the other in the spool, in stream order: the
  // in-order run is one section (JSON's separators inside it); once too much waited, each
  // conversation is one (a run of consecutive text ones still shares one).
  struct Section {
    uint32_t stream;
    uint32_t count;
    uint64_t offset, size;
  };
  enum class Spooled { text, json, none };
  // Rendered conversations waiting for a lower stream to finish: at most this much of them.
  static constexpr size_t max_waiting_bytes = 2u << 20;
  void append(uint32_t stream, const std::string& text, bool in_order_run);
  ReportOutputOptions options_;
  TextStyle style_;
  Spooled format_;
  FILE* spool_ = nullptr;
  uint64_t spooled_ = 0;
  std::vector<Section> sections_;
  StreamOrderBuffer waiting_{max_waiting_bytes};
  bool in_order_ = true;      // false once too much waited: an entry per conversation from then
  bool run_started_ = false;  // the in-order run is sections_.front()
  std::vector<ConversationResult> held_;
  std::string head_, tail_;  // render(): for the formats held as values, head_ is the report
};

}  // namespace tcpgrade::cli
