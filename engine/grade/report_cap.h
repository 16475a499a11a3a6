// The size cap of each report file grade writes per student. Reports are bounded per
// conversation (report/report_limits.h), but a capture of many connections still makes one
// long report per connection: a 5.6 MB capture once gave 173 MB of reports for one student.
// A report over the cap is cut, and says so: the text keeps its head (the verdict, the points
// and the root causes come first), the JSON keeps the verdict and points, the HTML the text's
// head. The gradebook row keeps the exact score either way.
#pragma once

#include <cstddef>

#include "grade/grade_reports.h"
#include "report/report.h"

namespace tcpgrade {

inline constexpr size_t default_max_report_bytes = 4 << 20;

// Each of the three reports, when longer than `limit` bytes, replaced by its cut form.
void cap_reports(RenderedReports& rendered, const Report& report, size_t limit);

}  // namespace tcpgrade
