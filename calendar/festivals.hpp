// Festivals that plans count from (春节前, 七一前, 国庆后) and their holiday blocks.
#pragma once

#include "calendar/dates.hpp"
#include "calendar/holidays.hpp"

#include <optional>
#include <string_view>

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

} // namespace xun::calendar
