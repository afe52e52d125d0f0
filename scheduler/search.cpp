// Depth-first search with restarts. Values are generated lazily, day by day
// in order of cost, so year-long windows never become materialised domains.
//
// The first dive orders values by soft cost (most plans are solved there, and
// well). When it fails, restarts order values earliest first (list
// scheduling), pick the variable with the least slack per conflict weight
// (dom/wdeg) with seeded tie-breaking, and grow their failure limits by the
// Luby sequence. Every placement is followed by temporal propagation and a
// forward check of the occurrences sharing a person or room: each one's
// bounds shrink to its first and last free start, and the temporal network
// carries that on to its successors.
#include "scheduler/search.hpp"

#include "scheduler/objective.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <span>
#include <tuple>
#include <utility>

namespace xun::scheduler::detail {
namespace {

using Busy = std::map<long, long>; // start → end, disjoint for placed occurrences

// The interval overlapping [s, e) that starts last, or end().
Busy::const_iterator overlapping(const Busy &busy, long s, long e) {
  auto it = busy.lower_bound(e);
  if (it == busy.begin())
    return busy.end();
  --it;
  return it->second > s ? it : busy.end();
}

// Facts may overlap each other: merge them into one interval.
void insert_merged(Busy &busy, long s, long e) {
  auto it = busy.upper_bound(s);
  if (it != busy.begin() && std::prev(it)->second >= s) {
    --it;
    s = it->first;
    e = std::max(e, it->second);
    it = busy.erase(it);
  }
  while (it != busy.end() && it->first <= e) {
    e = std::max(e, it->second);
    it = busy.erase(it);
  }
  busy.emplace(s, e);
}

struct Change {
  int node;
  long lb;
  long ub;
};

// Constraint indices per node in two flat arrays (one allocation, not one per
// node), each node's list in constraint order.
class Adjacency {
public:
  void build(std::size_t nodes, const std::vector<std::pair<int, int>> &node_constraint) {
    offset_.assign(nodes + 1, 0);
    for (auto [node, ci] : node_constraint)
      ++offset_[static_cast<std::size_t>(node) + 1];
    for (std::size_t v = 0; v < nodes; ++v)
      offset_[v + 1] += offset_[v];
    items_.resize(node_constraint.size());
    std::vector<std::size_t> fill(offset_.begin(), offset_.end() - 1);
    for (auto [node, ci] : node_constraint)
      items_[fill[static_cast<std::size_t>(node)]++] = ci;
  }
  std::span<const int> operator[](std::size_t node) const {
    return {items_.data() + offset_[node], offset_[node + 1] - offset_[node]};
  }

private:
  std::vector<std::size_t> offset_;
  std::vector<int> items_;
};

// Luby's restart sequence 1 1 2 1 1 2 4 1 1 2 …
long luby(long i) {
  long size = 1, seq = 0;
  while (size < i + 1) {
    ++seq;
    size = 2 * size + 1;
  }
  while (size - 1 != i) {
    size = (size - 1) / 2;
    --seq;
    i %= size;
  }
  return 1L << seq;
}

std::uint64_t mix(std::uint64_t x) { // splitmix64: deterministic tie-breaking
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

long weight(SoftRule r) { return soft_rule(r).weight; }

class Searcher {
public:
  Searcher(const Model &m, const SearchOptions &options)
      : m_(m), n_(m.occs.size()), options_(options) {
    lb_.assign(n_ + 1, 0);
    ub_.assign(n_ + 1, 0);
    start_.assign(n_, -1);
    saved_.assign(n_, -1);
    assigned_.assign(n_, 0);
    queued_.assign(n_ + 1, 0);
    fails_.assign(n_, 0);
    rank_.assign(n_, 0);
    target_.assign(n_, 0);
    busy_.resize(m.resource_ids.size());
    res_occs_.resize(m.resource_ids.size());
    person_day_.resize(m.resource_ids.size());
    for (std::size_t r = 0; r < m.resource_ids.size(); ++r)
      if (m.resource_ids[r].starts_with("person:"))
        person_day_[r].assign(static_cast<std::size_t>(m.days_in_year) + 1, 0);
    day_load_.assign(static_cast<std::size_t>(m.days_in_year) + 1, 0);
    {
      std::vector<std::pair<int, int>> out, in, all_out, all_in; // (node, constraint)
      for (std::size_t i = 0; i < m.constraints.size(); ++i) {
        const Constraint &c = m.constraints[i];
        const int ci = static_cast<int>(i);
        all_out.emplace_back(c.from, ci);
        all_in.emplace_back(c.to, ci);
        if (hard(c.from) && hard(c.to)) {
          out.emplace_back(c.from, ci);
          in.emplace_back(c.to, ci);
        }
      }
      out_.build(n_ + 1, out);
      in_.build(n_ + 1, in);
      all_out_.build(n_ + 1, all_out);
      all_in_.build(n_ + 1, all_in);
    }
    for (std::size_t i = 0; i < n_; ++i) {
      const OccSpec &o = m.occs[i];
      target_[i] = o.target_day;
      if (!o.fixed && !o.optional)
        for (int r : o.resources)
          res_occs_[static_cast<std::size_t>(r)].push_back(static_cast<int>(i));
    }
  }

  SearchResult run() {
    SearchResult result;
    // Fixed events first: they block their people and rooms.
    for (std::size_t i = 0; i < n_; ++i) {
      const OccSpec &o = m_.occs[i];
      lb_[i] = o.earliest();
      ub_[i] = o.latest();
      if (!o.fixed)
        continue;
      assigned_[i] = 1;
      start_[i] = o.fixed_start;
      for (int r : o.resources)
        insert_merged(busy_[static_cast<std::size_t>(r)], o.fixed_start,
                      o.fixed_start + o.duration);
      count_days(o, o.fixed_start, +1);
    }
    if (!propagate_all_nodes() || !tighten_all()) {
      result.failed = first_empty();
      result.exhausted = true;
      return result;
    }
    trail_.clear();
    spread_targets();

    for (long restart = 0;; ++restart) {
      soft_order_ = restart == 0;
      if (restart > 0) {
        for (std::size_t i = 0; i < n_; ++i)
          rank_[i] = mix(static_cast<std::uint64_t>(restart) * 1'000'003ULL + i);
      }
      const long limit =
          options_.complete || restart == 0
              ? (options_.complete ? -1 : std::max<long>(200, 2 * static_cast<long>(n_)))
              : 50 * luby(restart);
      const Dive dive = dive_once(result, limit);
      result.restarts = restart;
      if (dive == Dive::found) {
        place_optional();
        if (options_.improve)
          result.moves = improve();
        result.found = true;
        result.start = start_;
        break;
      }
      if (dive == Dive::exhausted) {
        result.exhausted = true;
        break;
      }
      if (dive == Dive::out_of_budget) {
        result.gave_up = true;
        break;
      }
    }
    result.failures.assign(fails_.begin(), fails_.end());
    return result;
  }

private:
  enum class Dive { found, exhausted, restart, out_of_budget };

  // One depth-first dive from the root; `limit` failures (−1: none) before
  // it gives up for a restart. Leaves the state at the root unless found.
  Dive dive_once(SearchResult &result, long limit) {
    rebuild_order();
    long failures = 0;
    std::size_t depth = 0;
    auto open = [&](int v) {
      if (depth == stack_.size())
        stack_.emplace_back();
      Frame &f = stack_[depth++];
      f.var = v;
      rank_days(v, f.days);
      f.cands.clear();
      f.cand_cursor = 0;
      f.trail_mark = 0;
      f.placed = false;
      // Phase saving: a restart first tries where the last dive put it.
      const auto vi = static_cast<std::size_t>(v);
      f.saved = !soft_order_ && saved_[vi] >= lb_[vi] && saved_[vi] <= ub_[vi] ? saved_[vi] : -1;
    };
    auto unwind = [&] {
      while (depth > 0) {
        Frame &f = stack_[--depth];
        if (f.placed) {
          unplace(f.var, f.trail_mark);
          f.placed = false;
        }
      }
    };
    int v0 = select();
    if (v0 < 0)
      return Dive::found;
    open(v0);
    while (depth > 0) {
      Frame &f = stack_[depth - 1];
      if (f.placed) {
        unplace(f.var, f.trail_mark);
        f.placed = false;
      }
      long s = -1;
      if (f.saved >= 0) { // phase saving: not counted against the budget
        const long saved = f.saved;
        f.saved = -1;
        const OccSpec &o = m_.occs[static_cast<std::size_t>(f.var)];
        if (free_for(o, saved, saved + o.duration)) {
          s = saved;
          ++result.nodes;
        }
      }
      if (s < 0) {
        int day = 0;
        while (f.cand_cursor == f.cands.size() && next_day(f.var, f.days, day)) {
          day_candidates(f.var, day, f.cands);
          f.cand_cursor = 0;
        }
        if (f.cand_cursor == f.cands.size()) {
          ++fails_[static_cast<std::size_t>(f.var)];
          if (result.failed < 0 || depth > deepest_) {
            result.failed = f.var;
            deepest_ = depth;
          }
          --depth;
          if (depth > 0)
            note_slack(static_cast<std::size_t>(f.var));
          if (limit >= 0 && ++failures > limit) {
            unwind();
            return Dive::restart;
          }
          continue;
        }
        s = f.cands[f.cand_cursor++];
        if (++result.nodes > options_.node_budget ||
            ((result.nodes & 255) == 0 && std::chrono::steady_clock::now() > options_.deadline)) {
          unwind();
          return Dive::out_of_budget;
        }
      }
      f.trail_mark = trail_.size();
      f.placed = true;
      if (!place(f.var, s))
        continue;
      const int next = select();
      if (next < 0)
        return Dive::found;
      open(next);
    }
    return Dive::exhausted;
  }

  bool hard(int node) const {
    return node == static_cast<int>(n_) || !m_.occs[static_cast<std::size_t>(node)].optional;
  }

  int first_empty() const {
    if (wiped_ >= 0)
      return wiped_;
    for (std::size_t i = 0; i < n_; ++i)
      if (lb_[i] > ub_[i])
        return static_cast<int>(i);
    return 0;
  }

  void set(std::size_t node, long lb, long ub) {
    trail_.push_back({static_cast<int>(node), lb_[node], ub_[node]});
    lb_[node] = lb;
    ub_[node] = ub;
    note_slack(node);
  }

  // Label-correcting propagation from the nodes in queue_ (first-in first-out).
  bool propagate() {
    for (std::size_t k = 0; k < queue_.size(); ++k)
      queued_[queue_[k]] = 1;
    std::size_t head = 0;
    bool ok = true;
    auto push = [&](std::size_t w) {
      if (!queued_[w]) {
        queued_[w] = 1;
        queue_.push_back(w);
      }
    };
    auto fail = [&](std::size_t w) {
      wiped_ = static_cast<int>(w);
      ok = false;
    };
    while (head < queue_.size() && ok) {
      const std::size_t v = queue_[head++];
      queued_[v] = 0;
      for (int ci : out_[v]) {
        const Constraint &c = m_.constraints[static_cast<std::size_t>(ci)];
        const auto w = static_cast<std::size_t>(c.to);
        if (lb_[v] + c.c > lb_[w]) {
          set(w, lb_[v] + c.c, ub_[w]);
          if (lb_[w] > ub_[w]) {
            fail(w);
            break;
          }
          push(w);
        }
      }
      if (!ok)
        break;
      for (int ci : in_[v]) {
        const Constraint &c = m_.constraints[static_cast<std::size_t>(ci)];
        const auto w = static_cast<std::size_t>(c.from);
        if (ub_[v] - c.c < ub_[w]) {
          set(w, lb_[w], ub_[v] - c.c);
          if (lb_[w] > ub_[w]) {
            fail(w);
            break;
          }
          push(w);
        }
      }
    }
    for (std::size_t k = head; k < queue_.size(); ++k)
      queued_[queue_[k]] = 0;
    queue_.clear();
    return ok;
  }

  bool propagate_all_nodes() {
    queue_.clear();
    for (std::size_t v = 0; v <= n_; ++v) {
      if (v < n_ && m_.occs[v].optional)
        continue;
      if (lb_[v] > ub_[v]) {
        wiped_ = static_cast<int>(v);
        return false;
      }
      queue_.push_back(v);
    }
    return propagate();
  }

  // Root: every occurrence's bounds to its first and last free start.
  bool tighten_all() {
    for (std::size_t i = 0; i < n_; ++i) {
      if (assigned_[i] || m_.occs[i].optional)
        continue;
      if (!tighten(i))
        return false;
    }
    return propagate();
  }

  // Most constrained first: the least slack per conflict weight, ties by the
  // restart's random rank (by model order in the first dive). A min-heap
  // with lazy deletion: stale entries are dropped when they surface.
  bool selectable(std::size_t i) const { return i < n_ && !assigned_[i] && !m_.occs[i].optional; }

  double key(std::size_t i) const {
    return static_cast<double>(ub_[i] - lb_[i] + 1) / static_cast<double>(1 + fails_[i]);
  }

  void note_slack(std::size_t i) {
    if (!order_on_ || !selectable(i))
      return;
    order_.push_back({key(i), rank_[i], static_cast<int>(i)});
    std::push_heap(order_.begin(), order_.end(), std::greater<>{});
    if (order_.size() > 8 * (n_ + 64))
      rebuild_order(); // too many stale entries
  }

  void rebuild_order() {
    order_.clear();
    for (std::size_t i = 0; i < n_; ++i)
      if (selectable(i))
        order_.push_back({key(i), rank_[i], static_cast<int>(i)});
    std::make_heap(order_.begin(), order_.end(), std::greater<>{});
    order_on_ = true;
  }

  int select() {
    for (;;) {
      while (!order_.empty()) {
        const auto [k, rank, i] = order_.front();
        const auto ii = static_cast<std::size_t>(i);
        if (!assigned_[ii] && key(ii) == k)
          return i;
        std::pop_heap(order_.begin(), order_.end(), std::greater<>{});
        order_.pop_back();
      }
      // Every unplaced occurrence has a current entry; make sure of it once.
      bool missing = false;
      for (std::size_t i = 0; i < n_ && !missing; ++i)
        missing = selectable(i);
      if (!missing)
        return -1;
      rebuild_order();
    }
  }

  // Even spread over what the window and the predecessors leave: the k-th of
  // n occurrences of a period aims at the k-th share of the working days
  // between the group's earliest and latest possible start (at the root).
  void spread_targets() {
    std::map<std::pair<int, int>, std::vector<std::size_t>> groups; // (activity, period)
    for (std::size_t i = 0; i < n_; ++i) {
      const OccSpec &o = m_.occs[i];
      if (!o.fixed && !o.previous_start)
        groups[{o.activity, o.period}].push_back(i);
    }
    for (auto &[key, members] : groups) {
      const OccSpec &first = m_.occs[members.front()];
      long lo = std::numeric_limits<long>::max(), hi = std::numeric_limits<long>::min();
      for (std::size_t i : members) {
        lo = std::min(lo, lb_[i] / minutes_per_day);
        hi = std::max(hi, ub_[i] / minutes_per_day);
      }
      if (first.window.prefer != calendar::Prefer::none) {
        for (std::size_t i : members)
          target_[i] = static_cast<int>(
              std::clamp<long>(target_[i], lb_[i] / minutes_per_day, ub_[i] / minutes_per_day));
        continue;
      }
      std::vector<int> days;
      for (int d : first.start_days)
        if (d >= lo && d <= hi)
          days.push_back(d);
      if (days.empty())
        continue;
      const auto n = static_cast<double>(members.size());
      for (std::size_t k = 0; k < members.size(); ++k) {
        const auto pos = static_cast<std::size_t>((2.0 * static_cast<double>(k) + 1.0) *
                                                  static_cast<double>(days.size()) / (2.0 * n));
        target_[members[k]] = days[std::min(pos, days.size() - 1)];
      }
    }
  }

  long centre_day(std::size_t i) const {
    const OccSpec &o = m_.occs[i];
    if (!soft_order_)
      return lb_[i] / minutes_per_day;
    return o.previous_start ? *o.previous_start / minutes_per_day : static_cast<long>(target_[i]);
  }

  // The soft cost of starting occurrence i on `day`, given what is placed;
  // never less than 10 × the distance from the centre day (next_day relies
  // on it). Earliest-first (restarts): the distance alone.
  long day_cost(std::size_t i, int day) const {
    const OccSpec &o = m_.occs[i];
    const long distance = std::labs(day - centre_day(i)) * weight(SoftRule::spread);
    if (!soft_order_)
      return distance;
    long cost = distance;
    if (o.previous_start && day != *o.previous_start / minutes_per_day)
      cost += weight(SoftRule::keep_place);
    if (o.prefer_weekdays &&
        !(*o.prefer_weekdays)[calendar::weekday_index(m_.jan1 + date::days{day})])
      cost += weight(SoftRule::prefer);
    const int days = o.all_day ? std::max(1, o.days) : 1;
    for (int j = 0; j < days && day + j < m_.days_in_year; ++j) {
      const auto d = static_cast<std::size_t>(day + j);
      if (m_.avoid[d] == 1)
        cost += weight(SoftRule::makeup_day);
      else if (m_.avoid[d] == 2)
        cost += weight(SoftRule::holiday_edge);
      else if (m_.avoid[d] == 3)
        cost += weight(SoftRule::likely_holiday);
      if (o.busy) {
        cost += weight(SoftRule::day_peak) * day_load_[d];
        for (int r : o.resources)
          if (!person_day_[static_cast<std::size_t>(r)].empty())
            cost += weight(SoftRule::same_day) * person_day_[static_cast<std::size_t>(r)][d];
      }
    }
    return cost;
  }

  long start_cost(const OccSpec &o, long s) const {
    long cost = 0;
    if (o.previous_start && *o.previous_start != s)
      cost += 2;
    if (o.prefer_time) {
      const long base = s / minutes_per_day * minutes_per_day;
      if (!(s >= base + o.prefer_time->from && s + o.duration <= base + o.prefer_time->to))
        cost += weight(SoftRule::prefer);
    }
    if (!o.all_day && s % 30 != 0)
      cost += weight(SoftRule::on_the_hour);
    return cost;
  }

  // The allowed start days within the bounds, cheapest first (ties: earlier
  // day), produced lazily: days are visited outward from the centre day and
  // held in a small heap until no unvisited day can be cheaper.
  struct DayOrder {
    std::size_t begin = 0, end = 0;  // the allowed days within the bounds
    std::size_t left = 0, right = 0; // unvisited: [begin, left) and [right, end)
    long centre = 0;
    std::vector<std::pair<long, int>> pending; // min-heap of visited (cost, day)
  };

  void rank_days(int v, DayOrder &order) const {
    const auto vi = static_cast<std::size_t>(v);
    const OccSpec &o = m_.occs[vi];
    const long lo = lb_[vi], hi = ub_[vi];
    const auto days_begin = o.start_days.begin();
    auto first =
        std::lower_bound(days_begin, o.start_days.end(), static_cast<int>(lo / minutes_per_day));
    const auto last = std::partition_point(first, o.start_days.end(),
                                           [hi](int d) { return d * minutes_per_day <= hi; });
    order.begin = static_cast<std::size_t>(first - days_begin);
    order.end = static_cast<std::size_t>(last - days_begin);
    order.centre = centre_day(vi);
    const auto mid = std::lower_bound(first, last, order.centre,
                                      [](int d, long c) { return static_cast<long>(d) < c; });
    order.left = order.right = static_cast<std::size_t>(mid - days_begin);
    order.pending.clear();
  }

  // The next day of the order into `day`; false when none is left. With
  // `below`, only days whose cost is under it.
  bool next_day(int v, DayOrder &order, int &day, long below = std::numeric_limits<long>::max(),
                long *cost = nullptr) const {
    const auto vi = static_cast<std::size_t>(v);
    const OccSpec &o = m_.occs[vi];
    const long unbounded = std::numeric_limits<long>::max();
    const long per_day = weight(SoftRule::spread);
    for (;;) {
      const long dl =
          order.left > order.begin ? order.centre - o.start_days[order.left - 1] : unbounded;
      const long dr =
          order.right < order.end ? o.start_days[order.right] - order.centre : unbounded;
      const long nearest = std::min(dl, dr);
      if (!order.pending.empty() &&
          (nearest == unbounded || order.pending.front().first < nearest * per_day)) {
        std::pop_heap(order.pending.begin(), order.pending.end(), std::greater<>{});
        const auto [c, d] = order.pending.back();
        order.pending.pop_back();
        if (c >= below)
          return false;
        day = d;
        if (cost)
          *cost = c;
        return true;
      }
      if (nearest == unbounded || (nearest < unbounded / per_day && nearest * per_day >= below))
        return false;
      const int d = dl <= dr ? o.start_days[--order.left] : o.start_days[order.right++];
      order.pending.emplace_back(day_cost(vi, d), d);
      std::push_heap(order.pending.begin(), order.pending.end(), std::greater<>{});
    }
  }

  bool free_for(const OccSpec &o, long s, long e) const {
    for (int r : o.resources)
      if (overlapping(busy_[static_cast<std::size_t>(r)], s, e) !=
          busy_[static_cast<std::size_t>(r)].end())
        return false;
    return true;
  }

  // The first start at or after `s` and at most `hi` at which all of o's
  // resources are free for its duration; hi + 1 when there is none.
  long first_free(const OccSpec &o, long s, long hi) const {
    while (s <= hi) {
      bool moved = false;
      for (int r : o.resources) {
        const Busy &busy = busy_[static_cast<std::size_t>(r)];
        auto it = overlapping(busy, s, s + o.duration);
        if (it != busy.end()) {
          s = it->second;
          moved = true;
        }
      }
      if (!moved)
        return s;
    }
    return hi + 1;
  }

  // The last free start at or before `s` and at least `lo`; lo − 1 if none.
  long last_free(const OccSpec &o, long s, long lo) const {
    while (s >= lo) {
      bool moved = false;
      for (int r : o.resources) {
        const Busy &busy = busy_[static_cast<std::size_t>(r)];
        auto it = overlapping(busy, s, s + o.duration);
        if (it != busy.end()) {
          // Any start that overlaps neither must end by the first blocker.
          auto first = it;
          while (first != busy.begin() && std::prev(first)->second > s)
            --first;
          s = first->first - o.duration;
          moved = true;
        }
      }
      if (!moved)
        return s;
    }
    return lo - 1;
  }

  // Shrinks i's bounds to its first and last free start (days, working
  // hours, people and rooms); false when none is left.
  bool tighten(std::size_t i) {
    const OccSpec &o = m_.occs[i];
    const long lo = lb_[i], hi = ub_[i];
    long first = -1, last = -1;
    auto d0 = std::lower_bound(o.start_days.begin(), o.start_days.end(),
                               static_cast<int>(lo / minutes_per_day));
    for (auto it = d0; it != o.start_days.end() && *it * minutes_per_day <= hi && first < 0; ++it) {
      const long base = *it * minutes_per_day;
      if (o.all_day) {
        if (base >= lo && free_for(o, base, base + o.duration))
          first = base;
        continue;
      }
      for (auto [a, b] : o.slots) {
        const long s = std::max(base + a, lo), e = std::min(base + b, hi);
        if (s > e)
          continue;
        const long f = first_free(o, s, e);
        if (f <= e) {
          first = f;
          break;
        }
      }
    }
    if (first < 0) {
      wiped_ = static_cast<int>(i);
      return false;
    }
    auto d1 = std::upper_bound(o.start_days.begin(), o.start_days.end(),
                               static_cast<int>(hi / minutes_per_day));
    for (auto it = std::make_reverse_iterator(d1);
         it != o.start_days.rend() && (*it + 1) * minutes_per_day > first && last < 0; ++it) {
      const long base = *it * minutes_per_day;
      if (o.all_day) {
        if (base <= hi && base >= first && free_for(o, base, base + o.duration))
          last = base;
        continue;
      }
      for (auto k = o.slots.size(); k-- > 0;) {
        const auto [a, b] = o.slots[k];
        const long s = std::max(base + a, first), e = std::min(base + b, hi);
        if (s > e)
          continue;
        const long l = last_free(o, e, s);
        if (l >= s) {
          last = l;
          break;
        }
      }
    }
    if (last < first)
      last = first;
    if (first != lo || last != hi) {
      set(i, first, last);
      queue_.push_back(i); // propagate() marks the queue itself
    }
    return true;
  }

  // Starts worth trying on one day: each free gap's earliest and latest start
  // (packing against neighbours), the first and last on the half hour, the
  // preferred time and the previous start; in complete mode every start.
  void day_candidates(int v, int day, std::vector<long> &out) {
    const auto vi = static_cast<std::size_t>(v);
    const OccSpec &o = m_.occs[vi];
    const long lo_bound = lb_[vi], hi_bound = ub_[vi];
    const long base = day * minutes_per_day;
    out.clear();
    if (o.all_day) {
      if (base >= lo_bound && base <= hi_bound && free_for(o, base, base + o.duration))
        out.push_back(base);
      return;
    }
    std::vector<std::pair<long, long>> &ranked = ranked_starts_; // (cost, start)
    ranked.clear();
    for (auto [a, b] : o.slots) {
      const long lo = std::max(base + a, lo_bound), hi = std::min(base + b, hi_bound);
      if (lo > hi)
        continue;
      std::vector<std::pair<long, long>> &blocked = blocked_;
      blocked.clear();
      for (int r : o.resources) {
        const Busy &busy = busy_[static_cast<std::size_t>(r)];
        auto it = busy.upper_bound(lo);
        if (it != busy.begin())
          --it;
        for (; it != busy.end() && it->first < hi + o.duration; ++it)
          if (it->second > lo)
            blocked.push_back(*it);
      }
      std::sort(blocked.begin(), blocked.end());
      long cursor = lo;
      auto add = [&](long p) { ranked.emplace_back(soft_order_ ? start_cost(o, p) : 0, p); };
      auto add_gap = [&](long gap_start, long gap_end) {
        const long first = std::max(gap_start, lo), last = std::min(gap_end - o.duration, hi);
        if (first > last)
          return;
        if (options_.complete) {
          for (long p = first; p <= last; p += m_.granularity)
            add(p);
          add(last);
          return;
        }
        add(first);
        add(last);
        const long half_up = (first + 29) / 30 * 30, half_down = last / 30 * 30;
        if (half_up > first && half_up <= last)
          add(half_up);
        if (half_down < last && half_down >= first && half_down != half_up)
          add(half_down);
        if (o.prefer_time) {
          const long p = base + o.prefer_time->from;
          if (p > first && p < last)
            add(p);
        }
        if (o.previous_start && *o.previous_start >= first && *o.previous_start <= last)
          add(*o.previous_start);
      };
      for (auto &[bs, be] : blocked) {
        if (bs > cursor)
          add_gap(cursor, bs);
        cursor = std::max(cursor, be);
      }
      add_gap(cursor, hi + o.duration);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto &x, const auto &y) { return x.first < y.first; });
    if (!soft_order_)
      std::stable_sort(ranked.begin(), ranked.end(),
                       [](const auto &x, const auto &y) { return x.second < y.second; });
    for (auto &[cost, s] : ranked)
      if (std::find(out.begin(), out.end(), s) == out.end())
        out.push_back(s);
  }

  void count_days(const OccSpec &o, long s, int delta) {
    if (!o.busy)
      return;
    const long first = s / minutes_per_day;
    const int days = o.all_day ? std::max(1, o.days) : 1;
    for (long d = first; d < first + days; ++d) {
      if (d < 0 || d >= m_.days_in_year)
        continue;
      const auto di = static_cast<std::size_t>(d);
      day_load_[di] += delta;
      for (int r : o.resources)
        if (!person_day_[static_cast<std::size_t>(r)].empty())
          person_day_[static_cast<std::size_t>(r)][di] += delta;
    }
  }

  bool place(int v, long s) {
    const auto vi = static_cast<std::size_t>(v);
    const OccSpec &o = m_.occs[vi];
    assigned_[vi] = 1;
    start_[vi] = s;
    saved_[vi] = s;
    const long e = s + o.duration;
    for (int r : o.resources)
      busy_[static_cast<std::size_t>(r)].emplace(s, e);
    count_days(o, s, +1);
    set(vi, s, s);
    queue_.clear();
    queue_.push_back(vi);
    if (!propagate())
      return fail_on(vi);
    // Forward check: the others on v's people and rooms that could overlap it.
    for (int r : o.resources)
      for (int w : res_occs_[static_cast<std::size_t>(r)]) {
        const auto wi = static_cast<std::size_t>(w);
        // Only a blocked first or last start moves a bound: the others stay free.
        const long dw = m_.occs[wi].duration;
        if (assigned_[wi] ||
            !((s < lb_[wi] + dw && e > lb_[wi]) || (s < ub_[wi] + dw && e > ub_[wi])))
          continue;
        if (!tighten(wi))
          return fail_on(vi);
      }
    if (!queue_.empty() && !propagate())
      return fail_on(vi);
    return capacity_ok(o);
  }

  bool fail_on(std::size_t v) {
    queue_.clear();
    if (wiped_ >= 0 && static_cast<std::size_t>(wiped_) != v) {
      ++fails_[static_cast<std::size_t>(wiped_)];
      note_slack(static_cast<std::size_t>(wiped_));
    }
    return false;
  }

  void unplace(int v, std::size_t mark) {
    const auto vi = static_cast<std::size_t>(v);
    const OccSpec &o = m_.occs[vi];
    for (int r : o.resources)
      busy_[static_cast<std::size_t>(r)].erase(start_[vi]);
    count_days(o, start_[vi], -1);
    assigned_[vi] = 0;
    start_[vi] = -1;
    while (trail_.size() > mark) {
      const Change &c = trail_.back();
      const auto node = static_cast<std::size_t>(c.node);
      lb_[node] = c.lb;
      ub_[node] = c.ub;
      trail_.pop_back();
      note_slack(node);
    }
    note_slack(vi);
  }

  // The remaining timed work of a person must fit in the free working time of
  // the days it can use; gaps shorter than any remaining piece are lost.
  bool capacity_ok(const OccSpec &placed) const {
    for (int r : placed.resources) {
      long work = 0, shortest = std::numeric_limits<long>::max();
      long from = std::numeric_limits<long>::max(), to = 0;
      for (int i : res_occs_[static_cast<std::size_t>(r)]) {
        const auto ii = static_cast<std::size_t>(i);
        if (assigned_[ii])
          continue;
        const OccSpec &o = m_.occs[ii];
        if (o.all_day)
          return true; // a relaxation only for timed work
        work += o.duration;
        shortest = std::min(shortest, o.duration);
        from = std::min(from, lb_[ii]);
        to = std::max(to, ub_[ii] + o.duration);
      }
      if (work == 0 || to - from > 31 * minutes_per_day)
        continue;
      const Busy &busy = busy_[static_cast<std::size_t>(r)];
      long free = 0;
      for (long day = from / minutes_per_day; day * minutes_per_day < to && free < work; ++day) {
        if (day < 0 || day >= m_.days_in_year || !m_.working[static_cast<std::size_t>(day)])
          continue;
        for (auto [a, b] : m_.hours) {
          const long lo = std::max(day * minutes_per_day + a, from);
          const long hi = std::min(day * minutes_per_day + b, to);
          if (lo >= hi)
            continue;
          long cursor = lo;
          auto count = [&](long gs, long ge) {
            if (ge - gs >= shortest)
              free += ge - gs;
          };
          auto it = busy.upper_bound(lo);
          if (it != busy.begin())
            --it;
          for (; it != busy.end() && it->first < hi; ++it) {
            if (it->second <= cursor)
              continue;
            if (it->first > cursor)
              count(cursor, it->first);
            cursor = std::max(cursor, it->second);
          }
          if (cursor < hi)
            count(cursor, hi);
        }
      }
      if (free < work)
        return false;
    }
    return true;
  }

  // The bounds occurrence i may move within while everything else stays:
  // its window and every rule with a placed occurrence.
  std::pair<long, long> movable_bounds(std::size_t i) const {
    const OccSpec &o = m_.occs[i];
    long lo = o.earliest(), hi = o.latest();
    for (int ci : all_in_[i]) {
      const Constraint &c = m_.constraints[static_cast<std::size_t>(ci)];
      const auto from = static_cast<std::size_t>(c.from);
      if (from == n_)
        lo = std::max(lo, c.c);
      else if (assigned_[from])
        lo = std::max(lo, start_[from] + c.c);
    }
    for (int ci : all_out_[i]) {
      const Constraint &c = m_.constraints[static_cast<std::size_t>(ci)];
      const auto to = static_cast<std::size_t>(c.to);
      if (to == n_)
        hi = std::min(hi, -c.c);
      else if (assigned_[to])
        hi = std::min(hi, start_[to] - c.c);
    }
    return {lo, hi};
  }

  // The cheapest free start within [lo, hi] whose cost is below `below`;
  // −1 when none is.
  long cheapest_start(std::size_t i, long lo, long hi, long below, long &best_cost) {
    const OccSpec &o = m_.occs[i];
    lb_[i] = lo;
    ub_[i] = hi;
    DayOrder days;
    rank_days(static_cast<int>(i), days);
    long best = -1;
    best_cost = below;
    int day = 0;
    long dcost = 0;
    std::vector<long> cands;
    while (next_day(static_cast<int>(i), days, day, best_cost, &dcost)) {
      day_candidates(static_cast<int>(i), day, cands);
      for (long s : cands) {
        const long c = dcost + start_cost(o, s);
        if (c < best_cost) {
          best_cost = c;
          best = s;
        }
      }
    }
    return best;
  }

  void take(std::size_t i, long s) {
    const OccSpec &o = m_.occs[i];
    assigned_[i] = 1;
    start_[i] = s;
    for (int r : o.resources)
      busy_[static_cast<std::size_t>(r)].emplace(s, s + o.duration);
    count_days(o, s, +1);
  }

  void release(std::size_t i) {
    const OccSpec &o = m_.occs[i];
    for (int r : o.resources)
      busy_[static_cast<std::size_t>(r)].erase(start_[i]);
    count_days(o, start_[i], -1);
    assigned_[i] = 0;
  }

  // Optional occurrences (the soft part of count A-B) go where they fit
  // without moving anything already placed, in index order.
  // Once one is left out, the later ones of its period are too: they would
  // otherwise be ordered only against the hard ones and could overlap.
  // They go earliest first, so as many fit as can; the descent spreads them.
  void place_optional() {
    soft_order_ = false;
    std::pair<int, int> left_out{-1, -1}; // (activity, period)
    for (std::size_t i = 0; i < n_; ++i) {
      const OccSpec &o = m_.occs[i];
      if (!o.optional || left_out == std::pair{o.activity, o.period})
        continue;
      const auto [lo, hi] = movable_bounds(i);
      long cost = 0;
      const long s =
          lo <= hi ? cheapest_start(i, lo, hi, std::numeric_limits<long>::max(), cost) : -1;
      if (s >= 0)
        take(i, s);
      else
        left_out = {o.activity, o.period};
    }
  }

  // Descent on the soft objective: each occurrence in turn moves to its
  // cheapest free start if that is strictly cheaper, everything else fixed.
  long improve() {
    soft_order_ = true;
    long moves = 0;
    for (int round = 0; round < 4; ++round) {
      long moved = 0;
      for (std::size_t i = 0; i < n_; ++i) {
        const OccSpec &o = m_.occs[i];
        if (o.fixed || !assigned_[i])
          continue;
        if (std::chrono::steady_clock::now() > options_.deadline)
          return moves + moved;
        const long s0 = start_[i];
        release(i);
        const long c0 = day_cost_at(i, s0) + start_cost(o, s0);
        const auto [lo, hi] = movable_bounds(i);
        long cost = 0;
        const long s = lo <= hi ? cheapest_start(i, lo, hi, c0, cost) : -1;
        if (s >= 0 && cost < c0) {
          take(i, s);
          ++moved;
        } else {
          take(i, s0);
        }
      }
      moves += moved;
      if (moved == 0)
        break;
    }
    return moves;
  }

  long day_cost_at(std::size_t i, long s) {
    return day_cost(i, static_cast<int>(s / minutes_per_day));
  }

  const Model &m_;
  std::size_t n_;
  SearchOptions options_;
  std::vector<long> lb_, ub_, start_, saved_;
  std::vector<char> assigned_, queued_;
  std::vector<long> fails_;
  std::vector<std::uint64_t> rank_;
  std::vector<int> target_;
  Adjacency out_, in_, all_out_, all_in_;
  std::vector<Busy> busy_;
  std::vector<std::vector<int>> res_occs_;
  std::vector<std::vector<int>> person_day_; // persons only: busy occurrences per day
  std::vector<int> day_load_;
  std::vector<Change> trail_;
  std::size_t deepest_ = 0;
  int wiped_ = -1;
  bool soft_order_ = true;
  struct Frame {
    int var = -1;
    DayOrder days;           // the days not yet tried
    std::vector<long> cands; // starts of the current day, in order
    std::size_t cand_cursor = 0;
    std::size_t trail_mark = 0;
    bool placed = false;
    long saved = -1; // the previous dive's start, tried first
  };
  std::vector<Frame> stack_;
  std::vector<std::size_t> queue_;
  std::vector<std::tuple<double, std::uint64_t, int>> order_; // (key, rank, occurrence)
  bool order_on_ = false;
  std::vector<std::pair<long, long>> ranked_starts_, blocked_;
};

} // namespace

SearchResult search(const Model &model, const SearchOptions &options) {
  Searcher searcher(model, options);
  return searcher.run();
}

} // namespace xun::scheduler::detail
