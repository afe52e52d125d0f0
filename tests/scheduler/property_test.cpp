// Seeded random plans: every feasible one (built around a witness schedule)
// solves and passes the independent checker; plans broken on purpose give a
// conflict naming the activities that were broken.
#include "scheduler/schedule.hpp"
#include "support/plan_generator.hpp"
#include "support/schedule_checker.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace xun;
using namespace xun::scheduler;

namespace {

void solve_and_check(const testing::GeneratorOptions &options) {
  const Plan plan = testing::generate_plan(options);
  const Schedule s = solve(plan);
  INFO("seed " << options.seed << (options.tight ? " tight" : " loose"));
  REQUIRE_MESSAGE(s.feasible(), s.conflict->message);
  const auto errors = testing::check_schedule(plan, s);
  for (const auto &e : errors)
    MESSAGE(e);
  CHECK(errors.empty());
  int expected = 0;
  for (const auto &a : plan.activities)
    expected += a.count_min;
  CHECK(static_cast<int>(s.occurrences.size()) == expected);
}

Activity range_activity(const std::string &id, calendar::Date from, calendar::Date to, long minutes,
                        std::vector<std::string> people) {
  Activity a;
  a.id = id;
  a.title = id;
  a.when_text = calendar::format_iso_date(from) + ".." + calendar::format_iso_date(to);
  a.when = calendar::Window{calendar::days_of({from, to}), calendar::Prefer::none, {}};
  a.duration = {minutes, minutes >= 1440};
  a.all_day = minutes >= 1440;
  a.attendees = a.people = std::move(people);
  return a;
}

} // namespace

TEST_CASE("random loose plans solve and pass the checker") {
  for (unsigned seed = 1; seed <= 12; ++seed)
    solve_and_check({.seed = seed, .occurrences = 80, .people = 8, .rooms = 2});
}

TEST_CASE("random tight plans solve and pass the checker") {
  for (unsigned seed = 100; seed <= 112; ++seed)
    solve_and_check({.seed = seed, .occurrences = 60, .people = 6, .rooms = 2, .tight = true});
}

TEST_CASE("a generated plan is solved identically twice") {
  const Plan plan = testing::generate_plan({.seed = 7, .occurrences = 150, .people = 10});
  CHECK(solve(plan).occurrences == solve(plan).occurrences);
}

TEST_CASE("a max_gap that contradicts a window is a conflict naming both activities") {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    Plan plan = testing::generate_plan({.seed = seed, .occurrences = 30, .people = 5});
    const auto jan1 = calendar::make_date(2026, 1, 1);
    plan.activities.push_back(
        range_activity("early", jan1 + date::days{60}, jan1 + date::days{70}, 60, {}));
    Activity late = range_activity("late", jan1 + date::days{120}, jan1 + date::days{130}, 60, {});
    late.order.push_back({"early", false, 0, 7 * 1440L, {}});
    plan.activities.push_back(late);
    const Schedule s = solve(plan);
    REQUIRE_FALSE(s.feasible());
    CHECK(s.conflict->activities == std::vector<std::string>{"early", "late"});
  }
}

TEST_CASE("two all-day 3d events of one person in four working days conflict by name") {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    Plan plan = testing::generate_plan({.seed = seed, .occurrences = 30, .people = 5});
    plan.people.push_back({"solo", "Solo", {}, {}});
    const auto mon = calendar::make_date(2026, 6, 1);
    plan.activities.push_back(
        range_activity("camp-a", mon, mon + date::days{3}, 3 * 1440, {"solo"}));
    plan.activities.push_back(
        range_activity("camp-b", mon, mon + date::days{3}, 3 * 1440, {"solo"}));
    const Schedule s = solve(plan);
    REQUIRE_FALSE(s.feasible());
    CHECK(s.conflict->activities == std::vector<std::string>{"camp-a", "camp-b"});
  }
}
