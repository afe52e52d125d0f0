// The window parser (calendar/windows): any text, in a year with holiday data
// and in one without, gives a window inside the year or a located error.
#include "calendar/windows.hpp"
#include "check.hpp"
#include "harness.hpp"

#include <algorithm>

using namespace xun::calendar;

namespace {

const HolidaySet &cn_holidays() {
  static const HolidaySet set = load_holiday_set("cn", XUN_FUZZ_DATA_DIR);
  return set;
}

void check_window(const Window &w, int year) {
  xun::fuzz::require(std::is_sorted(w.dates.begin(), w.dates.end()), "window dates sorted");
  xun::fuzz::require(std::adjacent_find(w.dates.begin(), w.dates.end()) == w.dates.end(),
                     "window dates unique");
  const DateRange in_year{make_date(year, 1, 1), make_date(year, 12, 31)};
  for (const Date d : w.dates)
    xun::fuzz::require(d >= in_year.first && d <= in_year.last, "window inside its year");
}

void parse_in(std::string_view text, int year, const HolidaySet *holidays) {
  const auto parsed = parse_window(text, WindowContext{year, holidays});
  if (const auto *w = std::get_if<Window>(&parsed))
    check_window(*w, year);
  else if (const auto *r = std::get_if<RelativeWindow>(&parsed))
    check_window(apply_relative_in_year(*r, year), year);
  else
    xun::fuzz::require(std::get<TextError>(parsed).column >= 1, "error column is 1-based");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text = xun::fuzz::text_of(data, size);
  parse_in(text, 2026, &cn_holidays());
  parse_in(text, 2031, nullptr); // no holiday data: festival words must say so
  (void)parse_weekday(text);
  return 0;
}
