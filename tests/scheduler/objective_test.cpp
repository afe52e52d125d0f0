// The soft rules of PLAN.md §6.3, one by one: a small plan where the rule
// decides (the solver keeps it), and one where it cannot be kept (the
// objective counts it as given up exactly once).
#include "scheduler/objective.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"
#include "support/schedule_checker.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <string>

using namespace xun;
using namespace xun::scheduler;

namespace {

std::string data_dir() {
  const char *dir = std::getenv("XUN_DATA_DIR");
  return dir ? dir : "data";
}

Plan load(const std::string &activities, const std::string &extra = "") {
  const std::string text =
      "plan: soft rules\nid: soft\nyear: 2026\ncalendar: {holidays: cn}\n"
      "people: [{id: zhang, name: 张青}, {id: li, name: 李明}, "
      "{id: wang, name: 王芳}, {id: zhao, name: 赵亮}, {id: qian, name: 钱多}, "
      "{id: sun, name: 孙立}]\n" +
      extra + "activities:\n" + activities;
  auto loaded = load_plan(text, "soft.yaml", data_dir());
  for (const auto &e : loaded.errors)
    MESSAGE(e.to_string());
  REQUIRE(loaded.plan);
  return *loaded.plan;
}

Schedule solve_checked(const Plan &plan) {
  Schedule s = solve(plan);
  REQUIRE(s.feasible());
  const auto errors = testing::check_schedule(plan, s);
  for (const auto &e : errors)
    MESSAGE(e);
  CHECK(errors.empty());
  return s;
}

int count(const Plan &plan, const Schedule &s, SoftRule rule) {
  return evaluate(plan, s).counts[static_cast<std::size_t>(rule)];
}

std::string day_of(const Occurrence &o) {
  return calendar::format_iso_date(
      calendar::Date{date::floor<date::days>(o.start).time_since_epoch()});
}

long minute_of_day(calendar::LocalTime t) { return (t - date::floor<date::days>(t)).count(); }

} // namespace

TEST_CASE("make-up workday: avoided over a preferred weekday when another day will do") {
  // Feb 28 2026 is a make-up Saturday; the Saturday preference would take it.
  const Plan plan = load("  - {id: m, title: 会议, when: \"2026-02-26..2026-02-28\", duration: 1h,"
                         " attendees: [zhang], prefer: {weekdays: [sat]}}\n");
  const Schedule s = solve_checked(plan);
  CHECK(day_of(s.occurrences.at(0)) != "2026-02-28");
  CHECK(count(plan, s, SoftRule::makeup_day) == 0);
  CHECK(count(plan, s, SoftRule::prefer) == 1);
}

TEST_CASE("make-up workday: counted once when it is the only day") {
  const Plan plan =
      load("  - {id: m, title: 会议, when: \"2026-02-28\", duration: 1h, attendees: [zhang]}\n");
  const Schedule s = solve_checked(plan);
  CHECK(day_of(s.occurrences.at(0)) == "2026-02-28");
  CHECK(count(plan, s, SoftRule::makeup_day) == 1);
}

TEST_CASE("holiday edge: the first day back and the eve of National Day are avoided") {
  // Sep 25-27 (Mid-Autumn) and Oct 1-7 are blocks of days off: Sep 28 and 30 are edges.
  const Plan plan = load("  - {id: m, title: 会议, when: \"2026-09-28..2026-09-30\", duration: 1h,"
                         " attendees: [zhang], prefer: {weekdays: [mon]}}\n");
  const Schedule s = solve_checked(plan);
  CHECK(day_of(s.occurrences.at(0)) == "2026-09-29");
  CHECK(count(plan, s, SoftRule::holiday_edge) == 0);
}

TEST_CASE("holiday edge: counted once when it is the only day") {
  const Plan plan =
      load("  - {id: m, title: 会议, when: \"2026-09-30\", duration: 1h, attendees: [zhang]}\n");
  const Schedule s = solve_checked(plan);
  CHECK(count(plan, s, SoftRule::holiday_edge) == 1);
}

TEST_CASE("same day: a person's two meetings go on two days when the window allows") {
  const Plan plan = load(
      "  - {id: a, title: 甲, when: \"2026-03-10..2026-03-11\", duration: 1h, attendees: [zhang]}\n"
      "  - {id: b, title: 乙, when: \"2026-03-10..2026-03-11\", duration: 1h, attendees: "
      "[zhang]}\n");
  const Schedule s = solve_checked(plan);
  CHECK(day_of(s.occurrences.at(0)) != day_of(s.occurrences.at(1)));
  CHECK(count(plan, s, SoftRule::same_day) == 0);
}

TEST_CASE("same day: counted once when one day is all there is") {
  const Plan plan =
      load("  - {id: a, title: 甲, when: \"2026-03-10\", duration: 1h, attendees: [zhang]}\n"
           "  - {id: b, title: 乙, when: \"2026-03-10\", duration: 1h, attendees: [zhang]}\n");
  const Schedule s = solve_checked(plan);
  CHECK(count(plan, s, SoftRule::same_day) == 1);
}

TEST_CASE("day peaks: six visits by six people spread over the six days of their window") {
  std::string acts;
  for (const char *p : {"zhang", "li", "wang", "zhao", "qian", "sun"})
    acts += std::string("  - {id: visit-") + p +
            ", title: 视察, when: \"2026-03-09..2026-03-16\"," + " duration: 2h, attendees: [" + p +
            "]}\n";
  const Plan plan = load(acts);
  const Schedule s = solve_checked(plan);
  std::map<std::string, int> per_day;
  for (const auto &o : s.occurrences)
    ++per_day[day_of(o)];
  for (const auto &[d, n] : per_day)
    CHECK_MESSAGE(n <= 2, d << " holds " << n);
  CHECK(count(plan, s, SoftRule::day_peak) == 0);
}

TEST_CASE("spread: four visits after a June 1 kickoff spread over what is left, not on June 1") {
  const Plan plan =
      load("  - {id: kickoff, title: 启动会, when: \"2026-06-01\", at: \"09:00\", duration: 1h,"
           " attendees: [zhang]}\n"
           "  - {id: visit, title: 走访, when: 全年, count: 4, duration: 1h, attendees: [li],"
           " after: [kickoff]}\n");
  const Schedule s = solve_checked(plan);
  std::map<std::string, int> per_day;
  for (const auto &o : s.occurrences)
    if (o.activity == "visit")
      ++per_day[day_of(o)];
  CHECK(per_day.size() == 4);
  CHECK(per_day.begin()->first > "2026-06-10");
  CHECK(count(plan, s, SoftRule::spread) == 0);
}

TEST_CASE("spread: three 下半年 inspections are not bunched at the end of September") {
  const Plan plan = load("  - {id: insp, title: 检查, when: 下半年, count: 3, duration: 2h,"
                         " attendees: [wang]}\n");
  const Schedule s = solve_checked(plan);
  REQUIRE(s.occurrences.size() == 3);
  CHECK(day_of(s.occurrences[0]) < "2026-09-01");
  CHECK(day_of(s.occurrences[2]) > "2026-10-31");
  CHECK(count(plan, s, SoftRule::spread) == 0);
}

TEST_CASE("spread: counted when a fixed neighbour forces two occurrences together") {
  Plan plan = load("  - {id: insp, title: 检查, when: 下半年, count: 3, duration: 2h,"
                   " attendees: [wang], max_gap: 1d}\n");
  const Schedule s = solve_checked(plan);
  CHECK(count(plan, s, SoftRule::spread) >= 1);
}

TEST_CASE("prefer: the preferred weekday is taken when the window has one") {
  const Plan plan = load("  - {id: m, title: 会议, when: \"2026-03-09..2026-03-13\", duration: 1h,"
                         " attendees: [zhang], prefer: {weekdays: [thu]}}\n");
  const Schedule s = solve_checked(plan);
  CHECK(day_of(s.occurrences.at(0)) == "2026-03-12");
  CHECK(count(plan, s, SoftRule::prefer) == 0);
}

TEST_CASE("prefer: counted once when the window has no preferred weekday") {
  const Plan plan = load("  - {id: m, title: 会议, when: \"2026-03-09..2026-03-11\", duration: 1h,"
                         " attendees: [zhang], prefer: {weekdays: [fri]}}\n");
  const Schedule s = solve_checked(plan);
  CHECK(count(plan, s, SoftRule::prefer) == 1);
}

TEST_CASE("on the hour: a meeting after a 45-minute fixed one starts at 10:00, not 09:45") {
  const Plan plan =
      load("  - {id: brief, title: 晨会, when: \"2026-03-10\", at: \"09:00\", duration: 45m,"
           " attendees: [zhang]}\n"
           "  - {id: m, title: 会议, when: \"2026-03-10\", at: \"09:00-12:00\", duration: 2h,"
           " attendees: [zhang]}\n");
  const Schedule s = solve_checked(plan);
  for (const auto &o : s.occurrences)
    if (o.activity == "m")
      CHECK(minute_of_day(o.start) == 10 * 60);
  CHECK(count(plan, s, SoftRule::on_the_hour) == 0);
}

TEST_CASE("on the hour: counted once when only an odd start fits") {
  const Plan plan = load("  - {id: m, title: 会议, when: \"2026-03-10\", at: \"09:40-10:30\","
                         " duration: 50m, attendees: [zhang]}\n");
  const Schedule s = solve_checked(plan);
  CHECK(count(plan, s, SoftRule::on_the_hour) == 1);
}

TEST_CASE("keep place: a re-plan keeps what it can and the objective counts each move") {
  const Plan plan = load("  - {id: a, title: 甲, when: \"2026-03-09..2026-03-13\", duration: 1h, "
                         "attendees: [zhang]}\n");
  const Schedule first = solve_checked(plan);
  Schedule moved = first;
  moved.occurrences[0].start += std::chrono::minutes{60 * 24};
  moved.occurrences[0].end += std::chrono::minutes{60 * 24};
  CHECK(evaluate(plan, moved, &first).counts[static_cast<std::size_t>(SoftRule::keep_place)] == 1);
  SolveOptions options;
  options.previous = &moved;
  const Schedule again = solve(plan, options);
  REQUIRE(again.feasible());
  CHECK(again.occurrences[0].start == moved.occurrences[0].start);
  CHECK(evaluate(plan, again, &moved).counts[static_cast<std::size_t>(SoftRule::keep_place)] == 0);
}

TEST_CASE("the weights keep the order of §6.3") {
  for (std::size_t k = 0; k + 1 < soft_rules.size(); ++k)
    CHECK(static_cast<std::size_t>(soft_rules[k].rule) == k);
  CHECK(soft_rule(SoftRule::keep_place).weight > 10 * soft_rule(SoftRule::makeup_day).weight);
  CHECK(soft_rule(SoftRule::makeup_day).weight > 5 * soft_rule(SoftRule::same_day).weight);
  CHECK(soft_rule(SoftRule::same_day).weight > 100 * soft_rule(SoftRule::prefer).weight);
  CHECK(soft_rule(SoftRule::prefer).weight > soft_rule(SoftRule::on_the_hour).weight);
}

namespace {

// A 2027 plan: the bundled cn data has no 2027 notice (its file is empty).
Plan load_2027(const std::string &activities) {
  const std::string text = "plan: next year\nid: next\nyear: 2027\ncalendar: {holidays: cn}\n"
                           "people: [{id: zhang, name: 张青}, {id: li, name: 李明}]\n"
                           "activities:\n" +
                           activities;
  auto loaded = load_plan(text, "next.yaml", data_dir());
  for (const auto &e : loaded.errors)
    MESSAGE(e.to_string());
  REQUIRE(loaded.plan);
  return *loaded.plan;
}

bool in(const std::string &day, const std::string &first, const std::string &last) {
  return first <= day && day <= last;
}

} // namespace

TEST_CASE("likely holiday: without a 2027 notice, 上旬 windows skip 春节, 劳动节 and 国庆 weeks") {
  // Each window's centre (Feb 5, May 5, Oct 5) is in a likely block.
  const Plan plan = load_2027("  - {id: dues, title: 收缴党费, duration: 1h, attendees: [zhang],"
                              " repeat: [2月上旬, 5月上旬, 10月上旬]}\n");
  REQUIRE_FALSE(plan.warnings.empty());
  CHECK(plan.warnings.front().find("no official data for 2027") != std::string::npos);
  const Schedule s = solve_checked(plan);
  REQUIRE(s.occurrences.size() == 3);
  CHECK_FALSE(in(day_of(s.occurrences[0]), "2027-02-05", "2027-02-12"));
  CHECK_FALSE(in(day_of(s.occurrences[1]), "2027-05-01", "2027-05-05"));
  CHECK_FALSE(in(day_of(s.occurrences[2]), "2027-10-01", "2027-10-07"));
  CHECK(count(plan, s, SoftRule::likely_holiday) == 0);
}

TEST_CASE("likely holiday: a monthly 2027 meeting lands in no likely block") {
  const Plan plan = load_2027("  - {id: meet, title: 支委会, duration: 2h, attendees: [zhang, li],"
                              " repeat: monthly, when: 月初}\n"
                              "  - {id: talk, title: 谈心谈话, duration: 1h, attendees: [li],"
                              " repeat: monthly}\n");
  const Schedule s = solve_checked(plan);
  const auto likely = likely_days_off(plan);
  CHECK(likely.contains(calendar::make_date(2027, 10, 4)));
  for (const auto &o : s.occurrences) {
    INFO(o.id() << " on " << day_of(o));
    CHECK_FALSE(likely.contains(calendar::local_date(o.start)));
  }
  CHECK(count(plan, s, SoftRule::likely_holiday) == 0);
}

TEST_CASE("likely holiday: counted once, with the block's name, when it is the only day") {
  const Plan plan = load_2027(
      "  - {id: m, title: 会议, when: \"2027-10-04\", duration: 1h, attendees: [zhang]}\n");
  const Schedule s = solve_checked(plan);
  const SoftScore score = evaluate(plan, s);
  CHECK(score.counts[static_cast<std::size_t>(SoftRule::likely_holiday)] == 1);
  REQUIRE(score.violations.size() >= 1);
  CHECK(score.violations.front().text.find("likely a day off of 国庆节") != std::string::npos);
  // With official data (2026) nothing is only "likely".
  CHECK(likely_days_off(load("  - {id: m, title: 会议, duration: 1h, attendees: [zhang]}\n"))
            .empty());
  CHECK(soft_rule(SoftRule::likely_holiday).weight >= soft_rule(SoftRule::makeup_day).weight);
}
