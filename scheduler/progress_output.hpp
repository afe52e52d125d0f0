// Progress (PLAN.md §6.6) as JSON and as a table a secretary reads.
#pragma once

#include "scheduler/progress.hpp"

#include <string>

namespace xun::scheduler {

// The §6.6 object, pretty-printed with a trailing newline.
std::string progress_json(const Progress &progress);
// Chinese first: the activities (at-risk ones first), then the assessment
// items and the total.
std::string progress_text(const Plan &plan, const Progress &progress);

} // namespace xun::scheduler
