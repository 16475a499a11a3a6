#include "capture_pipeline.h"

#include <fmt/format.h>

#include <algorithm>

#include "frame_decoder.h"
#include "link_layer.h"

namespace tcpgrade {
namespace {

// A pcapng can claim any 64-bit time (found by fuzzing: 7887043953236 s). Seconds are held to
// ±2^62 ns, years 1824 to 2116, so that Timestamp::total_ns() and the difference of two fit.
constexpr int64_t max_timestamp_sec = (int64_t{1} << 62) / 1'000'000'000;

}  // namespace

CapturePipeline::CapturePipeline(const std::string& path) : reader_(path) {
  if (!link_type_supported(reader_.link_type()))
    throw CaptureError(fmt::format(
        "{}: link type {} not supported (supported: Ethernet, Linux cooked SLL and SLL2, BSD "
        "NULL/LOOP, raw IP, PPP, Cisco HDLC, IP over InfiniBand, ARCnet)",
        path == "-" ? "<stdin>" : path, reader_.link_type_name()));
}

bool CapturePipeline::next(DecodedFrame& frame, std::optional<FrameAnalysis>& analysis) {
  RawFrame raw;
  if (!reader_.next(raw)) return false;
  raw.timestamp.sec = std::clamp(raw.timestamp.sec, -max_timestamp_sec, max_timestamp_sec);
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
