// A schedule as PLAN.md §5 output: JSON, the month-by-month agenda (text,
// Markdown) and calendar events for the iCalendar writer.
#pragma once

#include "calendar/icalendar.hpp"
#include "scheduler/schedule.hpp"

#include <optional>
#include <string>

namespace xun::scheduler {

struct OutputFilter {
  std::optional<unsigned> month;     // 1..12: only occurrences starting then
  std::optional<std::string> person; // only occurrences this person attends
};

// The §5 object, pretty-printed with a trailing newline; on a conflict,
// "error": {message, activities} in place of "occurrences".
std::string schedule_json(const Plan &plan, const Schedule &schedule,
                          const OutputFilter &filter = {});
std::string schedule_text(const Plan &plan, const Schedule &schedule);
std::string schedule_markdown(const Plan &plan, const Schedule &schedule);
// One occurrence as the §5 JSON writes it (compact), e.g. a webhook's body.
std::string occurrence_json_text(const Plan &plan, const Occurrence &occurrence);
// "2026-03-10 14:30" (or the date alone): a plan-local wall time for people.
std::string wall_time_text(calendar::LocalTime t, bool all_day);
// One event per occurrence (UID, CATEGORIES from kind, an alarm per reminder).
calendar::CalendarFile schedule_calendar(const Plan &plan, const Schedule &schedule,
                                         date::sys_seconds dtstamp,
                                         const OutputFilter &filter = {});

} // namespace xun::scheduler
