// When an occurrence's reminders fire (PLAN.md §6.2): a reminder of whole days
// or weeks on a working day at a time of day people are at work, one in hours
// or minutes exactly that long before the start.
#pragma once

#include "calendar/time_of_day.hpp"
#include "calendar/working_calendar.hpp"
#include "calendar/zones.hpp"
#include "scheduler/schedule.hpp"

#include <string>
#include <vector>

namespace xun::scheduler {

// What decides the firing time of a reminder, apart from the reminder itself.
struct AlarmContext {
  const calendar::WorkingCalendar &calendar; // whose working days a day reminder fires on
  std::string zone;                          // for exact reminders across a DST change
  int remind_at = 9 * 60;                    // all-day occurrences: minutes since midnight
};

// The local wall time at which `reminder` fires for an occurrence starting at
// `start` (all-day: its first day's midnight). Always before the start.
calendar::LocalTime alarm_time(const AlarmContext &context, calendar::LocalTime start, bool all_day,
                               calendar::Duration reminder);

// One time per reminder of the occurrence's activity, in the plan's order.
std::vector<calendar::LocalTime> alarm_times(const Plan &plan, const Occurrence &occurrence);

} // namespace xun::scheduler
