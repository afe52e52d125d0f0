// The calendar's parsers give every refusal a Chinese text of its own
// (TextError::zh), so the loader never falls back to a vague one.
#include "calendar/time_of_day.hpp"
#include "calendar/windows.hpp"

#include <doctest/doctest.h>

#include <string>
#include <variant>
#include <vector>

namespace cal = xun::calendar;

namespace {

// A CJK ideograph (U+4E00–U+9FFF) somewhere in `s`.
bool has_chinese(const std::string &s) {
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead >= 0xE4 && lead <= 0xE9 && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80)
      return true;
  }
  return false;
}

template <typename T>
void check_refused(const std::variant<T, cal::TextError> &parsed, const std::string &input) {
  INFO("input: " << input);
  REQUIRE(std::holds_alternative<cal::TextError>(parsed));
  const auto &e = std::get<cal::TextError>(parsed);
  INFO("message: " << e.message);
  CHECK(has_chinese(e.zh));
  CHECK(e.zh.find(" / ") == std::string::npos); // "zh / en" splits at the first
  CHECK(cal::bilingual(e) == e.zh + " / " + e.message);
}

} // namespace

TEST_CASE("every refused duration, gap and time of day has its own Chinese text") {
  for (const std::string s :
       {"", "2x", "1.5h", "1d2h", "2w", "0m", "2H", "5s", "30m1h", "-1h", "30", "9999999m", "h"})
    check_refused(cal::parse_duration(s, false), s);
  for (const std::string s : {"-1d", "x", "1d1d"})
    check_refused(cal::parse_gap(s), s);
  for (const std::string s : {"", "25:00", "9:5", "0930", "09:75", "123:00", "x"})
    check_refused(cal::parse_time_of_day(s), s);
  for (const std::string s : {"09:00", "10:00-09:00", "morning", "09:00-", "x-10:00"})
    check_refused(cal::parse_time_range(s, false), s);
}

TEST_CASE("every refused window has its own Chinese text") {
  for (const std::string s : {"",
                              "2月30日",
                              "13月",
                              "第5季度",
                              "第60周",
                              "6-3月",
                              "2026-03-05..2026-03-01",
                              "2026-02-21..2026-03",
                              "2025-12-01",
                              "双月",
                              "单月",
                              "隔月",
                              "双周",
                              "单周",
                              "every other month",
                              "bimonthly",
                              "H3",
                              "Q5",
                              "week 60",
                              "一月底前后乱写",
                              "3月24日上午9点",
                              "6月前",
                              "the fifth quarter"}) {
    const auto parsed = cal::parse_window(s, cal::WindowContext{2026, nullptr});
    INFO("input: " << s);
    REQUIRE(std::holds_alternative<cal::TextError>(parsed));
    const auto &e = std::get<cal::TextError>(parsed);
    INFO("message: " << e.message);
    CHECK(has_chinese(e.zh));
    CHECK(e.zh.find(" / ") == std::string::npos);
  }
}
