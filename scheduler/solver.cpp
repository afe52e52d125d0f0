// solve(): expand the plan, check the temporal network, search, explain.
#include "scheduler/schedule.hpp"

#include "scheduler/explain.hpp"
#include "scheduler/occurrences.hpp"
#include "scheduler/search.hpp"
#include "scheduler/temporal_network.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace xun::scheduler {

std::string Occurrence::id() const { return activity + "#" + std::to_string(index); }

std::string Occurrence::uid(const Plan &plan) const {
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
  const Model model = build_model(plan, Disabled{}, options.previous);
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
  std::map<int, int> next_index; // per activity: placed ones numbered consecutively
  for (std::size_t i = 0; i < model.occs.size(); ++i) {
    const OccSpec &o = model.occs[i];
    const long start = result.start[i];
    if (start < 0)
      continue;
    Occurrence occ;
    occ.activity = plan.activities[static_cast<std::size_t>(o.activity)].id;
    occ.index = next_index[o.activity]++;
    occ.all_day = o.all_day;
    occ.start = calendar::LocalTime{jan1} + std::chrono::minutes{start};
    occ.end = occ.start + std::chrono::minutes{o.duration};
    occ.window = o.window;
    occ.fixed = o.fixed;
    schedule.occurrences.push_back(std::move(occ));
  }
  std::sort(schedule.occurrences.begin(), schedule.occurrences.end(),
            [](const Occurrence &a, const Occurrence &b) {
              if (a.start != b.start)
                return a.start < b.start;
              return a.id() < b.id();
            });
  return schedule;
}

} // namespace xun::scheduler
