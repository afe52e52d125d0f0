// How far apart two texts are, for "did you mean" suggestions: the windows
// parser's nearest spellings and the loaders' nearest keys.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace xun::calendar {

// Levenshtein distance over UTF-8 code points (a malformed byte counts as one).
std::size_t edit_distance(std::string_view a, std::string_view b);

// Up to `how_many` candidates closest to `word`, nearest first; candidates at
// the same distance keep their order (callers list them most useful first).
std::vector<std::string> nearest_spellings(std::string_view word,
                                           const std::vector<std::string> &candidates,
                                           std::size_t how_many);

} // namespace xun::calendar
