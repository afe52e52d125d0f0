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
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace xun::testing {

namespace checker_detail {

inline long minutes(calendar::LocalTime t) { return t.time_since_epoch().count(); }
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

// A fact by the plan's words: one day in `when` and an exact `at`.
inline bool fixed_by_words(const scheduler::Activity &a) {
  if (!a.rrule.empty() || a.repeat.kind != scheduler::Repeat::Kind::none || !a.at || !a.at_exact)
    return false;
  const auto *w = std::get_if<calendar::Window>(&a.when);
  return w && w->dates.size() == 1;
}

struct Period {
  std::vector<calendar::Date> days; // sorted
  std::string name;
};

inline std::string range_name(calendar::Date a, calendar::Date b) {
  return calendar::format_iso_date(a) + ".." + calendar::format_iso_date(b);
}

// The periods of an activity, each with at least one working day (the ones
// without get no occurrence), from `when` and `repeat` as written; nullopt
// for rrule activities (their dates are the rule's, not chosen).
inline std::optional<std::vector<Period>> expected_periods(const scheduler::Plan &plan,
                                                           const scheduler::Activity &a,
                                                           const calendar::WindowContext &context) {
  using K = scheduler::Repeat::Kind;
  if (!a.rrule.empty())
    return std::nullopt;
  const auto parsed = calendar::parse_window(a.when_text, context);
  const auto *abs = std::get_if<calendar::Window>(&parsed);
  const auto *rel = std::get_if<calendar::RelativeWindow>(&parsed);
  if (!abs && !rel)
    return std::nullopt; // the loader would have refused it
  const calendar::DateRange year = calendar::year_range(plan.year);
  // Days of `range` that the window allows.
  auto allowed = [&](calendar::DateRange range) {
    std::vector<calendar::Date> out;
    const calendar::Window w = abs ? *abs : calendar::apply_relative(*rel, range);
    for (calendar::Date d : w.dates)
      if (range.contains(d))
        out.push_back(d);
    return out;
  };
  std::vector<Period> periods;
  auto add = [&](std::vector<calendar::Date> days, std::string name) {
    if (std::any_of(days.begin(), days.end(), [&](calendar::Date d) {
          return plan.calendar.is_working_day(d) || fixed_by_words(a);
        }))
      periods.push_back({std::move(days), std::move(name)});
  };
  switch (a.repeat.kind) {
  case K::none:
    add(allowed(year), a.when_text);
    break;
  case K::list:
    for (std::size_t k = 0; k < a.repeat.texts.size(); ++k) {
      const auto listed = calendar::parse_window(a.repeat.texts[k], context);
      const auto *lw = std::get_if<calendar::Window>(&listed);
      if (!lw || lw->empty())
        continue;
      std::vector<calendar::Date> days;
      for (calendar::Date d : allowed(lw->span()))
        if (lw->contains(d))
          days.push_back(d);
      add(days, a.repeat.texts[k]);
    }
    break;
  case K::monthly:
  case K::quarterly:
  case K::half_yearly: {
    const unsigned months = a.repeat.kind == K::monthly ? 1 : a.repeat.kind == K::quarterly ? 3 : 6;
    for (unsigned m = 1; m <= 12; m += months) {
      const calendar::DateRange r{calendar::first_day_of_month(plan.year, m),
                                  calendar::last_day_of_month(plan.year, m + months - 1)};
      add(allowed(r), range_name(r.first, r.last));
    }
    break;
  }
  case K::weekly:
  case K::biweekly: {
    // ISO weeks from Monday; fortnights pair weeks from the first week that
    // meets an absolute window (else the week of Jan 1).
    const long step = a.repeat.kind == K::weekly ? 7 : 14;
    const calendar::Date anchor = abs && !abs->empty() ? abs->dates.front() : year.first;
    calendar::Date monday = year.first - date::days{(calendar::weekday_index(year.first) + 6) % 7};
    if (a.repeat.kind == K::biweekly)
      while (monday + date::days{6} < anchor)
        monday += date::days{7};
    for (; monday <= year.last; monday += date::days{step}) {
      const calendar::DateRange r{std::max(monday, year.first),
                                  std::min(monday + date::days{step - 1}, year.last)};
      add(allowed(r), range_name(r.first, r.last));
    }
    break;
  }
  }
  return periods;
}

inline std::string describe_periods(const scheduler::Activity &a, long periods) {
  if (a.repeat.kind == scheduler::Repeat::Kind::none)
    return (a.has_count ? "count " + std::to_string(a.count_min) + " in " : "") + a.when_text;
  return "repeat " + a.repeat.text + " in " + a.when_text + " (" + std::to_string(periods) +
         " periods with a working day)";
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

  std::map<std::string, const scheduler::Activity *> act;
  for (const auto &a : plan.activities)
    act[a.id] = &a;
  const calendar::WindowContext context{plan.year, &plan.calendar.holidays};
  for (const auto &o : occs) {
    const scheduler::Activity *a = act.contains(o.activity) ? act[o.activity] : nullptr;
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
    // A fact stays where the plan put it: on its day, at its time.
    if (fixed_by_words(*a)) {
      const auto day = std::get<calendar::Window>(parsed).dates.front();
      const long at =
          minutes(calendar::LocalTime{date::local_days{day.time_since_epoch()}}) + a->at->from;
      if (minutes(o.start) != at)
        errors.push_back(o.id() + ": a fixed event moved from " + a->when_text + " " +
                         calendar::format_time_of_day(a->at->from));
    } else if (o.fixed && a->rrule.empty()) {
      errors.push_back(o.id() + ": marked fixed, but its plan gives no single day and exact time");
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

  // How many occurrences, and each in its own period (PLAN.md §3): the
  // periods are recomputed here from the plan's words.
  for (const auto &a : plan.activities) {
    const auto periods = expected_periods(plan, a, context);
    if (!periods)
      continue;
    const auto &list = by_activity[a.id];
    const int per_min = a.count_min, per_max = a.count_max;
    const auto n = static_cast<long>(list.size());
    const auto p = static_cast<long>(periods->size());
    if (n < p * per_min || n > p * per_max)
      errors.push_back(a.id + ": " + std::to_string(n) + " occurrences, but " +
                       describe_periods(a, p) + " asks for " +
                       (per_min == per_max
                            ? std::to_string(p * per_min)
                            : std::to_string(p * per_min) + "-" + std::to_string(p * per_max)));
    auto inside = [&](const scheduler::Occurrence &o, const std::vector<calendar::Date> &days) {
      const calendar::Date first = day_of_time(o.start);
      const calendar::Date last = o.all_day ? day_of_time(o.end) - date::days{1} : first;
      return std::binary_search(days.begin(), days.end(), first) &&
             std::binary_search(days.begin(), days.end(), last);
    };
    if (per_min == per_max) {
      // Occurrence k in period k / count: k-th in the k-th.
      for (std::size_t k = 0; k < list.size(); ++k) {
        const std::size_t period = k / static_cast<std::size_t>(std::max(1, per_min));
        if (period < periods->size() && !inside(*list[k], (*periods)[period].days))
          errors.push_back(list[k]->id() + ": not in its period, the " +
                           std::to_string(period + 1) + ". (" + (*periods)[period].name + ")");
      }
    } else {
      for (const auto &period : *periods) {
        const auto in = std::count_if(list.begin(), list.end(),
                                      [&](const auto *o) { return inside(*o, period.days); });
        if (in < per_min || in > per_max)
          errors.push_back(a.id + ": " + std::to_string(in) + " occurrences in " + period.name +
                           ", not " + std::to_string(per_min) + "-" + std::to_string(per_max));
      }
    }
  }

  // Index order, min_gap, max_gap.
  for (const auto &a : plan.activities) {
    const auto &list = by_activity[a.id];
    for (std::size_t k = 0; k + 1 < list.size(); ++k) {
      if (list[k]->fixed && list[k + 1]->fixed)
        continue;
      const long gap = minutes(list[k + 1]->start) - minutes(list[k]->end);
      if (gap < a.min_gap_minutes.value_or(0))
        errors.push_back(list[k + 1]->id() + ": starts " + std::to_string(gap) + " minutes after " +
                         list[k]->id() + " ends");
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

  // People and rooms, pair by pair among those that meet in time (fixed
  // events too: PLAN.md §6.1 says two facts may not clash either).
  std::map<std::string, std::set<std::string>> people;
  for (const auto &a : plan.activities)
    people[a.id] = expand(plan, a.attendees.empty() ? a.people : a.attendees);
  std::vector<std::size_t> order(occs.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return occs[x].start < occs[y].start; });
  for (std::size_t i = 0; i < order.size(); ++i)
    for (std::size_t j = i + 1; j < order.size() && occs[order[j]].start < occs[order[i]].end;
         ++j) {
      const auto &x = occs[order[i]], &y = occs[order[j]];
      const auto *ax = act[x.activity], *ay = act[y.activity];
      if (!ax || !ay || !ax->busy || !ay->busy || !(y.start < x.end && x.start < y.end))
        continue;
      for (const auto &p : people[x.activity])
        if (people[y.activity].contains(p))
          errors.push_back(x.id() + " and " + y.id() + " overlap for " + p);
      if (ax->room && ay->room && *ax->room == *ay->room)
        errors.push_back(x.id() + " and " + y.id() + " overlap in room " + *ax->room);
    }
  return errors;
}

} // namespace xun::testing
