// How hard a plan is, in the figures the instances README uses: `after` rules
// with a max_gap, median window length, the busiest person's share of working
// half-days (given a schedule: the witness or a solver's).
#pragma once

#include "scheduler/schedule.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace xun::testing {

struct PlanStats {
  int activities = 0;
  int occurrences = 0; // in the schedule, when one is given
  int people = 0;
  int rooms = 0;
  int groups = 0;
  int after_rules = 0;
  int after_with_max_gap = 0;
  int zero_max_gaps = 0; // max_gap of at most `zero_gap_minutes`
  int all_day_activities = 0;
  int timed_activities = 0;
  int fixed_activities = 0;
  int repeating_activities = 0;     // repeat or count
  double median_window_days = 0;    // calendar days, activities of one occurrence
  double median_window_working = 0; // working days, likewise
  // Half-days of work the plan asks of its people (a timed occurrence counts
  // one, an all-day one two a day), over all their working half-days: the
  // mean busy share if no two occurrences shared a half-day. Plan text only.
  double demand_share = 0;
  double busiest_demand_share = 0; // the same for the most-asked person
  double busiest_share = -1;       // of working half-days; -1 without a schedule
  double mean_share = -1;
};

inline double median_of(std::vector<int> v) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

namespace stats_detail {

// People behind a list of people and groups.
inline std::set<std::string> members(const scheduler::Plan &plan,
                                     const std::vector<std::string> &names) {
  std::set<std::string> out;
  std::function<void(const std::string &, int)> add = [&](const std::string &n, int depth) {
    auto g = plan.groups.find(n);
    if (g != plan.groups.end() && depth < 16)
      for (const auto &m : g->second)
        add(m, depth + 1);
    else
      out.insert(n);
  };
  for (const auto &n : names)
    add(n, 0);
  return out;
}

inline double working_half_days(const scheduler::Plan &plan) {
  int working_days = 0;
  for (const auto d : calendar::days_of(calendar::year_range(plan.year)))
    working_days += plan.calendar.is_working_day(d) ? 1 : 0;
  return static_cast<double>(working_days) * static_cast<double>(plan.calendar.hours.size());
}

} // namespace stats_detail

inline PlanStats plan_stats(const scheduler::Plan &plan,
                            const scheduler::Schedule *schedule = nullptr,
                            long zero_gap_minutes = 0) {
  PlanStats s;
  s.activities = static_cast<int>(plan.activities.size());
  s.people = static_cast<int>(plan.people.size());
  s.rooms = static_cast<int>(plan.rooms.size());
  s.groups = static_cast<int>(plan.groups.size());
  std::vector<int> days, working;
  std::map<std::string, const scheduler::Activity *> by_id;
  std::map<std::string, double> asked;
  for (const auto &a : plan.activities) {
    by_id[a.id] = &a;
    for (const auto &r : a.order) {
      ++s.after_rules;
      if (r.max_gap_minutes) {
        ++s.after_with_max_gap;
        if (*r.max_gap_minutes <= zero_gap_minutes)
          ++s.zero_max_gaps;
      }
    }
    const bool all_day = a.all_day || a.duration.in_days;
    ++(all_day ? s.all_day_activities : s.timed_activities);
    const auto *w = std::get_if<calendar::Window>(&a.when);
    const bool repeating = a.repeat.kind != scheduler::Repeat::Kind::none || a.has_count;
    if ((!a.rrule.empty() || (a.at && a.at_exact && !repeating)) && w && w->dates.size() == 1)
      ++s.fixed_activities;
    s.repeating_activities += repeating ? 1 : 0;
    if (w && !repeating && !w->empty()) {
      days.push_back(static_cast<int>((w->dates.back() - w->dates.front()).count()) + 1);
      working.push_back(
          static_cast<int>(std::count_if(w->dates.begin(), w->dates.end(), [&](calendar::Date d) {
            return plan.calendar.is_working_day(d);
          })));
    }
    if (a.busy) {
      const double halves = all_day ? 2.0 * std::max(1, a.duration.days()) : 1.0;
      const double count = a.repeat.kind == scheduler::Repeat::Kind::none ? a.count_min : 1.0;
      for (const auto &p :
           stats_detail::members(plan, a.attendees.empty() ? a.people : a.attendees))
        asked[p] += halves * count;
    }
  }
  s.median_window_days = median_of(days);
  s.median_window_working = median_of(working);
  const double total = stats_detail::working_half_days(plan);
  const double people = std::max<double>(1, static_cast<double>(plan.people.size()));
  double sum = 0;
  for (const auto &[p, h] : asked) {
    sum += h;
    s.busiest_demand_share = std::max(s.busiest_demand_share, h / total);
  }
  s.demand_share = sum / total / people;
  if (!schedule)
    return s;
  // Busy half-days (one per range of working hours) per person.
  std::map<std::string, std::set<std::pair<long, std::size_t>>> busy;
  for (const auto &o : schedule->occurrences) {
    ++s.occurrences;
    auto it = by_id.find(o.activity);
    if (it == by_id.end() || !it->second->busy)
      continue;
    const auto who = stats_detail::members(
        plan, it->second->attendees.empty() ? it->second->people : it->second->attendees);
    const long start = o.start.time_since_epoch().count(), end = o.end.time_since_epoch().count();
    for (long day = start / 1440; day * 1440 < end; ++day)
      for (std::size_t h = 0; h < plan.calendar.hours.size(); ++h)
        if (start < day * 1440 + plan.calendar.hours[h].to &&
            day * 1440 + plan.calendar.hours[h].from < end)
          for (const auto &p : who)
            busy[p].insert({day, h});
  }
  sum = 0;
  s.busiest_share = 0;
  for (const auto &[p, set] : busy) {
    s.busiest_share = std::max(s.busiest_share, static_cast<double>(set.size()) / total);
    sum += static_cast<double>(set.size()) / total;
  }
  s.mean_share = sum / people;
  return s;
}

} // namespace xun::testing
