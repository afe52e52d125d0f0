// Placing every occurrence of a model: depth-first search over start minutes
// with temporal propagation, resource forward checking (each unplaced
// occurrence's bounds shrink to its first and last free start), conflict
// weights (dom/wdeg) and restarts; then a descent on the soft objective.
#pragma once

#include "scheduler/occurrences.hpp"

#include <chrono>
#include <vector>

namespace xun::scheduler::detail {

struct SearchOptions {
  long node_budget = 2'000'000; // placements tried, over all restarts
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // Every start minute is a value (not only the edges of free gaps), and no
  // restarts: an exhausted search is then a proof that no schedule exists.
  bool complete = false;
  bool improve = true; // descend on the soft objective once a schedule is found
};

struct SearchResult {
  bool found = false;
  bool exhausted = false;  // the whole tree was searched (a proof when `complete`)
  bool gave_up = false;    // the budget or the deadline ran out first
  std::vector<long> start; // per occurrence; -1: an optional one left out
  int failed = -1;         // an occurrence that had no place left (when !found)
  long nodes = 0;
  long restarts = 0;
  long moves = 0;             // soft-objective improvements after the first schedule
  std::vector<long> failures; // per occurrence: how often it had no place
};

SearchResult search(const Model &model, const SearchOptions &options);

} // namespace xun::scheduler::detail
