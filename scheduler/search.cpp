// Depth-first search with chronological backtracking. Values are generated
// lazily, day by day in order of soft cost, so year-long windows never become
// materialised domains.
#include "scheduler/search.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <span>
#include <utility>

namespace xun::scheduler::detail {
namespace {

using Busy = std::map<long, long>; // start → end, disjoint for placed occurrences

bool overlaps(const Busy &busy, long s, long e) {
  auto it = busy.upper_bound(s);
  if (it != busy.begin() && std::prev(it)->second > s)
    return true;
  return it != busy.end() && it->first < e;
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

class Searcher {
public:
  explicit Searcher(const Model &m) : m_(m), n_(m.occs.size()) {
    lb_.assign(n_ + 1, 0);
    ub_.assign(n_ + 1, 0);
    start_.assign(n_, -1);
    assigned_.assign(n_, 0);
    queued_.assign(n_ + 1, 0);
    busy_.resize(m.resource_ids.size());
    res_occs_.resize(m.resource_ids.size());
    {
      std::vector<std::pair<int, int>> out, in, all_out, all_in; // (node, constraint)
      all_out.reserve(m.constraints.size());
      all_in.reserve(m.constraints.size());
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
      lb_[i] = o.earliest();
      ub_[i] = o.latest();
      if (!o.fixed && !o.optional)
        for (int r : o.resources)
          res_occs_[static_cast<std::size_t>(r)].push_back(static_cast<int>(i));
    }
  }

  SearchResult run(long budget) {
    SearchResult result;
    // Fixed events first: they block their people and rooms.
    for (std::size_t i = 0; i < n_; ++i) {
      const OccSpec &o = m_.occs[i];
      if (!o.fixed)
        continue;
      assigned_[i] = 1;
      start_[i] = o.fixed_start;
      for (int r : o.resources)
        insert_merged(busy_[static_cast<std::size_t>(r)], o.fixed_start, o.fixed_start + o.duration);
    }
    if (!propagate_all_nodes()) {
      result.failed = first_empty();
      return result;
    }
    trail_.clear();
    rebuild_order();

    // Frames are reused by depth so their buffers keep their capacity.
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
    };
    int v0 = select();
    if (v0 < 0)
      return finish(result);
    open(v0);
    while (depth > 0) {
      Frame &f = stack_[depth - 1];
      if (f.placed) {
        unplace(f.var, f.trail_mark);
        f.placed = false;
      }
      int day = 0;
      while (f.cand_cursor == f.cands.size() && next_day(f.var, f.days, day)) {
        day_candidates(f.var, day, f.cands);
        f.cand_cursor = 0;
      }
      if (f.cand_cursor == f.cands.size()) {
        if (result.failed < 0 || depth > deepest_) {
          result.failed = f.var;
          deepest_ = depth;
        }
        --depth;
        continue;
      }
      const long s = f.cands[f.cand_cursor++];
      if (++result.nodes > budget) {
        result.gave_up = true;
        return result;
      }
      f.trail_mark = trail_.size();
      f.placed = true;
      if (!place(f.var, s))
        continue;
      const int next = select();
      if (next < 0)
        return finish(result);
      open(next);
    }
    return result;
  }

private:
  bool hard(int node) const {
    return node == static_cast<int>(n_) || !m_.occs[static_cast<std::size_t>(node)].optional;
  }

  int first_empty() const {
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
    while (head < queue_.size() && ok) {
      const std::size_t v = queue_[head++];
      queued_[v] = 0;
      for (int ci : out_[v]) {
        const Constraint &c = m_.constraints[static_cast<std::size_t>(ci)];
        const auto w = static_cast<std::size_t>(c.to);
        if (lb_[v] + c.c > lb_[w]) {
          set(w, lb_[v] + c.c, ub_[w]);
          if (lb_[w] > ub_[w]) {
            ok = false;
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
            ok = false;
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
      if (lb_[v] > ub_[v])
        return false;
      queue_.push_back(v);
    }
    return propagate();
  }

  // Most constrained first: the smallest temporal slack, ties by model order.
  // A min-heap of (slack, occurrence) with lazy deletion: every unassigned
  // hard occurrence has an entry with its current slack (pushed whenever its
  // bounds change or it is unassigned); stale entries are dropped when they
  // surface. The answer is the one a scan of all occurrences would give.
  bool selectable(std::size_t i) const { return i < n_ && !assigned_[i] && !m_.occs[i].optional; }

  void note_slack(std::size_t i) {
    if (!order_on_ || !selectable(i))
      return;
    order_.emplace_back(ub_[i] - lb_[i], static_cast<int>(i));
    std::push_heap(order_.begin(), order_.end(), std::greater<>{});
    if (order_.size() > 8 * (n_ + 64))
      rebuild_order(); // too many stale entries
  }

  void rebuild_order() {
    order_.clear();
    for (std::size_t i = 0; i < n_; ++i)
      if (selectable(i))
        order_.emplace_back(ub_[i] - lb_[i], static_cast<int>(i));
    std::make_heap(order_.begin(), order_.end(), std::greater<>{});
    order_on_ = true;
  }

  int select() {
    while (!order_.empty()) {
      const auto [slack, i] = order_.front();
      const auto ii = static_cast<std::size_t>(i);
      if (!assigned_[ii] && ub_[ii] - lb_[ii] == slack)
        return i;
      std::pop_heap(order_.begin(), order_.end(), std::greater<>{});
      order_.pop_back();
    }
    return -1;
  }

  long day_cost(const OccSpec &o, int day) const {
    long cost = 0;
    if (o.previous_start)
      cost = std::labs(day - *o.previous_start / minutes_per_day) * 10;
    else
      cost = std::labs(static_cast<long>(day - o.target_day)) * 10;
    if (o.prefer_weekdays &&
        !(*o.prefer_weekdays)[calendar::weekday_index(m_.jan1 + date::days{day})])
      cost += 35;
    return cost;
  }

  // The allowed start days within the bounds, cheapest soft cost first (ties:
  // earlier day), produced lazily: the cost grows with the distance from the
  // centre day, so days are visited outward from it and held in a small heap
  // until no unvisited day can be cheaper. Usually only the first few days are
  // ever taken, so there is no full sort.
  struct DayOrder {
    std::size_t begin = 0, end = 0;   // the allowed days within the bounds
    std::size_t left = 0, right = 0;  // unvisited: [begin, left) and [right, end)
    long centre = 0;
    std::vector<std::pair<long, int>> pending; // min-heap of visited (cost, day)
  };

  long centre_day(const OccSpec &o) const {
    return o.previous_start ? *o.previous_start / minutes_per_day : static_cast<long>(o.target_day);
  }

  void rank_days(int v, DayOrder &order) const {
    const OccSpec &o = m_.occs[static_cast<std::size_t>(v)];
    const long lo = lb_[static_cast<std::size_t>(v)], hi = ub_[static_cast<std::size_t>(v)];
    const auto days_begin = o.start_days.begin();
    auto first = std::lower_bound(days_begin, o.start_days.end(), static_cast<int>(lo / minutes_per_day));
    const auto last = std::partition_point(
        first, o.start_days.end(), [hi](int d) { return d * minutes_per_day <= hi; });
    order.begin = static_cast<std::size_t>(first - days_begin);
    order.end = static_cast<std::size_t>(last - days_begin);
    order.centre = centre_day(o);
    // The first day at or after the centre (within [begin, end)).
    const auto mid = std::lower_bound(first, last, order.centre,
                                      [](int d, long c) { return static_cast<long>(d) < c; });
    order.left = order.right = static_cast<std::size_t>(mid - days_begin);
    order.pending.clear();
  }

  // The next day of the order into `day`; false when none is left.
  bool next_day(int v, DayOrder &order, int &day) const {
    const OccSpec &o = m_.occs[static_cast<std::size_t>(v)];
    const long unbounded = std::numeric_limits<long>::max();
    for (;;) {
      // Every unvisited day costs at least 10 × its distance from the centre.
      const long dl = order.left > order.begin
                          ? order.centre - o.start_days[order.left - 1] : unbounded;
      const long dr = order.right < order.end
                          ? o.start_days[order.right] - order.centre : unbounded;
      const long nearest = std::min(dl, dr);
      if (!order.pending.empty() &&
          (nearest == unbounded || order.pending.front().first < nearest * 10)) {
        std::pop_heap(order.pending.begin(), order.pending.end(), std::greater<>{});
        day = order.pending.back().second;
        order.pending.pop_back();
        return true;
      }
      if (nearest == unbounded)
        return false;
      const int d = dl <= dr ? o.start_days[--order.left] : o.start_days[order.right++];
      order.pending.emplace_back(day_cost(o, d), d);
      std::push_heap(order.pending.begin(), order.pending.end(), std::greater<>{});
    }
  }

  bool free_for(const OccSpec &o, long s, long e) const {
    for (int r : o.resources)
      if (overlaps(busy_[static_cast<std::size_t>(r)], s, e))
        return false;
    return true;
  }

  // Starts worth trying on one day: each free gap's earliest and latest start
  // (packing against neighbours), the preferred time and the previous start.
  void day_candidates(int v, int day, std::vector<long> &out) {
    const OccSpec &o = m_.occs[static_cast<std::size_t>(v)];
    const long lo_bound = lb_[static_cast<std::size_t>(v)], hi_bound = ub_[static_cast<std::size_t>(v)];
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
      auto add_gap = [&](long gap_start, long gap_end) {
        const long first = std::max(gap_start, lo), last = std::min(gap_end - o.duration, hi);
        if (first > last)
          return;
        std::array<long, 4> points{first, last, 0, 0};
        std::size_t n_points = 2;
        if (o.prefer_time) {
          const long p = base + o.prefer_time->from;
          if (p > first && p < last)
            points[n_points++] = p;
        }
        if (o.previous_start && *o.previous_start >= first && *o.previous_start <= last)
          points[n_points++] = *o.previous_start;
        for (std::size_t k = 0; k < n_points; ++k) {
          const long p = points[k];
          long cost = 0;
          if (o.previous_start)
            cost = *o.previous_start == p ? 0 : 2;
          if (o.prefer_time) {
            const long from = base + o.prefer_time->from, to = base + o.prefer_time->to;
            if (!(p >= from && p + o.duration <= to))
              cost += 1;
          }
          ranked.emplace_back(cost, p);
        }
      };
      for (auto &[bs, be] : blocked) {
        if (bs > cursor)
          add_gap(cursor, bs);
        cursor = std::max(cursor, be);
      }
      add_gap(cursor, hi + o.duration);
    }
    std::sort(ranked.begin(), ranked.end());
    for (auto &[cost, s] : ranked)
      if (std::find(out.begin(), out.end(), s) == out.end())
        out.push_back(s);
  }

  bool place(int v, long s) {
    const auto vi = static_cast<std::size_t>(v);
    const OccSpec &o = m_.occs[vi];
    assigned_[vi] = 1;
    start_[vi] = s;
    for (int r : o.resources)
      busy_[static_cast<std::size_t>(r)].emplace(s, s + o.duration);
    set(vi, s, s);
    queue_.clear();
    queue_.push_back(vi);
    if (!propagate())
      return false;
    return capacity_ok(o);
  }

  void unplace(int v, std::size_t mark) {
    const auto vi = static_cast<std::size_t>(v);
    const OccSpec &o = m_.occs[vi];
    for (int r : o.resources)
      busy_[static_cast<std::size_t>(r)].erase(start_[vi]);
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

  // Optional occurrences (the soft third of count 2-3) go where they fit
  // without moving anything already placed.
  void place_optional() {
    for (std::size_t i = 0; i < n_; ++i) {
      const OccSpec &o = m_.occs[i];
      if (!o.optional)
        continue;
      long lo = o.earliest(), hi = o.latest();
      for (int ci : all_in_[i]) {
        const Constraint &c = m_.constraints[static_cast<std::size_t>(ci)];
        const auto from = static_cast<std::size_t>(c.from);
        if (from == n_ || assigned_[from])
          lo = std::max(lo, (from == n_ ? 0 : start_[from]) + c.c);
      }
      for (int ci : all_out_[i]) {
        const Constraint &c = m_.constraints[static_cast<std::size_t>(ci)];
        const auto to = static_cast<std::size_t>(c.to);
        if (to == n_ || assigned_[to])
          hi = std::min(hi, (to == n_ ? 0 : start_[to]) - c.c);
      }
      if (lo > hi)
        continue;
      lb_[i] = lo;
      ub_[i] = hi;
      DayOrder days;
      std::vector<long> cands;
      rank_days(static_cast<int>(i), days);
      int day = 0;
      while (next_day(static_cast<int>(i), days, day)) {
        day_candidates(static_cast<int>(i), day, cands);
        if (cands.empty())
          continue;
        assigned_[i] = 1;
        start_[i] = cands.front();
        for (int r : o.resources)
          busy_[static_cast<std::size_t>(r)].emplace(start_[i], start_[i] + o.duration);
        break;
      }
    }
  }

  SearchResult &finish(SearchResult &result) {
    place_optional();
    result.found = true;
    result.start = start_;
    return result;
  }

  const Model &m_;
  std::size_t n_;
  std::vector<long> lb_, ub_, start_;
  std::vector<char> assigned_, queued_;
  Adjacency out_, in_, all_out_, all_in_;
  std::vector<Busy> busy_;
  std::vector<std::vector<int>> res_occs_;
  std::vector<Change> trail_;
  std::size_t deepest_ = 0;
  // Search state reused between steps (no allocation per placement).
  struct Frame {
    int var = -1;
    DayOrder days;                          // the days not yet tried
    std::vector<long> cands;                // starts of the current day, in order
    std::size_t cand_cursor = 0;
    std::size_t trail_mark = 0;
    bool placed = false;
  };
  std::vector<Frame> stack_;
  std::vector<std::size_t> queue_;
  std::vector<std::pair<long, int>> order_; // selection heap of (slack, occurrence)
  bool order_on_ = false;
  std::vector<std::pair<long, long>> ranked_starts_, blocked_;
};

} // namespace

SearchResult search(const Model &model, long node_budget) {
  Searcher searcher(model);
  return searcher.run(node_budget);
}

} // namespace xun::scheduler::detail
