// `tcpgrade record CAPTURE`: write a scenario from a known-good capture (exit 0), for the
// instructor to edit. Exit 2 on a bad capture or usage.
#include <fmt/format.h>

#include <memory>

#include "analysis/captured_conversation.h"
#include "cli/commands.h"
#include "cli/limit_options.h"
#include "scenario/scenario_recorder.h"
#include "util/deadline.h"
#include "util/output_sink.h"
#include "util/terminal_text.h"

namespace tcpgrade::cli {
namespace {

struct RecordCommandOptions {
  std::string capture;
  std::optional<uint32_t> stream;
  bool strict = false;
  bool any_port = false;
  std::string name;
  std::string output;
  LimitOptions limits;
};

int run_record(const RecordCommandOptions& options) {
  RecordOptions record;
  record.stream = options.stream;
  record.strict = options.strict;
  record.any_port = options.any_port;
  record.name = options.name;
  apply_memory_limit(options.limits);
  std::string name = options.capture == "-" ? "<stdin>" : options.capture;
  // A FIFO nobody writes to, or a writer that stops, would block the read for ever.
  CheckDeadline deadline(options.limits.check_timeout_seconds,
                         error_at_deadline(read_timeout_message(name, options.limits)));
  std::string yaml = within_memory_limit(name, options.limits, [&] {
    return record_scenario(read_capture(options.capture, options.limits.capture), record);
  });
  OutputSink sink(options.output);
  sink.write(yaml);
  sink.commit();
  return exit_pass;
}

}  // namespace

Subcommand add_record_command(CLI::App& app) {
  auto options = std::make_shared<RecordCommandOptions>();
  CLI::App* record = app.add_subcommand(
      "record",
      "Write a scenario from a known-good capture (portable by default: client port, ISNs, "
      "timestamps, windows and window scale loosened; Seq/Ack as `next` where they hold; the "
      "server port kept)");
  record->add_option("capture", options->capture, "pcap or pcapng file, or - for stdin")
      ->required();
  record->add_option(
      "--stream", options->stream,
      "the connection to record, by Wireshark's tcp.stream number (default: the first)");
  record->add_flag("--strict", options->strict,
                   "record every value exactly as captured (ports, raw Seq/Ack, windows, options)");
  record->add_flag("--any-port", options->any_port,
                   "grade a connection to any server port, not only the recorded one");
  record->add_option("--name", options->name, "the scenario's name (default: from the file name)");
  record->add_option("-o,--output", options->output,
                     "write the scenario to FILE instead of stdout");
  add_capture_limit_options(record, options->limits);
  add_memory_limit_option(record, options->limits);
  add_check_timeout_option(record, options->limits, "seconds to read the capture");
  return {record, [options] { return run_record(*options); }};
}

}  // namespace tcpgrade::cli
