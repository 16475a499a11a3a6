#include "analysis/capture_pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "capture/frame_decoder.h"
#include "capture/link_layer.h"

namespace tcpgrade {
namespace {

// A pcapng can claim any 64-bit time (found by fuzzing: 7887043953236 s). Seconds are held to
// ±2^62 ns, years 1824 to 2116, so that Timestamp::total_ns() and the difference of two fit.
constexpr int64_t max_timestamp_sec = (int64_t{1} << 62) / 1'000'000'000;

}  // namespace

CapturePipeline::CapturePipeline(const std::string& path, const CaptureLimits& limits,
                                 ConversationTrackerOptions tracker)
    : reader_(path),
      tracker_((tracker.max_open_conversations = limits.max_connections, std::move(tracker))),
      max_frames_(limits.max_frames) {
  check_link_type();
}

CapturePipeline::CapturePipeline(int fd, const std::string& path, const CaptureLimits& limits,
                                 ConversationTrackerOptions tracker)
    : reader_(fd, path),
      tracker_((tracker.max_open_conversations = limits.max_connections, std::move(tracker))),
      max_frames_(limits.max_frames) {
  check_link_type();
}

void CapturePipeline::check_link_type() const {
  if (!link_type_supported(reader_.link_type()))
    throw CaptureError(fmt::format(
        "{}: link type {} not supported (supported: Ethernet, Linux cooked SLL and SLL2, BSD "
        "NULL/LOOP, raw IP, PPP, Cisco HDLC, IP over InfiniBand, ARCnet)",
        display_name(), reader_.link_type_name()));
}

std::string CapturePipeline::display_name() const {
  return reader_.path() == "-" ? "<stdin>" : reader_.path();
}

bool CapturePipeline::next(DecodedFrame& frame, std::optional<FrameAnalysis>& analysis) {
  RawFrame raw;
  if (!reader_.next(raw)) return false;
  raw.timestamp.sec = std::clamp(raw.timestamp.sec, -max_timestamp_sec, max_timestamp_sec);
  if (frames_++ == 0) first_timestamp_ = raw.timestamp;
  if (frames_ > max_frames_)
    throw LimitError(
        fmt::format("{}: more than {} frames (limit --max-frames)", display_name(), max_frames_));
  decode_frame(raw.link_type, raw, frame);
  analysis.reset();
  if (frame.has_tcp) {
    ++tcp_frames_;
    try {
      analysis = tracker_.add(frame);
    } catch (const LimitError& limit) {
      throw LimitError(fmt::format("{}: {}", display_name(), limit.what()));
    }
  }
  return true;
}

}  // namespace tcpgrade
