// The independent checker, caught in the act: for each hard rule, a small plan
// with a schedule that keeps every rule (the checker must be silent) and one
// that breaks exactly that rule (the checker must name it).
#include "scheduler/plan_loader.hpp"
#include "support/schedule_checker.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

using namespace xun;
using scheduler::Occurrence;
using scheduler::Plan;
using scheduler::Schedule;

namespace {

Plan load(const std::string &activities) {
  const char *dir = std::getenv("XUN_DATA_DIR");
  const std::string text = R"(plan: checker test
year: 2026
calendar:
  holidays: cn
  hours: ["09:00-12:00", "14:00-17:00"]
people:
  - {id: a, name: A}
  - {id: b, name: B}
  - {id: c, name: C}
groups:
  pair: [a, b]
rooms:
  - {id: hall, name: Hall}
activities:
)" + activities;
  auto loaded = scheduler::load_plan(text, "checker.yaml", dir ? dir : "data");
  for (const auto &e : loaded.errors)
    FAIL(e.to_string());
  REQUIRE(loaded.plan);
  return *loaded.plan;
}

calendar::LocalTime at(unsigned month, unsigned day, int hour = 0, int minute = 0) {
  return calendar::LocalTime{
             date::local_days{calendar::make_date(2026, month, day).time_since_epoch()}} +
         std::chrono::minutes{hour * 60 + minute};
}

Occurrence timed(const std::string &activity, int index, calendar::LocalTime start,
                 int minutes_long, bool fixed = false) {
  Occurrence o;
  o.activity = activity;
  o.index = index;
  o.start = start;
  o.end = start + std::chrono::minutes{minutes_long};
  o.fixed = fixed;
  return o;
}

Occurrence all_day(const std::string &activity, int index, unsigned month, unsigned day, int days) {
  Occurrence o;
  o.activity = activity;
  o.index = index;
  o.all_day = true;
  o.start = at(month, day);
  o.end = o.start + std::chrono::minutes{days * 1440};
  return o;
}

// Sorted as the output is (the checker checks that too).
Schedule schedule_of(std::vector<Occurrence> occs) {
  std::sort(occs.begin(), occs.end(), [](const Occurrence &x, const Occurrence &y) {
    return x.start != y.start ? x.start < y.start : x.id() < y.id();
  });
  Schedule s;
  s.occurrences = std::move(occs);
  return s;
}

bool reports(const std::vector<std::string> &errors, const std::string &needle) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const std::string &e) { return e.find(needle) != std::string::npos; });
}

// One week of meetings, an all-day trip with its report, a fixed plenary.
const char *const week_plan =
    R"(  - {id: m1, title: M1, when: "2026-03-02..2026-03-06", duration: 2h, attendees: [pair], room: hall}
  - {id: m2, title: M2, when: "2026-03-02..2026-03-06", duration: 1h, attendees: [c], room: hall,
     after: [{id: m1, min_gap: 1h, max_gap: 1d}]}
  - {id: t2, title: T2, when: "2026-03-02..2026-03-08", duration: 1h, attendees: [a]}
  - {id: trip, title: Trip, when: "2026-03-09..2026-03-13", duration: 2d, attendees: [b]}
  - {id: report, title: Report, kind: deadline, when: "2026-03-09..2026-03-13", duration: 1d,
     attendees: [b], after: [{id: trip, max_gap: 1d}]}
  - {id: t3, title: T3, when: "2026-03-09..2026-03-13", duration: 1h, attendees: [b]}
  - {id: plenary, title: Plenary, when: "2026-03-16", at: "09:00", duration: 2h, attendees: [c]}
)";

Plan week() {
  Plan plan = load(week_plan);
  // `max_gap: 0d` (PLAN.md §6.1), set here while the loader refuses to read it.
  for (auto &act : plan.activities)
    if (act.id == "report")
      act.order.front().max_gap_minutes = 0;
  return plan;
}

std::vector<Occurrence> good_week() {
  return {timed("m1", 0, at(3, 2, 9), 120),
          timed("m2", 0, at(3, 2, 14), 60),
          timed("t2", 0, at(3, 3, 9), 60),
          all_day("trip", 0, 3, 9, 2),
          all_day("report", 0, 3, 11, 1),
          timed("t3", 0, at(3, 12, 9), 60),
          timed("plenary", 0, at(3, 16, 9), 120, true)};
}

// The good week with one occurrence replaced.
std::vector<std::string> week_with(const Occurrence &changed) {
  auto occs = good_week();
  for (auto &o : occs)
    if (o.id() == changed.id())
      o = changed;
  return testing::check_schedule(week(), schedule_of(occs));
}

} // namespace

TEST_CASE("a schedule that keeps every rule passes") {
  const auto errors = testing::check_schedule(week(), schedule_of(good_week()));
  CHECK(errors.empty());
  for (const auto &e : errors)
    MESSAGE(e);
}

TEST_CASE("two timed occurrences sharing a person may not overlap") {
  CHECK(reports(week_with(timed("t2", 0, at(3, 2, 10), 60)), "m1#0 and t2#0 overlap for a"));
}

TEST_CASE("an all-day occurrence blocks its people for the whole day") {
  CHECK(reports(week_with(timed("t3", 0, at(3, 10, 14), 60)), "overlap for b"));
}

TEST_CASE("two occurrences in one room may not overlap") {
  CHECK(reports(week_with(timed("m2", 0, at(3, 2, 10), 60)), "overlap in room hall"));
}

TEST_CASE("an occurrence outside its window is reported") {
  CHECK(reports(week_with(timed("t2", 0, at(3, 9, 14), 60)), "outside 2026-03-02..2026-03-08"));
}

TEST_CASE("an occurrence outside working hours is reported") {
  CHECK(reports(week_with(timed("t2", 0, at(3, 3, 11, 30), 60)),
                "not inside one range of working hours"));
  CHECK(reports(week_with(timed("t2", 0, at(3, 3, 17), 60)),
                "not inside one range of working hours"));
}

TEST_CASE("an occurrence on a day off is reported") {
  CHECK(reports(week_with(timed("t2", 0, at(3, 7, 9), 60)), "2026-03-07 is not a working day"));
}

TEST_CASE("an after rule's min_gap is enforced") {
  CHECK(reports(week_with(timed("m2", 0, at(3, 2, 11), 60)), "m2#0 starts too soon after m1#0"));
}

TEST_CASE("an after rule's max_gap is enforced") {
  CHECK(reports(week_with(timed("m2", 0, at(3, 4, 14), 60)), "m2#0 starts too late after m1#0"));
}

TEST_CASE("max_gap 0d means straight after the predecessor ends") {
  CHECK(
      reports(week_with(all_day("report", 0, 3, 12, 1)), "report#0 starts too late after trip#0"));
}

TEST_CASE("a fixed event stays at its day and time") {
  CHECK(reports(week_with(timed("plenary", 0, at(3, 16, 10), 120, true)),
                "plenary#0: a fixed event moved"));
}

TEST_CASE("two fixed events sharing a person may not overlap either") {
  const Plan plan =
      load(R"(  - {id: f1, title: F1, when: "2026-03-16", at: "09:00", duration: 2h, attendees: [a]}
  - {id: f2, title: F2, when: "2026-03-16", at: "10:00", duration: 2h, attendees: [a]}
)");
  const auto errors =
      testing::check_schedule(plan, schedule_of({timed("f1", 0, at(3, 16, 9), 120, true),
                                                 timed("f2", 0, at(3, 16, 10), 120, true)}));
  CHECK(reports(errors, "f1#0 and f2#0 overlap for a"));
}

TEST_CASE("a missing occurrence is reported") {
  auto occs = good_week();
  occs.erase(occs.begin() + 2); // t2
  CHECK(reports(testing::check_schedule(week(), schedule_of(occs)), "t2: 0 occurrences"));
}

TEST_CASE("weekly: one occurrence in each ISO week of the window") {
  const Plan plan = load("  - {id: study, title: S, repeat: weekly, when: "
                         "\"2026-03-02..2026-03-22\", duration: 1h, attendees: [a]}\n");
  auto check = [&](std::vector<Occurrence> occs) {
    return testing::check_schedule(plan, schedule_of(occs));
  };
  CHECK(check({timed("study", 0, at(3, 3, 9), 60), timed("study", 1, at(3, 10, 9), 60),
               timed("study", 2, at(3, 17, 9), 60)})
            .empty());
  CHECK(reports(check({timed("study", 0, at(3, 3, 9), 60), timed("study", 1, at(3, 10, 9), 60)}),
                "study: 2 occurrences, but repeat weekly"));
  CHECK(reports(check({timed("study", 0, at(3, 3, 9), 60), timed("study", 1, at(3, 5, 9), 60),
                       timed("study", 2, at(3, 17, 9), 60)}),
                "study#1: not in its period"));
}

TEST_CASE("weekly: the Spring Festival week has no occurrence") {
  const Plan plan = load("  - {id: study, title: S, repeat: weekly, when: "
                         "\"2026-02-09..2026-03-01\", duration: 1h, attendees: [a]}\n");
  const Schedule two =
      schedule_of({timed("study", 0, at(2, 10, 9), 60), timed("study", 1, at(2, 24, 9), 60)});
  CHECK(testing::check_schedule(plan, two).empty());
  const Schedule three =
      schedule_of({timed("study", 0, at(2, 10, 9), 60), timed("study", 1, at(2, 12, 9), 60),
                   timed("study", 2, at(2, 24, 9), 60)});
  CHECK(reports(testing::check_schedule(plan, three), "study: 3 occurrences"));
}

TEST_CASE("biweekly: one occurrence in each fortnight from the window's first week") {
  const Plan plan = load("  - {id: relay, title: R, repeat: biweekly, when: "
                         "\"2026-03-04..2026-03-29\", duration: 1h, attendees: [a]}\n");
  auto check = [&](std::vector<Occurrence> occs) {
    return testing::check_schedule(plan, schedule_of(occs));
  };
  CHECK(check({timed("relay", 0, at(3, 4, 9), 60), timed("relay", 1, at(3, 17, 9), 60)}).empty());
  CHECK(reports(check({timed("relay", 0, at(3, 4, 9), 60), timed("relay", 1, at(3, 10, 9), 60),
                       timed("relay", 2, at(3, 17, 9), 60)}),
                "relay: 3 occurrences, but repeat biweekly"));
  CHECK(reports(check({timed("relay", 0, at(3, 4, 9), 60), timed("relay", 1, at(3, 12, 9), 60)}),
                "relay#1: not in its period"));
}

TEST_CASE("a list repeat puts occurrence k in the k-th window") {
  const Plan plan = load(
      "  - {id: review, title: R, repeat: [3月上旬, 6月上旬], duration: 1h, attendees: [a]}\n");
  auto check = [&](std::vector<Occurrence> occs) {
    return testing::check_schedule(plan, schedule_of(occs));
  };
  CHECK(check({timed("review", 0, at(3, 3, 9), 60), timed("review", 1, at(6, 2, 9), 60)}).empty());
  CHECK(reports(check({timed("review", 0, at(3, 3, 9), 60), timed("review", 1, at(3, 5, 9), 60)}),
                "review#1: not in its period"));
  CHECK(reports(check({timed("review", 0, at(3, 3, 9), 60)}), "review: 1 occurrences"));
}

TEST_CASE("monthly with a relative window: one in the first third of each month") {
  const Plan plan =
      load("  - {id: dues, title: D, repeat: monthly, when: 上旬, duration: 1h, attendees: [a]}\n");
  std::vector<Occurrence> occs;
  const unsigned first_working[] = {4, 2, 2, 1, 6, 1, 1, 3, 1, 8, 2, 1}; // 2026, cn
  for (unsigned m = 1; m <= 12; ++m)
    occs.push_back(timed("dues", static_cast<int>(m - 1), at(m, first_working[m - 1], 9), 60));
  CHECK(testing::check_schedule(plan, schedule_of(occs)).empty());
  occs.pop_back();
  CHECK(reports(testing::check_schedule(plan, schedule_of(occs)), "dues: 11 occurrences"));
}

TEST_CASE("count N in a window: exactly N, in index order") {
  const Plan plan = load("  - {id: visit, title: V, when: \"2026-03-02..2026-03-13\", count: 3, "
                         "duration: 1h, attendees: [a]}\n");
  auto check = [&](std::vector<Occurrence> occs) {
    return testing::check_schedule(plan, schedule_of(occs));
  };
  CHECK(check({timed("visit", 0, at(3, 3, 9), 60), timed("visit", 1, at(3, 5, 9), 60),
               timed("visit", 2, at(3, 10, 9), 60)})
            .empty());
  CHECK(reports(check({timed("visit", 0, at(3, 3, 9), 60), timed("visit", 1, at(3, 5, 9), 60)}),
                "visit: 2 occurrences, but count 3"));
  CHECK(reports(check({timed("visit", 0, at(3, 5, 9), 60), timed("visit", 1, at(3, 3, 9), 60),
                       timed("visit", 2, at(3, 10, 9), 60)}),
                "visit#1: starts"));
}
