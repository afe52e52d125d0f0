// Festivals that plans count from (春节前, 七一前, 国庆后) and their holiday blocks.
#pragma once

#include "calendar/dates.hpp"
#include "calendar/holidays.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xun::calendar {

enum class Festival {
  new_year,    // 元旦 1/1
  spring,      // 春节 正月初一 (lunar)
  qingming,    // 清明 (solar term)
  labour,      // 劳动节/五一 5/1
  youth,       // 青年节/五四 5/4
  dragon_boat, // 端午 (lunar)
  party,       // 七一/建党节 7/1
  army,        // 八一/建军节 8/1
  mid_autumn,  // 中秋 (lunar)
  national,    // 国庆/十一 10/1
};

// Chinese and English names: "春节", "Spring Festival", "七一", "National Day" …
std::optional<Festival> festival_from_name(std::string_view name);
std::string_view festival_name(Festival f); // the Chinese name

// The festival day in that year; nullopt for a lunar festival without data.
std::optional<Date> festival_day(Festival f, int year);

// The festival day with the set's run of consecutive days off that contains or
// adjoins it (2026 春节: Feb 15–23; 七一: July 1 alone). nullopt as above.
std::optional<DateRange> festival_block(Festival f, int year, const HolidaySet &holidays);

// Where a year's festival holidays probably fall before its notice is out:
// 元旦 Jan 1; 春节 除夕 to 正月初七 (8 days); 清明, 端午 and 中秋 three days
// joined to the nearest weekend (the festival day alone on a Wednesday); 劳动节
// May 1–5; 国庆 Oct 1–7, or eight days with 中秋 when it falls within a day of
// them. Lunar festivals are left out for years without lunar data.
struct LikelyBlock {
  std::string name; // as the notices name it: "春节", "国庆节、中秋节"
  DateRange days;
  friend bool operator==(const LikelyBlock &, const LikelyBlock &) = default;
};
std::vector<LikelyBlock> likely_holiday_blocks(int year);

// Each day of those blocks with its block's name, when `holidays` is "cn" and
// has no official data for `year`; empty otherwise (the real days are known,
// or the set promises nothing).
std::map<Date, std::string> likely_days_off(const HolidaySet &holidays, int year);

} // namespace xun::calendar
