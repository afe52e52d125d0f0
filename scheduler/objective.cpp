// The soft rules of §6.3 as named functions over a finished schedule; each
// violation is a sentence about the plan's own occurrences.
#include "scheduler/objective.hpp"

#include "calendar/festivals.hpp"
#include "calendar/zones.hpp"
#include "scheduler/occurrence_key.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace xun::scheduler {
namespace {

using calendar::Date;
using Occurrences = std::vector<Occurrence>;

std::string iso(Date d) { return calendar::format_iso_date(d); }

// The days an occurrence covers: its start day, or every day of an all-day run.
std::vector<Date> days_of(const Occurrence &o) {
  std::vector<Date> out{calendar::local_date(o.start)};
  if (o.all_day)
    for (Date d = out.front() + date::days{1};
         calendar::LocalTime{date::local_days{d.time_since_epoch()}} < o.end; d += date::days{1})
      out.push_back(d);
  return out;
}

const Activity *activity_of(const Plan &plan, const Occurrence &o) {
  return plan.find_activity(o.activity);
}

bool busy(const Plan &plan, const Occurrence &o) {
  const Activity *a = activity_of(plan, o);
  return a && a->busy;
}

void add(SoftScore &score, SoftRule rule, const Occurrence &o, std::string text) {
  score.violations.push_back({rule, o.id(), std::move(text), soft_rule(rule).weight});
}

// Rule 1 — keep every occurrence where it was.
void keep_place(const Occurrences &occs, const Schedule &previous, SoftScore &score) {
  std::map<OccurrenceKey, calendar::LocalTime> before;
  for (const Occurrence &p : previous.occurrences)
    before[key_of(p)] = p.start;
  for (const Occurrence &o : occs)
    if (auto it = before.find(key_of(o)); it != before.end() && it->second != o.start)
      add(score, SoftRule::keep_place, o,
          o.id() + " moved from " + iso(calendar::local_date(it->second)));
}

// Rule 2 — no make-up workday, nothing next to a long block of days off.
void avoid_days(const Plan &plan, const Occurrences &occs, SoftScore &score) {
  const auto likely = likely_days_off(plan);
  for (const Occurrence &o : occs) {
    if (o.fixed)
      continue;
    for (Date d : days_of(o)) {
      if (plan.calendar.classify(d) == calendar::DayKind::makeup_workday) {
        add(score, SoftRule::makeup_day, o,
            o.id() + " is on " + iso(d) + ", a make-up workday (调休)");
        break;
      }
      if (const auto it = likely.find(d); it != likely.end() && plan.calendar.is_working_day(d)) {
        add(score, SoftRule::likely_holiday, o,
            o.id() + " is on " + iso(d) + ", likely a day off of " + it->second +
                " (no official holiday data for " + std::to_string(calendar::year_of(d)) + ")");
        break;
      }
      if (next_to_holiday_block(plan.calendar, d)) {
        add(score, SoftRule::holiday_edge, o,
            o.id() + " is on " + iso(d) + ", next to a holiday block");
        break;
      }
    }
  }
}

// Rule 3 — one busy occurrence per person per day; no crowded day.
void same_day_and_peaks(const Plan &plan, const Occurrences &occs, SoftScore &score) {
  std::map<std::pair<std::string, Date>, int> per_person_day;
  std::map<Date, int> per_day;
  for (const Occurrence &o : occs) {
    if (!busy(plan, o))
      continue;
    const Activity *a = activity_of(plan, o);
    for (Date d : days_of(o)) {
      ++per_day[d];
      for (const std::string &p : a->people)
        if (++per_person_day[{p, d}] == 2)
          add(score, SoftRule::same_day, o, p + " has two busy occurrences on " + iso(d));
    }
  }
  if (per_day.empty())
    return;
  long total = 0;
  for (auto &[d, n] : per_day)
    total += n;
  const Date first = per_day.begin()->first, last = per_day.rbegin()->first;
  long working = 0;
  for (Date d = first; d <= last; d += date::days{1})
    working += plan.calendar.is_working_day(d) ? 1 : 0;
  const double mean = static_cast<double>(total) / static_cast<double>(std::max(1L, working));
  const int peak = std::max(3, static_cast<int>(2.0 * mean + 0.999));
  for (auto &[d, n] : per_day)
    if (n > peak)
      for (const Occurrence &o : occs)
        if (busy(plan, o) && calendar::local_date(o.start) == d) {
          add(score, SoftRule::day_peak, o,
              iso(d) + " holds " + std::to_string(n) + " occurrences (more than " +
                  std::to_string(peak) + ")");
          break;
        }
}

// Working days from a to b (a ≤ b), not counting a.
long working_days_between(const Plan &plan, Date a, Date b) {
  long n = 0;
  for (Date d = a + date::days{1}; d <= b; d += date::days{1})
    n += plan.calendar.is_working_day(d) ? 1 : 0;
  return n;
}

// Rule 3 — occurrences of one activity in one window spread over it: two in
// a row much closer than the window's even share are bunched.
void spread(const Plan &plan, const Occurrences &occs, SoftScore &score) {
  std::map<std::string, std::vector<const Occurrence *>> by_activity;
  for (const Occurrence &o : occs)
    if (!o.fixed)
      by_activity[o.activity].push_back(&o);
  for (auto &[id, list] : by_activity) {
    std::sort(list.begin(), list.end(),
              [](const Occurrence *x, const Occurrence *y) { return x->index < y->index; });
    for (std::size_t k = 0; k + 1 < list.size(); ++k) {
      const Occurrence &x = *list[k], &y = *list[k + 1];
      if (x.window.dates != y.window.dates || x.window.dates.empty())
        continue;
      std::size_t n = 0;
      for (const Occurrence *o : list)
        n += o->window.dates == x.window.dates ? 1 : 0;
      const long span =
          working_days_between(plan, x.window.dates.front(), x.window.dates.back()) + 1;
      const long share = span / static_cast<long>(n);
      const long gap =
          working_days_between(plan, calendar::local_date(x.start), calendar::local_date(y.start));
      if (share >= 3 && gap * 3 < share)
        add(score, SoftRule::spread, y,
            y.id() + " is " + std::to_string(gap) + " working days after " + x.id() +
                " where an even spread gives " + std::to_string(share));
    }
  }
}

// Rule 4 — preferred weekdays and times; the soft edges of 月初/月中/月底.
void preferences(const Plan &plan, const Occurrences &occs, SoftScore &score) {
  for (const Occurrence &o : occs) {
    const Activity *a = activity_of(plan, o);
    if (!a || o.fixed)
      continue;
    const Date d = calendar::local_date(o.start);
    if (a->prefer.weekdays && !(*a->prefer.weekdays)[calendar::weekday_index(d)])
      add(score, SoftRule::prefer, o, o.id() + " is not on a preferred weekday");
    if (a->prefer.time && !o.all_day) {
      const auto minute = (o.start - std::chrono::floor<date::days>(o.start)).count();
      const auto end = minute + (o.end - o.start).count();
      if (minute < a->prefer.time->from || end > a->prefer.time->to)
        add(score, SoftRule::prefer, o, o.id() + " is outside its preferred time");
    }
    const calendar::Window &w = o.window;
    if (w.dates.empty() || w.prefer == calendar::Prefer::none)
      continue;
    long off = 0;
    if (w.prefer == calendar::Prefer::early)
      off = working_days_between(plan, w.dates.front(), d);
    else if (w.prefer == calendar::Prefer::late)
      off = working_days_between(plan, d, w.dates.back());
    else if (w.target)
      off = d < *w.target ? working_days_between(plan, d, *w.target)
                          : working_days_between(plan, *w.target, d);
    if (off > 3)
      add(score, SoftRule::soft_edge, o,
          o.id() + " is " + std::to_string(off) + " working days from the edge its window prefers");
  }
}

// Rule 5 — starts on the hour or half hour.
void on_the_hour(const Occurrences &occs, SoftScore &score) {
  for (const Occurrence &o : occs) {
    if (o.all_day || o.fixed)
      continue;
    const auto minute = (o.start - std::chrono::floor<date::days>(o.start)).count();
    if (minute % 30 != 0)
      add(score, SoftRule::on_the_hour, o, o.id() + " starts off the hour and half hour");
  }
}

} // namespace

std::map<Date, std::string> likely_days_off(const Plan &plan) {
  return calendar::likely_days_off(plan.calendar.holidays, plan.year);
}

bool next_to_holiday_block(const calendar::WorkingCalendar &calendar, Date day) {
  if (!calendar.is_working_day(day))
    return false;
  auto off_run = [&](int step) {
    int n = 0;
    for (Date d = day + date::days{step}; n < 3 && !calendar.is_working_day(d);
         d += date::days{step})
      ++n;
    return n;
  };
  return off_run(1) >= 3 || off_run(-1) >= 3;
}

SoftScore evaluate(const Plan &plan, const Schedule &schedule, const Schedule *previous) {
  SoftScore score;
  const Occurrences &occs = schedule.occurrences;
  if (previous)
    keep_place(occs, *previous, score);
  avoid_days(plan, occs, score);
  same_day_and_peaks(plan, occs, score);
  spread(plan, occs, score);
  preferences(plan, occs, score);
  on_the_hour(occs, score);
  for (const SoftViolation &v : score.violations) {
    ++score.counts[static_cast<std::size_t>(v.rule)];
    score.cost += v.cost;
  }
  return score;
}

} // namespace xun::scheduler
