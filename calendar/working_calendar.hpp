// Which days are working days, and the working hours within them.
#pragma once

#include "calendar/dates.hpp"
#include "calendar/holidays.hpp"
#include "calendar/time_of_day.hpp"

#include <array>
#include <set>
#include <string>
#include <vector>

namespace xun::calendar {

enum class DayKind {
  workday,        // an ordinary working weekday
  weekend,        // not in `workdays`
  holiday,        // a day off of the holiday set
  makeup_workday, // a weekend day the holiday set makes a working day (调休)
  closed,         // an extra day off of the plan
  opened,         // an extra working day of the plan
};

// Working days in layers (PLAN.md §1): workdays, minus the holiday set's days
// off, plus its make-up workdays, minus `closed`, plus `open`.
struct WorkingCalendar {
  std::array<bool, 7> workdays{false, true, true, true, true, true, false}; // Sun..Sat
  HolidaySet holidays;
  std::set<Date> closed;
  std::set<Date> open;
  std::vector<TimeRange> hours{{9 * 60, 12 * 60}, {14 * 60, 17 * 60 + 30}};

  DayKind classify(Date d) const;
  bool is_working_day(Date d) const;
  std::vector<Date> working_days(DateRange range) const;
  // A warning for each year of `years` a non-empty holiday set has no data
  // for: that year uses weekdays only, and the user must be told.
  std::vector<std::string> coverage_warnings(int year) const;
};

} // namespace xun::calendar
