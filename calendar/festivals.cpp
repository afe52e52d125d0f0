#include "calendar/festivals.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace xun::calendar {

namespace {

struct Alias {
  std::string_view name;
  Festival festival;
};

// Chinese names match exactly; English ones ignoring ASCII case.
constexpr std::array aliases{
    Alias{"元旦", Festival::new_year},
    Alias{"春节", Festival::spring},
    Alias{"清明", Festival::qingming},
    Alias{"清明节", Festival::qingming},
    Alias{"劳动节", Festival::labour},
    Alias{"五一", Festival::labour},
    Alias{"五一劳动节", Festival::labour},
    Alias{"青年节", Festival::youth},
    Alias{"五四", Festival::youth},
    Alias{"五四青年节", Festival::youth},
    Alias{"端午", Festival::dragon_boat},
    Alias{"端午节", Festival::dragon_boat},
    Alias{"七一", Festival::party},
    Alias{"建党节", Festival::party},
    Alias{"八一", Festival::army},
    Alias{"建军节", Festival::army},
    Alias{"中秋", Festival::mid_autumn},
    Alias{"中秋节", Festival::mid_autumn},
    Alias{"国庆", Festival::national},
    Alias{"国庆节", Festival::national},
    Alias{"十一", Festival::national},
    Alias{"new year", Festival::new_year},
    Alias{"new year's day", Festival::new_year},
    Alias{"spring festival", Festival::spring},
    Alias{"chinese new year", Festival::spring},
    Alias{"lunar new year", Festival::spring},
    Alias{"qingming", Festival::qingming},
    Alias{"qingming festival", Festival::qingming},
    Alias{"tomb-sweeping day", Festival::qingming},
    Alias{"labour day", Festival::labour},
    Alias{"labor day", Festival::labour},
    Alias{"may day", Festival::labour},
    Alias{"youth day", Festival::youth},
    Alias{"dragon boat", Festival::dragon_boat},
    Alias{"dragon boat festival", Festival::dragon_boat},
    Alias{"party day", Festival::party},
    Alias{"party founding day", Festival::party},
    Alias{"army day", Festival::army},
    Alias{"mid-autumn", Festival::mid_autumn},
    Alias{"mid-autumn festival", Festival::mid_autumn},
    Alias{"mid autumn", Festival::mid_autumn},
    Alias{"national day", Festival::national},
};

// Lunar festivals and 清明 (a solar term) by year, as month*100+day. Checked
// against the holiday-cn notices for 2020–2026 and the Chinese calendar.
struct LunarYear {
  int year;
  int spring, qingming, dragon_boat, mid_autumn;
};
constexpr std::array lunar_table{
    LunarYear{2020, 125, 404, 625, 1001}, LunarYear{2021, 212, 404, 614, 921},
    LunarYear{2022, 201, 405, 603, 910},  LunarYear{2023, 122, 405, 622, 929},
    LunarYear{2024, 210, 404, 610, 917},  LunarYear{2025, 129, 404, 531, 1006},
    LunarYear{2026, 217, 405, 619, 925},  LunarYear{2027, 206, 405, 609, 915},
    LunarYear{2028, 126, 404, 528, 1003}, LunarYear{2029, 213, 404, 616, 922},
    LunarYear{2030, 203, 405, 605, 912},
};

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char &c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ')
        out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

} // namespace

std::optional<Festival> festival_from_name(std::string_view name) {
  const std::string key = ascii_lower(collapse_spaces(name));
  for (const auto &alias : aliases)
    if (alias.name == key)
      return alias.festival;
  // "Dragon Boat Day", "the National Day": tolerate a leading "the".
  if (key.starts_with("the "))
    return festival_from_name(std::string_view(key).substr(4));
  return std::nullopt;
}

std::string_view festival_name(Festival f) {
  switch (f) {
  case Festival::new_year:
    return "元旦";
  case Festival::spring:
    return "春节";
  case Festival::qingming:
    return "清明";
  case Festival::labour:
    return "劳动节";
  case Festival::youth:
    return "青年节";
  case Festival::dragon_boat:
    return "端午";
  case Festival::party:
    return "七一";
  case Festival::army:
    return "八一";
  case Festival::mid_autumn:
    return "中秋";
  case Festival::national:
    return "国庆";
  }
  return "?";
}

std::optional<Date> festival_day(Festival f, int year) {
  auto fixed = [year](unsigned month, unsigned day) {
    return std::optional<Date>(make_date(year, month, day));
  };
  switch (f) {
  case Festival::new_year:
    return fixed(1, 1);
  case Festival::labour:
    return fixed(5, 1);
  case Festival::youth:
    return fixed(5, 4);
  case Festival::party:
    return fixed(7, 1);
  case Festival::army:
    return fixed(8, 1);
  case Festival::national:
    return fixed(10, 1);
  case Festival::spring:
  case Festival::qingming:
  case Festival::dragon_boat:
  case Festival::mid_autumn:
    break;
  }
  for (const auto &entry : lunar_table) {
    if (entry.year != year)
      continue;
    const int md = f == Festival::spring        ? entry.spring
                   : f == Festival::qingming    ? entry.qingming
                   : f == Festival::dragon_boat ? entry.dragon_boat
                                                : entry.mid_autumn;
    return fixed(static_cast<unsigned>(md / 100), static_cast<unsigned>(md % 100));
  }
  return std::nullopt;
}

std::optional<DateRange> festival_block(Festival f, int year, const HolidaySet &holidays) {
  const auto day = festival_day(f, year);
  if (!day)
    return std::nullopt;
  DateRange block{*day, *day};
  // Grow over days off that contain the festival day or start right beside it.
  const date::days one{1};
  if (holidays.is_day_off(*day) || holidays.is_day_off(*day - one))
    while (holidays.is_day_off(block.first - one))
      block.first -= one;
  if (holidays.is_day_off(*day) || holidays.is_day_off(*day + one))
    while (holidays.is_day_off(block.last + one))
      block.last += one;
  return block;
}

namespace {

// A three-day festival as the notices usually arrange it: with the weekend
// next to it (Mon: Sat–Mon, Fri: Fri–Sun …); a Wednesday festival stands alone.
DateRange three_day_block(Date day) {
  const date::days one{1};
  switch (weekday_index(day)) {
  case 0: // Sunday: Saturday to Monday
    return {day - one, day + one};
  case 1: // Monday, Tuesday: from the Saturday or Sunday before
  case 2:
    return {day - 2 * one, day};
  case 3:
    return {day, day};
  default: // Thursday to Saturday: on to the weekend after
    return {day, day + 2 * one};
  }
}

} // namespace

std::vector<LikelyBlock> likely_holiday_blocks(int year) {
  const date::days one{1};
  std::vector<LikelyBlock> out;
  out.push_back({"元旦", {make_date(year, 1, 1), make_date(year, 1, 1)}});
  if (const auto spring = festival_day(Festival::spring, year))
    out.push_back({"春节", {*spring - one, *spring + 6 * one}});
  if (const auto day = festival_day(Festival::qingming, year))
    out.push_back({"清明节", three_day_block(*day)});
  out.push_back({"劳动节", {make_date(year, 5, 1), make_date(year, 5, 5)}});
  if (const auto day = festival_day(Festival::dragon_boat, year))
    out.push_back({"端午节", three_day_block(*day)});
  const Date national = make_date(year, 10, 1);
  const auto mid_autumn = festival_day(Festival::mid_autumn, year);
  if (mid_autumn && *mid_autumn >= national - 2 * one && *mid_autumn <= national + 7 * one) {
    const Date first = std::min(national, *mid_autumn);
    out.push_back({"国庆节、中秋节", {first, first + 7 * one}});
  } else {
    if (mid_autumn)
      out.push_back({"中秋节", three_day_block(*mid_autumn)});
    out.push_back({"国庆节", {national, national + 6 * one}});
  }
  std::sort(out.begin(), out.end(),
            [](const auto &a, const auto &b) { return a.days.first < b.days.first; });
  return out;
}

std::map<Date, std::string> likely_days_off(const HolidaySet &holidays, int year) {
  std::map<Date, std::string> out;
  if (holidays.name() != "cn" || holidays.covers(year))
    return out;
  for (const auto &block : likely_holiday_blocks(year))
    for (const Date d : days_of(block.days))
      out.emplace(d, block.name);
  return out;
}

} // namespace xun::calendar
