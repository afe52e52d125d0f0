#include "calendar/time_of_day.hpp"

#include <doctest/doctest.h>

using namespace xun::calendar;

namespace {

Duration duration(std::string_view text, bool weeks = false) {
  auto result = parse_duration(text, weeks);
  if (auto *e = std::get_if<TextError>(&result))
    FAIL("unexpected error: " << e->message);
  return std::get<Duration>(result);
}

TextError duration_error(std::string_view text, bool weeks = false) {
  auto result = parse_duration(text, weeks);
  REQUIRE(std::holds_alternative<TextError>(result));
  return std::get<TextError>(result);
}

bool mentions(const TextError &e, std::string_view part) {
  return e.message.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("durations in minutes and hours are timed, in days all-day") {
  CHECK(duration("30m") == Duration{30, false});
  CHECK(duration("2h") == Duration{120, false});
  CHECK(duration("1h30m") == Duration{90, false});
  CHECK(duration("1d") == Duration{1440, true});
  CHECK(duration("3d") == Duration{3 * 1440, true});
  CHECK(duration("3d").days() == 3);
  CHECK(duration(" 2h ") == Duration{120, false});
}

TEST_CASE("weeks are allowed only where asked for") {
  CHECK(duration("2w", true) == Duration{14 * 1440, true});
  const auto e = duration_error("2w");
  CHECK(e.column == 2);
  CHECK(mentions(e, "14d"));
}

TEST_CASE("a gap may mix days and hours, an activity's duration may not") {
  CHECK(duration("1d12h", true) == Duration{36 * 60, false});
  const auto e = duration_error("1d2h");
  CHECK(e.column == 3);
  CHECK(mentions(e, "days and hours"));
}

TEST_CASE("zero, negative, fractional and unit-less durations are refused with "
          "a column") {
  const auto zero = duration_error("0m");
  CHECK(zero.column == 1);
  CHECK(mentions(zero, "zero"));
  const auto bare = duration_error("0");
  CHECK(bare.column == 2);
  CHECK(mentions(bare, "no unit"));
  const auto negative = duration_error("-1h");
  CHECK(negative.column == 1);
  CHECK(mentions(negative, "positive"));
  const auto fraction = duration_error("1.5h");
  CHECK(fraction.column == 2);
  CHECK(mentions(fraction, "1h30m"));
  const auto garbage = duration_error("soon");
  CHECK(garbage.column == 1);
  CHECK(mentions(garbage, "30m, 2h, 1h30m, 1d, 3d"));
  CHECK(duration_error("").column == 1);
  CHECK(duration_error("2x").column == 2);
  CHECK(mentions(duration_error("2H"), "lower case"));
  CHECK(duration_error("30m1h").column == 5);
  CHECK(duration_error("2h2h").column == 4);
}

TEST_CASE("a gap may be zero in any unit, but never negative or unit-less") {
  const auto gap = [](std::string_view text) {
    auto result = parse_gap(text);
    REQUIRE(std::holds_alternative<Duration>(result));
    return std::get<Duration>(result);
  };
  CHECK(gap("0d") == Duration{0, true});
  CHECK(gap("0h") == Duration{0, false});
  CHECK(gap("0m") == Duration{0, false});
  CHECK(gap("0w") == Duration{0, true});
  CHECK(gap("2w") == Duration{14 * 1440, true});
  CHECK(gap("1d12h") == Duration{36 * 60, false});
  auto negative = parse_gap("-1d");
  REQUIRE(std::holds_alternative<TextError>(negative));
  CHECK(std::get<TextError>(negative).column == 1);
  CHECK(mentions(std::get<TextError>(negative), "zero or more"));
  auto bare = parse_gap("0");
  REQUIRE(std::holds_alternative<TextError>(bare));
  CHECK(mentions(std::get<TextError>(bare), "no unit"));
  // An activity's duration stays positive.
  CHECK(mentions(duration_error("0d"), "zero"));
  CHECK(mentions(duration_error("0h", true), "zero"));
}

TEST_CASE("minutes alone are told apart from other units") {
  CHECK(in_minutes_alone("3m"));
  CHECK(in_minutes_alone(" 45m "));
  CHECK(in_minutes_alone("30分钟"));
  CHECK_FALSE(in_minutes_alone("1h30m"));
  CHECK_FALSE(in_minutes_alone("3d"));
  CHECK_FALSE(in_minutes_alone("2h"));
  CHECK_FALSE(in_minutes_alone("m"));
  CHECK_FALSE(in_minutes_alone("3mo"));
}

TEST_CASE("Chinese units are read as well") {
  CHECK(duration("2小时") == Duration{120, false});
  CHECK(duration("3天") == Duration{3 * 1440, true});
  CHECK(duration("1小时30分钟") == Duration{90, false});
  CHECK(duration_error("2小时x").column == 4); // columns count characters
}

TEST_CASE("times of day are read as minutes since midnight") {
  CHECK(std::get<int>(parse_time_of_day("09:30")) == 9 * 60 + 30);
  CHECK(std::get<int>(parse_time_of_day("9:05")) == 9 * 60 + 5);
  CHECK(std::get<int>(parse_time_of_day("00:00")) == 0);
  CHECK(std::get<int>(parse_time_of_day("23:59")) == 23 * 60 + 59);
}

TEST_CASE("impossible times of day are refused at the right column") {
  auto e24 = std::get<TextError>(parse_time_of_day("24:00"));
  CHECK(e24.column == 1);
  CHECK(mentions(e24, "hour 24"));
  auto e60 = std::get<TextError>(parse_time_of_day("9:60"));
  CHECK(e60.column == 3);
  CHECK(mentions(e60, "minute 60"));
  CHECK(std::holds_alternative<TextError>(parse_time_of_day("0930")));
  CHECK(std::holds_alternative<TextError>(parse_time_of_day("9:3")));
  CHECK(std::holds_alternative<TextError>(parse_time_of_day("09:30pm")));
  CHECK(std::holds_alternative<TextError>(parse_time_of_day("")));
}

TEST_CASE("time ranges need a start before the end") {
  CHECK(std::get<TimeRange>(parse_time_range("09:00-12:00", false)) == TimeRange{540, 720});
  CHECK(std::get<TimeRange>(parse_time_range("14:00 - 17:30", false)) == TimeRange{840, 1050});
  auto backwards = std::get<TextError>(parse_time_range("12:00-09:00", false));
  CHECK(backwards.column == 7);
  CHECK(mentions(backwards, "not after"));
  CHECK(std::holds_alternative<TextError>(parse_time_range("09:00-09:00", false)));
  auto open = std::get<TextError>(parse_time_range("09:00", false));
  CHECK(mentions(open, "'-'"));
  auto bad_end = std::get<TextError>(parse_time_range("09:00-12:61", false));
  CHECK(bad_end.column == 10);
}

TEST_CASE("morning and afternoon are words only where allowed") {
  CHECK(std::get<TimeRange>(parse_time_range("morning", true)) == TimeRange{540, 720});
  CHECK(std::get<TimeRange>(parse_time_range("afternoon", true)) == TimeRange{840, 1080});
  CHECK(std::get<TimeRange>(parse_time_range("下午", true)) == TimeRange{840, 1080});
  auto e = std::get<TextError>(parse_time_range("morning", false));
  CHECK(e.column == 1);
  CHECK(mentions(e, "09:00-12:00"));
}

TEST_CASE("times of day are formatted with two digits each") {
  CHECK(format_time_of_day(570) == "09:30");
  CHECK(format_time_of_day(0) == "00:00");
  CHECK(format_time_of_day(1439) == "23:59");
}

TEST_CASE("ISO 8601 durations use days, hours and minutes, never weeks") {
  CHECK(format_iso_duration(7 * 1440) == "P7D");
  CHECK(format_iso_duration(120) == "PT2H");
  CHECK(format_iso_duration(90) == "PT1H30M");
  CHECK(format_iso_duration(1440 + 120) == "P1DT2H");
  CHECK(format_iso_duration(15) == "PT15M");
  CHECK(format_iso_duration(14 * 1440) == "P14D");
  CHECK(format_iso_duration(0) == "PT0S");
}
