#include "calendar/working_calendar.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace xun::calendar;

namespace {

Date d(int y, unsigned m, unsigned day) { return make_date(y, m, day); }

WorkingCalendar cn_calendar() {
  static const HolidaySet set = [] {
    const char *env = std::getenv("XUN_DATA_DIR");
    REQUIRE(env != nullptr);
    return load_holiday_set("cn", env);
  }();
  WorkingCalendar calendar;
  calendar.holidays = set;
  return calendar;
}

} // namespace

TEST_CASE("without holidays, Monday to Friday are working days and weekends "
          "are not") {
  const WorkingCalendar calendar;
  CHECK(calendar.classify(d(2026, 3, 2)) == DayKind::workday); // Monday
  CHECK(calendar.classify(d(2026, 3, 6)) == DayKind::workday); // Friday
  CHECK(calendar.classify(d(2026, 3, 7)) == DayKind::weekend); // Saturday
  CHECK(calendar.classify(d(2026, 3, 8)) == DayKind::weekend); // Sunday
  CHECK(calendar.is_working_day(d(2026, 3, 2)));
  CHECK_FALSE(calendar.is_working_day(d(2026, 3, 8)));
}

TEST_CASE("the 2026 Spring Festival week is off and its make-up Saturdays are "
          "working days") {
  const WorkingCalendar calendar = cn_calendar();
  CHECK(calendar.classify(d(2026, 2, 14)) == DayKind::makeup_workday);
  CHECK(calendar.classify(d(2026, 2, 28)) == DayKind::makeup_workday);
  CHECK(calendar.is_working_day(d(2026, 2, 14)));
  CHECK(calendar.is_working_day(d(2026, 2, 28)));
  for (unsigned day = 15; day <= 23; ++day) {
    CAPTURE(day);
    CHECK(calendar.classify(d(2026, 2, day)) == DayKind::holiday);
    CHECK_FALSE(calendar.is_working_day(d(2026, 2, day)));
  }
  CHECK(calendar.is_working_day(d(2026, 2, 24)));
}

TEST_CASE("working_days of February 2026 counts the make-up days and skips the "
          "festival") {
  const WorkingCalendar calendar = cn_calendar();
  const auto days = calendar.working_days({d(2026, 2, 1), d(2026, 2, 28)});
  // 20 weekdays, minus 5 festival weekdays (16–20, 23 is Monday: 6), plus 2
  // Saturdays.
  CHECK(days.size() == 20 - 6 + 2);
  CHECK(days.front() == d(2026, 2, 2));
  CHECK(days.back() == d(2026, 2, 28));
}

TEST_CASE("the 2025 National Day holiday Oct 1 to 8 is off, Sep 28 and Oct 11 "
          "are worked") {
  const WorkingCalendar calendar = cn_calendar();
  for (unsigned day = 1; day <= 8; ++day)
    CHECK_FALSE(calendar.is_working_day(d(2025, 10, day)));
  CHECK(calendar.is_working_day(d(2025, 9, 28)));
  CHECK(calendar.is_working_day(d(2025, 10, 11)));
  CHECK(calendar.is_working_day(d(2025, 10, 9)));
}

TEST_CASE("closed removes a working day and open adds one, open winning over all") {
  WorkingCalendar calendar = cn_calendar();
  calendar.closed = {d(2026, 3, 16), d(2026, 2, 28)};
  calendar.open = {d(2026, 9, 19), d(2026, 2, 17)};
  CHECK(calendar.classify(d(2026, 3, 16)) == DayKind::closed);
  CHECK_FALSE(calendar.is_working_day(d(2026, 3, 16)));
  CHECK(calendar.classify(d(2026, 2, 28)) == DayKind::closed); // over a make-up day
  CHECK(calendar.classify(d(2026, 9, 19)) == DayKind::opened); // a Saturday
  CHECK(calendar.is_working_day(d(2026, 9, 19)));
  CHECK(calendar.classify(d(2026, 2, 17)) == DayKind::opened); // over a holiday
  calendar.closed.insert(d(2026, 9, 19));
  CHECK(calendar.classify(d(2026, 9, 19)) == DayKind::opened);
}

TEST_CASE("custom workdays change which days are weekends") {
  WorkingCalendar calendar;
  calendar.workdays = {false, false, true, true, true, true, true}; // Tue..Sat
  CHECK(calendar.classify(d(2026, 3, 2)) == DayKind::weekend);      // Monday
  CHECK(calendar.is_working_day(d(2026, 3, 7)));                    // Saturday
}

TEST_CASE("2027 has no cn data, so a sentence warns that weekdays only are used") {
  const WorkingCalendar calendar = cn_calendar();
  const auto warnings = calendar.coverage_warnings(2027);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "holidays cn: no official data for 2027; weekdays only are used "
                       "for 2027 — check the State Council notice; until it is imported "
                       "(xun holidays import), the likely festival blocks (春节, 国庆 …) are "
                       "avoided");
  CHECK(calendar.coverage_warnings(2026).empty());
  CHECK(WorkingCalendar{}.coverage_warnings(2027).empty());
  // 2027's Spring Festival is then a plain week.
  CHECK(calendar.is_working_day(d(2027, 2, 8)));
}

TEST_CASE("month ends: Jan 31 2026 is a Saturday and Feb 29 2028 a working Tuesday") {
  const WorkingCalendar calendar = cn_calendar();
  CHECK(calendar.classify(d(2026, 1, 31)) == DayKind::weekend);
  CHECK(calendar.classify(d(2028, 2, 29)) == DayKind::workday);
  const auto days = calendar.working_days({d(2028, 2, 28), d(2028, 3, 1)});
  CHECK(days.size() == 3);
  CHECK(calendar.working_days({d(2026, 1, 31), d(2026, 2, 1)}).empty());
}
