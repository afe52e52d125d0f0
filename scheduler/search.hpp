// Placing every occurrence of a model: depth-first search over start minutes,
// most constrained first, with temporal propagation and resource pruning.
#pragma once

#include "scheduler/occurrences.hpp"

#include <vector>

namespace xun::scheduler::detail {

struct SearchResult {
  bool found = false;
  bool gave_up = false;   // the node budget ran out before an answer
  std::vector<long> start; // per occurrence; -1: an optional one left out
  int failed = -1;         // an occurrence that had no place left (when !found)
  long nodes = 0;
};

SearchResult search(const Model &model, long node_budget);

} // namespace xun::scheduler::detail
