// Expanding activities into occurrences and rules into difference constraints.
#include "scheduler/occurrences.hpp"

#include "scheduler/objective.hpp"
#include "scheduler/occurrence_key.hpp"
#include "scheduler/records.hpp"

#include <date/iso_week.h>
#include <libical/ical.h>

#include <algorithm>
#include <functional>
#include <map>
#include <numeric>

namespace xun::scheduler::detail {
namespace {

using calendar::Date;
using calendar::DateRange;
using calendar::Window;

struct Period {
  Window window;
  std::string label; // "week 8 (Feb 16–22)"
};

Window whole(DateRange r) { return Window{calendar::days_of(r), calendar::Prefer::none, {}}; }

std::string range_label(const std::string &name, DateRange r) {
  return name + " (" + format_days(r.first, r.last) + ")";
}

// The ranges a repeat cuts the year into, each with its name.
std::vector<std::pair<DateRange, std::string>> period_ranges(const Activity &a, int year,
                                                             std::optional<Date> anchor) {
  std::vector<std::pair<DateRange, std::string>> out;
  const DateRange y = calendar::year_range(year);
  using K = Repeat::Kind;
  switch (a.repeat.kind) {
  case K::monthly:
    for (unsigned m = 1; m <= 12; ++m)
      out.emplace_back(calendar::month_range(year, m),
                       std::string(calendar::english_month_name(m)));
    break;
  case K::quarterly:
    for (unsigned q = 0; q < 4; ++q)
      out.emplace_back(DateRange{calendar::first_day_of_month(year, 3 * q + 1),
                                 calendar::last_day_of_month(year, 3 * q + 3)},
                       "Q" + std::to_string(q + 1));
    break;
  case K::half_yearly:
    out.emplace_back(
        DateRange{calendar::first_day_of_month(year, 1), calendar::last_day_of_month(year, 6)},
        "H1");
    out.emplace_back(
        DateRange{calendar::first_day_of_month(year, 7), calendar::last_day_of_month(year, 12)},
        "H2");
    break;
  case K::weekly:
  case K::biweekly: {
    // ISO weeks start on Monday; the week of Jan 1 may belong to last year.
    Date monday = y.first - date::days{(calendar::weekday_index(y.first) + 6) % 7};
    std::vector<std::pair<DateRange, int>> weeks;
    for (; monday <= y.last; monday += date::days{7}) {
      DateRange r{std::max(monday, y.first), std::min(monday + date::days{6}, y.last)};
      const iso_week::year_weeknum_weekday iso{monday};
      weeks.emplace_back(r, static_cast<int>(static_cast<unsigned>(iso.weeknum())));
    }
    if (a.repeat.kind == K::weekly) {
      for (auto &[r, n] : weeks)
        out.emplace_back(r, "week " + std::to_string(n));
    } else {
      // Fortnights are counted from the first week that meets the window.
      std::size_t start = 0;
      if (anchor)
        while (start + 1 < weeks.size() && weeks[start].first.last < *anchor)
          ++start;
      for (std::size_t i = start; i < weeks.size(); i += 2) {
        DateRange r = weeks[i].first;
        std::string name = "weeks " + std::to_string(weeks[i].second);
        if (i + 1 < weeks.size()) {
          r.last = weeks[i + 1].first.last;
          name += "-" + std::to_string(weeks[i + 1].second);
        }
        out.emplace_back(r, name);
      }
    }
    break;
  }
  case K::none:
  case K::list:
    break;
  }
  return out;
}

std::vector<Period> expand_periods(const Activity &a, int year) {
  std::vector<Period> out;
  const auto *abs = std::get_if<Window>(&a.when);
  const auto *rel = std::get_if<calendar::RelativeWindow>(&a.when);
  if (a.repeat.kind == Repeat::Kind::none) {
    Window w = abs ? *abs : calendar::apply_relative_in_year(*rel, year);
    out.push_back({w, a.when_text});
    return out;
  }
  if (a.repeat.kind == Repeat::Kind::list) {
    for (std::size_t k = 0; k < a.repeat.windows.size(); ++k) {
      const Window &lw = a.repeat.windows[k];
      Window w = lw;
      if (abs)
        w = calendar::intersect(lw, *abs);
      else if (rel && !lw.empty())
        w = calendar::intersect(calendar::apply_relative(*rel, lw.span()), lw);
      const std::string text =
          k < a.repeat.texts.size() ? a.repeat.texts[k] : "window " + std::to_string(k + 1);
      out.push_back({w, lw.empty() ? text : range_label(text, lw.span())});
    }
    return out;
  }
  std::optional<Date> anchor;
  if (abs && !abs->empty())
    anchor = abs->dates.front();
  for (auto &[r, name] : period_ranges(a, year, anchor)) {
    Window w;
    if (abs) {
      w = calendar::restrict_to(*abs, r);
      if (w.empty())
        continue; // outside the bounding window: not a period of this activity
    } else if (rel) {
      w = calendar::apply_relative(*rel, r);
    } else {
      w = whole(r);
    }
    out.push_back({w, range_label(name, r)});
  }
  return out;
}

// Dates an RFC 5545 rule generates from `first` up to `last`. DTSTART itself
// is kept only when the rule's BY parts would generate it (PLAN.md §3).
std::vector<Date> expand_rrule(const std::string &rule, Date first, Date last,
                               std::optional<int> at_minutes, std::string &error) {
  std::vector<Date> out;
  icalrecurrencetype recur = icalrecurrencetype_from_string(rule.c_str());
  if (recur.freq == ICAL_NO_RECURRENCE) {
    icalerror_clear_errno();
    error = "rrule '" + rule + "' is not an RFC 5545 recurrence rule";
    return out;
  }
  auto run = [&](Date start) {
    std::vector<Date> dates;
    const date::year_month_day ymd{start};
    icaltimetype dt = icaltime_null_time();
    dt.year = static_cast<int>(ymd.year());
    dt.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    dt.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    if (at_minutes) {
      dt.hour = *at_minutes / 60;
      dt.minute = *at_minutes % 60;
    } else {
      dt.is_date = 1;
    }
    icalrecur_iterator *it = icalrecur_iterator_new(recur, dt);
    if (!it)
      return dates;
    // The loader refuses rules that repeat within a day, so each step is a
    // new day: a year's window takes at most 367 (the day before, then 366).
    constexpr int max_steps = 400;
    int steps = 0;
    for (; steps < max_steps; ++steps) {
      const icaltimetype next = icalrecur_iterator_next(it);
      if (icaltime_is_null_time(next))
        break;
      const Date d = calendar::make_date(next.year, static_cast<unsigned>(next.month),
                                         static_cast<unsigned>(next.day));
      if (d > last)
        break;
      if (dates.empty() || dates.back() != d)
        dates.push_back(d);
    }
    if (steps == max_steps)
      error = "rrule '" + rule + "' gives more than " + std::to_string(max_steps) +
              " dates in a year; an activity occurs at most once a day";
    icalrecur_iterator_free(it);
    return dates;
  };
  out = run(first);
  if (!out.empty() && out.front() == first && rule.find("BY") != std::string::npos) {
    // Would the rule generate `first` when started a day earlier?
    const std::vector<Date> check = run(first - date::days{1});
    if (std::find(check.begin(), check.end(), first) == check.end())
      out.erase(out.begin());
  }
  return out;
}

int target_for(const Model &m, const Window &w, const std::vector<int> &days, int k, int n) {
  if (days.empty())
    return 0;
  switch (w.prefer) {
  case calendar::Prefer::early:
    return days[std::min<std::size_t>(static_cast<std::size_t>(k), days.size() - 1)];
  case calendar::Prefer::late:
    return days[days.size() - 1 -
                std::min<std::size_t>(static_cast<std::size_t>(n - 1 - k), days.size() - 1)];
  case calendar::Prefer::middle:
    if (w.target)
      return static_cast<int>((*w.target - m.jan1).count());
    break;
  case calendar::Prefer::none:
    break;
  }
  const std::size_t pos =
      static_cast<std::size_t>((2.0 * k + 1.0) * static_cast<double>(days.size()) / (2.0 * n));
  return days[std::min(pos, days.size() - 1)];
}

} // namespace

long OccSpec::earliest() const {
  if (fixed)
    return fixed_start;
  if (start_days.empty())
    return 0;
  return start_days.front() * minutes_per_day +
         (all_day || slots.empty() ? 0 : slots.front().first);
}

long OccSpec::latest() const {
  if (fixed)
    return fixed_start;
  if (start_days.empty())
    return -1;
  return start_days.back() * minutes_per_day + (all_day || slots.empty() ? 0 : slots.back().second);
}

std::string Model::occ_id(const Plan &plan, int i) const {
  if (i == origin())
    return "the start of the year";
  const OccSpec &o = occs[static_cast<std::size_t>(i)];
  return plan.activities[static_cast<std::size_t>(o.activity)].id + "#" + std::to_string(o.index);
}

std::string format_day(Date d) {
  return std::string(calendar::english_month_abbrev(calendar::month_of(d))) + " " +
         std::to_string(calendar::day_of(d));
}

std::string format_days(Date a, Date b) {
  if (a == b)
    return format_day(a);
  if (calendar::month_of(a) == calendar::month_of(b))
    return format_day(a) + "–" + std::to_string(calendar::day_of(b));
  return format_day(a) + "–" + format_day(b);
}

std::string format_gap(long minutes) { return calendar::format_duration(minutes); }

std::string describe_window(const Model &model, const OccSpec &occ, const Activity &activity) {
  std::string text = activity.when_text;
  if (activity.repeat.kind != Repeat::Kind::none && !occ.window.empty())
    text += " in " + format_days(occ.window.dates.front(), occ.window.dates.back());
  if (occ.fixed)
    return text + ": fixed at " +
           format_day(model.jan1 + date::days{occ.fixed_start / minutes_per_day});
  std::vector<Date> working;
  for (Date d : occ.window.dates)
    if (model.working[static_cast<std::size_t>((d - model.jan1).count())])
      working.push_back(d);
  if (working.empty())
    return text + ": no working day";
  if (occ.all_day && !occ.start_days.empty()) {
    const Date a = model.jan1 + date::days{occ.start_days.front()};
    const Date b = model.jan1 + date::days{occ.start_days.back() + occ.days - 1};
    return text + ": runs of " + std::to_string(occ.days) + " working days only within " +
           format_days(a, b);
  }
  // Contiguous working days read as a range; otherwise name the first and last.
  const bool contiguous =
      (working.back() - working.front()).count() + 1 == static_cast<long>(working.size());
  if (contiguous && working.size() < occ.window.dates.size())
    return text + ": " + format_days(working.front(), working.back()) +
           (working.size() == 1 ? " is the only working day" : " are the only working days");
  return text + ": working days " + format_days(working.front(), working.back());
}

namespace {

// build_model's phases, each one rule family of PLAN.md §3–§4 (and §6.3's
// days to avoid). The builder holds what the phases share.
class ModelBuilder {
public:
  ModelBuilder(const Plan &plan, const Disabled &disabled) : plan_(plan), disabled_(disabled) {}

  Model build(const Schedule *previous, const Replan *replan, bool keep_previous) {
    days();
    resources();
    occs_of_.resize(plan_.activities.size());
    granularity_ = minutes_per_day;
    for (const auto &h : plan_.calendar.hours)
      granularity_ =
          std::gcd(granularity_, std::gcd(static_cast<long>(h.from), static_cast<long>(h.to)));
    for (std::size_t ai = 0; ai < plan_.activities.size(); ++ai)
      if (!disabled_.activities.contains(static_cast<int>(ai)))
        activity(ai);
    m_.granularity = std::max(granularity_, 5L);
    warn_fixed_on_days_off();
    assign_keys();
    m_.previous = previous;
    m_.replan = replan;
    if (previous)
      previous_starts(*previous);
    if (previous && replan)
      pin_replan(*previous, *replan);
    if (keep_previous)
      keep_valid_previous();
    drop_left_out();
    window_constraints();
    index_constraints();
    order_constraints();
    if (!m_.conflict)
      after_cycle();
    return std::move(m_);
  }

private:
  // Working days, and the days soft rule 2 avoids.
  void days() {
    m_.year = plan_.year;
    m_.jan1 = calendar::first_day_of_month(plan_.year, 1);
    const Date dec31 = calendar::last_day_of_month(plan_.year, 12);
    m_.days_in_year = static_cast<int>((dec31 - m_.jan1).count()) + 1;
    const auto n = static_cast<std::size_t>(m_.days_in_year);
    m_.working.assign(n, 0);
    m_.avoid.assign(n, 0);
    const auto likely = likely_days_off(plan_);
    for (std::size_t d = 0; d < n; ++d) {
      const Date day = m_.jan1 + date::days{static_cast<long>(d)};
      if (!plan_.calendar.is_working_day(day))
        continue;
      m_.working[d] = 1;
      if (plan_.calendar.classify(day) == calendar::DayKind::makeup_workday)
        m_.avoid[d] = 1;
      else if (likely.contains(day))
        m_.avoid[d] = 3;
      else if (next_to_holiday_block(plan_.calendar, day))
        m_.avoid[d] = 2;
    }
    for (const auto &h : plan_.calendar.hours)
      m_.hours.emplace_back(h.from, h.to);
  }

  // People and rooms of busy activities, sorted by id.
  void resources() {
    for (std::size_t ai = 0; ai < plan_.activities.size(); ++ai) {
      const Activity &a = plan_.activities[ai];
      if (!a.busy || disabled_.activities.contains(static_cast<int>(ai)))
        continue;
      for (const auto &p : a.people)
        if (!disabled_.drops({RuleGroup::Kind::person, -1, -1, p}))
          resource_index_["person:" + p] = 0;
      if (a.room && !disabled_.drops({RuleGroup::Kind::room, -1, -1, *a.room}))
        resource_index_["room:" + *a.room] = 0;
    }
    for (auto &[id, index] : resource_index_) {
      index = static_cast<int>(m_.resource_ids.size());
      m_.resource_ids.push_back(id);
    }
  }

  std::vector<int> resources_of(const Activity &a) const {
    std::vector<int> out;
    if (!a.busy)
      return out;
    for (const auto &p : a.people)
      if (auto it = resource_index_.find("person:" + p); it != resource_index_.end())
        out.push_back(it->second);
    if (a.room)
      if (auto it = resource_index_.find("room:" + *a.room); it != resource_index_.end())
        out.push_back(it->second);
    std::sort(out.begin(), out.end());
    return out;
  }

  // What every occurrence of an activity shares; each copies it with its window.
  OccSpec prototype(std::size_t ai) const {
    const Activity &a = plan_.activities[ai];
    OccSpec o;
    o.activity = static_cast<int>(ai);
    o.all_day = a.all_day || a.duration.in_days;
    o.days = o.all_day ? std::max(1, a.duration.days()) : 0;
    o.duration = o.all_day ? o.days * minutes_per_day : a.duration.minutes;
    o.busy = a.busy;
    o.resources = resources_of(a);
    o.prefer_time = a.prefer.time;
    o.prefer_weekdays = a.prefer.weekdays;
    return o;
  }

  static OccSpec with_window(const OccSpec &proto, Window w) {
    OccSpec o = proto;
    o.window = std::move(w);
    return o;
  }

  void add(std::size_t ai, OccSpec o) {
    o.index = static_cast<int>(occs_of_[ai].size());
    occs_of_[ai].push_back(static_cast<int>(m_.occs.size()));
    m_.occs.push_back(std::move(o));
  }

  long day_index(Date d) const { return (d - m_.jan1).count(); }

  // One activity's occurrences: rrule facts, a single fixed event, or the
  // count of each repeat period.
  void activity(std::size_t ai) {
    const Activity &a = plan_.activities[ai];
    const OccSpec proto = prototype(ai);
    if (!proto.all_day) {
      granularity_ = std::gcd(granularity_, proto.duration);
      if (a.at)
        granularity_ = std::gcd(
            granularity_, std::gcd(static_cast<long>(a.at->from), static_cast<long>(a.at->to)));
    }
    if (!a.rrule.empty()) {
      rrule_occurrences(ai, proto);
      return;
    }
    const std::vector<Period> periods = expand_periods(a, plan_.year);
    const bool single_fixed = a.repeat.kind == Repeat::Kind::none && a.at && a.at_exact &&
                              !proto.all_day && a.count_max == 1 && periods.size() == 1 &&
                              periods[0].window.dates.size() == 1;
    if (single_fixed) {
      OccSpec o = with_window(proto, periods[0].window);
      o.fixed = true;
      o.fixed_start = day_index(periods[0].window.dates.front()) * minutes_per_day + a.at->from;
      add(ai, std::move(o));
      return;
    }
    const auto slots = start_slots(a, proto.all_day, proto.duration);
    for (std::size_t pi = 0; pi < periods.size(); ++pi)
      period_occurrences(ai, proto, periods[pi], static_cast<int>(pi), slots);
  }

  void rrule_occurrences(std::size_t ai, const OccSpec &proto) {
    const Activity &a = plan_.activities[ai];
    const Window w = std::holds_alternative<Window>(a.when)
                         ? std::get<Window>(a.when)
                         : calendar::apply_relative_in_year(
                               std::get<calendar::RelativeWindow>(a.when), plan_.year);
    if (w.empty())
      return;
    std::optional<int> at_time;
    if (!proto.all_day && a.at)
      at_time = a.at->from;
    std::string error;
    const auto dates = expand_rrule(a.rrule, w.dates.front(), w.dates.back(), at_time, error);
    if (!error.empty()) {
      m_.warnings.push_back(a.id + ": " + error);
      return;
    }
    for (Date d : dates) {
      if (!w.contains(d))
        continue;
      OccSpec o = with_window(proto, Window{{d}, calendar::Prefer::none, {}});
      o.fixed = true;
      o.fixed_start = day_index(d) * minutes_per_day + (at_time ? *at_time : 0);
      if (o.all_day)
        o.window = whole({d, d + date::days{o.days - 1}});
      add(ai, std::move(o));
    }
  }

  // Start ranges inside one working-hours range and inside `at`.
  std::vector<std::pair<int, int>> start_slots(const Activity &a, bool all_day,
                                               long duration) const {
    std::vector<std::pair<int, int>> slots;
    if (all_day)
      return slots;
    for (const auto &h : plan_.calendar.hours) {
      int from = h.from, to = h.to;
      if (a.at) {
        from = std::max(from, a.at->from);
        to = std::min(to, a.at_exact ? a.at->from + static_cast<int>(duration) : a.at->to);
      }
      const int last = to - static_cast<int>(duration);
      if (a.at && a.at_exact)
        from = a.at->from;
      if (last >= from && from >= h.from)
        slots.emplace_back(from, a.at && a.at_exact ? from : last);
    }
    return slots;
  }

  // The allowed start days of a period: working days, or runs of them for all-day.
  std::vector<int> start_days(const Window &w, const std::vector<int> &working_days, int days,
                              bool all_day) const {
    if (!all_day)
      return working_days;
    std::vector<int> starts;
    for (int di : working_days) {
      bool ok = di + days <= m_.days_in_year;
      for (int j = 0; ok && j < days; ++j)
        ok = m_.working[static_cast<std::size_t>(di + j)] &&
             w.contains(m_.jan1 + date::days{di + j});
      if (ok)
        starts.push_back(di);
    }
    return starts;
  }

  void period_occurrences(std::size_t ai, const OccSpec &proto, const Period &period, int pi,
                          const std::vector<std::pair<int, int>> &slots) {
    const Activity &a = plan_.activities[ai];
    Window w = period.window;
    if (disabled_.drops({RuleGroup::Kind::window, static_cast<int>(ai), -1, {}}))
      w = whole(
          calendar::year_range(plan_.year)); // the explanation's "what if this window did not hold"
    std::vector<int> working_days;
    for (Date d : w.dates) {
      const long di = day_index(d);
      if (di >= 0 && di < m_.days_in_year && m_.working[static_cast<std::size_t>(di)])
        working_days.push_back(static_cast<int>(di));
    }
    if (working_days.empty()) {
      m_.warnings.push_back(a.id + ": no working day in " + period.label + " — no occurrence");
      return;
    }
    const std::vector<int> starts = start_days(w, working_days, proto.days, proto.all_day);
    const int n = a.count_max;
    for (int k = 0; k < n; ++k) {
      OccSpec o = with_window(proto, w);
      o.period = pi;
      o.optional = k >= a.count_min;
      o.start_days = starts;
      o.slots = slots;
      o.target_day = target_for(m_, w, working_days, k, n);
      if (!o.optional && (o.start_days.empty() || (!o.all_day && o.slots.empty())) && !m_.conflict)
        m_.conflict = cannot_fit(a, o, period);
      add(ai, std::move(o));
    }
  }

  Conflict cannot_fit(const Activity &a, const OccSpec &o, const Period &period) const {
    std::string why;
    if (o.all_day)
      why = "needs " + std::to_string(o.days) + " consecutive working days inside " + a.when_text +
            " (" + period.label + ") and there are none";
    else
      why = "lasts " + format_gap(o.duration) + ", which fits in no range of working hours" +
            (a.at ? std::string(" inside its `at` time") : std::string());
    return Conflict{a.id + " " + why, {a.id}, {RuleRef{a.id, "when", a.when_text, a.when_pos}}, {}};
  }

  void warn_fixed_on_days_off() {
    for (std::size_t i = 0; i < m_.occs.size(); ++i) {
      const OccSpec &o = m_.occs[i];
      if (!o.fixed)
        continue;
      const long day = o.fixed_start / minutes_per_day;
      if (day >= 0 && day < m_.days_in_year && !m_.working[static_cast<std::size_t>(day)])
        m_.warnings.push_back(m_.occ_id(plan_, static_cast<int>(i)) + " is fixed on a day off (" +
                              calendar::format_iso_date(m_.jan1 + date::days{day}) + ")");
    }
  }

  // Each occurrence's stable key (occurrence_key.hpp): its period's number and
  // its ordinal among the activity's occurrences in that period.
  void assign_keys() {
    std::map<std::pair<int, int>, int> next_ordinal;
    for (OccSpec &o : m_.occs) {
      const Activity &a = plan_.activities[static_cast<std::size_t>(o.activity)];
      o.key_period = period_number(a, o.window, plan_.year);
      o.ordinal = next_ordinal[{o.activity, o.key_period}]++;
    }
  }

  OccurrenceKey key(const OccSpec &o) const {
    return {plan_.activities[static_cast<std::size_t>(o.activity)].id, o.key_period, o.ordinal};
  }

  long minutes_of(calendar::LocalTime t) const {
    return (t - calendar::LocalTime{date::local_days{m_.jan1.time_since_epoch()}}).count();
  }

  // Re-planning: each occurrence's previous start (soft), matched by its key
  // (activity, period, ordinal), so a changed count moves nothing else.
  void previous_starts(const Schedule &previous) {
    std::map<OccurrenceKey, calendar::LocalTime> before;
    for (const auto &p : previous.occurrences)
      before.emplace(key_of(p), p.start);
    for (OccSpec &o : m_.occs)
      if (auto it = before.find(key(o)); it != before.end())
        o.previous_start = minutes_of(it->second);
  }

  // Whether the occurrence's own rules (window, working days and hours, `at`)
  // allow it to start at `start`.
  static bool allows(const OccSpec &o, long start) {
    if (o.fixed)
      return start == o.fixed_start;
    const long day = start / minutes_per_day, minute = start % minutes_per_day;
    if (start < 0 || !std::binary_search(o.start_days.begin(), o.start_days.end(), day))
      return false;
    if (o.all_day)
      return minute == 0;
    return std::any_of(o.slots.begin(), o.slots.end(),
                       [&](const auto &s) { return minute >= s.first && minute <= s.second; });
  }

  void pin(OccSpec &o, long start, long end, OccurrenceState state) {
    o.fixed = true;
    o.pinned = true;
    o.optional = false;
    o.fixed_start = start;
    o.duration = std::max(end - start, 1L);
    if (o.all_day)
      o.days = static_cast<int>((o.duration + minutes_per_day - 1) / minutes_per_day);
    o.state = state;
  }

  // §6.5: records are facts and cancelled ones are left out; what the
  // previous schedule started before as-of + freeze stays; everything else
  // starts from then on. A frozen or recorded occurrence the plan no longer
  // allows where it is (or no longer has) is named in would_move.
  void pin_replan(const Schedule &previous, const Replan &replan) {
    std::map<OccurrenceKey, const Occurrence *> before;
    for (const auto &p : previous.occurrences)
      before.emplace(key_of(p), &p);
    std::map<OccurrenceKey, const ResolvedRecord *> records;
    for (const auto &r : replan.records)
      records.emplace(r.key, &r);
    const bool bounded = replan.as_of.has_value();
    const long as_of = bounded ? minutes_of(*replan.as_of) : 0;
    const long bound = as_of + replan.freeze_minutes;
    std::set<OccurrenceKey> present;
    left_out_.assign(m_.occs.size(), 0);
    for (std::size_t i = 0; i < m_.occs.size(); ++i) {
      OccSpec &o = m_.occs[i];
      const OccurrenceKey k = key(o);
      present.insert(k);
      const auto prev = before.find(k);
      if (const auto rec = records.find(k); rec != records.end()) {
        const ResolvedRecord &r = *rec->second;
        if (r.record.status == RecordStatus::cancelled) {
          OccSpec gone = o;
          gone.fixed_start =
              prev != before.end() ? minutes_of(prev->second->start) : minutes_of(r.start);
          gone.state = OccurrenceState::planned;
          m_.cancelled.push_back(std::move(gone));
          left_out_[i] = 1;
          continue;
        }
        pin(o, minutes_of(r.start), minutes_of(r.end),
            r.record.status == RecordStatus::done ? OccurrenceState::done : OccurrenceState::moved);
        continue;
      }
      if (bounded && prev != before.end() && minutes_of(prev->second->start) < bound) {
        const Occurrence &p = *prev->second;
        const long start = minutes_of(p.start), end = minutes_of(p.end);
        // A record just deleted: its time was the record's, not the plan's, so
        // it stays there only if the plan's rules allow it; else it is free
        // again. Undoing a record is never refused because of the record.
        const bool was_fact = p.state == OccurrenceState::done || p.state == OccurrenceState::moved;
        if (was_fact && !allows(o, start)) {
          if (!o.fixed)
            start_from(o, i, bound);
          continue;
        }
        if (!allows(o, start))
          m_.would_move.push_back(p.id() + " (" +
                                  calendar::format_iso_date(calendar::local_date(p.start)) +
                                  ") is frozen: it starts before as-of + replan.freeze, and the "
                                  "plan's rules no longer allow it there");
        pin(o, start, end, end <= as_of ? OccurrenceState::not_recorded : OccurrenceState::frozen);
        continue;
      }
      if (bounded && !o.fixed)
        start_from(o, i, bound);
    }
    for (const auto &[k, r] : records)
      if (!present.contains(k) && r->record.status != RecordStatus::cancelled)
        m_.would_move.push_back(r->id + " is recorded " + record_status_name(r->record.status) +
                                " but the plan no longer has it; keep it in the plan");
    if (bounded)
      for (const auto &[k, p] : before)
        if (!present.contains(k) && minutes_of(p->start) < bound && !records.contains(k))
          m_.would_move.push_back(p->id() + " (" +
                                  calendar::format_iso_date(calendar::local_date(p->start)) +
                                  ") is frozen but the plan no longer has it; record it "
                                  "cancelled first, or keep it in the plan");
  }

  // A free occurrence starts on a day from `bound` on (the first midnight at
  // or after it): a re-plan never puts anything into the past.
  void start_from(OccSpec &o, std::size_t i, long bound) {
    const long first_day = (bound + minutes_per_day - 1) / minutes_per_day;
    o.start_days.erase(o.start_days.begin(),
                       std::lower_bound(o.start_days.begin(), o.start_days.end(), first_day));
    if (!o.start_days.empty())
      return;
    left_out_[i] = 1;
    if (!o.optional)
      m_.warnings.push_back(m_.occ_id(plan_, static_cast<int>(i)) +
                            ": its window has passed (before the re-plan's as-of + freeze) — "
                            "not placed");
  }

  // The fewest-moves attempt: every occurrence stays where it was if its
  // rules still allow it there; only the others are placed.
  void keep_valid_previous() {
    for (OccSpec &o : m_.occs)
      if (!o.fixed && o.previous_start && allows(o, *o.previous_start)) {
        o.fixed = true;
        o.kept = true;
        o.optional = false;
        o.fixed_start = *o.previous_start;
      }
  }

  // Occurrences left out by the re-plan go before any rule refers to them.
  void drop_left_out() {
    if (std::find(left_out_.begin(), left_out_.end(), 1) == left_out_.end())
      return;
    std::vector<int> new_index(m_.occs.size(), -1);
    std::vector<OccSpec> kept;
    for (std::size_t i = 0; i < m_.occs.size(); ++i)
      if (!left_out_[i]) {
        new_index[i] = static_cast<int>(kept.size());
        kept.push_back(std::move(m_.occs[i]));
      }
    m_.occs = std::move(kept);
    for (auto &list : occs_of_) {
      std::vector<int> mapped;
      for (int i : list)
        if (new_index[static_cast<std::size_t>(i)] >= 0)
          mapped.push_back(new_index[static_cast<std::size_t>(i)]);
      list = std::move(mapped);
    }
  }

  // Every occurrence starts inside its window's start bounds.
  void window_constraints() {
    const int origin = m_.origin();
    for (std::size_t i = 0; i < m_.occs.size(); ++i) {
      const OccSpec &o = m_.occs[i];
      const int node = static_cast<int>(i);
      std::optional<RuleGroup> wg;
      if (!o.fixed)
        wg = RuleGroup{RuleGroup::Kind::window, o.activity, -1, {}};
      m_.constraints.push_back(
          {origin, node, o.earliest(), Constraint::Kind::window_lower, -1, wg});
      m_.constraints.push_back({node, origin, -o.latest(), Constraint::Kind::window_upper, -1, wg});
    }
  }

  // Occurrences of one activity in index order, min_gap and max_gap apart.
  void index_constraints() {
    for (std::size_t ai = 0; ai < plan_.activities.size(); ++ai) {
      const Activity &a = plan_.activities[ai];
      const auto &list = occs_of_[ai];
      const RuleGroup gap_group{RuleGroup::Kind::min_gap, static_cast<int>(ai), -1, {}};
      const long gap = a.min_gap_minutes && !disabled_.drops(gap_group) ? *a.min_gap_minutes : 0;
      for (std::size_t k = 0; k + 1 < list.size(); ++k) {
        const OccSpec &x = m_.occs[static_cast<std::size_t>(list[k])];
        const OccSpec &y = m_.occs[static_cast<std::size_t>(list[k + 1])];
        if (x.fixed && y.fixed)
          continue;
        std::optional<RuleGroup> grp;
        if (gap > 0)
          grp = gap_group;
        m_.constraints.push_back(
            {list[k], list[k + 1], x.duration + gap, Constraint::Kind::index_order, -1, grp});
        if (a.max_gap_minutes && !disabled_.drops(gap_group))
          m_.constraints.push_back({list[k + 1], list[k], -(x.duration + *a.max_gap_minutes),
                                    Constraint::Kind::index_order, -1, gap_group});
      }
      // The search places only hard occurrences: order them directly across
      // the optional ones between them, which may be left out (count A-B).
      // The max_gap then holds between them too (conservative when the
      // optional ones are placed after all).
      int last_hard = -1;
      for (std::size_t k = 0; k < list.size(); ++k) {
        const OccSpec &y = m_.occs[static_cast<std::size_t>(list[k])];
        if (y.optional)
          continue;
        if (last_hard >= 0 && static_cast<std::size_t>(last_hard) + 1 < k) {
          const OccSpec &x =
              m_.occs[static_cast<std::size_t>(list[static_cast<std::size_t>(last_hard)])];
          if (!(x.fixed && y.fixed)) {
            std::optional<RuleGroup> grp;
            if (gap > 0)
              grp = gap_group;
            const int from = list[static_cast<std::size_t>(last_hard)], to = list[k];
            m_.constraints.push_back(
                {from, to, x.duration + gap, Constraint::Kind::index_order, -1, grp});
            if (a.max_gap_minutes && !disabled_.drops(gap_group))
              m_.constraints.push_back({to, from, -(x.duration + *a.max_gap_minutes),
                                        Constraint::Kind::index_order, -1, gap_group});
          }
        }
        last_hard = static_cast<int>(k);
      }
    }
  }

  // `after`/`before` between activities: pairwise when the counts match,
  // every pair otherwise (PLAN.md §3).
  void order_constraints() {
    std::map<std::string, int> act_index;
    for (std::size_t ai = 0; ai < plan_.activities.size(); ++ai)
      act_index[plan_.activities[ai].id] = static_cast<int>(ai);
    succ_.assign(plan_.activities.size(), {});
    for (std::size_t ai = 0; ai < plan_.activities.size(); ++ai) {
      const Activity &a = plan_.activities[ai];
      if (disabled_.activities.contains(static_cast<int>(ai)))
        continue;
      for (std::size_t r = 0; r < a.order.size(); ++r) {
        const OrderRule &rule = a.order[r];
        const RuleGroup grp{RuleGroup::Kind::order, static_cast<int>(ai), static_cast<int>(r), {}};
        auto it = act_index.find(rule.other);
        if (it == act_index.end() || disabled_.drops(grp) ||
            disabled_.activities.contains(it->second))
          continue;
        const int p = rule.is_before ? static_cast<int>(ai) : it->second;
        const int s = rule.is_before ? it->second : static_cast<int>(ai);
        succ_[static_cast<std::size_t>(p)].push_back(s);
        const auto &ps = occs_of_[static_cast<std::size_t>(p)];
        const auto &ss = occs_of_[static_cast<std::size_t>(s)];
        const bool paired = ps.size() == ss.size();
        for (std::size_t i = 0; i < ps.size(); ++i)
          for (std::size_t j = 0; j < ss.size(); ++j) {
            if (paired && i != j)
              continue;
            if (m_.occs[static_cast<std::size_t>(ps[i])].pinned &&
                m_.occs[static_cast<std::size_t>(ss[j])].pinned)
              continue; // two facts of the re-plan: what happened, happened
            const long dp = m_.occs[static_cast<std::size_t>(ps[i])].duration;
            m_.constraints.push_back({ps[i], ss[j], dp + rule.min_gap_minutes,
                                      Constraint::Kind::order_min, static_cast<int>(r), grp});
            if (rule.max_gap_minutes)
              m_.constraints.push_back({ss[j], ps[i], -(dp + *rule.max_gap_minutes),
                                        Constraint::Kind::order_max, static_cast<int>(r), grp});
          }
      }
    }
  }

  // An ordering cycle among activities (a after b after a) is named as such.
  void after_cycle() {
    const std::size_t n = plan_.activities.size();
    std::vector<int> state(n, 0), parent(n, -1);
    std::function<bool(int)> visit = [&](int v) -> bool {
      state[static_cast<std::size_t>(v)] = 1;
      for (int w : succ_[static_cast<std::size_t>(v)]) {
        if (state[static_cast<std::size_t>(w)] == 1) {
          std::vector<int> cycle{v};
          for (int x = v; x != w;) { // walk back the DFS path from v to w
            x = parent[static_cast<std::size_t>(x)];
            if (x < 0)
              break;
            cycle.push_back(x);
          }
          std::reverse(cycle.begin(), cycle.end());
          m_.conflict = cycle_conflict(cycle);
          return true;
        }
        if (state[static_cast<std::size_t>(w)] == 0) {
          parent[static_cast<std::size_t>(w)] = v;
          if (visit(w))
            return true;
        }
      }
      state[static_cast<std::size_t>(v)] = 2;
      return false;
    };
    for (std::size_t v = 0; v < n && !m_.conflict; ++v)
      if (state[v] == 0 && !occs_of_[v].empty())
        visit(static_cast<int>(v));
  }

  Conflict cycle_conflict(const std::vector<int> &cycle) const {
    std::vector<std::string> ids, steps;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      const auto &cur = plan_.activities[static_cast<std::size_t>(cycle[i])].id;
      const auto &next =
          plan_.activities[static_cast<std::size_t>(cycle[(i + 1) % cycle.size()])].id;
      ids.push_back(cur);
      steps.push_back(next + " comes after " + cur);
    }
    std::string msg = "after-cycle: ";
    for (std::size_t i = 0; i < steps.size(); ++i)
      msg += (i ? ", " : "") + steps[i];
    msg += " — activities ";
    std::vector<std::string> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i)
      msg += (i ? ", " : "") + sorted[i];
    msg += " cannot each come after the other";
    std::vector<RuleRef> refs;
    for (const auto &id : sorted)
      if (const Activity *act = plan_.find_activity(id))
        for (const OrderRule &r : act->order)
          if (std::binary_search(sorted.begin(), sorted.end(), r.other))
            refs.push_back({act->id, r.is_before ? "before" : "after", r.other, r.pos});
    return Conflict{msg, sorted, refs, {}};
  }

  const Plan &plan_;
  const Disabled &disabled_;
  Model m_;
  std::map<std::string, int> resource_index_;
  std::vector<std::vector<int>> occs_of_; // per activity: its occurrences in index order
  std::vector<std::vector<int>> succ_;    // activity-level order graph (pred → succ)
  std::vector<char> left_out_;            // per occurrence: cancelled or past (re-planning)
  long granularity_ = minutes_per_day;
};

} // namespace

Model build_model(const Plan &plan, const Disabled &disabled, const Schedule *previous,
                  const Replan *replan, bool keep_previous) {
  return ModelBuilder(plan, disabled).build(previous, replan, keep_previous);
}

} // namespace xun::scheduler::detail
