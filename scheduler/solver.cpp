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

namespace {

using namespace detail;

// The schedule a search found: placed occurrences numbered per activity in
// index order (cancelled ones keep their number, so ids stay put), sorted by
// start, then id; moves against the previous schedule.
Schedule assemble(const Plan &plan, Model &model, const SearchResult &result,
                  const Schedule *previous) {
  Schedule schedule;
  schedule.warnings = model.warnings;
  const date::local_days jan1{model.jan1.time_since_epoch()};
  const auto at = [&](long minutes) {
    return calendar::LocalTime{jan1} + std::chrono::minutes{minutes};
  };
  const auto make = [&](OccSpec &o, long start) {
    Occurrence occ;
    occ.period = o.key_period;
    occ.ordinal = o.ordinal;
    occ.activity = plan.activities[static_cast<std::size_t>(o.activity)].id;
    occ.all_day = o.all_day;
    occ.start = at(start);
    occ.end = occ.start + std::chrono::minutes{o.duration};
    occ.window = std::move(o.window); // the model is not used after this
    occ.fixed = o.fixed && !o.pinned && !o.kept;
    occ.state = o.state;
    return occ;
  };
  // (activity, index in the activity) → the occurrence, placed or cancelled.
  std::map<std::pair<int, int>, std::pair<Occurrence, bool>> numbered;
  for (std::size_t i = 0; i < model.occs.size(); ++i) {
    OccSpec &o = model.occs[i];
    if (result.start[i] >= 0)
      numbered.emplace(std::pair{o.activity, o.index}, std::pair{make(o, result.start[i]), false});
  }
  for (OccSpec &o : model.cancelled)
    numbered.emplace(std::pair{o.activity, o.index}, std::pair{make(o, o.fixed_start), true});
  std::vector<Occurrence> placed;
  placed.reserve(numbered.size());
  int activity = -1, next = 0;
  for (auto &[where, entry] : numbered) {
    if (where.first != activity) {
      activity = where.first;
      next = 0;
    }
    entry.first.index = next++;
    if (entry.second)
      schedule.cancelled.push_back(std::move(entry.first));
    else
      placed.push_back(std::move(entry.first));
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
  schedule.replanned = previous != nullptr;
  if (previous) {
    // UIDs follow keys (§6.4): what the previous schedule published stays.
    std::map<OccurrenceKey, std::string> published;
    for (const auto *list : {&previous->occurrences, &previous->cancelled})
      for (const Occurrence &p : *list)
        published.emplace(key_of(p), p.uid(plan));
    assign_uids(plan, schedule, published);
    for (Occurrence &c : schedule.cancelled)
      if (const auto it = published.find(key_of(c)); it != published.end())
        c.published_uid = it->second;
  }
  if (previous) {
    std::map<OccurrenceKey, const Occurrence *> before;
    for (const Occurrence &p : previous->occurrences)
      before.emplace(key_of(p), &p);
    for (const Occurrence &o : schedule.occurrences)
      if (const auto it = before.find(key_of(o));
          it != before.end() && it->second->start != o.start)
        schedule.moved.push_back(
            {o.id(), it->second->uid(plan), it->second->start, o.start, o.all_day});
  }
  for (const Occurrence &o : schedule.occurrences)
    if (o.state == OccurrenceState::not_recorded)
      schedule.warnings.push_back(
          o.id() + " (" + calendar::format_iso_date(calendar::local_date(o.start)) +
          ") 未记录 / not recorded: it ended before as-of; record it done or cancelled");
  return schedule;
}

Conflict would_move_conflict(const Model &model) {
  Conflict c;
  c.message =
      "this change would move what is frozen or recorded (这次修改会改动已冻结或已记录的活动): ";
  for (std::size_t i = 0; i < model.would_move.size(); ++i)
    c.message += (i ? "; " : "") + model.would_move[i];
  for (const std::string &w : model.would_move)
    c.activities.push_back(w.substr(0, w.find_first_of("# ")));
  std::sort(c.activities.begin(), c.activities.end());
  c.activities.erase(std::unique(c.activities.begin(), c.activities.end()), c.activities.end());
  c.fix = "keep those occurrences where they are, or record them first (cancelled or moved)";
  return c;
}

// Re-planning's first attempt (§6.5, §6.3 rule 1): everything whose rules
// still allow it stays exactly where it was; only the rest is placed.
std::optional<Schedule> keep_everything_possible(const Plan &plan, const SolveOptions &options,
                                                 std::chrono::steady_clock::time_point deadline) {
  Model keep = build_model(plan, Disabled{}, options.previous, options.replan, true);
  if (keep.conflict || !keep.would_move.empty() || fixed_overlap(keep) ||
      !check_stn(keep).consistent || root_capacity_shortfall(keep))
    return std::nullopt;
  SearchOptions search_options;
  search_options.deadline = deadline;
  search_options.node_budget = 200'000;
  const SearchResult result = search(keep, search_options);
  if (!result.found)
    return std::nullopt;
  return assemble(plan, keep, result, options.previous);
}

} // namespace

Schedule solve(const Plan &plan, const SolveOptions &options) {
  const auto deadline = std::chrono::steady_clock::now() + options.time_limit;
  Schedule schedule;
  Model model = build_model(plan, Disabled{}, options.previous, options.replan);
  schedule.warnings = model.warnings;
  if (model.conflict) {
    schedule.conflict = model.conflict;
    return schedule;
  }
  if (!model.would_move.empty()) {
    schedule.conflict = would_move_conflict(model);
    schedule.would_move = model.would_move;
    return schedule;
  }
  if (options.previous)
    if (auto kept = keep_everything_possible(plan, options, deadline))
      return std::move(*kept);
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
  return assemble(plan, model, result, options.previous);
}

} // namespace xun::scheduler
