#include "calendar/festivals.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <set>

using namespace xun::calendar;

namespace {

Date d(int y, unsigned m, unsigned day) { return make_date(y, m, day); }

const HolidaySet &cn() {
  static const HolidaySet set = [] {
    const char *env = std::getenv("XUN_DATA_DIR");
    REQUIRE(env != nullptr);
    return load_holiday_set("cn", env);
  }();
  return set;
}

} // namespace

TEST_CASE("Chinese festival names and their short forms are recognised") {
  CHECK(festival_from_name("春节") == Festival::spring);
  CHECK(festival_from_name("清明") == Festival::qingming);
  CHECK(festival_from_name("清明节") == Festival::qingming);
  CHECK(festival_from_name("五一") == Festival::labour);
  CHECK(festival_from_name("劳动节") == Festival::labour);
  CHECK(festival_from_name("五四") == Festival::youth);
  CHECK(festival_from_name("端午节") == Festival::dragon_boat);
  CHECK(festival_from_name("七一") == Festival::party);
  CHECK(festival_from_name("建党节") == Festival::party);
  CHECK(festival_from_name("八一") == Festival::army);
  CHECK(festival_from_name("中秋") == Festival::mid_autumn);
  CHECK(festival_from_name("十一") == Festival::national);
  CHECK(festival_from_name("国庆节") == Festival::national);
  CHECK(festival_from_name("元旦") == Festival::new_year);
  CHECK_FALSE(festival_from_name("圣诞节"));
  CHECK_FALSE(festival_from_name(""));
}

TEST_CASE("English festival names are recognised regardless of case") {
  CHECK(festival_from_name("Spring Festival") == Festival::spring);
  CHECK(festival_from_name("chinese new year") == Festival::spring);
  CHECK(festival_from_name("LABOR DAY") == Festival::labour);
  CHECK(festival_from_name("May Day") == Festival::labour);
  CHECK(festival_from_name("Labour  Day") == Festival::labour);
  CHECK(festival_from_name("Youth Day") == Festival::youth);
  CHECK(festival_from_name("Dragon Boat") == Festival::dragon_boat);
  CHECK(festival_from_name("Party Day") == Festival::party);
  CHECK(festival_from_name("Army Day") == Festival::army);
  CHECK(festival_from_name("Mid-Autumn") == Festival::mid_autumn);
  CHECK(festival_from_name("National Day") == Festival::national);
  CHECK(festival_from_name("the National Day") == Festival::national);
  CHECK(festival_from_name("New Year") == Festival::new_year);
  CHECK(festival_from_name("Qingming") == Festival::qingming);
  CHECK_FALSE(festival_from_name("Christmas"));
}

TEST_CASE("festival_name gives the Chinese name") {
  CHECK(festival_name(Festival::spring) == "春节");
  CHECK(festival_name(Festival::party) == "七一");
  CHECK(festival_name(Festival::national) == "国庆");
}

TEST_CASE("lunar festival days come from the table for 2025 to 2027") {
  CHECK(festival_day(Festival::spring, 2025) == d(2025, 1, 29));
  CHECK(festival_day(Festival::qingming, 2025) == d(2025, 4, 4));
  CHECK(festival_day(Festival::dragon_boat, 2025) == d(2025, 5, 31));
  CHECK(festival_day(Festival::mid_autumn, 2025) == d(2025, 10, 6));
  CHECK(festival_day(Festival::spring, 2026) == d(2026, 2, 17));
  CHECK(festival_day(Festival::qingming, 2026) == d(2026, 4, 5));
  CHECK(festival_day(Festival::dragon_boat, 2026) == d(2026, 6, 19));
  CHECK(festival_day(Festival::mid_autumn, 2026) == d(2026, 9, 25));
  CHECK(festival_day(Festival::spring, 2027) == d(2027, 2, 6));
  CHECK(festival_day(Festival::qingming, 2027) == d(2027, 4, 5));
  CHECK(festival_day(Festival::dragon_boat, 2027) == d(2027, 6, 9));
  CHECK(festival_day(Festival::mid_autumn, 2027) == d(2027, 9, 15));
}

TEST_CASE("a lunar festival outside the table has no date, a fixed one always has") {
  CHECK_FALSE(festival_day(Festival::spring, 2019));
  CHECK_FALSE(festival_day(Festival::mid_autumn, 2031));
  CHECK(festival_day(Festival::national, 2031) == d(2031, 10, 1));
  CHECK(festival_day(Festival::party, 1999) == d(1999, 7, 1));
  CHECK_FALSE(festival_block(Festival::spring, 2031, cn()));
}

TEST_CASE("every lunar festival day with holiday data falls on one of its days off") {
  for (int year : {2025, 2026})
    for (Festival f :
         {Festival::spring, Festival::qingming, Festival::dragon_boat, Festival::mid_autumn}) {
      CAPTURE(year);
      CAPTURE(festival_name(f));
      const auto day = festival_day(f, year);
      REQUIRE(day);
      CHECK(cn().is_day_off(*day));
    }
}

TEST_CASE("the 2026 Spring Festival block runs from Feb 15 to Feb 23") {
  const auto block = festival_block(Festival::spring, 2026, cn());
  REQUIRE(block);
  CHECK(block->first == d(2026, 2, 15));
  CHECK(block->last == d(2026, 2, 23));
}

TEST_CASE("the 2025 National Day block runs from Oct 1 to Oct 8, with 中秋 "
          "inside it") {
  const auto national = festival_block(Festival::national, 2025, cn());
  REQUIRE(national);
  CHECK(*national == DateRange{d(2025, 10, 1), d(2025, 10, 8)});
  CHECK(festival_block(Festival::mid_autumn, 2025, cn()) == national);
}

TEST_CASE("Youth Day 2026 falls inside the Labour Day block May 1 to 5") {
  const auto youth = festival_block(Festival::youth, 2026, cn());
  REQUIRE(youth);
  CHECK(*youth == DateRange{d(2026, 5, 1), d(2026, 5, 5)});
  CHECK(festival_block(Festival::labour, 2026, cn()) == youth);
}

TEST_CASE("七一 has no days off, so its block is July 1 alone") {
  CHECK(festival_block(Festival::party, 2026, cn()) == DateRange{d(2026, 7, 1), d(2026, 7, 1)});
}

TEST_CASE("without holiday data a festival's block is the day alone") {
  const HolidaySet none;
  CHECK(festival_block(Festival::spring, 2026, none) == DateRange{d(2026, 2, 17), d(2026, 2, 17)});
  CHECK(festival_block(Festival::spring, 2027, cn()) == DateRange{d(2027, 2, 6), d(2027, 2, 6)});
}

TEST_CASE("a festival day next to a run of days off joins that run") {
  // 五四 on a working day right after days off May 1–3.
  const HolidaySet set("test",
                       {{d(2023, 5, 1), true, "劳动节"},
                        {d(2023, 5, 2), true, "劳动节"},
                        {d(2023, 5, 3), true, "劳动节"}},
                       {2023});
  CHECK(festival_block(Festival::youth, 2023, set) == DateRange{d(2023, 5, 1), d(2023, 5, 4)});
  // Two days away is not adjoining.
  const HolidaySet apart("test", {{d(2023, 5, 2), true, "x"}}, {2023});
  CHECK(festival_block(Festival::youth, 2023, apart) == DateRange{d(2023, 5, 4), d(2023, 5, 4)});
}

TEST_CASE("the 2026 New Year block stops before the make-up Sunday Jan 4") {
  CHECK(festival_block(Festival::new_year, 2026, cn()) == DateRange{d(2026, 1, 1), d(2026, 1, 3)});
}

TEST_CASE("the likely 2027 blocks: 春节 Feb 5–12, 清明 Apr 3–5, 国庆 Oct 1–7, 中秋 alone") {
  const auto blocks = likely_holiday_blocks(2027);
  const auto block = [&](const std::string &name) {
    for (const auto &b : blocks)
      if (b.name == name)
        return b.days;
    FAIL("no block " << name);
    return DateRange{};
  };
  CHECK(block("元旦") == DateRange{d(2027, 1, 1), d(2027, 1, 1)});
  CHECK(block("春节") == DateRange{d(2027, 2, 5), d(2027, 2, 12)});
  CHECK(block("清明节") == DateRange{d(2027, 4, 3), d(2027, 4, 5)}); // Monday: from Saturday
  CHECK(block("劳动节") == DateRange{d(2027, 5, 1), d(2027, 5, 5)});
  CHECK(block("端午节") == DateRange{d(2027, 6, 9), d(2027, 6, 9)}); // a Wednesday
  CHECK(block("中秋节") == DateRange{d(2027, 9, 15), d(2027, 9, 15)});
  CHECK(block("国庆节") == DateRange{d(2027, 10, 1), d(2027, 10, 7)});
}

TEST_CASE("中秋 within a day of National Day makes one eight-day likely block") {
  const auto blocks = likely_holiday_blocks(2025); // 中秋 Oct 6
  CHECK(blocks.back() == LikelyBlock{"国庆节、中秋节", {d(2025, 10, 1), d(2025, 10, 8)}});
  const auto blocks_2023 = likely_holiday_blocks(2023); // 中秋 Sep 29
  CHECK(blocks_2023.back() == LikelyBlock{"国庆节、中秋节", {d(2023, 9, 29), d(2023, 10, 6)}});
}

TEST_CASE("the likely blocks cover most official days off of 2025 and 2026") {
  for (const int year : {2025, 2026}) {
    const auto &official = cn();
    std::set<Date> likely;
    for (const auto &b : likely_holiday_blocks(year))
      for (const Date day : days_of(b.days))
        likely.insert(day);
    int off = 0, covered = 0;
    for (const auto &[date, h] : official.days())
      if (year_of(date) == year && h.off) {
        ++off;
        covered += likely.contains(date) ? 1 : 0;
      }
    INFO(year << ": " << covered << " of " << off);
    CHECK(covered * 100 >= off * 90);
  }
}

TEST_CASE("likely days off stand in only for cn without official data") {
  const auto days = likely_days_off(cn(), 2027);
  CHECK(days.at(d(2027, 10, 4)) == "国庆节");
  CHECK(days.at(d(2027, 2, 8)) == "春节");
  CHECK_FALSE(days.contains(d(2027, 10, 8)));
  CHECK(likely_days_off(cn(), 2026).empty());         // official data exists
  CHECK(likely_days_off(HolidaySet{}, 2027).empty()); // "none" promises nothing
}
