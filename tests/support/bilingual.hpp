// The English half of a loader message "中文 / English", FILE:LINE:COL kept:
// most tests pin the English words; the Chinese ones are pinned where new.
#pragma once

#include <algorithm>
#include <regex>
#include <string>

namespace xun::testing {

inline std::string english(const std::string &s) {
  static const std::regex both(R"(^(\S+:\d+:\d+: (?:warning: )?)?(.*?) / (.*)$)");
  std::smatch m;
  const auto chinese = [](const std::string &t) {
    return std::any_of(t.begin(), t.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  };
  if (!std::regex_match(s, m, both) || !chinese(m[2].str()))
    return s;
  return m[1].str() + m[3].str();
}

} // namespace xun::testing
