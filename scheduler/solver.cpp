// solve(): expand the plan, check the temporal network, search, explain.
#include "scheduler/schedule.hpp"

#include "scheduler/explain.hpp"
#include "scheduler/occurrence_key.hpp"
#include "scheduler/occurrences.hpp"
#include "scheduler/proofs.hpp"
#include "scheduler/search.hpp"
#include "scheduler/temporal_network.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace xun::scheduler {

std::string state_name(OccurrenceState s) {
  switch (s) {
  case OccurrenceState::planned:
    return "planned";
  case OccurrenceState::done:
    return "done";
  case OccurrenceState::moved:
    return "moved";
  case OccurrenceState::frozen:
    return "frozen";
  case OccurrenceState::not_recorded:
    return "not_recorded";
  }
  return "planned";
}

std::string Occurrence::id() const { return activity + "#" + std::to_string(index); }

std::string Occurrence::uid(const Plan &plan) const {
  if (!published_uid.empty())
    return published_uid;
  return activity + "-" + std::to_string(index) + "@" + plan.id + ".xun";
}

Schedule solve(const Plan &plan, const SolveOptions &options) {
  using namespace detail;
  const auto deadline = std::chrono::steady_clock::now() + options.time_limit;
  Schedule schedule;
  Model model = build_model(plan, Disabled{}, options.previous);
  schedule.warnings = model.warnings;
  if (model.conflict) {
    schedule.conflict = model.conflict;
    return schedule;
  }
  if (const auto overlap = fixed_overlap(model)) {
    schedule.conflict = explain_fixed_overlap(plan, model, *overlap);
    return schedule;
  }
  const StnCheck stn = check_stn(model);
  if (!stn.consistent) {
    schedule.conflict = explain_cycle(plan, model, stn.cycle);
    return schedule;
  }
  SearchResult result;
  if (!root_capacity_shortfall(model)) { // overlaps and cycles are ruled out above
    SearchOptions search_options;
    search_options.deadline = deadline;
    result = search(model, search_options);
    if (!result.found && result.exhausted) {
      // The edges of free gaps were not enough (a max lag may need an inner
      // start): every start minute, before looking for a proof.
      search_options.complete = true;
      search_options.node_budget = 200'000;
      SearchResult every = search(model, search_options);
      if (every.found || every.exhausted)
        result = std::move(every);
    }
  }
  if (!result.found) {
    // Exit 1 only with a proof: the explanation searches for one and gives
    // up honestly (exit 3) when the plan is too large to prove anything.
    auto proof = explain_search_failure(plan, model, result.failed, deadline);
    if (proof)
      schedule.conflict = std::move(*proof);
    else
      schedule.stopped = describe_stop(plan, model, result, options.time_limit);
    return schedule;
  }

  const date::local_days jan1{model.jan1.time_since_epoch()};
  // Per activity: placed ones numbered consecutively.
  std::vector<int> next_index(plan.activities.size(), 0);
  std::map<std::pair<int, int>, int> next_ordinal; // (activity, period): placed or not
  std::vector<Occurrence> placed;
  placed.reserve(model.occs.size());
  for (std::size_t i = 0; i < model.occs.size(); ++i) {
    OccSpec &o = model.occs[i];
    const Activity &activity = plan.activities[static_cast<std::size_t>(o.activity)];
    const int period = period_number(activity, o.window, plan.year);
    const int ordinal = next_ordinal[{o.activity, period}]++;
    const long start = result.start[i];
    if (start < 0)
      continue;
    Occurrence occ;
    occ.period = period;
    occ.ordinal = ordinal;
    occ.activity = plan.activities[static_cast<std::size_t>(o.activity)].id;
    occ.index = next_index[static_cast<std::size_t>(o.activity)]++;
    occ.all_day = o.all_day;
    occ.start = calendar::LocalTime{jan1} + std::chrono::minutes{start};
    occ.end = occ.start + std::chrono::minutes{o.duration};
    occ.window = std::move(o.window); // the model is not used after this
    occ.fixed = o.fixed;
    placed.push_back(std::move(occ));
  }
  // Sorted by start, then id: ids are made once and the occurrences moved once.
  std::vector<std::string> ids;
  ids.reserve(placed.size());
  for (const Occurrence &occ : placed)
    ids.push_back(occ.id());
  std::vector<std::size_t> order(placed.size());
  for (std::size_t k = 0; k < order.size(); ++k)
    order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (placed[a].start != placed[b].start)
      return placed[a].start < placed[b].start;
    return ids[a] < ids[b];
  });
  schedule.occurrences.reserve(placed.size());
  for (std::size_t k : order)
    schedule.occurrences.push_back(std::move(placed[k]));
  return schedule;
}

} // namespace xun::scheduler
