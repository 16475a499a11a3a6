// Copy detection over a graded class: after the batch, the rows whose captures share a TCP
// conversation (copy_detection.h) or whose files are byte-identical are put in groups; each
// row concerned gets its group, the others in it and its evidence. Grades are not changed.
#pragma once

#include <vector>

#include "grade/gradebook.h"

namespace tcpgrade {

// Fills each row's copy_group, copied_with and copy_evidence; returns the groups, numbered
// from 1 in the order of their first row.
std::vector<ClassCopyGroup> mark_copies(std::vector<GradeRow>& rows);

}  // namespace tcpgrade
