// The solver, one hard rule at a time, then expansion, completeness on a
// packed week, infeasible plans and determinism. Plans are built in C++.
#include "scheduler/objective.hpp"
#include "scheduler/schedule.hpp"
#include "support/plan_generator.hpp"
#include "support/schedule_checker.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

using namespace xun;
using namespace xun::scheduler;

namespace {

calendar::HolidaySet cn_holidays() {
  const char *dir = std::getenv("XUN_DATA_DIR");
  return calendar::load_holiday_set("cn", dir ? dir : "data");
}

Plan base_plan(bool cn = false) {
  Plan p;
  p.id = "test";
  p.title = "Test";
  p.year = 2026;
  if (cn)
    p.calendar.holidays = cn_holidays();
  p.people = {{"zhang", "张青", {}, {}}, {"li", "李明", {}, {}}, {"wang", "王芳", {}, {}}};
  p.rooms = {{"hall", "党员活动室"}};
  return p;
}

calendar::Date day(unsigned m, unsigned d) { return calendar::make_date(2026, m, d); }

Activity activity(const std::string &id, const std::string &when, long minutes,
                  std::vector<std::string> people = {}) {
  Activity a;
  a.id = id;
  a.title = id;
  a.when_text = when;
  const auto parsed = calendar::parse_window(when, {2026, nullptr});
  REQUIRE(!std::holds_alternative<calendar::TextError>(parsed));
  if (const auto *w = std::get_if<calendar::Window>(&parsed))
    a.when = *w;
  else
    a.when = std::get<calendar::RelativeWindow>(parsed);
  a.duration = {minutes, minutes % 1440 == 0 && minutes >= 1440};
  a.all_day = a.duration.in_days;
  a.attendees = people;
  a.people = people;
  return a;
}

const Occurrence &find(const Schedule &s, const std::string &id) {
  for (const auto &o : s.occurrences)
    if (o.id() == id)
      return o;
  FAIL("no occurrence " << id);
  return s.occurrences.front();
}

long minute_of_day(calendar::LocalTime t) { return (t - date::floor<date::days>(t)).count(); }
calendar::Date date_of(calendar::LocalTime t) {
  return calendar::Date{date::floor<date::days>(t).time_since_epoch()};
}

Schedule solve_checked(const Plan &plan) {
  Schedule s = solve(plan);
  REQUIRE_MESSAGE(s.feasible(), s.conflict->message);
  const auto errors = testing::check_schedule(plan, s);
  for (const auto &e : errors)
    MESSAGE(e);
  CHECK(errors.empty());
  return s;
}

} // namespace

TEST_CASE("an occurrence lies inside its window") {
  Plan p = base_plan();
  p.activities.push_back(activity("a", "2026-03-02..2026-03-06", 120));
  const Schedule s = solve_checked(p);
  REQUIRE(s.occurrences.size() == 1);
  const auto d = date_of(s.occurrences[0].start);
  CHECK(d >= day(3, 2));
  CHECK(d <= day(3, 6));
}

TEST_CASE("an occurrence is placed on a working day only") {
  Plan p = base_plan();
  p.activities.push_back(activity("a", "2026-03-07..2026-03-09", 60)); // Sat, Sun, Mon
  const Schedule s = solve_checked(p);
  CHECK(date_of(find(s, "a#0").start) == day(3, 9));
}

TEST_CASE("a timed occurrence fits inside one range of working hours") {
  Plan p = base_plan();
  p.activities.push_back(activity("long", "2026-03-02", 210)); // only 14:00-17:30 holds it
  const Schedule s = solve_checked(p);
  CHECK(minute_of_day(find(s, "long#0").start) == 14 * 60);
}

TEST_CASE("the at window holds") {
  Plan p = base_plan();
  Activity a = activity("a", "2026-03-02..2026-03-06", 120);
  a.at = calendar::TimeRange{15 * 60, 17 * 60};
  p.activities.push_back(a);
  const Schedule s = solve_checked(p);
  CHECK(minute_of_day(find(s, "a#0").start) == 15 * 60);
}

TEST_CASE("after with min_gap starts that long after the predecessor ends") {
  Plan p = base_plan();
  p.activities.push_back(activity("selection", "2026-03-02..2026-03-31", 120));
  Activity b = activity("congress", "2026-03-02..2026-03-31", 120);
  b.order.push_back({"selection", false, 7 * 1440, std::nullopt, {}});
  p.activities.push_back(b);
  const Schedule s = solve_checked(p);
  CHECK(find(s, "congress#0").start >= find(s, "selection#0").end + std::chrono::minutes{7 * 1440});
}

TEST_CASE("before with max_gap keeps the successor close") {
  Plan p = base_plan();
  Activity a = activity("prep", "2026-03-02..2026-03-31", 60);
  a.order.push_back({"meeting", true, 0, 1440L, {}});
  p.activities.push_back(a);
  p.activities.push_back(activity("meeting", "2026-03-20..2026-03-31", 60));
  const Schedule s = solve_checked(p);
  const auto gap = find(s, "meeting#0").start - find(s, "prep#0").end;
  CHECK(gap >= std::chrono::minutes{0});
  CHECK(gap <= std::chrono::minutes{1440});
}

TEST_CASE("min_gap separates consecutive occurrences of one activity") {
  Plan p = base_plan();
  Activity a = activity("study", "2026-03-01..2026-04-30", 60);
  a.has_count = true;
  a.count_min = a.count_max = 3;
  a.min_gap_minutes = 14 * 1440;
  p.activities.push_back(a);
  const Schedule s = solve_checked(p);
  REQUIRE(s.occurrences.size() == 3);
  CHECK(find(s, "study#1").start >= find(s, "study#0").end + std::chrono::minutes{14 * 1440});
  CHECK(find(s, "study#2").start >= find(s, "study#1").end + std::chrono::minutes{14 * 1440});
}

TEST_CASE("occurrences of one activity keep index order without overlapping") {
  Plan p = base_plan();
  Activity a = activity("a", "2026-03-02", 90);
  a.has_count = true;
  a.count_min = a.count_max = 4;
  p.activities.push_back(a);
  const Schedule s = solve_checked(p);
  REQUIRE(s.occurrences.size() == 4);
  for (int k = 0; k + 1 < 4; ++k)
    CHECK(find(s, "a#" + std::to_string(k + 1)).start >= find(s, "a#" + std::to_string(k)).end);
}

TEST_CASE("two occurrences sharing a person do not overlap") {
  Plan p = base_plan();
  p.activities.push_back(activity("a", "2026-03-02", 180, {"zhang"}));
  p.activities.push_back(activity("b", "2026-03-02", 180, {"zhang", "li"}));
  const Schedule s = solve_checked(p);
  const auto &a = find(s, "a#0"), &b = find(s, "b#0");
  CHECK((a.end <= b.start || b.end <= a.start));
}

TEST_CASE("two occurrences in one room do not overlap") {
  Plan p = base_plan();
  Activity a = activity("a", "2026-03-02", 180, {"zhang"});
  Activity b = activity("b", "2026-03-02", 180, {"li"});
  a.room = b.room = "hall";
  p.activities.push_back(a);
  p.activities.push_back(b);
  const Schedule s = solve_checked(p);
  const auto &x = find(s, "a#0"), &y = find(s, "b#0");
  CHECK((x.end <= y.start || y.end <= x.start));
}

TEST_CASE("an all-day occurrence takes consecutive whole working days") {
  Plan p = base_plan();
  p.activities.push_back(activity("trip", "2026-03-05..2026-03-10", 2 * 1440, {"zhang"}));
  const Schedule s = solve_checked(p);
  const auto &o = find(s, "trip#0");
  CHECK(o.all_day);
  CHECK(minute_of_day(o.start) == 0);
  CHECK((date_of(o.start) == day(3, 5) || date_of(o.start) == day(3, 9)));
  CHECK(o.end - o.start == std::chrono::minutes{2 * 1440});
}

TEST_CASE("a fixed event blocks its people") {
  Plan p = base_plan();
  Activity plenary = activity("plenary", "2026-03-02", 120, {"zhang"});
  plenary.at = calendar::TimeRange{9 * 60 + 30, 9 * 60 + 30};
  plenary.at_exact = true;
  p.activities.push_back(plenary);
  p.activities.push_back(activity("meet", "2026-03-02", 120, {"zhang"}));
  const Schedule s = solve_checked(p);
  CHECK(find(s, "plenary#0").fixed);
  CHECK(minute_of_day(find(s, "plenary#0").start) == 9 * 60 + 30);
  CHECK(minute_of_day(find(s, "meet#0").start) >= 14 * 60);
}

TEST_CASE("monthly 月初 gives twelve occurrences on days 1-10, early ones preferred, no 调休 or "
          "holiday edge") {
  Plan p = base_plan(true);
  Activity a = activity("handbook", "月初", 60);
  a.repeat.kind = Repeat::Kind::monthly;
  a.repeat.text = "每月初";
  p.activities.push_back(a);
  const Schedule s = solve_checked(p);
  REQUIRE(s.occurrences.size() == 12);
  for (const auto &o : s.occurrences) {
    const auto d = date_of(o.start);
    CHECK(calendar::day_of(d) <= 10);
    // The first working day of the month that §6.3 rule 2 does not avoid:
    // a make-up workday or the first day back after a holiday block weighs more.
    CHECK(p.calendar.classify(d) != calendar::DayKind::makeup_workday);
    CHECK_FALSE(next_to_holiday_block(p.calendar, d));
    for (auto e = calendar::first_day_of_month(2026, calendar::month_of(d)); e < d;
         e += date::days{1})
      CHECK((!p.calendar.is_working_day(e) ||
             p.calendar.classify(e) == calendar::DayKind::makeup_workday ||
             next_to_holiday_block(p.calendar, e)));
  }
}

TEST_CASE("weekly over the Spring Festival week warns and skips that week") {
  Plan p = base_plan(true);
  Activity a = activity("weekly-study", "全年", 60);
  a.repeat.kind = Repeat::Kind::weekly;
  p.activities.push_back(a);
  const Schedule s = solve_checked(p);
  bool warned = false;
  for (const auto &w : s.warnings)
    warned = warned ||
             (w.find("weekly-study") != std::string::npos && w.find("week 8") != std::string::npos);
  CHECK(warned);
  for (const auto &o : s.occurrences) {
    const auto d = date_of(o.start);
    CHECK_FALSE((d >= day(2, 16) && d <= day(2, 22)));
  }
  // Numbered consecutively: the last index is one less than the count.
  int max_index = 0;
  for (const auto &o : s.occurrences)
    max_index = std::max(max_index, o.index);
  CHECK(max_index + 1 == static_cast<int>(s.occurrences.size()));
}

TEST_CASE("an rrule expands to fixed occurrences at the at time") {
  Plan p = base_plan();
  Activity a = activity("first-monday", "全年", 60);
  a.rrule = "FREQ=MONTHLY;BYDAY=1MO";
  a.at = calendar::TimeRange{9 * 60 + 30, 9 * 60 + 30};
  a.at_exact = true;
  p.activities.push_back(a);
  const Schedule s = solve(p);
  REQUIRE(s.feasible());
  REQUIRE(s.occurrences.size() == 12);
  CHECK(date_of(s.occurrences[0].start) == day(1, 5));
  CHECK(minute_of_day(s.occurrences[0].start) == 9 * 60 + 30);
  for (const auto &o : s.occurrences) {
    CHECK(o.fixed);
    CHECK(calendar::weekday_index(date_of(o.start)) == 1);
    CHECK(calendar::day_of(date_of(o.start)) <= 7);
  }
}

TEST_CASE("thirty meetings of one person exactly filling a week are all placed") {
  // Ten ranges of working hours (5 × 3h + 5 × 3.5h) packed exactly.
  const long lengths[] = {120, 60, 90, 90, 60, 60, 30, 30,  30, 30, 120, 90, 30, 60, 120,
                          90,  90, 90, 30, 60, 60, 90, 120, 30, 60, 30,  30, 30, 60, 60};
  long total = 0;
  for (long l : lengths)
    total += l;
  REQUIRE(total == 5 * 390);
  Plan p = base_plan();
  // A fixed shuffle so equal lengths are not next to each other.
  for (int i = 0; i < 30; ++i) {
    const int k = (i * 7) % 30;
    const std::string id = "m" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    p.activities.push_back(activity(id, "2026-03-02..2026-03-06", lengths[k], {"zhang"}));
  }
  const Schedule s = solve_checked(p);
  CHECK(s.occurrences.size() == 30);
}

TEST_CASE("a window too early for an after rule names both activities") {
  Plan p = base_plan();
  p.activities.push_back(activity("selection", "2026-02-26..2026-02-27", 120));
  Activity c = activity("congress", "2026-02-21..2026-02-28", 120);
  c.order.push_back({"selection", false, 7 * 1440, std::nullopt, {}});
  p.activities.push_back(c);
  p.activities.push_back(activity("unrelated", "2026-02-21..2026-02-28", 60));
  const Schedule s = solve(p);
  REQUIRE_FALSE(s.feasible());
  CHECK(s.conflict->activities == std::vector<std::string>{"congress", "selection"});
  CHECK(s.conflict->message.find("congress") != std::string::npos);
  CHECK(s.conflict->message.find("7d after selection#0") != std::string::npos);
  CHECK(s.conflict->message.find("2026-02-21..2026-02-28") != std::string::npos);
}

TEST_CASE("two 3-day events of one person in four working days name both and nothing else") {
  Plan p = base_plan();
  p.activities.push_back(activity("other", "2026-03-02..2026-03-05", 60, {"li"}));
  p.activities.push_back(activity("trip-a", "2026-03-02..2026-03-05", 3 * 1440, {"zhang"}));
  p.activities.push_back(activity("trip-b", "2026-03-02..2026-03-05", 3 * 1440, {"zhang", "wang"}));
  const Schedule s = solve(p);
  REQUIRE_FALSE(s.feasible());
  CHECK(s.conflict->activities == std::vector<std::string>{"trip-a", "trip-b"});
  CHECK(s.conflict->message.find("zhang") != std::string::npos);
  CHECK(s.conflict->message.find("wang") == std::string::npos);
}

TEST_CASE("an after-cycle is reported with its activities") {
  Plan p = base_plan();
  Activity a = activity("a", "全年", 60);
  Activity b = activity("b", "全年", 60);
  a.order.push_back({"b", false, 0, std::nullopt, {}});
  b.order.push_back({"a", false, 0, std::nullopt, {}});
  p.activities.push_back(a);
  p.activities.push_back(b);
  p.activities.push_back(activity("c", "全年", 60));
  const Schedule s = solve(p);
  REQUIRE_FALSE(s.feasible());
  CHECK(s.conflict->activities == std::vector<std::string>{"a", "b"});
  CHECK(s.conflict->message.find("after-cycle") != std::string::npos);
}

TEST_CASE("count 2-3 places the third only where it fits") {
  Plan p = base_plan();
  Activity a = activity("lecture", "2026-03-02", 180, {"zhang"});
  a.has_count = true;
  a.count_min = 2;
  a.count_max = 3;
  p.activities.push_back(a);
  Schedule s = solve_checked(p);
  CHECK(s.occurrences.size() == 2); // one day holds two 3h pieces only
  p.activities[0].when_text = "2026-03-02..2026-03-03";
  p.activities[0].when =
      calendar::Window{calendar::days_of({day(3, 2), day(3, 3)}), calendar::Prefer::none, {}};
  s = solve_checked(p);
  CHECK(s.occurrences.size() == 3);
}

TEST_CASE("the same plan gives the same schedule, and a re-plan keeps placements") {
  Plan p = base_plan();
  for (int i = 0; i < 8; ++i)
    p.activities.push_back(
        activity("a" + std::to_string(i), "2026-03-02..2026-03-13", 60 + 30 * (i % 3), {"zhang"}));
  const Schedule s1 = solve_checked(p);
  const Schedule s2 = solve(p);
  CHECK(s1.occurrences == s2.occurrences);
  SolveOptions options;
  options.previous = &s1;
  const Schedule s3 = solve(p, options);
  REQUIRE(s3.occurrences.size() == s1.occurrences.size());
  for (std::size_t i = 0; i < s1.occurrences.size(); ++i) {
    CHECK(s3.occurrences[i].id() == s1.occurrences[i].id());
    CHECK(s3.occurrences[i].start == s1.occurrences[i].start);
    CHECK(s3.occurrences[i].uid(p) == s1.occurrences[i].uid(p)); // kept, now as published
  }
  CHECK(s3.moved.empty());
}

TEST_CASE("Occurrence ids and uids follow the plan format") {
  Occurrence o;
  o.activity = "congress";
  o.index = 2;
  Plan p = base_plan();
  p.id = "shiba-branch-2026";
  CHECK(o.id() == "congress#2");
  CHECK(o.uid(p) == "congress-2@shiba-branch-2026.xun");
}

TEST_CASE("two fixed events that book one person at once are a conflict naming both") {
  Plan p = base_plan();
  Activity a = activity("briefing", "2026-03-10", 120, {"zhang"});
  a.at = calendar::TimeRange{9 * 60, 9 * 60};
  a.at_exact = true;
  a.when_pos = {10, 11};
  Activity b = activity("visit", "2026-03-10", 60, {"zhang", "li"});
  b.at = calendar::TimeRange{10 * 60, 10 * 60};
  b.at_exact = true;
  b.when_pos = {20, 11};
  p.activities = {a, b};
  const Schedule s = solve(p);
  REQUIRE(s.conflict);
  CHECK(s.conflict->activities == std::vector<std::string>{"briefing", "visit"});
  CHECK(s.conflict->message.find("zhang") != std::string::npos);
  REQUIRE(s.conflict->rules.size() == 2);
  CHECK(s.conflict->rules[0].pos.line == 10);
  CHECK(s.conflict->rules[1].pos.line == 20);
}

TEST_CASE("fixed events that share nobody may overlap") {
  Plan p = base_plan();
  Activity a = activity("briefing", "2026-03-10", 120, {"zhang"});
  a.at = calendar::TimeRange{9 * 60, 9 * 60};
  a.at_exact = true;
  Activity b = activity("visit", "2026-03-10", 60, {"li"});
  b.at = calendar::TimeRange{10 * 60, 10 * 60};
  b.at_exact = true;
  p.activities = {a, b};
  CHECK(solve(p).feasible());
}

TEST_CASE("max_gap 0 starts the follower the moment its predecessor ends") {
  Plan p = base_plan();
  Activity a = activity("opening", "2026-03-09..2026-03-13", 60, {"zhang"});
  Activity b = activity("session", "2026-03-09..2026-03-13", 90, {"li"});
  b.order.push_back({"opening", false, 0, 0L, {}});
  p.activities = {a, b};
  const Schedule s = solve_checked(p);
  CHECK(find(s, "session#0").start == find(s, "opening#0").end);
}

TEST_CASE("max_gap 0 across a lunch break is a proof of infeasibility, not a give-up") {
  Plan p = base_plan();
  p.calendar.hours = {{9 * 60, 12 * 60}, {14 * 60, 17 * 60}};
  Activity a = activity("opening", "2026-03-09..2026-03-13", 180, {"zhang"});
  Activity b = activity("session", "2026-03-09..2026-03-13", 120, {"li"});
  b.order.push_back({"opening", false, 0, 0L, {}});
  p.activities = {a, b};
  const Schedule s = solve(p);
  REQUIRE(s.conflict);
  CHECK_FALSE(s.stopped);
  CHECK(s.conflict->activities == std::vector<std::string>{"opening", "session"});
}

TEST_CASE("a search out of time exits honestly: stopped, no conflict, no claim of a clash") {
  testing::GeneratorOptions g{
      .seed = 3, .occurrences = 2000, .people = 30, .rooms = 3, .tight = true};
  const Plan plan = testing::generate_plan(g);
  SolveOptions options;
  options.time_limit = std::chrono::milliseconds{1};
  const Schedule s = solve(plan, options);
  if (s.feasible())
    return; // a fast machine: nothing to stop
  REQUIRE(s.stopped);
  CHECK_FALSE(s.conflict);
  CHECK(s.stopped->message.find("no proof") != std::string::npos);
  CHECK(s.stopped->message.size() < 600);
}

TEST_CASE("an explanation of a capacity shortfall fits in a few lines and says what would fix it") {
  Plan p = base_plan();
  for (int k = 0; k < 12; ++k)
    p.activities.push_back(
        activity("visit" + std::to_string(k), "2026-03-09..2026-03-10", 120, {"zhang"}));
  const Schedule s = solve(p);
  REQUIRE(s.conflict);
  CHECK(s.conflict->message.size() < 600);
  CHECK(s.conflict->message.find("room for only 4 of 5") != std::string::npos);
  CHECK_FALSE(s.conflict->fix.empty());
  CHECK(s.conflict->activities.size() <= 12);
}

TEST_CASE("a re-plan whose count grew keeps every occurrence it had where it was") {
  Plan p = base_plan();
  Activity a = activity("visit", "2026-03-02..2026-06-30", 60, {"zhang"});
  a.has_count = true;
  a.count_min = a.count_max = 3;
  p.activities = {a};
  const Schedule first = solve_checked(p);
  p.activities[0].count_min = p.activities[0].count_max = 4;
  SolveOptions options;
  options.previous = &first;
  const Schedule again = solve(p, options);
  REQUIRE(again.feasible());
  REQUIRE(again.occurrences.size() == 4);
  int kept = 0;
  for (const auto &before : first.occurrences)
    for (const auto &after : again.occurrences)
      kept += before.period == after.period && before.ordinal == after.ordinal &&
              before.start == after.start;
  CHECK(kept == 3);
}

TEST_CASE("count A-B with room for fewer than B keeps index order and never overlaps") {
  Plan p = base_plan(true);
  p.calendar.hours = {{9 * 60, 12 * 60}};
  Activity m = activity("m", "2026-03-02..2026-03-03", 90);
  m.has_count = true;
  m.count_min = 2;
  m.count_max = 5;
  Activity n = activity("n", "2026-03-02..2026-03-03", 90, {"zhang"});
  n.has_count = true;
  n.count_min = 1;
  n.count_max = 4;
  p.activities = {m, n};
  const Schedule s = solve_checked(p);
  for (const char *id : {"m", "n"}) {
    std::vector<const Occurrence *> list;
    for (const auto &o : s.occurrences)
      if (o.activity == id)
        list.push_back(&o);
    std::sort(list.begin(), list.end(), [](auto *x, auto *y) { return x->index < y->index; });
    CHECK(list.size() >= 2);
    CHECK(list.size() <= 4); // four 90-minute slots in two mornings
    for (std::size_t k = 1; k < list.size(); ++k)
      CHECK_MESSAGE(list[k - 1]->end <= list[k]->start, id << "#" << k);
  }
}
