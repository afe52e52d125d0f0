#include "calendar/time_of_day.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace xun::calendar {

std::string bilingual(const TextError &error) {
  return error.zh.empty() ? error.message : error.zh + " / " + error.message;
}

namespace {

// 1-based column, in characters (UTF-8 code points), of byte offset `at`.
std::size_t column_of(std::string_view text, std::size_t at) {
  std::size_t column = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
      ++column;
  return column;
}

TextError error_at(std::string_view text, std::size_t at, std::string message, std::string zh) {
  return TextError{column_of(text, at), std::move(message), std::move(zh)};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t'; }

// The character (maybe multi-byte) starting at `at`, for messages.
std::string_view char_at(std::string_view text, std::size_t at) {
  std::size_t end = at + 1;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    ++end;
  return text.substr(at, end - at);
}

struct Unit {
  std::string_view spelling;
  char unit; // w d h m
};
// Chinese spellings are an addition (docs/EXTENSIONS.md); longest first.
constexpr std::array units{
    Unit{"小时", 'h'}, Unit{"分钟", 'm'}, Unit{"星期", 'w'}, Unit{"w", 'w'},  Unit{"d", 'd'},
    Unit{"h", 'h'},    Unit{"m", 'm'},    Unit{"天", 'd'},   Unit{"周", 'w'}, Unit{"分", 'm'},
};

constexpr std::string_view duration_forms = "30m, 2h, 1h30m, 1d, 3d";

std::string duration_spellings(bool allow_weeks) {
  return std::string(duration_forms) + (allow_weeks ? ", 2w" : "");
}
std::string duration_spellings_zh(bool allow_weeks) {
  return std::string("30m、2h、1h30m、1d、3d") + (allow_weeks ? "、2w" : "");
}

std::string_view trim(std::string_view text, std::size_t &offset) {
  offset = 0;
  while (offset < text.size() && is_space(text[offset]))
    ++offset;
  std::size_t end = text.size();
  while (end > offset && is_space(text[end - 1]))
    --end;
  return text.substr(offset, end - offset);
}

// "HH:MM" at text[begin, end) of `whole`; columns refer to `whole`.
std::variant<int, TextError> parse_clock(std::string_view whole, std::size_t begin,
                                         std::size_t end) {
  const std::string_view text = whole.substr(begin, end - begin);
  const std::string expected = "expected a time of day like 09:30 (00:00–23:59)";
  const std::string expected_zh = "应为一天中的时刻，例如 09:30（00:00–23:59）";
  const std::string found = "\"" + std::string(text) + "\"";
  if (text.empty())
    return error_at(whole, begin, "found nothing; " + expected, "什么也没写；" + expected_zh);
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i]))
    ++i;
  if (i == 0 || i > 2)
    return error_at(whole, begin + (i == 0 ? 0 : 2), "found " + found + "; " + expected,
                    "写的是 " + found + "；" + expected_zh);
  if (i == text.size() || text[i] != ':')
    return error_at(whole, begin + i,
                    "found " + found + ": missing ':' between hours and minutes; " + expected,
                    "写的是 " + found + "：小时和分钟之间缺少 ':'；" + expected_zh);
  const int hour = std::stoi(std::string(text.substr(0, i)));
  const std::size_t minute_at = i + 1;
  std::size_t j = minute_at;
  while (j < text.size() && is_digit(text[j]))
    ++j;
  if (j - minute_at != 2 || j != text.size())
    return error_at(whole, begin + (j - minute_at != 2 ? minute_at : j),
                    "found " + found + ": minutes are two digits; " + expected,
                    "写的是 " + found + "：分钟应为两位数字；" + expected_zh);
  const int minute = std::stoi(std::string(text.substr(minute_at, 2)));
  if (hour > 23)
    return error_at(
        whole, begin,
        "hour " + std::to_string(hour) + " is out of range 00–23 in " + found + "; " + expected,
        found + " 中的小时 " + std::to_string(hour) + " 超出范围 00–23；" + expected_zh);
  if (minute > 59)
    return error_at(
        whole, begin + minute_at,
        "minute " + std::to_string(minute) + " is out of range 00–59 in " + found + "; " + expected,
        found + " 中的分钟 " + std::to_string(minute) + " 超出范围 00–59；" + expected_zh);
  return hour * 60 + minute;
}

// Durations and gaps share one grammar; only gaps may be zero.
std::variant<Duration, TextError> parse_length(std::string_view raw, bool allow_weeks,
                                               bool allow_zero) {
  std::size_t offset = 0;
  const std::string_view text = trim(raw, offset);
  const std::string right = "; write a duration like " + duration_spellings(allow_weeks);
  const std::string right_zh = "；时长例如写 " + duration_spellings_zh(allow_weeks);
  if (text.empty())
    return error_at(raw, offset, "found nothing" + right, "什么也没写" + right_zh);

  long total = 0;
  bool has_days = false, has_time = false;
  char last_unit = 0; // units must come largest first, each once
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t number_at = i;
    if (text[i] == '-' || text[i] == '+')
      return error_at(
          raw, offset + i,
          "found '" + std::string(1, text[i]) +
              (allow_zero ? "': a gap is zero or more" : "': a duration is a positive length") +
              right,
          "写的是 '" + std::string(1, text[i]) +
              (allow_zero ? "'：间隔应为零或更长" : "'：时长应为正的长度") + right_zh);
    while (i < text.size() && is_digit(text[i]))
      ++i;
    if (i == number_at)
      return error_at(raw, offset + i,
                      "found '" + std::string(char_at(text, i)) + "' where a number belongs" +
                          right,
                      "此处应为数字，写的是 '" + std::string(char_at(text, i)) + "'" + right_zh);
    if (i - number_at > 6)
      return error_at(raw, offset + number_at, "the number is too large" + right,
                      "数字太大" + right_zh);
    const long value = std::stol(std::string(text.substr(number_at, i - number_at)));
    if (i < text.size() && (text[i] == '.' || text[i] == ','))
      return error_at(raw, offset + i,
                      "found '" + std::string(1, text[i]) +
                          "': durations are whole numbers (write 1h30m, not 1.5h)" + right,
                      "写的是 '" + std::string(1, text[i]) +
                          "'：时长用整数（写 1h30m，不写 1.5h）" + right_zh);
    if (i == text.size())
      return error_at(raw, offset + i,
                      "\"" + std::string(text) + "\" has no unit (m, h, d" +
                          (allow_weeks ? ", w" : "") + ")" + right,
                      "\"" + std::string(text) + "\" 缺少单位（m、h、d" +
                          (allow_weeks ? "、w" : "") + "）" + right_zh);
    const Unit *unit = nullptr;
    for (const auto &u : units)
      if (text.substr(i).starts_with(u.spelling)) {
        unit = &u;
        break;
      }
    if (!unit) {
      const std::string_view found = char_at(text, i);
      std::string hint;
      std::string hint_zh;
      if (found == "H" || found == "M" || found == "D" || found == "W") {
        hint = " (units are lower case)";
        hint_zh = "（单位用小写字母）";
      } else if (found == "s" || found == "S") {
        hint = " (seconds are not used; the smallest unit is m)";
        hint_zh = "（不用秒；最小的单位是 m）";
      }
      return error_at(raw, offset + i,
                      "found '" + std::string(found) + "' where a unit belongs" + hint + right,
                      "此处应为单位，写的是 '" + std::string(found) + "'" + hint_zh + right_zh);
    }
    const char u = unit->unit;
    if (u == 'w' && !allow_weeks)
      return error_at(raw, offset + i,
                      "weeks are allowed only for gaps (min_gap, max_gap); write " +
                          std::to_string(value * 7) + "d",
                      "只有间隔（min_gap、max_gap）可以用周；请写 " + std::to_string(value * 7) +
                          "d");
    const bool day_unit = u == 'w' || u == 'd';
    // A gap may read 1d12h; an activity's days make it all-day, so no hours.
    if (!allow_weeks && ((day_unit && has_time) || (!day_unit && has_days)))
      return error_at(raw, offset + number_at,
                      "days and hours do not mix in one duration (days make an "
                      "all-day activity); write it in hours or in days alone" +
                          right,
                      "一个时长里不能同时有天和小时（以天计的是全天活动）；请只用小时或只用天" +
                          right_zh);
    const std::string_view order = "wdhm";
    if (last_unit != 0 && order.find(u) <= order.find(last_unit))
      return error_at(raw, offset + i,
                      "units go from largest to smallest, each once (1h30m)" + right,
                      "单位从大到小，每个只写一次（1h30m）" + right_zh);
    last_unit = u;
    has_days = has_days || day_unit;
    has_time = has_time || !day_unit;
    const long per = u == 'w' ? 7 * 1440 : u == 'd' ? 1440 : u == 'h' ? 60 : 1;
    total += value * per;
    i += unit->spelling.size();
  }
  if (total <= 0 && !allow_zero)
    return error_at(raw, offset,
                    "\"" + std::string(text) + "\" is zero; a duration is positive" + right,
                    "\"" + std::string(text) + "\" 为零；时长应大于零" + right_zh);
  return Duration{total, has_days && !has_time};
}

} // namespace

std::variant<Duration, TextError> parse_duration(std::string_view text, bool allow_weeks) {
  return parse_length(text, allow_weeks, false);
}

std::variant<Duration, TextError> parse_gap(std::string_view text) {
  return parse_length(text, true, true);
}

bool in_minutes_alone(std::string_view raw) {
  std::size_t offset = 0;
  std::string_view text = trim(raw, offset);
  std::size_t digits = 0;
  while (digits < text.size() && is_digit(text[digits]))
    ++digits;
  if (digits == 0)
    return false;
  text.remove_prefix(digits);
  for (const auto &u : units)
    if (u.unit == 'm' && text == u.spelling)
      return true;
  return false;
}

std::variant<int, TextError> parse_time_of_day(std::string_view raw) {
  std::size_t offset = 0;
  const std::string_view text = trim(raw, offset);
  return parse_clock(raw, offset, offset + text.size());
}

std::variant<TimeRange, TextError> parse_time_range(std::string_view raw, bool allow_words) {
  std::size_t offset = 0;
  const std::string_view text = trim(raw, offset);
  const bool morning = text == "morning" || text == "上午";
  const bool afternoon = text == "afternoon" || text == "下午";
  if (morning || afternoon) {
    if (!allow_words)
      return error_at(raw, offset,
                      "\"" + std::string(text) +
                          "\" is allowed only in prefer.time; write a range like " +
                          (morning ? "09:00-12:00" : "14:00-18:00"),
                      "\"" + std::string(text) + "\" 只能用在 prefer.time 中；请写时间段，例如 " +
                          (morning ? "09:00-12:00" : "14:00-18:00"));
    return morning ? TimeRange{9 * 60, 12 * 60} : TimeRange{14 * 60, 18 * 60};
  }
  // The separator: '-', '~' or an en dash.
  std::size_t sep = std::string_view::npos, sep_len = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-' || text[i] == '~') {
      sep = i;
      break;
    }
    if (text.substr(i).starts_with("–")) {
      sep = i;
      sep_len = std::string_view("–").size();
      break;
    }
  }
  const std::string right = std::string("; write a range like 09:00-12:00") +
                            (allow_words ? ", morning or afternoon" : "");
  const std::string right_zh =
      std::string("；时间段例如写 09:00-12:00") + (allow_words ? "、上午或下午" : "");
  if (sep == std::string_view::npos)
    return error_at(raw, offset + text.size(),
                    "found \"" + std::string(text) + "\" without '-' between start and end" + right,
                    "\"" + std::string(text) + "\" 的开始和结束之间缺少 '-'" + right_zh);
  std::size_t left_end = sep;
  while (left_end > 0 && is_space(text[left_end - 1]))
    --left_end;
  std::size_t right_begin = sep + sep_len;
  while (right_begin < text.size() && is_space(text[right_begin]))
    ++right_begin;
  auto from = parse_clock(raw, offset, offset + left_end);
  if (auto *e = std::get_if<TextError>(&from))
    return *e;
  auto to = parse_clock(raw, offset + right_begin, offset + text.size());
  if (auto *e = std::get_if<TextError>(&to))
    return *e;
  const int a = std::get<int>(from), b = std::get<int>(to);
  if (a >= b)
    return error_at(raw, offset + right_begin,
                    "the end " + format_time_of_day(b) + " is not after the start " +
                        format_time_of_day(a) + right,
                    "结束时刻 " + format_time_of_day(b) + " 不晚于开始时刻 " +
                        format_time_of_day(a) + right_zh);
  return TimeRange{a, b};
}

std::string format_time_of_day(int minutes) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", minutes / 60, minutes % 60);
  return buffer;
}

std::string format_duration(long minutes) {
  if (minutes == 0)
    return "0m";
  std::string out = minutes < 0 ? "-" : "";
  minutes = std::labs(minutes);
  if (minutes % 1440 == 0)
    return out + std::to_string(minutes / 1440) + "d";
  if (minutes >= 1440) {
    out += std::to_string(minutes / 1440) + "d";
    minutes %= 1440;
  }
  if (minutes >= 60)
    out += std::to_string(minutes / 60) + "h";
  if (minutes % 60)
    out += std::to_string(minutes % 60) + "m";
  return out;
}

std::string format_iso_duration(long minutes) {
  std::string out;
  if (minutes < 0) {
    out = "-";
    minutes = -minutes;
  }
  if (minutes == 0)
    return "PT0S"; // as RFC 5545 clients write it
  const long days = minutes / 1440, hours = minutes % 1440 / 60, mins = minutes % 60;
  out += "P";
  if (days > 0)
    out += std::to_string(days) + "D";
  if (hours > 0 || mins > 0 || days == 0) {
    out += "T";
    if (hours > 0)
      out += std::to_string(hours) + "H";
    if (mins > 0)
      out += std::to_string(mins) + "M";
  }
  return out;
}

} // namespace xun::calendar
