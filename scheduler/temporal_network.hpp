// The simple temporal network of a model: is it consistent, and if not, which
// constraints form a negative cycle (the rules that cannot hold together).
#pragma once

#include "scheduler/occurrences.hpp"

#include <vector>

namespace xun::scheduler::detail {

struct StnCheck {
  bool consistent = true;
  std::vector<long> latest; // per node: the latest start the constraints allow
  std::vector<int> cycle;   // inconsistent: constraint indices, in cycle order
};

// Bellman–Ford from the origin over the hard occurrences (optional ones left out).
StnCheck check_stn(const Model &model);

// Bounds by label-correcting propagation from the windows; false when some
// node's lower bound passes its upper bound.
bool propagate_all(const Model &model, std::vector<long> &lb, std::vector<long> &ub);

} // namespace xun::scheduler::detail
