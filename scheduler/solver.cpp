// solve(): expand the plan, check the temporal network, search, explain.
#include "scheduler/schedule.hpp"

#include "scheduler/explain.hpp"
#include "scheduler/occurrence_key.hpp"
#include "scheduler/occurrences.hpp"
#include "scheduler/search.hpp"
#include "scheduler/temporal_network.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace xun::scheduler {

std::string Occurrence::id() const { return activity + "#" + std::to_string(index); }

std::string Occurrence::uid(const Plan &plan) const {
  if (!published_uid.empty())
    return published_uid;
  return activity + "-" + std::to_string(index) + "@" + plan.id + ".xun";
}

namespace {
// Enough for every plan we have met; a plan that exhausts it is reported as a
// conflict rather than searched for ever.
constexpr long node_budget = 2'000'000;
} // namespace

Schedule solve(const Plan &plan, const SolveOptions &options) {
  using namespace detail;
  Schedule schedule;
  Model model = build_model(plan, Disabled{}, options.previous);
  schedule.warnings = model.warnings;
  if (model.conflict) {
    schedule.conflict = model.conflict;
    return schedule;
  }
  const StnCheck stn = check_stn(model);
  if (!stn.consistent) {
    schedule.conflict = explain_cycle(plan, model, stn.cycle);
    return schedule;
  }
  const SearchResult result = search(model, node_budget);
  if (!result.found) {
    schedule.conflict = explain_search_failure(plan, model, result.failed);
    if (result.gave_up)
      schedule.conflict->message += " (the search gave up after " +
                                    std::to_string(result.nodes) + " steps)";
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
