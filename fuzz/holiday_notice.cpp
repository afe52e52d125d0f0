// The holiday-notice parser (calendar/holiday_notice): any text gives a
// holiday set or located problems, never throws; a set written as
// holiday-cn JSON reads back with the same days.
#include "calendar/holiday_notice.hpp"
#include "check.hpp"
#include "harness.hpp"

#include <algorithm>

using namespace xun::calendar;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const NoticeParse parsed = parse_holiday_notice(xun::fuzz::text_of(data, size));
  xun::fuzz::require(parsed.notice.has_value() == parsed.problems.empty(),
                     "a notice reads exactly when there are no problems");
  for (const auto &p : parsed.problems)
    xun::fuzz::require(p.line >= 1 && p.column >= 1 && !p.message.empty(),
                       "a problem is located and says what is wrong");
  if (!parsed.notice)
    return 0;
  const auto &days = parsed.notice->days;
  xun::fuzz::require(std::is_sorted(days.begin(), days.end(),
                                    [](const auto &a, const auto &b) { return a.date < b.date; }),
                     "days sorted by date");
  int year = 0;
  const auto again = parse_holiday_cn_json(holiday_cn_json(*parsed.notice), "fuzz", &year);
  xun::fuzz::require(again.size() == days.size() && year == parsed.notice->year,
                     "the JSON written reads back with the same days");
  return 0;
}
