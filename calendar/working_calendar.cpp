#include "calendar/working_calendar.hpp"

namespace xun::calendar {

// The layers of PLAN.md §1, the last one that speaks about a day winning.
DayKind WorkingCalendar::classify(Date d) const {
  if (open.contains(d))
    return DayKind::opened;
  if (closed.contains(d))
    return DayKind::closed;
  if (const HolidayDay *day = holidays.find(d))
    return day->off ? DayKind::holiday : DayKind::makeup_workday;
  return workdays[weekday_index(d)] ? DayKind::workday : DayKind::weekend;
}

bool WorkingCalendar::is_working_day(Date d) const {
  const DayKind kind = classify(d);
  return kind == DayKind::workday || kind == DayKind::makeup_workday || kind == DayKind::opened;
}

std::vector<Date> WorkingCalendar::working_days(DateRange range) const {
  std::vector<Date> out;
  for (Date d = range.first; d <= range.last; d += date::days{1})
    if (is_working_day(d))
      out.push_back(d);
  return out;
}

std::vector<std::string> WorkingCalendar::coverage_warnings(int year) const {
  // "none" promises nothing; any named set must say when it does not know.
  if (holidays.name() == "none" || holidays.covers(year))
    return {};
  const std::string y = std::to_string(year);
  const std::string where =
      holidays.name() == "cn" ? "the State Council notice" : "the official notice";
  std::string warning = "holidays " + holidays.name() + ": no official data for " + y +
                        "; weekdays only are used for " + y + " — check " + where;
  if (holidays.name() == "cn") // festivals.hpp's likely blocks stand in (PLAN.md §6.3 rule 2)
    warning += "; until it is imported (xun holidays import), the likely festival blocks "
               "(春节, 国庆 …) are avoided";
  return {warning};
}

} // namespace xun::calendar
