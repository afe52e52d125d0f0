// Durations, gaps, times of day and time ranges (calendar/time_of_day): any
// text gives a value in range or a located error; what is written back reads
// back the same.
#include "calendar/time_of_day.hpp"
#include "check.hpp"
#include "harness.hpp"

using namespace xun::calendar;

namespace {

void check_error(const TextError &e, std::string_view text) {
  xun::fuzz::require(e.column >= 1 && e.column <= text.size() + 1, "error column inside the text");
  xun::fuzz::require(!e.message.empty(), "error says what is wrong");
}

template <class T, class Check>
void check(const std::variant<T, TextError> &parsed, std::string_view text, Check ok) {
  if (const auto *e = std::get_if<TextError>(&parsed))
    check_error(*e, text);
  else
    ok(std::get<T>(parsed));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text = xun::fuzz::text_of(data, size);
  for (const bool weeks : {false, true})
    check(parse_duration(text, weeks), text, [](const Duration &d) {
      xun::fuzz::require(d.minutes > 0, "a duration is positive");
      (void)format_duration(d.minutes);
      (void)format_iso_duration(d.minutes);
    });
  check(parse_gap(text), text,
        [](const Duration &d) { xun::fuzz::require(d.minutes >= 0, "a gap is not negative"); });
  (void)in_minutes_alone(text);
  check(parse_time_of_day(text), text, [](int minutes) {
    xun::fuzz::require(minutes >= 0 && minutes <= 24 * 60, "a time of day is inside the day");
    const auto again = parse_time_of_day(format_time_of_day(minutes));
    xun::fuzz::require(std::get_if<int>(&again) && std::get<int>(again) == minutes,
                       "a time of day reads back the same");
  });
  for (const bool words : {false, true})
    check(parse_time_range(text, words), text, [](const TimeRange &r) {
      xun::fuzz::require(r.from >= 0 && r.from < r.to && r.to <= 24 * 60,
                         "a time range is inside the day and not empty");
    });
  return 0;
}
