// Why a plan cannot be scheduled, in the plan's own words: a negative cycle of
// the temporal network read back as rules, or a small set of rules found by
// deletion filtering with the solver as oracle.
#pragma once

#include "scheduler/occurrences.hpp"

#include <vector>

namespace xun::scheduler::detail {

// `cycle`: constraint indices of model, each one's `to` the next one's `from`.
Conflict explain_cycle(const Plan &plan, const Model &model, const std::vector<int> &cycle);

// The search found no placement; `failed` is an occurrence it could not place.
Conflict explain_search_failure(const Plan &plan, const Model &model, int failed);

} // namespace xun::scheduler::detail
