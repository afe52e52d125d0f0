// Depth-first search with chronological backtracking. Values are generated
// lazily, day by day in order of soft cost, so year-long windows never become
// materialised domains.
#include "scheduler/search.hpp"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <iterator>
#include <limits>
#include <map>

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

class Searcher {
public:
  explicit Searcher(const Model &m) : m_(m), n_(m.occs.size()) {
    lb_.assign(n_ + 1, 0);
    ub_.assign(n_ + 1, 0);
    start_.assign(n_, -1);
    assigned_.assign(n_, 0);
    out_.resize(n_ + 1);
    in_.resize(n_ + 1);
    all_out_.resize(n_ + 1);
    all_in_.resize(n_ + 1);
    busy_.resize(m.resource_ids.size());
    res_occs_.resize(m.resource_ids.size());
    for (std::size_t i = 0; i < m.constraints.size(); ++i) {
      const Constraint &c = m.constraints[i];
      const auto from = static_cast<std::size_t>(c.from), to = static_cast<std::size_t>(c.to);
      all_out_[from].push_back(static_cast<int>(i));
      all_in_[to].push_back(static_cast<int>(i));
      if (hard(c.from) && hard(c.to)) {
        out_[from].push_back(static_cast<int>(i));
        in_[to].push_back(static_cast<int>(i));
      }
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

    struct Frame {
      int var;
      std::vector<int> days;
      std::size_t day_cursor = 0;
      std::vector<long> cands;
      std::size_t cand_cursor = 0;
      std::size_t trail_mark = 0;
      bool placed = false;
    };
    std::vector<Frame> stack;
    auto open = [&](int v) {
      Frame f;
      f.var = v;
      f.days = candidate_days(v);
      stack.push_back(std::move(f));
    };
    int v0 = select();
    if (v0 < 0)
      return finish(result);
    open(v0);
    while (!stack.empty()) {
      Frame &f = stack.back();
      if (f.placed) {
        unplace(f.var, f.trail_mark);
        f.placed = false;
      }
      while (f.cand_cursor == f.cands.size() && f.day_cursor < f.days.size()) {
        f.cands = day_candidates(f.var, f.days[f.day_cursor++]);
        f.cand_cursor = 0;
      }
      if (f.cand_cursor == f.cands.size()) {
        if (result.failed < 0 || stack.size() > deepest_) {
          result.failed = f.var;
          deepest_ = stack.size();
        }
        stack.pop_back();
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
  }

  bool propagate(std::deque<std::size_t> queue) {
    std::vector<std::size_t> touched;
    for (auto v : queue)
      queued_flag(v) = 1;
    bool ok = true;
    while (!queue.empty() && ok) {
      const std::size_t v = queue.front();
      queue.pop_front();
      queued_flag(v) = 0;
      for (int ci : out_[v]) {
        const Constraint &c = m_.constraints[static_cast<std::size_t>(ci)];
        const auto w = static_cast<std::size_t>(c.to);
        if (lb_[v] + c.c > lb_[w]) {
          set(w, lb_[v] + c.c, ub_[w]);
          if (lb_[w] > ub_[w]) {
            ok = false;
            break;
          }
          if (!queued_flag(w)) {
            queued_flag(w) = 1;
            queue.push_back(w);
          }
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
          if (!queued_flag(w)) {
            queued_flag(w) = 1;
            queue.push_back(w);
          }
        }
      }
    }
    for (auto v : queue)
      queued_flag(v) = 0;
    return ok;
  }

  char &queued_flag(std::size_t v) {
    if (queued_.size() != n_ + 1)
      queued_.assign(n_ + 1, 0);
    return queued_[v];
  }

  bool propagate_all_nodes() {
    std::deque<std::size_t> queue;
    for (std::size_t v = 0; v <= n_; ++v) {
      if (v < n_ && m_.occs[v].optional)
        continue;
      if (lb_[v] > ub_[v])
        return false;
      queue.push_back(v);
    }
    return propagate(std::move(queue));
  }

  // Most constrained first: the smallest temporal slack, ties by model order.
  int select() const {
    int best = -1;
    long best_slack = std::numeric_limits<long>::max();
    for (std::size_t i = 0; i < n_; ++i) {
      if (assigned_[i] || m_.occs[i].optional)
        continue;
      const long slack = ub_[i] - lb_[i];
      if (slack < best_slack) {
        best_slack = slack;
        best = static_cast<int>(i);
      }
    }
    return best;
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

  std::vector<int> candidate_days(int v) const {
    const OccSpec &o = m_.occs[static_cast<std::size_t>(v)];
    const long lo = lb_[static_cast<std::size_t>(v)], hi = ub_[static_cast<std::size_t>(v)];
    std::vector<std::pair<long, int>> ranked;
    auto first = std::lower_bound(o.start_days.begin(), o.start_days.end(),
                                  static_cast<int>(lo / minutes_per_day));
    for (auto it = first; it != o.start_days.end() && *it * minutes_per_day <= hi; ++it)
      ranked.emplace_back(day_cost(o, *it), *it);
    std::sort(ranked.begin(), ranked.end());
    std::vector<int> days;
    days.reserve(ranked.size());
    for (auto &[cost, d] : ranked)
      days.push_back(d);
    return days;
  }

  bool free_for(const OccSpec &o, long s, long e) const {
    for (int r : o.resources)
      if (overlaps(busy_[static_cast<std::size_t>(r)], s, e))
        return false;
    return true;
  }

  // Starts worth trying on one day: each free gap's earliest and latest start
  // (packing against neighbours), the preferred time and the previous start.
  std::vector<long> day_candidates(int v, int day) const {
    const OccSpec &o = m_.occs[static_cast<std::size_t>(v)];
    const long lo_bound = lb_[static_cast<std::size_t>(v)], hi_bound = ub_[static_cast<std::size_t>(v)];
    const long base = day * minutes_per_day;
    std::vector<long> out;
    if (o.all_day) {
      if (base >= lo_bound && base <= hi_bound && free_for(o, base, base + o.duration))
        out.push_back(base);
      return out;
    }
    std::vector<std::pair<long, long>> ranked; // (cost, start)
    for (auto [a, b] : o.slots) {
      const long lo = std::max(base + a, lo_bound), hi = std::min(base + b, hi_bound);
      if (lo > hi)
        continue;
      std::vector<std::pair<long, long>> blocked;
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
        std::vector<long> points{first, last};
        if (o.prefer_time) {
          const long p = base + o.prefer_time->from;
          if (p > first && p < last)
            points.push_back(p);
        }
        if (o.previous_start && *o.previous_start >= first && *o.previous_start <= last)
          points.push_back(*o.previous_start);
        for (long p : points) {
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
    return out;
  }

  bool place(int v, long s) {
    const auto vi = static_cast<std::size_t>(v);
    const OccSpec &o = m_.occs[vi];
    assigned_[vi] = 1;
    start_[vi] = s;
    for (int r : o.resources)
      busy_[static_cast<std::size_t>(r)].emplace(s, s + o.duration);
    set(vi, s, s);
    if (!propagate(std::deque<std::size_t>{vi}))
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
      lb_[static_cast<std::size_t>(c.node)] = c.lb;
      ub_[static_cast<std::size_t>(c.node)] = c.ub;
      trail_.pop_back();
    }
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
      for (int day : candidate_days(static_cast<int>(i))) {
        const auto cands = day_candidates(static_cast<int>(i), day);
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
  std::vector<std::vector<int>> out_, in_, all_out_, all_in_;
  std::vector<Busy> busy_;
  std::vector<std::vector<int>> res_occs_;
  std::vector<Change> trail_;
  std::size_t deepest_ = 0;
};

} // namespace

SearchResult search(const Model &model, long node_budget) {
  Searcher searcher(model);
  return searcher.run(node_budget);
}

} // namespace xun::scheduler::detail
