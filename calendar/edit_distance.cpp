#include "calendar/edit_distance.hpp"

#include "calendar/utf8.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace xun::calendar {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::u32string x = decode_utf8(a);
  const std::u32string y = decode_utf8(b);
  std::vector<std::size_t> row(y.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[y.size()];
}

std::vector<std::string> nearest_spellings(std::string_view word,
                                           const std::vector<std::string> &candidates,
                                           std::size_t how_many) {
  // At one distance, a candidate as long as the word comes first: "6月低" is
  // more likely 6月底 mistyped than 6月 with a stray character.
  const auto length = [](std::string_view s) { return decode_utf8(s).size(); };
  const std::size_t word_length = length(word);
  std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> ranked; // distance, Δlength, index
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::size_t other = length(candidates[i]);
    ranked.emplace_back(edit_distance(word, candidates[i]),
                        other > word_length ? other - word_length : word_length - other, i);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (const auto &[distance, difference, index] : ranked) {
    if (out.size() == how_many)
      break;
    if (std::find(out.begin(), out.end(), candidates[index]) == out.end())
      out.push_back(candidates[index]);
  }
  return out;
}

} // namespace xun::calendar
