// Calendar dates as values: storage and arithmetic in date::sys_days, and the
// conversions to and from the ISO text people read and write.
#pragma once

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xun::calendar {

using Date = date::sys_days;

// An inclusive range of days.
struct DateRange {
  Date first;
  Date last;

  bool contains(Date d) const { return first <= d && d <= last; }
  friend bool operator==(const DateRange &, const DateRange &) = default;
};

// "2026-02-21"; nullopt unless the text is exactly a valid ISO calendar date.
std::optional<Date> parse_iso_date(std::string_view text);
std::string format_iso_date(Date d);

int year_of(Date d);
unsigned month_of(Date d);
unsigned day_of(Date d);

Date make_date(int year, unsigned month, unsigned day); // caller guarantees validity
Date first_day_of_month(int year, unsigned month);
Date last_day_of_month(int year, unsigned month);
DateRange year_range(int year);
DateRange month_range(int year, unsigned month);

// The one table of names: "January" … "December" and "Jan" … "Dec" for
// month 1 … 12; "周日" … "周六" and "Sun" … "Sat" for weekday_index 0 … 6.
std::string_view english_month_name(unsigned month);
std::string_view english_month_abbrev(unsigned month);
std::string_view chinese_weekday_name(unsigned weekday);
std::string_view english_weekday_abbrev(unsigned weekday);

// 0 = Sunday … 6 = Saturday (date::weekday::c_encoding).
unsigned weekday_index(Date d);

// Every day of the range, in order.
std::vector<Date> days_of(DateRange range);

} // namespace xun::calendar
