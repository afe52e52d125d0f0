// Reading back a schedule that `xun solve --format json` wrote (PLAN.md §5),
// as the previous schedule of a re-plan (§6.5): occurrences (and recorded
// cancelled ones) with their ids and UIDs, keys derived against the plan.
#pragma once

#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xun::scheduler {

struct ScheduleRead {
  std::optional<Schedule> schedule;
  std::vector<Diagnostic> problems; // located by line and column, with the JSON pointer
};

ScheduleRead read_schedule_json(std::string_view text, const std::string &file, const Plan &plan);

} // namespace xun::scheduler
