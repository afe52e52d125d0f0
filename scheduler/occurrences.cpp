// Expanding activities into occurrences and rules into difference constraints.
#include "scheduler/occurrences.hpp"

#include "scheduler/objective.hpp"

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

constexpr const char *month_abbrev[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char *month_name[] = {"January", "February", "March",     "April",
                                      "May",     "June",     "July",      "August",
                                      "September", "October", "November", "December"};

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
      out.emplace_back(calendar::month_range(year, m), month_name[m - 1]);
    break;
  case K::quarterly:
    for (unsigned q = 0; q < 4; ++q)
      out.emplace_back(DateRange{calendar::first_day_of_month(year, 3 * q + 1),
                                 calendar::last_day_of_month(year, 3 * q + 3)},
                       "Q" + std::to_string(q + 1));
    break;
  case K::half_yearly:
    out.emplace_back(DateRange{calendar::first_day_of_month(year, 1),
                               calendar::last_day_of_month(year, 6)},
                     "H1");
    out.emplace_back(DateRange{calendar::first_day_of_month(year, 7),
                               calendar::last_day_of_month(year, 12)},
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
      const std::string text = k < a.repeat.texts.size() ? a.repeat.texts[k] : "window " + std::to_string(k + 1);
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
    for (int guard = 0; guard < 100000; ++guard) {
      const icaltimetype next = icalrecur_iterator_next(it);
      if (icaltime_is_null_time(next))
        break;
      const Date d = calendar::make_date(next.year, static_cast<unsigned>(next.month),
                                         static_cast<unsigned>(next.day));
      if (d > last)
        break;
      dates.push_back(d);
    }
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
    return days[days.size() - 1 - std::min<std::size_t>(static_cast<std::size_t>(n - 1 - k), days.size() - 1)];
  case calendar::Prefer::middle:
    if (w.target)
      return static_cast<int>((*w.target - m.jan1).count());
    break;
  case calendar::Prefer::none:
    break;
  }
  const std::size_t pos = static_cast<std::size_t>(
      (2.0 * k + 1.0) * static_cast<double>(days.size()) / (2.0 * n));
  return days[std::min(pos, days.size() - 1)];
}

} // namespace

long OccSpec::earliest() const {
  if (fixed)
    return fixed_start;
  if (start_days.empty())
    return 0;
  return start_days.front() * minutes_per_day + (all_day || slots.empty() ? 0 : slots.front().first);
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
  return std::string(month_abbrev[calendar::month_of(d) - 1]) + " " +
         std::to_string(calendar::day_of(d));
}

std::string format_days(Date a, Date b) {
  if (a == b)
    return format_day(a);
  if (calendar::month_of(a) == calendar::month_of(b))
    return format_day(a) + "–" + std::to_string(calendar::day_of(b));
  return format_day(a) + "–" + format_day(b);
}

std::string format_gap(long minutes) {
  if (minutes == 0)
    return "0m";
  std::string out = minutes < 0 ? "-" : "";
  minutes = std::labs(minutes);
  if (minutes % minutes_per_day == 0)
    return out + std::to_string(minutes / minutes_per_day) + "d";
  if (minutes >= minutes_per_day) {
    out += std::to_string(minutes / minutes_per_day) + "d";
    minutes %= minutes_per_day;
  }
  if (minutes >= 60)
    out += std::to_string(minutes / 60) + "h";
  if (minutes % 60)
    out += std::to_string(minutes % 60) + "m";
  return out;
}

std::string describe_window(const Model &model, const OccSpec &occ, const Activity &activity) {
  std::string text = activity.when_text;
  if (activity.repeat.kind != Repeat::Kind::none && !occ.window.empty())
    text += " in " + format_days(occ.window.dates.front(), occ.window.dates.back());
  if (occ.fixed)
    return text + ": fixed at " + format_day(model.jan1 + date::days{occ.fixed_start / minutes_per_day});
  std::vector<Date> working;
  for (Date d : occ.window.dates)
    if (model.working[static_cast<std::size_t>((d - model.jan1).count())])
      working.push_back(d);
  if (working.empty())
    return text + ": no working day";
  if (occ.all_day && !occ.start_days.empty()) {
    const Date a = model.jan1 + date::days{occ.start_days.front()};
    const Date b = model.jan1 + date::days{occ.start_days.back() + occ.days - 1};
    return text + ": runs of " + std::to_string(occ.days) +
           " working days only within " + format_days(a, b);
  }
  // Contiguous working days read as a range; otherwise name the first and last.
  const bool contiguous = (working.back() - working.front()).count() + 1 ==
                          static_cast<long>(working.size());
  if (contiguous && working.size() < occ.window.dates.size())
    return text + ": " + format_days(working.front(), working.back()) +
           (working.size() == 1 ? " is the only working day" : " are the only working days");
  return text + ": working days " + format_days(working.front(), working.back());
}

Model build_model(const Plan &plan, const Disabled &disabled, const Schedule *previous) {
  Model m;
  m.year = plan.year;
  m.jan1 = calendar::first_day_of_month(plan.year, 1);
  const Date dec31 = calendar::last_day_of_month(plan.year, 12);
  m.days_in_year = static_cast<int>((dec31 - m.jan1).count()) + 1;
  // Extra days after the year so all-day runs at the end index safely.
  m.working.assign(static_cast<std::size_t>(m.days_in_year), 0);
  for (int d = 0; d < m.days_in_year; ++d)
    m.working[static_cast<std::size_t>(d)] =
        plan.calendar.is_working_day(m.jan1 + date::days{d}) ? 1 : 0;
  m.avoid.assign(static_cast<std::size_t>(m.days_in_year), 0);
  for (int d = 0; d < m.days_in_year; ++d) {
    const Date day = m.jan1 + date::days{d};
    if (!m.working[static_cast<std::size_t>(d)])
      continue;
    if (plan.calendar.classify(day) == calendar::DayKind::makeup_workday)
      m.avoid[static_cast<std::size_t>(d)] = 1;
    else if (next_to_holiday_block(plan.calendar, day))
      m.avoid[static_cast<std::size_t>(d)] = 2;
  }

  // Resources: people and rooms of busy activities, sorted by id.
  std::map<std::string, int> resource_index;
  for (std::size_t ai = 0; ai < plan.activities.size(); ++ai) {
    const Activity &a = plan.activities[ai];
    if (!a.busy || disabled.activities.contains(static_cast<int>(ai)))
      continue;
    for (const auto &p : a.people)
      if (!disabled.drops({RuleGroup::Kind::person, -1, -1, p}))
        resource_index["person:" + p] = 0;
    if (a.room && !disabled.drops({RuleGroup::Kind::room, -1, -1, *a.room}))
      resource_index["room:" + *a.room] = 0;
  }
  for (auto &[id, index] : resource_index) {
    index = static_cast<int>(m.resource_ids.size());
    m.resource_ids.push_back(id);
  }

  long g = minutes_per_day;
  for (const auto &h : plan.calendar.hours)
    m.hours.emplace_back(h.from, h.to);
  for (const auto &h : plan.calendar.hours)
    g = std::gcd(g, std::gcd(static_cast<long>(h.from), static_cast<long>(h.to)));

  std::vector<std::vector<int>> occs_of(plan.activities.size());
  for (std::size_t ai = 0; ai < plan.activities.size(); ++ai) {
    const Activity &a = plan.activities[ai];
    const int act = static_cast<int>(ai);
    if (disabled.activities.contains(act))
      continue;
    const bool all_day = a.all_day || a.duration.in_days;
    const int days = all_day ? std::max(1, a.duration.days()) : 0;
    const long duration = all_day ? days * minutes_per_day : a.duration.minutes;
    if (!all_day) {
      g = std::gcd(g, duration);
      if (a.at)
        g = std::gcd(g, std::gcd(static_cast<long>(a.at->from), static_cast<long>(a.at->to)));
    }
    std::vector<int> resources;
    if (a.busy) {
      for (const auto &p : a.people)
        if (auto it = resource_index.find("person:" + p); it != resource_index.end())
          resources.push_back(it->second);
      if (a.room)
        if (auto it = resource_index.find("room:" + *a.room); it != resource_index.end())
          resources.push_back(it->second);
      std::sort(resources.begin(), resources.end());
    }
    const bool window_off = disabled.drops({RuleGroup::Kind::window, act, -1, {}});
    auto base = [&](Window w) {
      OccSpec o;
      o.activity = act;
      o.all_day = all_day;
      o.busy = a.busy;
      o.duration = duration;
      o.days = days;
      o.window = std::move(w);
      o.resources = resources;
      o.prefer_time = a.prefer.time;
      o.prefer_weekdays = a.prefer.weekdays;
      return o;
    };
    auto add = [&](OccSpec o) {
      o.index = static_cast<int>(occs_of[ai].size());
      occs_of[ai].push_back(static_cast<int>(m.occs.size()));
      m.occs.push_back(std::move(o));
    };

    if (!a.rrule.empty()) {
      Window w = std::holds_alternative<Window>(a.when)
                     ? std::get<Window>(a.when)
                     : calendar::apply_relative_in_year(std::get<calendar::RelativeWindow>(a.when), plan.year);
      if (w.empty())
        continue;
      std::string error;
      std::optional<int> at_time;
      if (!all_day && a.at)
        at_time = a.at->from;
      const auto dates = expand_rrule(a.rrule, w.dates.front(), w.dates.back(), at_time, error);
      if (!error.empty()) {
        m.warnings.push_back(a.id + ": " + error);
        continue;
      }
      for (Date d : dates) {
        if (!w.contains(d))
          continue;
        OccSpec o = base(Window{{d}, calendar::Prefer::none, {}});
        o.fixed = true;
        o.fixed_start = (d - m.jan1).count() * minutes_per_day + (at_time ? *at_time : 0);
        if (all_day)
          o.window = whole({d, d + date::days{days - 1}});
        add(std::move(o));
      }
      continue;
    }

    const std::vector<Period> periods = expand_periods(a, plan.year);
    const bool single_fixed = a.repeat.kind == Repeat::Kind::none && a.at && a.at_exact &&
                              !all_day && a.count_max == 1 && periods.size() == 1 &&
                              periods[0].window.dates.size() == 1;
    if (single_fixed) {
      const Date d = periods[0].window.dates.front();
      OccSpec o = base(periods[0].window);
      o.fixed = true;
      o.fixed_start = (d - m.jan1).count() * minutes_per_day + a.at->from;
      add(std::move(o));
      continue;
    }

    // Start ranges inside one working-hours range and inside `at`.
    std::vector<std::pair<int, int>> slots;
    if (!all_day) {
      for (const auto &h : plan.calendar.hours) {
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
    }

    for (std::size_t pi = 0; pi < periods.size(); ++pi) {
      Window w = periods[pi].window;
      if (window_off) // the explanation's "what if this window did not hold"
        w = whole(calendar::year_range(plan.year));
      std::vector<int> working_days;
      for (Date d : w.dates) {
        const int di = static_cast<int>((d - m.jan1).count());
        if (di >= 0 && di < m.days_in_year && m.working[static_cast<std::size_t>(di)])
          working_days.push_back(di);
      }
      if (working_days.empty()) {
        m.warnings.push_back(a.id + ": no working day in " + periods[pi].label +
                             " — no occurrence");
        continue;
      }
      std::vector<int> starts;
      if (all_day) {
        for (int di : working_days) {
          bool ok = di + days <= m.days_in_year;
          for (int j = 0; ok && j < days; ++j) {
            const Date dj = m.jan1 + date::days{di + j};
            ok = m.working[static_cast<std::size_t>(di + j)] && w.contains(dj);
          }
          if (ok)
            starts.push_back(di);
        }
      } else {
        starts = working_days;
      }
      const int n = a.count_max;
      for (int k = 0; k < n; ++k) {
        OccSpec o = base(w);
        o.period = static_cast<int>(pi);
        o.optional = k >= a.count_min;
        o.start_days = starts;
        o.slots = slots;
        o.target_day = target_for(m, w, working_days, k, n);
        if (!o.optional && (o.start_days.empty() || (!all_day && o.slots.empty())) &&
            !m.conflict) {
          std::string why;
          if (all_day)
            why = "needs " + std::to_string(days) + " consecutive working days inside " +
                  a.when_text + " (" + periods[pi].label + ") and there are none";
          else
            why = "lasts " + format_gap(duration) +
                  ", which fits in no range of working hours" +
                  (a.at ? std::string(" inside its `at` time") : std::string());
          m.conflict = Conflict{a.id + " " + why, {a.id}, {RuleRef{a.id, "when", a.when_text, a.when_pos}}, {}};
        }
        add(std::move(o));
      }
    }
  }
  m.granularity = std::max(g, 5L);

  // Fixed events: a warning for each on a day off.
  for (std::size_t i = 0; i < m.occs.size(); ++i) {
    const OccSpec &o = m.occs[i];
    if (!o.fixed)
      continue;
    const long day = o.fixed_start / minutes_per_day;
    if (day >= 0 && day < m.days_in_year && !m.working[static_cast<std::size_t>(day)])
      m.warnings.push_back(m.occ_id(plan, static_cast<int>(i)) + " is fixed on a day off (" +
                           calendar::format_iso_date(m.jan1 + date::days{day}) + ")");
  }

  // Previous placements (soft).
  if (previous)
    for (const auto &p : previous->occurrences)
      for (std::size_t ai = 0; ai < plan.activities.size(); ++ai)
        if (plan.activities[ai].id == p.activity)
          for (int oi : occs_of[ai])
            if (m.occs[static_cast<std::size_t>(oi)].index == p.index)
              m.occs[static_cast<std::size_t>(oi)].previous_start =
                  (p.start - date::local_days{m.jan1.time_since_epoch()}).count();

  const int origin = m.origin();
  for (std::size_t i = 0; i < m.occs.size(); ++i) {
    const OccSpec &o = m.occs[i];
    const int node = static_cast<int>(i);
    std::optional<RuleGroup> wg;
    if (!o.fixed)
      wg = RuleGroup{RuleGroup::Kind::window, o.activity, -1, {}};
    m.constraints.push_back({origin, node, o.earliest(), Constraint::Kind::window_lower, -1, wg});
    m.constraints.push_back({node, origin, -o.latest(), Constraint::Kind::window_upper, -1, wg});
  }

  for (std::size_t ai = 0; ai < plan.activities.size(); ++ai) {
    const Activity &a = plan.activities[ai];
    const auto &list = occs_of[ai];
    const RuleGroup gap_group{RuleGroup::Kind::min_gap, static_cast<int>(ai), -1, {}};
    const long gap = a.min_gap_minutes && !disabled.drops(gap_group) ? *a.min_gap_minutes : 0;
    for (std::size_t k = 0; k + 1 < list.size(); ++k) {
      const OccSpec &x = m.occs[static_cast<std::size_t>(list[k])];
      const OccSpec &y = m.occs[static_cast<std::size_t>(list[k + 1])];
      if (x.fixed && y.fixed)
        continue;
      std::optional<RuleGroup> grp;
      if (gap > 0)
        grp = gap_group;
      m.constraints.push_back({list[k], list[k + 1], x.duration + gap,
                               Constraint::Kind::index_order, -1, grp});
      if (a.max_gap_minutes && !disabled.drops(gap_group))
        m.constraints.push_back({list[k + 1], list[k], -(x.duration + *a.max_gap_minutes),
                                 Constraint::Kind::index_order, -1, gap_group});
    }
  }

  std::map<std::string, int> act_index;
  for (std::size_t ai = 0; ai < plan.activities.size(); ++ai)
    act_index[plan.activities[ai].id] = static_cast<int>(ai);
  // Activity-level order graph, for a cycle check (pred → succ).
  std::vector<std::vector<std::pair<int, int>>> succ(plan.activities.size()); // (succ, rule owner*1000+rule)
  for (std::size_t ai = 0; ai < plan.activities.size(); ++ai) {
    const Activity &a = plan.activities[ai];
    if (disabled.activities.contains(static_cast<int>(ai)))
      continue;
    for (std::size_t r = 0; r < a.order.size(); ++r) {
      const OrderRule &rule = a.order[r];
      const RuleGroup grp{RuleGroup::Kind::order, static_cast<int>(ai), static_cast<int>(r), {}};
      auto it = act_index.find(rule.other);
      if (it == act_index.end() || disabled.drops(grp) || disabled.activities.contains(it->second))
        continue;
      const int other = it->second;
      const int p = rule.is_before ? static_cast<int>(ai) : other;
      const int s = rule.is_before ? other : static_cast<int>(ai);
      succ[static_cast<std::size_t>(p)].push_back({s, static_cast<int>(ai) * 1000 + static_cast<int>(r)});
      const auto &ps = occs_of[static_cast<std::size_t>(p)];
      const auto &ss = occs_of[static_cast<std::size_t>(s)];
      const bool paired = ps.size() == ss.size();
      for (std::size_t i = 0; i < ps.size(); ++i)
        for (std::size_t j = 0; j < ss.size(); ++j) {
          if (paired && i != j)
            continue;
          const long dp = m.occs[static_cast<std::size_t>(ps[i])].duration;
          m.constraints.push_back({ps[i], ss[j], dp + rule.min_gap_minutes,
                                   Constraint::Kind::order_min, static_cast<int>(r), grp});
          if (rule.max_gap_minutes)
            m.constraints.push_back({ss[j], ps[i], -(dp + *rule.max_gap_minutes),
                                     Constraint::Kind::order_max, static_cast<int>(r), grp});
        }
    }
  }

  // An ordering cycle among activities (a after b after a) is named as such.
  if (!m.conflict) {
    const std::size_t n = plan.activities.size();
    std::vector<int> state(n, 0), parent(n, -1);
    std::function<int(int)> visit = [&](int v) -> int {
      state[static_cast<std::size_t>(v)] = 1;
      for (auto [w, rule] : succ[static_cast<std::size_t>(v)]) {
        (void)rule;
        if (state[static_cast<std::size_t>(w)] == 1) {
          std::vector<int> cycle{v};
          // Walk back the DFS path from v to w.
          for (int x = v; x != w;) {
            x = parent[static_cast<std::size_t>(x)];
            if (x < 0)
              break;
            cycle.push_back(x);
          }
          std::reverse(cycle.begin(), cycle.end());
          std::vector<std::string> ids, steps;
          for (std::size_t i = 0; i < cycle.size(); ++i) {
            const auto &cur = plan.activities[static_cast<std::size_t>(cycle[i])].id;
            const auto &next = plan.activities[static_cast<std::size_t>(cycle[(i + 1) % cycle.size()])].id;
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
            if (const Activity *act = plan.find_activity(id))
              for (const OrderRule &r : act->order)
                if (std::binary_search(sorted.begin(), sorted.end(), r.other))
                  refs.push_back({act->id, r.is_before ? "before" : "after",
                                  r.other, r.pos});
          m.conflict = Conflict{msg, sorted, refs, {}};
          return 1;
        }
        if (state[static_cast<std::size_t>(w)] == 0) {
          parent[static_cast<std::size_t>(w)] = v;
          if (visit(w))
            return 1;
        }
      }
      state[static_cast<std::size_t>(v)] = 2;
      return 0;
    };
    for (std::size_t v = 0; v < n && !m.conflict; ++v)
      if (state[v] == 0 && !occs_of[v].empty())
        visit(static_cast<int>(v));
  }
  return m;
}

} // namespace xun::scheduler::detail
