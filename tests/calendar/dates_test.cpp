#include "calendar/dates.hpp"

#include <doctest/doctest.h>

using namespace xun::calendar;

TEST_CASE("an ISO date reads and prints back the same") {
  const auto d = parse_iso_date("2026-02-21");
  REQUIRE(d.has_value());
  CHECK(format_iso_date(*d) == "2026-02-21");
  CHECK(year_of(*d) == 2026);
  CHECK(month_of(*d) == 2u);
  CHECK(day_of(*d) == 21u);
}

TEST_CASE("text that is not exactly a valid ISO date is refused") {
  CHECK_FALSE(parse_iso_date("2026-02-30").has_value());
  CHECK_FALSE(parse_iso_date("2026-13-01").has_value());
  CHECK_FALSE(parse_iso_date("2026-2-21").has_value());
  CHECK_FALSE(parse_iso_date(" 2026-02-21").has_value());
  CHECK_FALSE(parse_iso_date("2026/02/21").has_value());
  CHECK_FALSE(parse_iso_date("").has_value());
  CHECK_FALSE(parse_iso_date("2025-02-29").has_value());
  CHECK(parse_iso_date("2028-02-29").has_value());
}

TEST_CASE("month ends know February in leap and common years") {
  CHECK(format_iso_date(last_day_of_month(2026, 2)) == "2026-02-28");
  CHECK(format_iso_date(last_day_of_month(2028, 2)) == "2028-02-29");
  CHECK(format_iso_date(last_day_of_month(2026, 1)) == "2026-01-31");
  CHECK(format_iso_date(first_day_of_month(2026, 12)) == "2026-12-01");
  CHECK(month_range(2026, 4) == DateRange{make_date(2026, 4, 1), make_date(2026, 4, 30)});
}

TEST_CASE("a year has 365 or 366 days") {
  CHECK(days_of(year_range(2026)).size() == 365);
  CHECK(days_of(year_range(2028)).size() == 366);
  CHECK(days_of({make_date(2026, 1, 31), make_date(2026, 2, 1)}).size() == 2);
  CHECK(days_of({make_date(2026, 2, 1), make_date(2026, 1, 31)}).empty());
}

TEST_CASE("weekday_index counts from Sunday") {
  CHECK(weekday_index(make_date(2026, 1, 1)) == 4u);  // a Thursday
  CHECK(weekday_index(make_date(2026, 2, 22)) == 0u); // a Sunday
}

TEST_CASE("a date range contains both of its ends") {
  const DateRange r{make_date(2026, 2, 21), make_date(2026, 2, 28)};
  CHECK(r.contains(make_date(2026, 2, 21)));
  CHECK(r.contains(make_date(2026, 2, 28)));
  CHECK_FALSE(r.contains(make_date(2026, 3, 1)));
}
