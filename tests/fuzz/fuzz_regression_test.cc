// What each fuzzing finding was, asserted where it was fixed, so that the fix holds in every
// build (the replay tests of tests/data/fuzz-regressions/ see UB only under the sanitizers).
#include <gtest/gtest.h>

#include <limits>

#include "analysis/capture_pipeline.h"

namespace tcpgrade {
namespace {

// Found by fuzz_capture: a pcapng frame stamped 7887043953236 s after the epoch made
// Timestamp::total_ns() overflow (UBSan: signed integer overflow) in the conversation tracker.
TEST(CapturePipeline, AbsurdTimestampsAreHeldSoNanosecondsFit) {
  CapturePipeline pipeline(
      std::string(TCPGRADE_SOURCE_DIR) +
      "/tests/data/fuzz-regressions/capture/pcapng-timestamp-7887043953236s.pcapng");
  DecodedFrame frame;
  std::optional<FrameAnalysis> analysis;
  bool saw_held = false;
  while (pipeline.next(frame, analysis)) {
    const int64_t limit = (int64_t{1} << 62) / 1'000'000'000;
    EXPECT_LE(frame.timestamp.sec, limit);
    EXPECT_GE(frame.timestamp.sec, -limit);
    saw_held = saw_held || frame.timestamp.sec == limit;
    // Relative times, as dump shows them: the difference of two held times fits too.
    int64_t relative = frame.timestamp.total_ns() - pipeline.first_timestamp().total_ns();
    EXPECT_LT(relative, std::numeric_limits<int64_t>::max());
  }
  EXPECT_TRUE(saw_held) << "the file's absurd frame was not read";
}

}  // namespace
}  // namespace tcpgrade
