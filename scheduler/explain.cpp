// Explanations of infeasible plans.
#include "scheduler/explain.hpp"

#include "scheduler/proofs.hpp"
#include "scheduler/search.hpp"
#include "scheduler/temporal_network.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

namespace xun::scheduler::detail {
namespace {

const Activity &activity_of(const Plan &plan, const Model &m, int node) {
  return plan.activities[static_cast<std::size_t>(m.occs[static_cast<std::size_t>(node)].activity)];
}

// "congress" for a one-off activity, "congress#2" otherwise.
std::string subject(const Plan &plan, const Model &m, int node) {
  const OccSpec &o = m.occs[static_cast<std::size_t>(node)];
  const bool single = std::count_if(m.occs.begin(), m.occs.end(), [&](const OccSpec &x) {
                        return x.activity == o.activity;
                      }) == 1;
  return single ? activity_of(plan, m, node).id : m.occ_id(plan, node);
}

std::string format_minute(const Model &m, long t) {
  const calendar::Date d = m.jan1 + date::days{t / minutes_per_day};
  if (t % minutes_per_day == 0)
    return format_day(d);
  return format_day(d) + " " + calendar::format_time_of_day(static_cast<int>(t % minutes_per_day));
}

std::string order_rule_text(const Activity &a, const OrderRule &r) {
  std::string text = a.id + ": " + (r.is_before ? "before: " : "after: ") + r.other;
  std::vector<std::string> gaps;
  if (r.min_gap_minutes)
    gaps.push_back("min_gap " + format_gap(r.min_gap_minutes));
  if (r.max_gap_minutes)
    gaps.push_back("max_gap " + format_gap(*r.max_gap_minutes));
  if (!gaps.empty()) {
    text += " (";
    for (std::size_t i = 0; i < gaps.size(); ++i)
      text += (i ? ", " : "") + gaps[i];
    text += ")";
  }
  return text;
}

std::string gap_phrase(long gap) { return gap > 0 ? format_gap(gap) + " " : ""; }

// One link of a cycle as a clause: "S must start 7d after P ends".
std::string link_text(const Plan &plan, const Model &m, const Constraint &c) {
  const OccSpec &from = m.occs[static_cast<std::size_t>(c.from)];
  switch (c.kind) {
  case Constraint::Kind::order_min: {
    const long gap = c.c - from.duration;
    return subject(plan, m, c.to) + " must come " + gap_phrase(gap) + "after " +
           m.occ_id(plan, c.from);
  }
  case Constraint::Kind::order_max: {
    const OccSpec &pred = m.occs[static_cast<std::size_t>(c.to)];
    const long gap = -c.c - pred.duration;
    return subject(plan, m, c.from) + " may start at most " + format_gap(gap) + " after " +
           m.occ_id(plan, c.to) + " ends";
  }
  case Constraint::Kind::index_order: {
    if (c.c < 0) { // max_gap: the later one points back at the earlier
      const OccSpec &earlier = m.occs[static_cast<std::size_t>(c.to)];
      return m.occ_id(plan, c.from) + " may start at most " + format_gap(-c.c - earlier.duration) +
             " after " + m.occ_id(plan, c.to) + " ends (max_gap)";
    }
    const long gap = c.c - from.duration;
    return m.occ_id(plan, c.to) + " must come " + gap_phrase(gap) + "after " +
           m.occ_id(plan, c.from) + (gap > 0 ? " (min_gap " + format_gap(gap) + ")" : "");
  }
  case Constraint::Kind::window_lower:
  case Constraint::Kind::window_upper:
    break;
  }
  return {};
}

std::vector<std::string> sorted_unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// A proof on the plan with `disabled` left out: a model conflict, a fixed
// overlap, a temporal cycle, a capacity argument, or a complete search that
// exhausts its tree. Anything less (a search that runs out) is not a proof,
// so the rule is kept.
bool oracle_infeasible(const Plan &plan, const Disabled &disabled, long &calls,
                       std::chrono::steady_clock::time_point deadline) {
  ++calls;
  const Model m = build_model(plan, disabled, disabled.previous, disabled.replan);
  if (m.conflict || fixed_overlap(m))
    return true;
  if (!check_stn(m).consistent)
    return true;
  if (root_capacity_shortfall(m))
    return true;
  if (std::chrono::steady_clock::now() > deadline)
    return false;
  SearchOptions options;
  options.node_budget = 20'000;
  options.deadline = deadline;
  options.complete = true;
  options.improve = false;
  const SearchResult r = search(m, options);
  return !r.found && r.exhausted;
}

// Deletion filtering: each item whose disabling leaves the plan infeasible is
// disabled for good; the rest are what the conflict needs. Past max_calls oracle
// calls every remaining item is kept, so the answer stays correct, only larger.
template <class T, class Disable>
std::vector<T> needed_items(const Plan &plan, const std::vector<T> &items, Disabled &disabled,
                            long &calls, long max_calls, Disable disable,
                            std::chrono::steady_clock::time_point deadline) {
  // Blocks first (halves, quarters, …) so a conflict of a few rules in a
  // plan of a thousand costs tens of oracle calls, not a thousand.
  std::vector<T> left = items;
  for (std::size_t chunk = left.size() / 2; chunk > 1; chunk /= 2) {
    std::vector<T> kept_now;
    for (std::size_t k = 0; k < left.size(); k += chunk) {
      const std::size_t end = std::min(left.size(), k + chunk);
      Disabled trial = disabled;
      for (std::size_t j = k; j < end; ++j)
        disable(trial, left[j]);
      if (calls < max_calls && oracle_infeasible(plan, trial, calls, deadline)) {
        disabled = trial;
        continue;
      }
      kept_now.insert(kept_now.end(), left.begin() + static_cast<long>(k),
                      left.begin() + static_cast<long>(end));
    }
    left = std::move(kept_now);
  }
  std::vector<T> needed;
  for (const T &item : left) {
    if (calls < max_calls) {
      Disabled trial = disabled;
      disable(trial, item);
      if (oracle_infeasible(plan, trial, calls, deadline)) {
        disabled = trial;
        continue;
      }
    }
    needed.push_back(item);
  }
  return needed;
}

std::string person_text(const Plan &plan, const std::string &id) {
  for (const Person &p : plan.people)
    if (p.id == id && !p.name.empty() && p.name != id)
      return id + " (" + p.name + ")";
  return id;
}

RuleRef window_ref(const Activity &a) { return {a.id, "when", a.when_text, a.when_pos}; }

RuleRef order_ref(const Activity &a, const OrderRule &r) {
  // The rule as written after its key: "opening (max_gap 0m)".
  const std::string text = order_rule_text(a, r);
  const std::string prefix = a.id + ": " + (r.is_before ? "before: " : "after: ");
  return {a.id, r.is_before ? "before" : "after",
          text.starts_with(prefix) ? text.substr(prefix.size()) : text, r.pos};
}

// The rules behind a set of kept activities and needed rule groups, in plan order.
std::vector<RuleRef> rule_refs(const Plan &plan, const std::vector<int> &kept,
                               const std::vector<RuleGroup> &needed) {
  std::vector<RuleRef> out;
  auto has = [&](const RuleGroup &g) {
    return std::find(needed.begin(), needed.end(), g) != needed.end();
  };
  for (int ai : kept) {
    const Activity &a = plan.activities[static_cast<std::size_t>(ai)];
    if (has({RuleGroup::Kind::window, ai, -1, {}}))
      out.push_back(window_ref(a));
    for (std::size_t r = 0; r < a.order.size(); ++r)
      if (has({RuleGroup::Kind::order, ai, static_cast<int>(r), {}}))
        out.push_back(order_ref(a, a.order[r]));
    if (has({RuleGroup::Kind::min_gap, ai, -1, {}}))
      out.push_back({a.id, "min_gap", "min_gap/max_gap between its occurrences", a.pos});
  }
  for (const RuleGroup &g : needed) {
    if (g.kind != RuleGroup::Kind::person && g.kind != RuleGroup::Kind::room)
      continue;
    for (int ai : kept) {
      const Activity &a = plan.activities[static_cast<std::size_t>(ai)];
      const bool uses = g.kind == RuleGroup::Kind::person
                            ? std::binary_search(a.people.begin(), a.people.end(), g.resource)
                            : a.room == g.resource;
      if (a.busy && uses) {
        out.push_back(
            {a.id, g.kind == RuleGroup::Kind::person ? "attendees" : "room",
             g.kind == RuleGroup::Kind::person ? person_text(plan, g.resource) : g.resource,
             a.pos});
        break;
      }
    }
  }
  return out;
}

// At most `limit` parts, then how many more: no explanation longer than a page.
std::string join_parts(const std::vector<std::string> &parts, std::size_t limit = 12) {
  std::string msg;
  for (std::size_t k = 0; k < parts.size() && k < limit; ++k)
    msg += (k ? "; " : "") + parts[k];
  if (parts.size() > limit)
    msg += "; and " + std::to_string(parts.size() - limit) + " more";
  return msg;
}

std::string resource_text(const Plan &plan, const std::string &resource_id) {
  if (resource_id.starts_with("person:"))
    return person_text(plan, resource_id.substr(7));
  const std::string id = resource_id.substr(5);
  for (const Room &room : plan.rooms)
    if (room.id == id && !room.name.empty())
      return "room " + id + " (" + room.name + ")";
  return "room " + id;
}

std::string hours_text(long minutes) {
  if (minutes % 60 == 0)
    return std::to_string(minutes / 60) + "h";
  return format_gap(minutes);
}

} // namespace

// The story of a negative cycle; explain_cycle adds the rules it rests on.
Conflict explain_cycle_text(const Plan &plan, const Model &m, const std::vector<int> &cycle_in);

Conflict explain_cycle(const Plan &plan, const Model &m, const std::vector<int> &cycle_in) {
  Conflict out = explain_cycle_text(plan, m, cycle_in);
  std::vector<RuleRef> refs;
  for (int ci : cycle_in) {
    const Constraint &c = m.constraints[static_cast<std::size_t>(ci)];
    const int node = c.from == m.origin() ? c.to : c.from;
    if (node == m.origin())
      continue;
    const auto &o = m.occs[static_cast<std::size_t>(node)];
    const Activity &a = plan.activities[static_cast<std::size_t>(o.activity)];
    RuleRef ref;
    if (c.kind == Constraint::Kind::window_lower || c.kind == Constraint::Kind::window_upper) {
      ref = window_ref(a);
    } else if (c.kind == Constraint::Kind::order_min || c.kind == Constraint::Kind::order_max) {
      const auto &owner =
          plan.activities[static_cast<std::size_t>(c.group ? c.group->activity : o.activity)];
      ref = order_ref(owner, owner.order[static_cast<std::size_t>(c.rule)]);
    } else {
      ref = {a.id, "count", "its occurrences in index order (count, min_gap, max_gap)", a.pos};
    }
    if (std::find(refs.begin(), refs.end(), ref) == refs.end())
      refs.push_back(ref);
  }
  out.rules = std::move(refs);
  return out;
}

Conflict explain_cycle_text(const Plan &plan, const Model &m, const std::vector<int> &cycle_in) {
  Conflict out;
  std::vector<int> cycle = cycle_in;
  long total = 0;
  std::vector<std::string> ids;
  for (int ci : cycle) {
    const Constraint &c = m.constraints[static_cast<std::size_t>(ci)];
    total += c.c;
    for (int node : {c.from, c.to})
      if (node != m.origin())
        ids.push_back(activity_of(plan, m, node).id);
  }
  out.activities = sorted_unique(ids);
  // Start the story at the origin when the windows take part.
  auto at_origin = std::find_if(cycle.begin(), cycle.end(), [&](int ci) {
    return m.constraints[static_cast<std::size_t>(ci)].from == m.origin();
  });
  if (at_origin != cycle.end())
    std::rotate(cycle.begin(), at_origin, cycle.end());
  const std::string shortfall = format_gap(total);

  auto constraint = [&](std::size_t k) -> const Constraint & {
    return m.constraints[static_cast<std::size_t>(cycle[k])];
  };
  if (at_origin != cycle.end() && cycle.size() >= 3 &&
      constraint(0).kind == Constraint::Kind::window_lower &&
      constraint(cycle.size() - 1).kind == Constraint::Kind::window_upper) {
    // origin → A (earliest), links A → … → B, B → origin (latest).
    const int a = constraint(0).to;
    const int b = constraint(cycle.size() - 1).from;
    const OccSpec &oa = m.occs[static_cast<std::size_t>(a)];
    const OccSpec &ob = m.occs[static_cast<std::size_t>(b)];
    const long earliest_end = constraint(0).c + oa.duration;
    std::string msg;
    if (cycle.size() == 3 && (constraint(1).kind == Constraint::Kind::order_min ||
                              constraint(1).kind == Constraint::Kind::index_order)) {
      const long gap = constraint(1).c - oa.duration;
      msg = subject(plan, m, b) + " (" + describe_window(m, ob, activity_of(plan, m, b)) +
            ") must come " + gap_phrase(gap) + "after " + m.occ_id(plan, a) +
            ", which cannot end before " + format_minute(m, earliest_end);
    } else {
      msg = m.occ_id(plan, a) + " (" + describe_window(m, oa, activity_of(plan, m, a)) +
            ") cannot end before " + format_minute(m, earliest_end);
      for (std::size_t k = 1; k + 1 < cycle.size(); ++k)
        msg += "; " + link_text(plan, m, constraint(k));
      msg += "; but " + subject(plan, m, b) + " (" +
             describe_window(m, ob, activity_of(plan, m, b)) + ") must start by " +
             format_minute(m, -constraint(cycle.size() - 1).c);
    }
    out.message = msg + " — " + shortfall + " too late";
    return out;
  }
  std::string msg = "these rules cannot all hold: ";
  bool first = true;
  for (std::size_t k = 0; k < cycle.size(); ++k) {
    const Constraint &c = constraint(k);
    std::string part;
    if (c.kind == Constraint::Kind::window_lower)
      part =
          m.occ_id(plan, c.to) + " (" +
          describe_window(m, m.occs[static_cast<std::size_t>(c.to)], activity_of(plan, m, c.to)) +
          ") cannot start before " + format_minute(m, c.c);
    else if (c.kind == Constraint::Kind::window_upper)
      part = m.occ_id(plan, c.from) + " must start by " + format_minute(m, -c.c);
    else
      part = link_text(plan, m, c);
    msg += (first ? "" : "; ") + part;
    first = false;
  }
  out.message = msg + " — " + shortfall + " short";
  return out;
}

std::optional<Conflict> explain_search_failure(const Plan &plan, const Model &m, int failed,
                                               std::chrono::steady_clock::time_point deadline) {
  const std::size_t n_act = plan.activities.size();
  // Activities linked by order rules or a shared person/room form components.
  std::vector<std::size_t> parent(n_act);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::size_t x) {
    while (parent[x] != x)
      x = parent[x] = parent[parent[x]];
    return x;
  };
  auto unite = [&](int a, int b) {
    parent[find(static_cast<std::size_t>(a))] = find(static_cast<std::size_t>(b));
  };
  for (const Constraint &c : m.constraints)
    if (c.from != m.origin() && c.to != m.origin())
      unite(m.occs[static_cast<std::size_t>(c.from)].activity,
            m.occs[static_cast<std::size_t>(c.to)].activity);
  std::map<int, int> first_user;
  for (const OccSpec &o : m.occs)
    for (int r : o.resources) {
      auto [it, fresh] = first_user.emplace(r, o.activity);
      if (!fresh)
        unite(it->second, o.activity);
    }
  const int failed_act = failed >= 0 ? m.occs[static_cast<std::size_t>(failed)].activity : 0;

  Disabled disabled;
  disabled.previous = m.previous;
  disabled.replan = m.replan;
  std::vector<int> candidates;
  // A capacity argument at the root names its own small set: start there.
  std::set<int> seed;
  if (check_stn(m).consistent)
    if (const auto shortfall = root_capacity_shortfall(m))
      for (int i : shortfall->occurrences)
        seed.insert(m.occs[static_cast<std::size_t>(i)].activity);
  long calls = 0;
  bool seeded = false;
  if (!seed.empty()) {
    Disabled trial = disabled;
    for (std::size_t a = 0; a < n_act; ++a)
      if (!seed.contains(static_cast<int>(a)))
        trial.activities.insert(static_cast<int>(a));
    if (oracle_infeasible(plan, trial, calls, deadline)) {
      disabled = trial;
      candidates.assign(seed.begin(), seed.end());
      seeded = true;
    }
  }
  for (std::size_t a = 0; a < n_act && !seeded; ++a) {
    if (find(a) == find(static_cast<std::size_t>(failed_act)))
      candidates.push_back(static_cast<int>(a));
    else
      disabled.activities.insert(static_cast<int>(a));
  }
  constexpr long max_calls = 400;
  // Deletion filtering needs a proof to start from; the explanation has a
  // budget of its own beyond the search's deadline, so a tiny plan is always
  // explained.
  deadline = std::max(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(2));
  if (!seeded && !oracle_infeasible(plan, disabled, calls, deadline)) {
    disabled.activities.clear(); // the component alone is fine: keep everything
    candidates.resize(n_act);
    std::iota(candidates.begin(), candidates.end(), 0);
    if (!oracle_infeasible(plan, disabled, calls, deadline))
      return std::nullopt; // no proof: the caller reports an honest stop
  }
  // Deletion filtering, first over whole activities, then over their rules.
  const std::vector<int> kept = needed_items(
      plan, candidates, disabled, calls, max_calls,
      [](Disabled &trial, int a) { trial.activities.insert(a); }, deadline);
  std::vector<RuleGroup> groups;
  std::map<std::string, std::set<int>> person_users, room_users;
  for (int a : kept) {
    const Activity &act = plan.activities[static_cast<std::size_t>(a)];
    groups.push_back({RuleGroup::Kind::window, a, -1, {}});
    for (std::size_t r = 0; r < act.order.size(); ++r)
      groups.push_back({RuleGroup::Kind::order, a, static_cast<int>(r), {}});
    if (act.min_gap_minutes || act.max_gap_minutes)
      groups.push_back({RuleGroup::Kind::min_gap, a, -1, {}});
    if (act.busy) {
      for (const auto &p : act.people)
        person_users[p].insert(a);
      if (act.room)
        room_users[*act.room].insert(a);
    }
  }
  for (auto &[p, users] : person_users)
    groups.push_back({RuleGroup::Kind::person, -1, -1, p});
  for (auto &[r, users] : room_users)
    groups.push_back({RuleGroup::Kind::room, -1, -1, r});
  const std::vector<RuleGroup> needed = needed_items(
      plan, groups, disabled, calls, max_calls,
      [](Disabled &trial, const RuleGroup &g) { trial.groups.insert(g); }, deadline);

  // The story: what each activity needs, then the shared people and rooms.
  const Model reduced = build_model(plan, disabled, disabled.previous, disabled.replan);
  Conflict out;
  std::vector<std::string> ids;
  for (int a : kept)
    ids.push_back(plan.activities[static_cast<std::size_t>(a)].id);
  out.activities = sorted_unique(ids);
  std::string msg;
  for (std::size_t k = 0; k < out.activities.size(); ++k)
    msg += (k == 0 ? "" : k + 1 == out.activities.size() ? " and " : ", ") + out.activities[k];
  msg += out.activities.size() == 2 ? " cannot both be placed: " : " cannot all be placed: ";
  std::vector<std::string> parts;
  for (int a : kept) {
    const Activity &act = plan.activities[static_cast<std::size_t>(a)];
    int count = 0;
    const OccSpec *first = nullptr;
    for (const OccSpec &o : reduced.occs)
      if (o.activity == a && !o.optional) {
        ++count;
        if (!first)
          first = &o;
      }
    if (!first)
      continue;
    std::string part = act.id + " needs " + (count > 1 ? std::to_string(count) + " × " : "") +
                       format_gap(first->duration);
    const bool window_kept =
        std::find(needed.begin(), needed.end(), RuleGroup{RuleGroup::Kind::window, a, -1, {}}) !=
        needed.end();
    if (window_kept)
      part += " in " + describe_window(reduced, *first, act);
    parts.push_back(part);
  }
  for (const RuleGroup &g : needed) {
    if (g.kind == RuleGroup::Kind::order) {
      const Activity &act = plan.activities[static_cast<std::size_t>(g.activity)];
      parts.push_back(order_rule_text(act, act.order[static_cast<std::size_t>(g.rule)]));
    } else if (g.kind == RuleGroup::Kind::min_gap) {
      const Activity &act = plan.activities[static_cast<std::size_t>(g.activity)];
      std::string text = act.id + ":";
      if (act.min_gap_minutes)
        text += " min_gap " + format_gap(*act.min_gap_minutes);
      if (act.max_gap_minutes)
        text += " max_gap " + format_gap(*act.max_gap_minutes);
      parts.push_back(text);
    }
  }
  for (const RuleGroup &g : needed) {
    if (g.kind == RuleGroup::Kind::person)
      parts.push_back("all need " + person_text(plan, g.resource) +
                      ", who cannot attend two at once");
    else if (g.kind == RuleGroup::Kind::room) {
      std::string name;
      for (const Room &room : plan.rooms)
        if (room.id == g.resource && !room.name.empty())
          name = " (" + room.name + ")";
      parts.push_back("all need room " + g.resource + name + ", which holds one at a time");
    }
  }
  out.rules = rule_refs(plan, kept, needed);
  // A capacity argument reads best as one: the work against the free time.
  if (check_stn(reduced).consistent) {
    if (const auto shortfall = root_capacity_shortfall(reduced)) {
      const auto from = reduced.jan1 + date::days{shortfall->from / minutes_per_day};
      const auto to = reduced.jan1 + date::days{(shortfall->to - 1) / minutes_per_day};
      std::vector<std::string> names;
      for (int i : shortfall->occurrences)
        names.push_back(reduced.occ_id(plan, i));
      const std::string who =
          resource_text(plan, reduced.resource_ids[static_cast<std::size_t>(shortfall->resource)]);
      if (shortfall->fits >= 0) {
        out.message = who + " has room for only " + std::to_string(shortfall->fits) + " of " +
                      std::to_string(names.size()) + " occurrences of " +
                      hours_text(shortfall->piece) + " or more in " + format_days(from, to) + " (" +
                      hours_text(shortfall->free) +
                      " of free working time, in pieces the working hours cut) (" +
                      join_parts(names, 8) + ")";
        out.fix = "move " + std::to_string(static_cast<long>(names.size()) - shortfall->fits) +
                  " of them out of " + format_days(from, to) + " (widen a window) or take " + who +
                  " off one of them";
      } else {
        out.message = who + " has only " + hours_text(shortfall->free) +
                      " of free working time in " + format_days(from, to) + "; " +
                      std::to_string(names.size()) +
                      (names.size() == 1 ? " occurrence needs " : " occurrences need ") +
                      hours_text(shortfall->work) + " there (" + join_parts(names, 8) + ")";
        out.fix = "free " + hours_text(shortfall->work - shortfall->free) + " in " +
                  format_days(from, to) + ": widen a window, move a fixed event or take " + who +
                  " off one of them";
      }
      return out;
    }
  }
  out.message = msg + join_parts(parts);
  return out;
}

Conflict explain_fixed_overlap(const Plan &plan, const Model &m, const FixedOverlap &overlap) {
  const auto &a = m.occs[static_cast<std::size_t>(overlap.first)];
  const auto &b = m.occs[static_cast<std::size_t>(overlap.second)];
  const Activity &aa = plan.activities[static_cast<std::size_t>(a.activity)];
  const Activity &ab = plan.activities[static_cast<std::size_t>(b.activity)];
  Conflict out;
  out.activities = sorted_unique({aa.id, ab.id});
  out.message = m.occ_id(plan, overlap.first) + " (" + format_minute(m, a.fixed_start) + "–" +
                calendar::format_time_of_day(
                    static_cast<int>((a.fixed_start + a.duration) % minutes_per_day)) +
                ") and " + m.occ_id(plan, overlap.second) + " (" + format_minute(m, b.fixed_start) +
                ") are fixed events that both need " +
                resource_text(plan, m.resource_ids[static_cast<std::size_t>(overlap.resource)]) +
                " at the same time";
  out.rules = {window_ref(aa), window_ref(ab)};
  if (aa.id == ab.id)
    out.rules.pop_back();
  out.fix = "move one of them (its `when`/`at`), or take " +
            resource_text(plan, m.resource_ids[static_cast<std::size_t>(overlap.resource)]) +
            " off one";
  return out;
}

SearchStop describe_stop(const Plan &plan, const Model &m, const SearchResult &result,
                         std::chrono::milliseconds limit) {
  // Contention: where the search failed most, by resource and by ISO week.
  std::map<int, long> by_resource;
  std::map<long, long> by_week;
  for (std::size_t i = 0; i < result.failures.size(); ++i) {
    if (result.failures[i] == 0)
      continue;
    const OccSpec &o = m.occs[i];
    for (int r : o.resources)
      by_resource[r] += result.failures[i];
    const long day = o.start_days.empty() ? 0 : o.start_days.front();
    by_week[(day + calendar::weekday_index(m.jan1) + 6) / 7] += result.failures[i];
  }
  auto top = [](auto &counts, std::size_t k) {
    std::vector<std::pair<long, long>> v;
    for (auto &[key, n] : counts)
      v.emplace_back(-n, static_cast<long>(key));
    std::sort(v.begin(), v.end());
    if (v.size() > k)
      v.resize(k);
    return v;
  };
  SearchStop stop;
  std::vector<std::string> names;
  for (auto [n, r] : top(by_resource, 3))
    names.push_back(resource_text(plan, m.resource_ids[static_cast<std::size_t>(r)]));
  for (auto [n, w] : top(by_week, 2)) {
    const auto monday = m.jan1 + date::days{w * 7 - (calendar::weekday_index(m.jan1) + 6) % 7};
    names.push_back("the week of " + format_day(monday));
  }
  stop.contended = names;
  const auto seconds = std::chrono::duration<double>(limit).count();
  std::ostringstream text;
  text << "no schedule found within the time limit (" << seconds << " s, " << result.nodes
       << " placements tried, " << result.restarts
       << " restarts), and no proof that none exists: the plan may well be feasible";
  if (!names.empty()) {
    text << "; most contended: ";
    for (std::size_t k = 0; k < names.size(); ++k)
      text << (k ? ", " : "") << names[k];
  }
  text << ". Try a longer --time-limit, or widen the windows of the activities there";
  stop.message = text.str();
  return stop;
}

} // namespace xun::scheduler::detail
