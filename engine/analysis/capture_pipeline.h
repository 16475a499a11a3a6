// Capture bytes → decoded frames → conversation analysis, one frame at a time. The one place
// that strings the stages together, so dump, check and the tests read captures the same way.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/conversation_tracker.h"
#include "analysis/frame_analysis.h"
#include "capture/capture_limits.h"
#include "capture/capture_reader.h"
#include "capture/decoded_frame.h"

namespace tcpgrade {

class CapturePipeline {
 public:
  // Throws CaptureError when the file cannot be read or its link type is not supported.
  // `limits.max_connections` overrides `tracker.max_open_conversations`.
  explicit CapturePipeline(const std::string& path, const CaptureLimits& limits = {},
                           ConversationTrackerOptions tracker = {});
  // Reads `fd`, already open at the file's start (CaptureReader's descriptor constructor);
  // `path` names the file in messages.
  CapturePipeline(int fd, const std::string& path, const CaptureLimits& limits = {},
                  ConversationTrackerOptions tracker = {});

  // The next frame; `analysis` is set for frames that carry a TCP segment. The frame's
  // payload bytes stay valid until the next call. Throws LimitError, naming the file, past
  // limits.max_frames frames or limits.max_connections conversations open at once.
  bool next(DecodedFrame& frame, std::optional<FrameAnalysis>& analysis);

  const CaptureReader& reader() const { return reader_; }
  ConversationTracker& tracker() { return tracker_; }
  uint64_t frames() const { return frames_; }
  uint64_t tcp_frames() const { return tcp_frames_; }
  Timestamp first_timestamp() const { return first_timestamp_; }

 private:
  std::string display_name() const;  // the file as errors name it
  void check_link_type() const;

  CaptureReader reader_;
  ConversationTracker tracker_;
  uint64_t max_frames_;
  uint64_t frames_ = 0;
  uint64_t tcp_frames_ = 0;
  Timestamp first_timestamp_;
};

}  // namespace tcpgrade
