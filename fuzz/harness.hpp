// What every fuzz harness shares: the input as text, and the data directory
// (holiday sets, seed plans) the GCC build was configured with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace xun::fuzz {

inline std::string_view text_of(const std::uint8_t *data, std::size_t size) {
  return {reinterpret_cast<const char *>(data), size};
}

// The first line (without its '\n') and what follows it: harnesses that need
// two inputs (a window and its year, a time and its zone) split the input here.
inline std::pair<std::string_view, std::string_view> split_first_line(std::string_view text) {
  const auto nl = text.find('\n');
  if (nl == std::string_view::npos)
    return {text, {}};
  return {text.substr(0, nl), text.substr(nl + 1)};
}

} // namespace xun::fuzz
