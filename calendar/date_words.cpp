#include "calendar/date_words.hpp"

namespace xun::calendar {

std::string chinese_day(Date d, std::optional<Date> same_month_as) {
  std::string text;
  if (!same_month_as || month_of(*same_month_as) != month_of(d) ||
      year_of(*same_month_as) != year_of(d))
    text += std::to_string(month_of(d)) + "月";
  return text + std::to_string(day_of(d)) + "日（" +
         std::string(chinese_weekday_name(weekday_index(d))) + "）";
}

std::string_view chinese_period(int minutes) {
  const int hour = minutes / 60;
  if (hour < 6)
    return "凌晨";
  if (hour < 12)
    return "上午";
  if (hour < 13)
    return "中午";
  if (hour < 18)
    return "下午";
  return "晚上";
}

std::string hour_minute(int minutes) {
  const int m = minutes % 60;
  return std::to_string(minutes / 60) + ":" + (m < 10 ? "0" : "") + std::to_string(m);
}

std::string chinese_time_of_day(int minutes) {
  return std::string(chinese_period(minutes)) + hour_minute(minutes);
}

} // namespace xun::calendar
