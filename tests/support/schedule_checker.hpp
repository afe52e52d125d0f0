// An independent checker of PLAN.md §4's hard rules on a Schedule. It shares
// no code with the solver: windows are re-parsed from when_text with
// calendar::parse_window, groups are expanded here, and every rule is checked
// pair by pair, the slow and obvious way.
#pragma once

#include "calendar/windows.hpp"
#include "scheduler/schedule.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace xun::testing {

namespace checker_detail {

inline long minutes(calendar::LocalTime t) {
  return t.time_since_epoch().count();
}
inline calendar::Date day_of_time(calendar::LocalTime t) {
  return calendar::Date{date::floor<date::days>(t).time_since_epoch()};
}
inline int minute_of_day(calendar::LocalTime t) {
  return static_cast<int>((t - date::floor<date::days>(t)).count());
}

inline std::set<std::string> expand(const scheduler::Plan &plan,
                                    const std::vector<std::string> &names) {
  std::set<std::string> out;
  std::function<void(const std::string &, int)> add = [&](const std::string &n, int depth) {
    auto g = plan.groups.find(n);
    if (g != plan.groups.end() && depth < 16) {
      for (const auto &m : g->second)
        add(m, depth + 1);
    } else {
      out.insert(n);
    }
  };
  for (const auto &n : names)
    add(n, 0);
  return out;
}

} // namespace checker_detail

// Every violated hard rule, as a sentence; empty means the schedule is valid.
inline std::vector<std::string> check_schedule(const scheduler::Plan &plan,
                                               const scheduler::Schedule &schedule) {
  using namespace checker_detail;
  std::vector<std::string> errors;
  const auto &occs = schedule.occurrences;
  std::map<std::string, std::vector<const scheduler::Occurrence *>> by_activity;
  for (const auto &o : occs)
    by_activity[o.activity].push_back(&o);
  for (auto &[id, list] : by_activity)
    std::sort(list.begin(), list.end(), [](auto *a, auto *b) { return a->index < b->index; });

  for (std::size_t i = 0; i + 1 < occs.size(); ++i)
    if (occs[i + 1].start < occs[i].start ||
        (occs[i + 1].start == occs[i].start && occs[i + 1].id() < occs[i].id()))
      errors.push_back("not sorted by start then id at " + occs[i + 1].id());

  const calendar::WindowContext context{plan.year, &plan.calendar.holidays};
  for (const auto &o : occs) {
    const scheduler::Activity *a = nullptr;
    for (const auto &act : plan.activities)
      if (act.id == o.activity)
        a = &act;
    if (!a) {
      errors.push_back(o.id() + ": no such activity");
      continue;
    }
    const long length = minutes(o.end) - minutes(o.start);
    const bool all_day = a->all_day || a->duration.in_days;
    if (all_day != o.all_day)
      errors.push_back(o.id() + ": all_day is wrong");
    const long want = all_day ? std::max(1, a->duration.days()) * 1440L : a->duration.minutes;
    if (length != want)
      errors.push_back(o.id() + ": lasts " + std::to_string(length) + " minutes, not " +
                       std::to_string(want));
    std::vector<calendar::Date> days;
    for (calendar::Date d = day_of_time(o.start);
         minutes(calendar::LocalTime{date::local_days{d.time_since_epoch()}}) < minutes(o.end);
         d += date::days{1})
      days.push_back(d);

    // The window, parsed again from the plan's words.
    const auto parsed = calendar::parse_window(a->when_text, context);
    for (calendar::Date d : days) {
      if (const auto *w = std::get_if<calendar::Window>(&parsed)) {
        if (!w->contains(d))
          errors.push_back(o.id() + ": " + calendar::format_iso_date(d) + " is outside " +
                           a->when_text);
      } else if (const auto *r = std::get_if<calendar::RelativeWindow>(&parsed)) {
        if (!calendar::apply_relative_in_year(*r, plan.year).contains(d))
          errors.push_back(o.id() + ": " + calendar::format_iso_date(d) + " is outside " +
                           a->when_text);
      }
      if (a->repeat.kind == scheduler::Repeat::Kind::list) {
        bool in_some = false;
        for (const auto &w : a->repeat.windows)
          in_some = in_some || w.contains(d);
        if (!in_some)
          errors.push_back(o.id() + ": outside every window of repeat");
      }
      if (!o.fixed && !plan.calendar.is_working_day(d))
        errors.push_back(o.id() + ": " + calendar::format_iso_date(d) + " is not a working day");
    }
    if (o.fixed)
      continue;
    if (all_day) {
      if (minute_of_day(o.start) != 0)
        errors.push_back(o.id() + ": all-day but not from midnight");
    } else {
      const int from = minute_of_day(o.start);
      const long to = from + length;
      bool in_hours = false;
      for (const auto &h : plan.calendar.hours)
        in_hours = in_hours || (h.from <= from && to <= h.to);
      if (!in_hours)
        errors.push_back(o.id() + ": not inside one range of working hours");
      if (a->at) {
        if (a->at_exact ? from != a->at->from : (from < a->at->from || to > a->at->to))
          errors.push_back(o.id() + ": breaks its `at`");
      }
    }
  }

  // Repeat: at most count_max in one month / quarter / half-year.
  for (const auto &a : plan.activities) {
    using K = scheduler::Repeat::Kind;
    if (!a.rrule.empty())
      continue;
    auto key = [&](const scheduler::Occurrence &o) -> int {
      const unsigned m = calendar::month_of(day_of_time(o.start));
      switch (a.repeat.kind) {
      case K::monthly: return static_cast<int>(m);
      case K::quarterly: return static_cast<int>((m - 1) / 3);
      case K::half_yearly: return static_cast<int>((m - 1) / 6);
      case K::none: return 0;
      default: return -1;
      }
    };
    std::map<int, int> per;
    for (const auto *o : by_activity[a.id])
      if (int k = key(*o); k >= 0)
        ++per[k];
    for (auto &[k, n] : per)
      if (n > a.count_max)
        errors.push_back(a.id + ": " + std::to_string(n) + " occurrences in one period");
    if (a.repeat.kind == K::none && !by_activity[a.id].empty() &&
        static_cast<int>(by_activity[a.id].size()) < a.count_min)
      errors.push_back(a.id + ": fewer occurrences than count");
  }

  // Index order, min_gap, max_gap.
  for (const auto &a : plan.activities) {
    const auto &list = by_activity[a.id];
    for (std::size_t k = 0; k + 1 < list.size(); ++k) {
      if (list[k]->fixed && list[k + 1]->fixed)
        continue;
      const long gap = minutes(list[k + 1]->start) - minutes(list[k]->end);
      if (gap < a.min_gap_minutes.value_or(0))
        errors.push_back(list[k + 1]->id() + ": starts " + std::to_string(gap) +
                         " minutes after " + list[k]->id() + " ends");
      if (a.max_gap_minutes && gap > *a.max_gap_minutes)
        errors.push_back(list[k + 1]->id() + ": breaks max_gap");
    }
  }

  // after / before.
  for (const auto &a : plan.activities)
    for (const auto &rule : a.order) {
      const auto &pred = by_activity[rule.is_before ? a.id : rule.other];
      const auto &succ = by_activity[rule.is_before ? rule.other : a.id];
      const bool paired = pred.size() == succ.size();
      for (std::size_t i = 0; i < pred.size(); ++i)
        for (std::size_t j = 0; j < succ.size(); ++j) {
          if (paired && i != j)
            continue;
          const long gap = minutes(succ[j]->start) - minutes(pred[i]->end);
          if (gap < rule.min_gap_minutes)
            errors.push_back(succ[j]->id() + " starts too soon after " + pred[i]->id());
          if (rule.max_gap_minutes && gap > *rule.max_gap_minutes)
            errors.push_back(succ[j]->id() + " starts too late after " + pred[i]->id());
        }
    }

  // People and rooms, pair by pair.
  std::map<std::string, std::set<std::string>> people;
  std::map<std::string, const scheduler::Activity *> act;
  for (const auto &a : plan.activities) {
    people[a.id] = expand(plan, a.attendees.empty() ? a.people : a.attendees);
    act[a.id] = &a;
  }
  for (std::size_t i = 0; i < occs.size(); ++i)
    for (std::size_t j = i + 1; j < occs.size(); ++j) {
      const auto &x = occs[i], &y = occs[j];
      const auto *ax = act[x.activity], *ay = act[y.activity];
      if (!ax || !ay || !ax->busy || !ay->busy)
        continue;
      if (!(x.start < y.end && y.start < x.end))
        continue;
      if (x.fixed && y.fixed)
        continue; // two facts may clash; nobody placed them
      for (const auto &p : people[x.activity])
        if (people[y.activity].contains(p))
          errors.push_back(x.id() + " and " + y.id() + " overlap for " + p);
      if (ax->room && ay->room && *ax->room == *ay->room)
        errors.push_back(x.id() + " and " + y.id() + " overlap in room " + *ax->room);
    }
  return errors;
}

} // namespace xun::testing
