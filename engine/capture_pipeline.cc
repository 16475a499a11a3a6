#include "capture_pipeline.h"

#include <fmt/format.h>

#include <utility>

#include "frame_decoder.h"
#include "link_layer.h"

namespace tcpgrade {

CapturePipeline::CapturePipeline(const std::string& path, ConversationTrackerOptions tracker)
    : reader_(path), tracker_(std::move(tracker)) {
  if (!link_type_supported(reader_.link_type()))
    throw CaptureError(fmt::format(
        "{}: link type {} not supported (supported: Ethernet, Linux cooked SLL and SLL2, BSD "
        "NULL/LOOP, raw IP, PPP, Cisco HDLC, IP over InfiniBand, ARCnet)",
        path == "-" ? "<stdin>" : path, reader_.link_type_name()));
}

bool CapturePipeline::next(DecodedFrame& frame, std::optional<FrameAnalysis>& analysis) {
  RawFrame raw;
  if (!reader_.next(raw)) return false;
  if (frames_++ == 0) first_timestamp_ = raw.timestamp;
  frame = decode_frame(reader_.link_type(), raw);
  analysis.reset();
  if (frame.has_tcp) {
    ++tcp_frames_;
    analysis = tracker_.add(frame);
  }
  return true;
}

}  // namespace tcpgrade
