#include "analysis/captured_conversation.h"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "analysis/capture_pipeline.h"

namespace tcpgrade {
namespace {

// Highest next Seq per direction; relative numbers start near 0, so a plain wrap-safe max.
void advance(std::optional<uint32_t>& highest, uint32_t next) {
  if (!highest || static_cast<int32_t>(next - *highest) > 0) highest = next;
}

}  // namespace

void append_segment(const std::string& path, CapturedConversation& conversation,
                    ConversationProgress& p, const DecodedFrame& frame,
                    const FrameAnalysis& analysis, const CaptureLimits& limits) {
  CapturedSegment& s = conversation.segments.emplace_back();
  s.frame = frame.number;
  s.timestamp = frame.timestamp;
  s.direction = analysis.direction;
  s.phase = analysis.phase;
  s.flags = frame.tcp.flags;
  s.seq = analysis.relative_seq;
  s.ack = analysis.relative_ack;
  s.seq_raw = frame.tcp.seq;
  s.ack_raw = frame.tcp.ack;
  s.len = frame.tcp.payload_length;
  uint32_t occupied =
      s.len + ((s.flags & tcp_flag::syn) ? 1 : 0) + ((s.flags & tcp_flag::fin) ? 1 : 0);
  s.next_seq = s.seq + occupied;
  s.window = frame.tcp.window;
  s.window_scaled = analysis.window_scaled;
  s.options = frame.tcp.options;
  s.options_complete = frame.tcp.options_complete;
  s.analysis_flags = analysis.flags;
  s.status = frame.status;
  s.problem = frame.problem;
  s.captured_length = frame.captured_length;
  s.wire_length = frame.wire_length;
  p.payload_bytes += frame.tcp.payload.size();
  if (p.payload_bytes > limits.max_payload_per_conversation)
    throw LimitError(fmt::format(
        "{}: TCP stream {} carries more than {} payload bytes (limit "
        "--max-stream-bytes)",
        path == "-" ? "<stdin>" : path, analysis.stream, limits.max_payload_per_conversation));
  s.payload.assign(frame.tcp.payload.begin(), frame.tcp.payload.end());
  int side = static_cast<int>(s.direction);
  s.side_next_before = p.next[side];
  s.peer_next_before = p.next[1 - side];
  if (occupied)
    advance(p.next[side], s.next_seq);
  else if (!p.next[side])
    p.next[side] = s.seq;
}

namespace {

CaptureContents read_all(CapturePipeline& pipeline, const std::string& path,
                         const CaptureLimits& limits) {
  CaptureContents contents;
  contents.path = path;
  contents.snap_length = pipeline.reader().snap_length();
  contents.link_type = pipeline.reader().link_type();
  std::vector<ConversationProgress> progress;
  DecodedFrame frame;
  std::optional<FrameAnalysis> analysis;
  while (pipeline.next(frame, analysis)) {
    if (!analysis) continue;
    if (analysis->stream >= contents.conversations.size()) {
      contents.conversations.resize(analysis->stream + 1);
      progress.resize(analysis->stream + 1);
    }
    append_segment(path, contents.conversations[analysis->stream], progress[analysis->stream],
                   frame, *analysis, limits);
  }
  contents.frames = pipeline.frames();
  contents.tcp_frames = pipeline.tcp_frames();
  contents.warning = pipeline.reader().warning();
  contents.dropped = pipeline.reader().dropped();
  for (ConversationSummary& summary : pipeline.tracker().summaries())
    if (summary.stream < contents.conversations.size())
      contents.conversations[summary.stream].summary = std::move(summary);
  return contents;
}

}  // namespace

CaptureContents read_capture(const std::string& path, const CaptureLimits& limits) {
  CapturePipeline pipeline(path, limits);
  return read_all(pipeline, path, limits);
}

CaptureContents read_capture(int fd, const std::string& path, const CaptureLimits& limits) {
  CapturePipeline pipeline(fd, path, limits);
  return read_all(pipeline, path, limits);
}

void flip_direction(CapturedConversation& conversation) {
  conversation.flipped = !conversation.flipped;
  std::swap(conversation.summary.client, conversation.summary.server);
  for (CapturedSegment& s : conversation.segments) {
    s.direction = s.direction == Direction::client_to_server ? Direction::server_to_client
                                                             : Direction::client_to_server;
  }
}

std::string reassembled_payload(const CapturedConversation& conversation, Direction direction,
                                size_t max_bytes) {
  std::string data;
  std::optional<uint32_t> end;  // relative Seq just past the bytes kept so far
  for (const CapturedSegment& s : conversation.segments) {
    if (s.direction != direction || s.payload.empty()) continue;
    if (!end) end = s.seq;
    int32_t overlap = static_cast<int32_t>(*end - s.seq);  // modulo 2^32: wrap-safe
    if (overlap < 0) overlap = 0;  // a gap: bytes not captured; keep what follows
    if (static_cast<size_t>(overlap) >= s.payload.size()) continue;  // retransmitted bytes
    data.append(s.payload, overlap, std::string::npos);
    end = s.seq + static_cast<uint32_t>(s.payload.size());
    if (data.size() >= max_bytes) {
      data.resize(max_bytes);
      break;
    }
  }
  return data;
}

}  // namespace tcpgrade
