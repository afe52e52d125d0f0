// Date windows: what "2月下旬", "Q3", "春节前" or "5-7月" mean in a given year
// (PLAN.md §2), and the relative windows ("月初", "季末", "tue") that apply
// inside each period of a repeat.
#pragma once

#include "calendar/dates.hpp"
#include "calendar/holidays.hpp"
#include "calendar/time_of_day.hpp"

#include <array>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

namespace xun::calendar {

// The soft edge of 月初/月中/月底: which days inside the window are preferred.
enum class Prefer { none, early, middle, late };
std::string_view prefer_name(Prefer p); // "none" | "early" | "middle" | "late"

struct Window {
  std::vector<Date> dates; // sorted, unique, all inside the plan year
  Prefer prefer = Prefer::none;
  std::optional<Date> target; // the preferred day for Prefer::middle (the 15th)

  bool empty() const { return dates.empty(); }
  DateRange span() const { return {dates.front(), dates.back()}; } // !empty()
  bool contains(Date d) const;
  friend bool operator==(const Window &, const Window &) = default;
};

// A window relative to a period: applied to each month (month_days), quarter
// (quarter_month) or any period (weekdays) it is used in.
struct RelativeWindow {
  enum class Kind { month_days, quarter_month, weekdays };
  Kind kind = Kind::month_days;
  std::array<bool, 32> month_days{};  // month_days: day-of-month 1..31 allowed
  bool last_month_of_quarter = false; // quarter_month: 季末 (true) or 季初
  std::array<bool, 7> weekdays{};     // weekdays: Sun..Sat allowed
  Prefer prefer = Prefer::none;       // 月初 early, 月中 middle (15th), 月底 late
  friend bool operator==(const RelativeWindow &, const RelativeWindow &) = default;
};

struct WindowContext {
  int year = 0;
  const HolidaySet *holidays = nullptr; // for festival blocks; null = none
};

// Parses any form of §2. An absolute window is clipped to the year; a window
// empty after clipping, an ambiguous word (双月) or an impossible date (2月30日)
// is a TextError whose column points into `text` and whose message names the
// spellings that would be right.
std::variant<Window, RelativeWindow, TextError> parse_window(std::string_view text,
                                                             const WindowContext &context);

// One weekday name alone, in any spelling a window accepts (mon, Monday, 周一,
// 星期一 …): 0 = Sunday … 6 = Saturday, as weekday_index.
std::optional<unsigned> parse_weekday(std::string_view text);

// The relative window applied inside one period (a month, quarter, week, or
// any range); may be empty.
Window apply_relative(const RelativeWindow &relative, DateRange period);
// Without a repeat: every matching day of the year (季末 alone = Mar, Jun, Sep, Dec).
Window apply_relative_in_year(const RelativeWindow &relative, int year);

// Dates in both; keeps a's preference.
Window intersect(const Window &a, const Window &b);
Window restrict_to(const Window &w, DateRange range);

} // namespace xun::calendar
