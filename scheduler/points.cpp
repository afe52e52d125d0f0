#include "scheduler/points.hpp"

#include <algorithm>

namespace xun::scheduler {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

long digits_value(std::string_view s) {
  long value = 0;
  for (const char c : s)
    value = value * 10 + (c - '0');
  return value;
}

} // namespace

std::optional<Centipoints> parse_points(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (!all_digits(whole) || whole.size() > 6 ||
      (dot != std::string_view::npos && !all_digits(fraction)) || fraction.size() > 2)
    return std::nullopt;
  const long points = digits_value(whole);
  if (points > 100000)
    return std::nullopt;
  long hundredths = digits_value(fraction);
  if (fraction.size() == 1)
    hundredths *= 10;
  return points * 100 + hundredths;
}

std::optional<int> parse_percent(std::string_view text) {
  if (text.empty() || text.back() != '%')
    return std::nullopt;
  const std::string_view number = text.substr(0, text.size() - 1);
  if (!all_digits(number) || number.size() > 3)
    return std::nullopt;
  const long value = digits_value(number);
  if (value < 1 || value > 100)
    return std::nullopt;
  return static_cast<int>(value);
}

long divide_rounded(long numerator, long denominator) {
  return (2 * numerator + denominator) / (2 * denominator);
}

std::string points_text(Centipoints points) {
  const bool negative = points < 0;
  const long magnitude = negative ? -points : points;
  std::string out = (negative ? "-" : "") + std::to_string(magnitude / 100);
  const long hundredths = magnitude % 100;
  if (hundredths != 0) {
    out += "." + std::to_string(hundredths / 10);
    if (hundredths % 10 != 0)
      out += std::to_string(hundredths % 10);
  }
  return out;
}

} // namespace xun::scheduler
