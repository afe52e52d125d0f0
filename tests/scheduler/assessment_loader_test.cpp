// The plan key `assessment` (PLAN.md §6.6): what loads, and every mistake
// located with what would be right.
#include "scheduler/plan_loader.hpp"
#include "support/bilingual.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

using namespace xun::scheduler;

namespace {

using xun::testing::english;

const std::string head = R"(plan: 工委计划
year: 2026
people: [{id: director, name: 主任}, {id: lin, name: 林委员}]
groups: {office: [director]}
activities:
  - {id: study, title: 学习, count: 4, attendees: [director, lin]}
  - {id: plenary, title: 全会, when: 2026-03-24, at: "09:00", attendees: [office]}
assessment:
)"; // assessment items start on line 9

LoadResult load(const std::string &items) {
  const char *dir = std::getenv("XUN_DATA_DIR");
  REQUIRE(dir != nullptr);
  return load_plan(head + items, "a.yaml", dir);
}

std::string messages(const LoadResult &r) {
  std::string out;
  for (const auto &e : r.errors)
    out += english(e.to_string()) + "\n";
  return out;
}

} // namespace

TEST_CASE("an assessment of scoring and deduction items loads with every value in place") {
  const auto r = load(R"(  - item: 学习培训
    points: 10
    activities: [study]
    target: 4
    attendance: 80%
  - {item: 调研, points: 2.5, activities: [study], each: 1.25}
  - {item: 考勤, people: [office], activities: [plenary], deduct: {absent: 2, leave: 0.5}}
)");
  INFO(messages(r));
  REQUIRE(r.plan.has_value());
  const auto &a = r.plan->assessment;
  REQUIRE(a.size() == 3);
  CHECK(a[0].item == "学习培训");
  CHECK(a[0].points == 1000);
  CHECK(a[0].activities == std::vector<std::string>{"study"});
  CHECK(a[0].target == 4);
  CHECK_FALSE(a[0].each.has_value());
  CHECK(a[0].attendance == 80);
  CHECK(a[0].pos == SourcePos{9, 5});
  CHECK(a[1].points == 250);
  CHECK(a[1].each == 125);
  CHECK_FALSE(a[2].target.has_value());
  CHECK(a[2].points == 0);
  CHECK(a[2].people == std::vector<std::string>{"director"}); // the group, expanded
  REQUIRE(a[2].deduct.has_value());
  CHECK(a[2].deduct->absent == 200);
  CHECK(a[2].deduct->leave == 50);
}

TEST_CASE("unknown keys, activities and people in assessment are located with a suggestion") {
  const auto r =
      load(R"(  - {item: 学习, points: 10, activities: [studdy], target: 4, atendance: 80%}
  - {item: 考勤, people: [directr], activities: [plenary], deduct: {absnt: 2}}
)");
  CHECK(messages(r) ==
        "a.yaml:9:41: unknown activity 'studdy' in assessment item '学习'; did you mean 'study'?\n"
        "a.yaml:9:61: unknown key 'atendance' in an assessment item; did you mean 'attendance'?\n"
        "a.yaml:10:25: unknown person 'directr' in assessment item '考勤': not a person or a "
        "group; did you mean 'director'?\n"
        "a.yaml:10:66: deduct in assessment item '考勤' is empty: write deduct: {absent: 2, leave: "
        "1}\n"
        "a.yaml:10:67: unknown key 'absnt' in deduct in assessment item '考勤'; did you mean "
        "'absent'?\n");
}

TEST_CASE("target and each: exactly one of them on a scoring item") {
  const auto both = load("  - {item: 学习, points: 10, activities: [study], target: 4, each: 3}\n");
  CHECK(messages(both) == "a.yaml:9:60: give target or each in assessment item '学习', not both: "
                          "target: 4 gives full points at 4 counted occurrences, each: 3 gives 3 "
                          "points per one\n");
  const auto neither = load("  - {item: 学习, points: 10, activities: [study]}\n");
  CHECK(messages(neither) ==
        "a.yaml:9:5: missing target or each in assessment item '学习': target: 4 gives full "
        "points at 4 counted occurrences (proportionally below), each: 5 gives 5 points per "
        "counted occurrence\n");
}

TEST_CASE("points, target, each and attendance must be the right kind of number") {
  const auto r = load(R"(  - {item: a, points: 0, activities: [study], target: 0}
  - {item: b, points: -3, activities: [study], each: 1.234}
  - {item: c, points: 10, activities: [study], target: 2, attendance: 0.8}
  - {item: d, points: 10, activities: [], target: 2.5}
)");
  CHECK(messages(r) ==
        "a.yaml:9:23: points in assessment item 'a' must be more than 0\n"
        "a.yaml:9:55: target in assessment item 'a' must be from 1 to 1000, found 0\n"
        "a.yaml:10:23: points in assessment item 'b' must be a number of points such as 10 or "
        "2.5, found '-3'\n"
        "a.yaml:10:54: each in assessment item 'b' must be a number of points such as 10 or 2.5, "
        "found '1.234'\n"
        "a.yaml:11:71: attendance in assessment item 'c' must be a percent from 1% to 100%, such "
        "as 80%, found '0.8'\n"
        "a.yaml:12:39: activities in assessment item 'd' is empty: name the activities whose "
        "done occurrences count\n"
        "a.yaml:12:51: target in assessment item 'd' must be an integer, found '2.5'\n");
}

TEST_CASE("a deduction item takes no points and needs people; people need deduct") {
  const auto r = load(R"(  - {item: 考勤, points: 5, activities: [plenary], deduct: {absent: 2}}
  - {item: 学习, points: 10, people: [lin], activities: [study], each: 3}
  - {item: 学习, points: 10, activities: [study], each: 3}
  - {points: 10, activities: [study], each: 3}
)");
  CHECK(messages(r) ==
        "a.yaml:9:5: missing key 'people' in assessment item '考勤': whose absences are "
        "deducted, e.g. people: [director]\n"
        "a.yaml:9:16: 'points' in assessment item '考勤' does not go with deduct: a deduction "
        "item takes points off the total; put scoring in an item of its own\n"
        "a.yaml:10:28: people in assessment item '学习' goes with deduct (whose absences take "
        "points off): drop it, or add deduct: {absent: 2, leave: 1}\n"
        "a.yaml:11:12: duplicate assessment item '学习' (first at line 10)\n"
        "a.yaml:12:5: an assessment item needs its name in item, e.g. item: 学习培训\n");
}

TEST_CASE("assessment must be a list of maps") {
  CHECK(messages(load("  学习: 10\n")) == "a.yaml:9:3: assessment must be a list, found a map\n");
}
