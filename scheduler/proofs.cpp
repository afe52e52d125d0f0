// Fixed-event overlaps and capacity (energy) arguments per resource.
#include "scheduler/proofs.hpp"

#include "scheduler/temporal_network.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace xun::scheduler::detail {
namespace {

// Working minutes per day: the length of the working-hours ranges.
long minutes_per_working_day(const Model &m) {
  long total = 0;
  for (auto [a, b] : m.hours)
    total += b - a;
  return total;
}

// The free working time of one resource as sorted disjoint intervals, with
// prefix sums of their lengths, so the free time of any span is two lookups.
class FreeTime {
public:
  FreeTime(const Model &m, const std::vector<std::pair<long, long>> &blocked) {
    std::vector<std::pair<long, long>> busy = blocked;
    std::sort(busy.begin(), busy.end());
    std::size_t k = 0;
    for (int d = 0; d < m.days_in_year; ++d) {
      if (!m.working[static_cast<std::size_t>(d)])
        continue;
      for (auto [a, b] : m.hours) {
        long s = d * minutes_per_day + a;
        const long e = d * minutes_per_day + b;
        while (k < busy.size() && busy[k].second <= s)
          ++k;
        for (std::size_t j = k; j < busy.size() && busy[j].first < e; ++j) {
          if (busy[j].first > s)
            add(s, busy[j].first);
          s = std::max(s, busy[j].second);
        }
        if (s < e)
          add(s, e);
      }
    }
  }
  long in(long from, long to) const { return before(to) - before(from); }
  // How many pieces of at least `d` minutes fit in the free time of [from, to).
  long pieces(long from, long to, long d) const {
    long n = 0;
    auto it = std::upper_bound(spans_.begin(), spans_.end(),
                               std::pair<long, long>{from, std::numeric_limits<long>::max()});
    if (it != spans_.begin())
      --it;
    for (; it != spans_.end() && it->first < to; ++it) {
      const long s = std::max(from, it->first), e = std::min(to, it->second);
      if (e > s)
        n += (e - s) / d;
    }
    return n;
  }

private:
  void add(long s, long e) {
    prefix_.push_back((prefix_.empty() ? 0 : prefix_.back()) + (e - s));
    spans_.emplace_back(s, e);
  }
  // Free minutes before t.
  long before(long t) const {
    auto it = std::upper_bound(spans_.begin(), spans_.end(),
                               std::pair<long, long>{t, std::numeric_limits<long>::max()});
    if (it == spans_.begin())
      return 0;
    const auto k = static_cast<std::size_t>(it - spans_.begin()) - 1;
    const long full = k > 0 ? prefix_[k - 1] : 0;
    return full + std::min(t, spans_[k].second) - spans_[k].first;
  }
  std::vector<std::pair<long, long>> spans_;
  std::vector<long> prefix_;
};

} // namespace

std::optional<FixedOverlap> fixed_overlap(const Model &m) {
  std::map<int, std::vector<std::pair<long, int>>> by_resource; // resource → (start, occ)
  for (std::size_t i = 0; i < m.occs.size(); ++i) {
    const OccSpec &o = m.occs[i];
    if (o.fixed && o.busy)
      for (int r : o.resources)
        by_resource[r].emplace_back(o.fixed_start, static_cast<int>(i));
  }
  std::optional<FixedOverlap> best;
  for (auto &[r, list] : by_resource) {
    std::sort(list.begin(), list.end());
    long reach = std::numeric_limits<long>::min();
    int owner = -1;
    for (auto [s, i] : list) {
      const OccSpec &o = m.occs[static_cast<std::size_t>(i)];
      // Re-planning facts may overlap (what happened, happened): not a proof.
      const bool fact = o.pinned || m.occs[static_cast<std::size_t>(std::max(owner, 0))].pinned;
      if (owner >= 0 && s < reach && !fact) {
        FixedOverlap found{owner, i, r};
        const long when = m.occs[static_cast<std::size_t>(owner)].fixed_start;
        if (!best || when < m.occs[static_cast<std::size_t>(best->first)].fixed_start)
          best = found;
        break;
      }
      if (s + o.duration > reach) {
        reach = s + o.duration;
        owner = i;
      }
    }
  }
  return best;
}

std::optional<CapacityShortfall> capacity_shortfall(const Model &m, const std::vector<long> &lb,
                                                    const std::vector<long> &ub) {
  const long per_day = minutes_per_working_day(m);
  constexpr long max_span = 92 * minutes_per_day; // longer spans rarely bind
  std::vector<std::vector<int>> users(m.resource_ids.size());
  std::vector<std::vector<std::pair<long, long>>> fixed(m.resource_ids.size());
  for (std::size_t i = 0; i < m.occs.size(); ++i) {
    const OccSpec &o = m.occs[i];
    if (!o.busy || o.optional)
      continue;
    for (int r : o.resources) {
      if (o.fixed)
        fixed[static_cast<std::size_t>(r)].emplace_back(o.fixed_start, o.fixed_start + o.duration);
      else
        users[static_cast<std::size_t>(r)].push_back(static_cast<int>(i));
    }
  }
  std::optional<CapacityShortfall> best;
  for (std::size_t r = 0; r < users.size(); ++r) {
    auto &list = users[r];
    if (list.empty())
      continue;
    const FreeTime free(m, fixed[r]);
    auto work_of = [&](int i) {
      const OccSpec &o = m.occs[static_cast<std::size_t>(i)];
      return o.all_day ? std::max(1, o.days) * per_day : o.duration;
    };
    auto end_of = [&](int i) {
      return ub[static_cast<std::size_t>(i)] + m.occs[static_cast<std::size_t>(i)].duration;
    };
    std::vector<int> by_end = list;
    std::sort(by_end.begin(), by_end.end(), [&](int a, int b) {
      return std::pair{end_of(a), a} < std::pair{end_of(b), b};
    });
    std::vector<long> starts;
    for (int i : list)
      starts.push_back(lb[static_cast<std::size_t>(i)]);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    for (long t1 : starts) {
      long work = 0, shortest = std::numeric_limits<long>::max();
      int count = 0;
      bool all_timed = true;
      for (std::size_t k = 0; k < by_end.size(); ++k) {
        const int i = by_end[k];
        const long t2 = end_of(i);
        if (t2 - t1 > max_span)
          break;
        if (lb[static_cast<std::size_t>(i)] < t1)
          continue;
        work += work_of(i);
        ++count;
        const OccSpec &oi = m.occs[static_cast<std::size_t>(i)];
        all_timed = all_timed && !oi.all_day;
        shortest = std::min(shortest, oi.duration);
        if (k + 1 < by_end.size() && end_of(by_end[k + 1]) == t2)
          continue; // the whole group ending at t2 first
        const long available = free.in(t1, t2);
        // Work against free time; for timed pieces also their number against
        // how many of the shortest fit in the free gaps (the lunch break and
        // short gaps are lost).
        const long fits = all_timed ? free.pieces(t1, t2, shortest) : count;
        const bool short_of_time = work > available;
        if ((short_of_time || count > fits) &&
            (!best || count < static_cast<int>(best->occurrences.size()))) {
          CapacityShortfall s{static_cast<int>(r), t1, t2, work, available, {}, -1, 0};
          if (!short_of_time) {
            s.fits = fits;
            s.piece = shortest;
          }
          for (int j : list)
            if (lb[static_cast<std::size_t>(j)] >= t1 && end_of(j) <= t2)
              s.occurrences.push_back(j);
          best = s;
        }
      }
    }
  }
  return best;
}

std::optional<CapacityShortfall> root_capacity_shortfall(const Model &model) {
  std::vector<long> lb(model.occs.size() + 1, 0), ub(model.occs.size() + 1, 0);
  for (std::size_t i = 0; i < model.occs.size(); ++i) {
    lb[i] = model.occs[i].earliest();
    ub[i] = model.occs[i].latest();
  }
  if (!propagate_all(model, lb, ub))
    return std::nullopt;
  return capacity_shortfall(model, lb, ub);
}

} // namespace xun::scheduler::detail
