// When reminders fire (PLAN.md §6.2), on the PRC calendar of 2026: day
// reminders on working days at a working time, hour reminders exactly.
#include "scheduler/alarms.hpp"

#include "calendar/holidays.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

using namespace xun;
using namespace xun::scheduler;
using calendar::Duration;
using calendar::LocalTime;

namespace {

LocalTime at(int y, unsigned m, unsigned d, int hour = 0, int minute = 0) {
  return LocalTime{calendar::make_date(y, m, d).time_since_epoch()} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

calendar::WorkingCalendar cn_calendar() {
  static const calendar::HolidaySet set = [] {
    const char *env = std::getenv("XUN_DATA_DIR");
    REQUIRE(env != nullptr);
    return calendar::load_holiday_set("cn", env);
  }();
  calendar::WorkingCalendar c;
  c.holidays = set;
  return c;
}

constexpr Duration days(int n) { return {n * 1440L, true}; }
constexpr Duration hours(int n) { return {n * 60L, false}; }

// Readable failures: the firing time as the JSON shows it.
std::string fires(const calendar::WorkingCalendar &c, LocalTime start, bool all_day,
                  Duration reminder, int remind_at = 9 * 60,
                  const std::string &zone = "Asia/Shanghai") {
  return calendar::format_local_iso(
      zone, alarm_time(AlarmContext{c, zone, remind_at}, start, all_day, reminder));
}

} // namespace

TEST_CASE("a day reminder of an all-day Monday fires on the Friday before at remind_at") {
  const auto c = cn_calendar();
  CHECK(fires(c, at(2026, 3, 9), true, days(1)) == "2026-03-06T09:00:00+08:00");
  // The nominal day is a working day: no moving.
  CHECK(fires(c, at(2026, 3, 11), true, days(1)) == "2026-03-10T09:00:00+08:00");
}

TEST_CASE("a day reminder of a timed occurrence fires at the start's time of day") {
  const auto c = cn_calendar();
  CHECK(fires(c, at(2026, 3, 10, 14, 30), false, days(1)) == "2026-03-09T14:30:00+08:00");
  // Tuesday → the Sunday before → back to Friday, still at 14:30.
  CHECK(fires(c, at(2026, 3, 10, 14, 30), false, days(2)) == "2026-03-06T14:30:00+08:00");
}

TEST_CASE("remind_at sets the time of day reminders of all-day occurrences fire at") {
  const auto c = cn_calendar();
  CHECK(fires(c, at(2026, 3, 9), true, days(1), 8 * 60 + 30) == "2026-03-06T08:30:00+08:00");
  // A timed occurrence keeps its own time of day.
  CHECK(fires(c, at(2026, 3, 10, 14, 30), false, days(1), 8 * 60 + 30) ==
        "2026-03-09T14:30:00+08:00");
}

TEST_CASE("the day after National Day's block reminds on the last working day before it") {
  const auto c = cn_calendar();
  // Oct 1–7 are days off, and Sep 25–27 (中秋) before them; Sep 30 is a Wednesday at work.
  CHECK(fires(c, at(2026, 10, 8), true, days(1)) == "2026-09-30T09:00:00+08:00");
  CHECK(fires(c, at(2026, 10, 8, 9, 30), false, days(7)) == "2026-09-30T09:30:00+08:00");
}

TEST_CASE("a make-up Saturday (调休) is a working day a reminder may fire on") {
  const auto c = cn_calendar();
  // Sat Oct 10 is worked for National Day: Monday Oct 12's 2d fires then.
  CHECK(fires(c, at(2026, 10, 12), true, days(2)) == "2026-10-10T09:00:00+08:00");
  // Sat Feb 28 is worked for the Spring Festival: Sunday Mar 1 steps back to it, not to Friday.
  CHECK(fires(c, at(2026, 3, 2, 10), false, days(1)) == "2026-02-28T10:00:00+08:00");
  // Without holiday data the same Sunday steps back to Friday Feb 27.
  CHECK(fires(calendar::WorkingCalendar{}, at(2026, 3, 2, 10), false, days(1)) ==
        "2026-02-27T10:00:00+08:00");
}

TEST_CASE("a reminder in weeks counts calendar days, then finds a working day") {
  const auto c = cn_calendar();
  CHECK(fires(c, at(2026, 3, 24, 9), false, days(14)) == "2026-03-10T09:00:00+08:00");
  // Two weeks before Feb 26 is Feb 12, a Thursday before the Spring Festival block.
  CHECK(fires(c, at(2026, 2, 26), true, days(14)) == "2026-02-12T09:00:00+08:00");
  // One week before Feb 26 is Feb 19, inside the block: Sat Feb 14 is its make-up day.
  CHECK(fires(c, at(2026, 2, 26), true, days(7)) == "2026-02-14T09:00:00+08:00");
}

TEST_CASE("an hour or minute reminder fires exactly that long before, on any day") {
  const auto c = cn_calendar();
  CHECK(fires(c, at(2026, 3, 10, 14, 30), false, hours(2)) == "2026-03-10T12:30:00+08:00");
  CHECK(fires(c, at(2026, 3, 10, 14, 30), false, {30, false}) == "2026-03-10T14:00:00+08:00");
  // 24h is not 1d: it may fall on a Sunday, and at midnight for an all-day occurrence.
  CHECK(fires(c, at(2026, 3, 9, 9), false, hours(24)) == "2026-03-08T09:00:00+08:00");
  CHECK(fires(c, at(2026, 3, 9), true, hours(24)) == "2026-03-08T00:00:00+08:00");
  // Mixed days and hours are elapsed time too.
  CHECK(fires(c, at(2026, 3, 10, 14, 30), false, {36 * 60, false}) == "2026-03-09T02:30:00+08:00");
}

TEST_CASE("across a DST change a day reminder keeps the wall time, an hour one the elapsed time") {
  const calendar::WorkingCalendar c; // Berlin: no cn holidays
  // Europe/Berlin springs forward on Sunday 2026-03-29.
  CHECK(fires(c, at(2026, 3, 30, 10), false, days(3), 9 * 60, "Europe/Berlin") ==
        "2026-03-27T10:00:00+01:00");
  CHECK(fires(c, at(2026, 3, 30, 10), false, hours(72), 9 * 60, "Europe/Berlin") ==
        "2026-03-27T09:00:00+01:00");
}

TEST_CASE("a calendar without any working day leaves a day reminder on its calendar day") {
  calendar::WorkingCalendar c;
  c.workdays = {};
  CHECK(fires(c, at(2026, 3, 9), true, days(1)) == "2026-03-08T09:00:00+08:00");
}

TEST_CASE("alarm_times gives one time per reminder of the activity, in the plan's order") {
  Plan plan;
  plan.calendar = cn_calendar();
  plan.remind_at = 8 * 60;
  Activity a;
  a.id = "a";
  a.reminders = {days(7), hours(2), days(1)};
  plan.activities = {a};
  Occurrence o;
  o.activity = "a";
  o.start = at(2026, 3, 10, 14);
  o.end = at(2026, 3, 10, 15);
  const auto times = alarm_times(plan, o);
  REQUIRE(times.size() == 3);
  CHECK(times[0] == at(2026, 3, 3, 14));
  CHECK(times[1] == at(2026, 3, 10, 12));
  CHECK(times[2] == at(2026, 3, 9, 14));
  o.activity = "unknown";
  CHECK(alarm_times(plan, o).empty());
}
