// Durations ("1h30m", "3d", "2w"), times of day ("09:30") and time ranges
// ("09:00-12:00") as written in plans.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace xun::calendar {

// Minutes since local midnight, [from, to).
struct TimeRange {
  int from = 0;
  int to = 0;
  friend bool operator==(const TimeRange &, const TimeRange &) = default;
};

struct Duration {
  long minutes = 0;     // total length; a day counts 1440
  bool in_days = false; // written in days or weeks ("3d", "2w"): all-day
  int days() const { return static_cast<int>(minutes / 1440); }
  friend bool operator==(const Duration &, const Duration &) = default;
};

struct TextError {
  std::size_t column = 1; // 1-based, in characters of the parsed text
  std::string message;    // says what was found and what would be right
  std::string zh;         // the same in Chinese, for messages shown Chinese first; may be empty
};

// "zh / message" when there is a Chinese text, else the message.
std::string bilingual(const TextError &error);

// Activity durations: 30m, 2h, 1h30m, 1d, 3d; with allow_weeks also 2w (gaps).
std::variant<Duration, TextError> parse_duration(std::string_view text, bool allow_weeks);
// Gaps (min_gap, max_gap): a duration that may also be zero ("0d": straight
// after) and may mix days and hours (1d12h).
std::variant<Duration, TextError> parse_gap(std::string_view text);
// "3m", "30分钟": minutes and nothing else, which in a gap may be a slip for months.
bool in_minutes_alone(std::string_view text);
// "09:30" → minutes since midnight.
std::variant<int, TextError> parse_time_of_day(std::string_view text);
// "09:00-12:00"; also the words "morning" (09:00-12:00) and "afternoon"
// (14:00-18:00) when allow_words.
std::variant<TimeRange, TextError> parse_time_range(std::string_view text, bool allow_words);

std::string format_time_of_day(int minutes); // "09:30"
// ISO 8601 duration as used for reminders: P7D, PT2H, PT1H30M, PT0S, P1W never.
std::string format_iso_duration(long minutes);
// As a secretary writes it: 90 → "1h30m", 2880 → "2d", 1500 → "1d1h", 0 → "0m".
std::string format_duration(long minutes);

} // namespace xun::calendar
