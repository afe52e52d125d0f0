// Why a plan cannot be scheduled, in the plan's own words: a negative cycle of
// the temporal network read back as rules, or a small set of rules found by
// deletion filtering with the solver as oracle.
#pragma once

#include "scheduler/occurrences.hpp"
#include "scheduler/proofs.hpp"
#include "scheduler/search.hpp"

#include <chrono>
#include <optional>

#include <vector>

namespace xun::scheduler::detail {

// `cycle`: constraint indices of model, each one's `to` the next one's `from`.
Conflict explain_cycle(const Plan &plan, const Model &model, const std::vector<int> &cycle);

// The search found no placement; `failed` is an occurrence it could not place.
// A smallest set of rules with a proof that they clash, or nullopt when no
// proof was found before the deadline.
std::optional<Conflict> explain_search_failure(const Plan &plan, const Model &model, int failed,
                                               std::chrono::steady_clock::time_point deadline);

// Two busy fixed events that book one person or room at once.
Conflict explain_fixed_overlap(const Plan &plan, const Model &model, const FixedOverlap &overlap);

// An honest sentence for a search that stopped without a schedule or proof.
SearchStop describe_stop(const Plan &plan, const Model &model, const SearchResult &result,
                         std::chrono::milliseconds limit);

} // namespace xun::scheduler::detail
