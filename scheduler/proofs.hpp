// Short proofs that no schedule exists, found before any search: two fixed
// events that book one person or room at once, and capacity arguments (the
// work a person or room must do inside a span exceeds its free time there).
#pragma once

#include "scheduler/occurrences.hpp"

#include <optional>
#include <vector>

namespace xun::scheduler::detail {

struct FixedOverlap {
  int first = -1, second = -1; // occurrences, the earlier first
  int resource = -1;
};

// The first pair of busy fixed events sharing a person or room that overlap.
std::optional<FixedOverlap> fixed_overlap(const Model &model);

struct CapacityShortfall {
  int resource = -1;
  long from = 0, to = 0; // minutes: the span every occurrence below must lie in
  long work = 0;         // working minutes they need
  long free = 0;         // free working minutes of the resource in the span
  std::vector<int> occurrences;
  long fits = -1; // ≥ 0: only this many pieces of `piece` minutes fit (work may fit)
  long piece = 0;
};

// A span of one resource whose work exceeds its free time, the one with the
// fewest occurrences; `lb`/`ub` are the temporal network's start bounds.
std::optional<CapacityShortfall> capacity_shortfall(const Model &model, const std::vector<long> &lb,
                                                    const std::vector<long> &ub);

// capacity_shortfall at the root bounds of a consistent temporal network.
std::optional<CapacityShortfall> root_capacity_shortfall(const Model &model);

} // namespace xun::scheduler::detail
