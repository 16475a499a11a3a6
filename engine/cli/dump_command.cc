// `tcpgrade dump CAPTURE`: read a capture as Wireshark does, one line per frame.
#include <fmt/format.h>

#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "analysis/capture_pipeline.h"
#include "analysis/dump_format.h"
#include "cli/commands.h"
#include "cli/limit_options.h"
#include "util/deadline.h"
#include "util/output_sink.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

struct DumpOptions {
  std::string capture;
  std::string format = "text";
  std::optional<uint32_t> stream;
  bool summary = false;
  bool sort = false;
  std::string output;
  LimitOptions limits;
};

// Output is built in a buffer and handed to the sink in large writes.
constexpr size_t flush_threshold = 1 << 16;

int dump(const DumpOptions& options) {
  // Finished conversations are kept only for --summary --sort: a frame listing, or a summary
  // written as each conversation finishes, of a capture of a busy server then holds the
  // connections open at once, not every one it saw.
  fmt::memory_buffer out;
  const bool streamed_summary = options.summary && !options.sort;
  ConversationTrackerOptions tracking;
  if (streamed_summary) {
    tracking.on_finished = [&out, &options](const ConversationSummary& summary) {
      if (!options.stream || summary.stream == *options.stream) append_summary_line(out, summary);
    };
  } else if (!options.summary) {
    tracking.on_finished = [](const ConversationSummary&) {};
  }
  CapturePipeline pipeline(options.capture, options.limits.capture, std::move(tracking));
  OutputSink sink(options.output);
  if (options.summary) {
    append_summary_header(out);
  } else if (options.format == "tsv") {
    append_tsv_header(out);
  }
  DecodedFrame frame;
  std::optional<FrameAnalysis> analysis;
  const bool text = options.format == "text", tsv = options.format == "tsv";
  while (pipeline.next(frame, analysis)) {
    if (options.summary) {
      if (out.size() > flush_threshold) {
        sink.write({out.data(), out.size()});
        out.clear();
      }
      continue;
    }
    if (options.stream && (!analysis || analysis->stream != *options.stream)) continue;
    DumpRow row{frame, analysis ? &*analysis : nullptr, pipeline.first_timestamp()};
    if (text) {
      append_text_line(out, row);
    } else if (tsv) {
      append_tsv_line(out, row);
    } else {
      std::string line =
          frame_to_json(row).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      out.append(line);
      out.push_back('\n');
    }
    if (out.size() > flush_threshold) {
      sink.write({out.data(), out.size()});
      out.clear();
    }
  }
  if (streamed_summary) {
    pipeline.tracker().finish();  // the conversations still open, in stream order
  } else if (options.summary) {
    for (const ConversationSummary& summary : pipeline.tracker().summaries())
      if (!options.stream || summary.stream == *options.stream) append_summary_line(out, summary);
  }
  sink.write({out.data(), out.size()});
  sink.commit();
  const std::string name = terminal_safe(options.capture == "-" ? "<stdin>" : options.capture);
  if (pipeline.reader().warning())
    fmt::print(stderr, "tcpgrade: warning: {}\n", terminal_safe(*pipeline.reader().warning()));
  if (pipeline.frames() == 0)
    fmt::print(stderr, "tcpgrade: warning: {}: capture holds no frames\n", name);
  else if (pipeline.tcp_frames() == 0)
    fmt::print(stderr, "tcpgrade: warning: {}: no TCP segments in its {} frame{}\n", name,
               pipeline.frames(), pipeline.frames() == 1 ? "" : "s");
  return exit_pass;
}

int run_dump(const DumpOptions& options) {
  apply_memory_limit(options.limits);
  const std::string& name = options.capture == "-" ? std::string("<stdin>") : options.capture;
  // A FIFO nobody writes to, or a writer that stops, would block the read for ever.
  CheckDeadline deadline(options.limits.check_timeout_seconds,
                         error_at_deadline(read_timeout_message(name, options.limits)));
  try {
    return within_memory_limit(name, options.limits, [&] { return dump(options); });
  } catch (const OutputError& error) {
    // `dump X | head`: the reader took what it wanted and left, as with tcpdump and tshark.
    if (error.error_number() == EPIPE) return exit_pass;
    throw;
  }
}

}  // namespace

Subcommand add_dump_command(CLI::App& app) {
  auto options = std::make_shared<DumpOptions>();
  CLI::App* dump = app.add_subcommand(
      "dump",
      "Read a capture as Wireshark does: one line per frame with relative Seq/Ack and "
      "tcp.analysis flags");
  dump->add_option("capture", options->capture, "pcap or pcapng file, or - for stdin")->required();
  dump->add_option("--format", options->format, "text (tshark-style), tsv or jsonl (every field)")
      ->check(CLI::IsMember({"text", "tsv", "jsonl"}));
  dump->add_option("--stream", options->stream, "only frames of this TCP stream (tcp.stream)");
  dump->add_flag("--summary", options->summary,
                 "one line per conversation: endpoints, frames and bytes each way, state, "
                 "history, completeness, duration; written as each conversation finishes "
                 "(closes, or the capture ends), so memory follows the connections open at "
                 "once");
  dump->add_flag("--sort", options->sort,
                 "with --summary: lines in tcp.stream order, every conversation held until "
                 "the capture ends (memory grows with the connections in the capture); frames "
                 "that come after a conversation closed then count in its line");
  dump->add_option("-o,--output", options->output, "write to FILE instead of stdout");
  add_capture_limit_options(dump, options->limits, /*reassembles=*/false);
  add_memory_limit_option(dump, options->limits);
  add_check_timeout_option(dump, options->limits, "seconds to read the capture");
  return {dump, [options] { return run_dump(*options); }};
}

}  // namespace tcpgrade::cli
