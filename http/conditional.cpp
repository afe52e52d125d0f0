#include "http/conditional.hpp"

#include "calendar/dates.hpp"

#include <date/date.h>

#include <chrono>
#include <cstdio>

namespace xun::http {

std::string http_date(std::int64_t unix_seconds) {
  const date::sys_seconds t{std::chrono::seconds{unix_seconds}};
  return date::format("%a, %d %b %Y %H:%M:%S GMT", t);
}

std::optional<std::int64_t> parse_http_date(const std::string &text) {
  // IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"), as clients send it.
  char weekday[4] = {};
  char month[4] = {};
  int day = 0, year = 0, h = 0, m = 0, s = 0;
  if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d GMT", weekday, &day, month, &year, &h, &m,
                  &s) != 7)
    return std::nullopt;
  unsigned mon = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (std::string_view(month) == calendar::english_month_abbrev(i + 1))
      mon = i + 1;
  const date::year_month_day ymd{date::year{year}, date::month{mon},
                                 date::day{static_cast<unsigned>(day)}};
  // IMF-fixdate has four digits of year; the seconds are counted in 64 bits
  // (in days × 86400 as int, a year after 6000 overflowed: found by fuzz/wire).
  if (mon == 0 || year < 1 || year > 9999 || !ymd.ok() || h > 23 || m > 59 || s > 60 || h < 0 ||
      m < 0 || s < 0)
    return std::nullopt;
  const std::int64_t days = date::sys_days{ymd}.time_since_epoch().count();
  return days * 86400 + h * 3600 + m * 60 + s;
}

bool not_modified_since(std::int64_t last_modified, bool shares_second, std::int64_t since) {
  return last_modified < since || (last_modified == since && !shares_second);
}

bool etag_matches(const std::string &if_none_match, const std::string &etag) {
  std::size_t pos = 0;
  while (pos < if_none_match.size()) {
    std::size_t comma = if_none_match.find(',', pos);
    std::string item =
        if_none_match.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    if (item == "*" || item == etag || item == "W/" + etag)
      return true;
    if (comma == std::string::npos)
      break;
    pos = comma + 1;
  }
  return false;
}

} // namespace xun::http
