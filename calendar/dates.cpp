#include "calendar/dates.hpp"

#include <array>
#include <cstdio>

namespace xun::calendar {

namespace {

// Reads exactly `width` ASCII digits at text[pos]; false otherwise.
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int &out) {
  if (pos + width > text.size()) {
    return false;
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

} // namespace

std::optional<Date> parse_iso_date(std::string_view text) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_digits(text, 0, 4, y) ||
      !read_digits(text, 5, 2, m) || !read_digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return Date{ymd};
}

std::string format_iso_date(Date d) {
  const date::year_month_day ymd{d};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", int{ymd.year()}, unsigned{ymd.month()},
                unsigned{ymd.day()});
  return buffer;
}

int year_of(Date d) { return int{date::year_month_day{d}.year()}; }
unsigned month_of(Date d) { return unsigned{date::year_month_day{d}.month()}; }
unsigned day_of(Date d) { return unsigned{date::year_month_day{d}.day()}; }

Date make_date(int year, unsigned month, unsigned day) {
  return Date{date::year{year} / date::month{month} / date::day{day}};
}

Date first_day_of_month(int year, unsigned month) { return make_date(year, month, 1); }

Date last_day_of_month(int year, unsigned month) {
  return Date{date::year{year} / date::month{month} / date::last};
}

DateRange year_range(int year) { return {make_date(year, 1, 1), make_date(year, 12, 31)}; }

DateRange month_range(int year, unsigned month) {
  return {first_day_of_month(year, month), last_day_of_month(year, month)};
}

std::string_view english_month_name(unsigned month) {
  static constexpr std::array<std::string_view, 12> names{
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return names.at(month - 1);
}

std::string_view english_month_abbrev(unsigned month) {
  return english_month_name(month).substr(0, 3);
}

std::string_view chinese_weekday_name(unsigned weekday) {
  static constexpr std::array<std::string_view, 7> names{"周日", "周一", "周二", "周三",
                                                         "周四", "周五", "周六"};
  return names.at(weekday);
}

std::string_view english_weekday_abbrev(unsigned weekday) {
  static constexpr std::array<std::string_view, 7> names{"Sun", "Mon", "Tue", "Wed",
                                                         "Thu", "Fri", "Sat"};
  return names.at(weekday);
}

unsigned weekday_index(Date d) { return date::weekday{d}.c_encoding(); }

std::vector<Date> days_of(DateRange range) {
  std::vector<Date> days;
  for (Date d = range.first; d <= range.last; d += date::days{1}) {
    days.push_back(d);
  }
  return days;
}

} // namespace xun::calendar
