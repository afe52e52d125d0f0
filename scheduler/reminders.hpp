// When the reminders of a schedule fire: each activity's `reminders` before
// each of its occurrences' starts, moved to working days (PLAN.md §3, §6.2).
#pragma once

#include "scheduler/schedule.hpp"

#include <date/date.h>

#include <vector>

namespace xun::scheduler {

struct Reminder {
  date::sys_seconds at;                   // when it fires, UTC
  long minutes_before = 0;                // as the plan wrote it
  const Occurrence *occurrence = nullptr; // into the schedule given
  const Activity *activity = nullptr;     // into the plan given
};

// The reminders firing in [from, to), soonest first (then by occurrence id).
std::vector<Reminder> reminders_between(const Plan &plan, const Schedule &schedule,
                                        date::sys_seconds from, date::sys_seconds to);

} // namespace xun::scheduler
