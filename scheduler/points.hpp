// Numbers of the 100-point assessment (PLAN.md §6.6): points as written
// ("10", "2.5"), attendance thresholds ("80%"), and how they are shown.
#pragma once

#include "scheduler/plan.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace xun::scheduler {

// "10", "2.5", "0.25" → hundredths; nothing else (no sign, at most 2 decimals,
// at most 100000 points).
std::optional<Centipoints> parse_points(std::string_view text);

// "80%" → 80; a whole percent from 1 to 100 followed by '%'.
std::optional<int> parse_percent(std::string_view text);

// numerator / denominator rounded half up, for numerator >= 0 and
// denominator > 0: the one rounding rule of progress reports.
long divide_rounded(long numerator, long denominator);

// As a secretary writes it: "10", "2.5", "3.33", "-2".
std::string points_text(Centipoints points);

} // namespace xun::scheduler
