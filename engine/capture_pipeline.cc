#include "capture_pipeline.h"

#include <fmt/format.h>

#include <utility>

#include "frame_decoder.h"
#include "link_layer.h"

namespace tcpgrade {

CapturePipeline::CapturePipeline(const std::string& path, const CaptureLimits& limits,
                                 ConversationTrackerOptions tracker)
    : reader_(path),
      tracker_((tracker.max_conversations = limits.max_connections, std::move(tracker))),
      max_frames_(limits.max_frames) {
  if (!link_type_supported(reader_.link_type()))
    throw CaptureError(fmt::format(
        "{}: link type {} not supported (supported: Ethernet, Linux cooked SLL and SLL2, BSD "
        "NULL/LOOP, raw IP, PPP, Cisco HDLC, IP over InfiniBand, ARCnet)",
        path == "-" ? "<stdin>" : path, reader_.link_type_name()));
}

std::string CapturePipeline::display_name() const {
  return reader_.path() == "-" ? "<stdin>" : reader_.path();
}

bool CapturePipeline::next(DecodedFrame& frame, std::optional<FrameAnalysis>& analysis) {
  RawFrame raw;
  if (!reader_.next(raw)) return false;
  if (frames_++ == 0) first_timestamp_ = raw.timestamp;
  if (frames_ > max_frames_)
    throw LimitError(fmt::format("{}: more than {} frames (limit --max-frames)", display_name(),
                                 max_frames_));
  frame = decode_frame(reader_.link_type(), raw);
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
