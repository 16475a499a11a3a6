#include "cli/conversation_spool.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "report/report_render.h"
#include "util/output_sink.h"

namespace tcpgrade::cli {

ConversationSpool::ConversationSpool(const ReportOutputOptions& options)
    : options_(options),
      style_(text_style(options)),
      format_(options.format == "text"   ? Spooled::text
              : options.format == "json" ? Spooled::json
                                         : Spooled::none) {
  if (format_ == Spooled::none) return;
  spool_ = std::tmpfile();
  if (!spool_)
    throw std::runtime_error(
        fmt::format("cannot make a temporary file for the report: {}", std::strerror(errno)));
  std::setvbuf(spool_, nullptr, _IOFBF, 1 << 20);  // a busy server's report: few large writes
}

ConversationSpool::~ConversationSpool() {
  if (spool_) std::fclose(spool_);
}

void ConversationSpool::add(ConversationResult&& conversation) {
  if (format_ == Spooled::none) {
    held_.push_back(std::move(conversation));
    return;
  }
  std::string text = format_ == Spooled::text ? render_text_conversation(conversation, style_)
                                              : render_json_conversation(conversation);
  if (!in_order_) {
    append(conversation.stream, text, false);
    return;
  }
  waiting_.add(conversation.stream, std::move(text));
  if (!waiting_.over_limit()) return;
  // One connection held open across many: from here on, an index entry per conversation.
  in_order_ = false;
  waiting_.release_all(
      [this](uint32_t stream, const std::string& waited) { append(stream, waited, false); });
}

void ConversationSpool::streams_done(uint32_t lowest_unfinished_stream) {
  if (!in_order_) return;
  waiting_.release_below(
      lowest_unfinished_stream,
      [this](uint32_t stream, const std::string& text) { append(stream, text, true); });
}

void ConversationSpool::append(uint32_t stream, const std::string& text, bool in_order_run) {
  auto put = [this](const std::string& bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), spool_) != bytes.size())
      throw std::runtime_error(
          fmt::format("cannot write the report's temporary file: {}", std::strerror(errno)));
    spooled_ += bytes.size();
  };
  if (in_order_run && run_started_) {
    Section& run = sections_.front();
    if (format_ == Spooled::json) {
      static const std::string separator = ",\n";
      put(separator);
      run.size += separator.size();
    }
    put(text);
    run.size += text.size();
    run.count += 1;
    return;
  }
  // The in-order run (sections_.front() once started) takes no entry of the other kind.
  const bool after_run = run_started_ && sections_.size() == 1;
  if (format_ == Spooled::text && !in_order_run && !sections_.empty() && !after_run &&
      sections_.back().stream + sections_.back().count == stream) {
    sections_.back().count += 1;
    sections_.back().size += text.size();
  } else {
    sections_.push_back({stream, 1, spooled_, text.size()});
    run_started_ = run_started_ || in_order_run;
  }
  put(text);
}

void ConversationSpool::render(Report& report) {
  if (format_ == Spooled::none) {
    std::stable_sort(held_.begin(), held_.end(),
                     [](const ConversationResult& a, const ConversationResult& b) {
                       return a.stream < b.stream;
                     });
    report.conversations = std::move(held_);
    held_.clear();
    report.streamed_conversations = report.streamed_failed_checks = 0;
    head_ = render_report(report, options_.format, style_);
    return;
  }
  streams_done(UINT32_MAX);  // the capture is done: nothing below any stream is waited for
  if (format_ == Spooled::text) {
    head_ = render_text_head(report, style_);
    tail_ = render_text_tail(report, style_);
  } else {
    JsonAround around = render_json_around(report);
    head_ = std::move(around.head);
    tail_ = std::move(around.tail);
  }
}

void ConversationSpool::write() {
  OutputSink sink(options_.output);
  sink.write(head_);
  if (format_ == Spooled::none) {
    sink.commit();
    return;
  }
  if (std::fflush(spool_) != 0)
    throw std::runtime_error(
        fmt::format("cannot write the report's temporary file: {}", std::strerror(errno)));
  std::stable_sort(sections_.begin(), sections_.end(),
                   [](const Section& a, const Section& b) { return a.stream < b.stream; });
  std::string separator = format_ == Spooled::json ? ",\n" : "";
  // Sections that lie one after the other in the spool are read back together.
  std::string buffer;
  for (size_t i = 0; i < sections_.size();) {
    uint64_t offset = sections_[i].offset, size = 0;
    size_t j = i;
    // Text sections follow each other as they are; JSON elements need a separator between.
    while (j < sections_.size() && sections_[j].offset == offset + size && size < (1u << 20) &&
           (separator.empty() || j == i))
      size += sections_[j++].size;
    if (i > 0) sink.write(separator);
    // A run of text sections may be long: read back a megabyte at a time.
    for (uint64_t copied = 0; copied < size;) {
      const uint64_t chunk = std::min<uint64_t>(size - copied, 1u << 20);
      buffer.resize(chunk);
      for (uint64_t done = 0; done < chunk;) {
        ssize_t got = ::pread(fileno(spool_), buffer.data() + done, chunk - done,
                              static_cast<off_t>(offset + copied + done));
        if (got <= 0)
          throw std::runtime_error(
              fmt::format("cannot read the report's temporary file: {}", std::strerror(errno)));
        done += static_cast<uint64_t>(got);
      }
      sink.write(buffer);
      copied += chunk;
    }
    i = j;
  }
  sink.write(tail_);
  sink.commit();
}

}  // namespace tcpgrade::cli
