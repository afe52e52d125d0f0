// Seeded random plans, for property tests and benchmarks. Each plan is built
// around a hidden witness schedule (every occurrence put somewhere free first,
// windows and gaps then drawn around it), so a generated plan is feasible by
// construction. Plans come as values or as YAML text (PLAN.md §1).
#pragma once

#include "calendar/dates.hpp"
#include "scheduler/plan.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace xun::testing {

struct GeneratorOptions {
  unsigned seed = 1;
  int year = 2026;
  int occurrences = 100; // about this many in total
  int people = 20;
  int rooms = 3;
  bool tight = false; // windows a few days around the witness, not months
  int max_count = 4;  // occurrences per activity: 1..max_count
  int team_min = 1, team_max = 3;
  double order_share = 0.15; // share of activities with an `after` rule
  bool key_projects = false; // piece 1: 116 projects visited by teams of members
};

namespace generator_detail {

inline std::string two(unsigned v) { return (v < 10 ? "0" : "") + std::to_string(v); }

inline std::string range_text(calendar::Date a, calendar::Date b) {
  return calendar::format_iso_date(a) + ".." + calendar::format_iso_date(b);
}

} // namespace generator_detail

inline scheduler::Plan generate_plan(const GeneratorOptions &opt,
                                     const calendar::HolidaySet &holidays = {}) {
  using namespace generator_detail;
  std::mt19937 rng(opt.seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };

  scheduler::Plan plan;
  plan.id = "generated-" + std::to_string(opt.seed);
  plan.title = "Generated plan " + std::to_string(opt.seed);
  plan.year = opt.year;
  plan.calendar.holidays = holidays;
  for (int p = 0; p < opt.people; ++p)
    plan.people.push_back({"p" + std::to_string(p), "Person " + std::to_string(p), {}, {}});
  for (int r = 0; r < opt.rooms; ++r)
    plan.rooms.push_back({"room" + std::to_string(r), "Room " + std::to_string(r)});

  const calendar::Date jan1 = calendar::first_day_of_month(opt.year, 1);
  const int year_days =
      static_cast<int>((calendar::last_day_of_month(opt.year, 12) - jan1).count()) + 1;
  std::vector<int> working;
  for (int d = 0; d < year_days; ++d)
    if (plan.calendar.is_working_day(jan1 + date::days{d}))
      working.push_back(d);

  // Witness occupancy per person and room: minute intervals.
  std::map<std::string, std::set<std::pair<long, long>>> busy;
  auto is_free = [&](const std::vector<std::string> &who, long s, long e) {
    for (const auto &w : who) {
      const auto &set = busy[w];
      auto it = set.lower_bound({e, 0});
      if (it != set.begin() && std::prev(it)->second > s)
        return false;
    }
    return true;
  };
  const int durations[] = {30, 60, 90, 120};

  struct Witness {
    std::vector<long> starts;
    long duration;
  };
  std::vector<Witness> witnesses;
  int made = 0;
  int serial = 0;
  while (made < opt.occurrences) {
    scheduler::Activity a;
    a.id = (opt.key_projects ? "visit-" : "act-") + std::to_string(serial++);
    a.title = opt.key_projects ? "Project visit " + a.id : "Activity " + a.id;
    a.kind = opt.key_projects ? "inspection" : "meeting";
    const int count = opt.key_projects ? 4 : uniform(1, opt.max_count);
    const long duration = opt.key_projects ? 120 : durations[uniform(0, 3)];
    a.duration = {duration, false};
    const int team = uniform(opt.team_min, opt.team_max);
    std::set<std::string> members;
    while (static_cast<int>(members.size()) < std::min(team, opt.people))
      members.insert("p" + std::to_string(uniform(0, opt.people - 1)));
    a.attendees.assign(members.begin(), members.end());
    a.people = a.attendees;
    std::vector<std::string> who = a.people;
    if (opt.rooms > 0 && uniform(0, 3) == 0) {
      a.room = "room" + std::to_string(uniform(0, opt.rooms - 1));
      who.push_back("room:" + *a.room);
    }
    // Witness starts: one per slice of the year, in order.
    Witness w{{}, duration};
    const int slice = static_cast<int>(working.size()) / count;
    for (int k = 0; k < count; ++k) {
      for (int attempt = 0; attempt < 200; ++attempt) {
        const int day = working[static_cast<std::size_t>(k * slice + uniform(0, slice - 1))];
        const auto &hours = plan.calendar.hours[static_cast<std::size_t>(uniform(0, 1))];
        const int steps = static_cast<int>((hours.to - hours.from - duration) / 30);
        const long s = day * 1440L + hours.from + 30L * uniform(0, steps);
        if ((w.starts.empty() || s >= w.starts.back() + duration) &&
            is_free(who, s, s + duration)) {
          w.starts.push_back(s);
          for (const auto &x : who)
            busy[x].insert({s, s + duration});
          break;
        }
      }
    }
    if (w.starts.empty())
      continue;
    a.has_count = w.starts.size() > 1;
    a.count_min = a.count_max = static_cast<int>(w.starts.size());
    // Window around the witness: tight = a few days, loose = a month or more.
    const int first = static_cast<int>(w.starts.front() / 1440),
              last = static_cast<int>(w.starts.back() / 1440);
    const int pad = opt.tight ? uniform(0, 3) : uniform(10, 60);
    const calendar::Date from = jan1 + date::days{std::max(0, first - pad)};
    const calendar::Date to =
        jan1 +
        date::days{std::min(year_days - 1, last + (opt.tight ? uniform(0, 3) : uniform(10, 60)))};
    a.when_text = range_text(from, to);
    a.when = calendar::Window{calendar::days_of({from, to}), calendar::Prefer::none, {}};
    // An order rule the witness keeps.
    if (!witnesses.empty() && uniform(0, 99) < static_cast<int>(opt.order_share * 100)) {
      const int other = uniform(0, static_cast<int>(witnesses.size()) - 1);
      const Witness &p = witnesses[static_cast<std::size_t>(other)];
      const bool paired = p.starts.size() == w.starts.size();
      long slack = 1L << 40;
      for (std::size_t i = 0; i < p.starts.size(); ++i)
        for (std::size_t j = 0; j < w.starts.size(); ++j)
          if (!paired || i == j)
            slack = std::min(slack, w.starts[j] - (p.starts[i] + p.duration));
      if (slack >= 0) {
        scheduler::OrderRule rule;
        rule.other = plan.activities[static_cast<std::size_t>(other)].id;
        rule.min_gap_minutes = (slack / 1440 / 2) * 1440;
        a.order.push_back(rule);
      }
    }
    made += static_cast<int>(w.starts.size());
    witnesses.push_back(std::move(w));
    plan.activities.push_back(std::move(a));
  }
  return plan;
}

// The same plan as YAML a person could have written.
inline std::string plan_yaml(const scheduler::Plan &plan) {
  std::ostringstream out;
  out << "plan: " << plan.title << "\nid: " << plan.id << "\nyear: " << plan.year
      << "\ncalendar:\n  holidays: "
      << (plan.calendar.holidays.empty() ? "none" : plan.calendar.holidays.name()) << "\npeople:\n";
  for (const auto &p : plan.people)
    out << "  - {id: " << p.id << ", name: " << p.name << "}\n";
  if (!plan.rooms.empty()) {
    out << "rooms:\n";
    for (const auto &r : plan.rooms)
      out << "  - {id: " << r.id << ", name: " << r.name << "}\n";
  }
  out << "activities:\n";
  for (const auto &a : plan.activities) {
    out << "  - id: " << a.id << "\n    title: " << a.title << "\n    kind: " << a.kind
        << "\n    when: \"" << a.when_text << "\"\n    duration: ";
    if (a.duration.minutes % 60 == 0)
      out << a.duration.minutes / 60 << "h\n";
    else if (a.duration.minutes > 60)
      out << a.duration.minutes / 60 << "h" << a.duration.minutes % 60 << "m\n";
    else
      out << a.duration.minutes << "m\n";
    if (a.has_count)
      out << "    count: " << a.count_min << "\n";
    out << "    attendees: [";
    for (std::size_t i = 0; i < a.attendees.size(); ++i)
      out << (i ? ", " : "") << a.attendees[i];
    out << "]\n";
    if (a.room)
      out << "    room: " << *a.room << "\n";
    if (!a.order.empty()) {
      out << "    after:\n";
      for (const auto &r : a.order)
        out << "      - {id: " << r.other << ", min_gap: " << r.min_gap_minutes / 1440 << "d}\n";
    }
  }
  return out.str();
}

} // namespace xun::testing
