#include "check/grade_capture.h"

#include <optional>
#include <utility>

#include "analysis/captured_conversation.h"

namespace tcpgrade {

Report grade_capture(const GradeRequest& request) {
  const std::string& subject = request.subject.empty() ? request.capture : request.subject;
  std::optional<std::vector<ScenarioVariant>> own;
  if (!request.variants) own = scenario_variants(request.scenario);
  const std::vector<ScenarioVariant>& variants = request.variants ? *request.variants : *own;
  const CaptureLimits& limits = request.limits.capture;
  return within_memory_limit(subject, request.limits, [&] {
    if (request.capture_fd >= 0) {
      CaptureContents contents = read_capture(request.capture_fd, subject, limits);
      if (request.print) *request.print = fingerprint_capture(contents);
      return check_capture(request.scenario, variants, std::move(contents));
    }
    if (request.on_conversation && can_check_streaming(request.scenario))
      return check_capture_streaming(request.scenario, variants, request.capture, limits,
                                     *request.on_conversation, request.detail,
                                     request.on_streams_done);
    return check_capture(request.scenario, variants, read_capture(request.capture, limits));
  });
}

}  // namespace tcpgrade
