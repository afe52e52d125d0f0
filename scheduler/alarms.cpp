#include "scheduler/alarms.hpp"

#include <chrono>

namespace xun::scheduler {
namespace {

// A plan with no working day for a year on end (workdays: []) has nowhere
// better to put a day reminder than the calendar day itself.
constexpr int search_days = 366;

calendar::Date last_working_day_from(const calendar::WorkingCalendar &calendar,
                                     calendar::Date day) {
  for (int back = 0; back < search_days; ++back) {
    const calendar::Date d = day - date::days{back};
    if (calendar.is_working_day(d))
      return d;
  }
  return day;
}

} // namespace

calendar::LocalTime alarm_time(const AlarmContext &context, calendar::LocalTime start, bool all_day,
                               calendar::Duration reminder) {
  if (!reminder.in_days) {
    // Hours and minutes are elapsed time: count them on the UTC line.
    const auto instant =
        calendar::to_utc(context.zone, start) - std::chrono::minutes{reminder.minutes};
    return calendar::to_local(context.zone, instant);
  }
  const auto start_day = date::floor<date::days>(start);
  const auto time_of_day =
      all_day ? std::chrono::minutes{context.remind_at} : std::chrono::minutes{start - start_day};
  const calendar::Date nominal{start_day.time_since_epoch() - date::days{reminder.days()}};
  const calendar::Date day = last_working_day_from(context.calendar, nominal);
  return calendar::LocalTime{day.time_since_epoch()} + time_of_day;
}

std::vector<calendar::LocalTime> alarm_times(const Plan &plan, const Occurrence &occurrence) {
  std::vector<calendar::LocalTime> out;
  const Activity *activity = plan.find_activity(occurrence.activity);
  if (!activity)
    return out;
  const AlarmContext context{plan.calendar, plan.timezone, plan.remind_at};
  for (const auto &reminder : activity->reminders)
    out.push_back(alarm_time(context, occurrence.start, occurrence.all_day, reminder));
  return out;
}

} // namespace xun::scheduler
