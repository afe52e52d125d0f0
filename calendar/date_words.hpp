// Dates and times of day as Chinese work plans and notices write them:
// "2月24日（周二）上午9:00". Shared by the messages people receive and the
// printed plan, so both say a moment the same way.
#pragma once

#include "calendar/dates.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace xun::calendar {

// "2月24日（周二）"; "24日（周二）" when `same_month_as` is in the same month
// of the same year (the second date of "5月6日（周三）至8日（周五）").
std::string chinese_day(Date d, std::optional<Date> same_month_as = {});

// The part of the day a time falls in, for minutes since midnight: 凌晨 before
// 6:00, 上午 before 12:00, 中午 before 13:00, 下午 before 18:00, then 晚上.
std::string_view chinese_period(int minutes);

// "9:00", "14:30": 24-hour, as official notices write it after the period word.
std::string hour_minute(int minutes);

// "上午9:00", "下午15:00".
std::string chinese_time_of_day(int minutes);

} // namespace xun::calendar
