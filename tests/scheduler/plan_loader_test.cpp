#include "scheduler/plan_loader.hpp"
#include "support/bilingual.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace sch = xun::scheduler;
namespace cal = xun::calendar;

namespace {

using xun::testing::english;

std::filesystem::path data_dir() {
  const char *dir = std::getenv("XUN_DATA_DIR");
  REQUIRE(dir != nullptr);
  return dir;
}

sch::LoadResult load(const std::string &text, const std::string &file = "plan.yaml") {
  return sch::load_plan(text, file, data_dir());
}

// Every message, one per line, for readable failures.
std::string messages(const sch::LoadResult &r) {
  std::string out;
  for (const auto &e : r.errors)
    out += english(e.to_string()) + "\n";
  return out;
}

sch::Plan load_ok(const std::string &text, const std::string &file = "plan.yaml") {
  const auto r = load(text, file);
  INFO(messages(r));
  REQUIRE(r.errors.empty());
  REQUIRE(r.plan.has_value());
  return *r.plan;
}

const sch::Activity &activity(const sch::Plan &plan, const std::string &id) {
  const auto *a = plan.find_activity(id);
  REQUIRE(a != nullptr);
  return *a;
}

const std::string every_key = R"(plan: 视坝工作站党支部 2026 年工作计划
id: shiba-branch-2026
year: 2026
timezone: Asia/Shanghai
calendar:
  holidays: cn
  workdays: [mon, Tuesday, 星期三, thu, fri, 周六]
  hours: ["09:00-12:00", "14:00-17:30"]
  closed: [2026-03-16, 2026-08-03..2026-08-07]
  open: [2026-09-19]
people:
  - {id: zhang, name: 张青}
  - {id: li, name: 李明}
  - {id: wang, name: 王芳}
groups:
  committee: [zhang, li]
  members: [committee, wang]
rooms:
  - {id: hall, name: 党员活动室}
defaults:
  duration: 2h
  reminders: [1d]
activities:
  - id: selection
    title: 支部会议：优秀党员评选方案
    when: 2月中旬
  - id: congress
    title: 党员大会：选举支部委员
    description: 签订党员承诺
    kind: meeting
    when: 2月下旬
    duration: 1h30m
    at: "14:00-17:00"
    attendees: [members, zhang]
    room: hall
    reminders: [7d, 1d]
    busy: true
    after: {id: selection, min_gap: 2d, max_gap: 2w}
  - id: handbook
    title: 填报党支部工作手册
    repeat: monthly
    when: 月初
    count: 1
    min_gap: 7d
    max_gap: 6w
    before: [congress]
    prefer: {weekdays: [tue, thu], time: afternoon}
  - id: lectures
    title: 党员上台授课
    when: 5-7月
    count: 2-3
    prefer: {time: "09:00-11:00"}
  - id: dues
    title: 收取党费
    kind: dues
    repeat: [5月, 11月]
    all_day: true
    busy: false
  - id: study-day
    title: 学习日
    rrule: FREQ=MONTHLY;BYDAY=1MO
    at: "09:30"
    duration: 1h
    when: 下半年
)";

} // namespace

TEST_CASE("a plan using every key of the format loads with each value in place") {
  const auto plan = load_ok(every_key);
  CHECK(plan.title == "视坝工作站党支部 2026 年工作计划");
  CHECK(plan.id == "shiba-branch-2026");
  CHECK(plan.year == 2026);
  CHECK(plan.timezone == "Asia/Shanghai");
  CHECK(plan.calendar.holidays.name() == "cn");
  CHECK(plan.calendar.workdays == std::array<bool, 7>{false, true, true, true, true, true, true});
  CHECK(plan.calendar.hours.size() == 2);
  CHECK(plan.calendar.hours[1] == cal::TimeRange{14 * 60, 17 * 60 + 30});
  CHECK(plan.calendar.closed.size() == 6);
  CHECK(plan.calendar.closed.contains(cal::make_date(2026, 8, 5)));
  CHECK(plan.calendar.open == std::set<cal::Date>{cal::make_date(2026, 9, 19)});
  REQUIRE(plan.people.size() == 3);
  CHECK(plan.people[0].name == "张青");
  CHECK(plan.groups.at("members") == std::vector<std::string>{"committee", "wang"});
  REQUIRE(plan.rooms.size() == 1);
  CHECK(plan.rooms[0].name == "党员活动室");
  REQUIRE(plan.activities.size() == 6);

  const auto &congress = activity(plan, "congress");
  CHECK(congress.title == "党员大会：选举支部委员");
  CHECK(congress.description == "签订党员承诺");
  CHECK(congress.kind == "meeting");
  CHECK(congress.when_text == "2月下旬");
  CHECK(std::holds_alternative<cal::Window>(congress.when));
  CHECK(congress.duration == cal::Duration{90, false});
  CHECK_FALSE(congress.all_day);
  REQUIRE(congress.at.has_value());
  CHECK(*congress.at == cal::TimeRange{14 * 60, 17 * 60});
  CHECK_FALSE(congress.at_exact);
  CHECK(congress.attendees == std::vector<std::string>{"members", "zhang"});
  CHECK(congress.people == std::vector<std::string>{"li", "wang", "zhang"});
  CHECK(congress.room == std::optional<std::string>("hall"));
  CHECK(congress.reminders == std::vector<cal::Duration>{{7 * 1440, true}, {1440, true}});
  CHECK(congress.busy);
  REQUIRE(congress.order.size() == 1);
  CHECK(congress.order[0].other == "selection");
  CHECK_FALSE(congress.order[0].is_before);
  CHECK(congress.order[0].min_gap_minutes == 2 * 1440);
  CHECK(congress.order[0].max_gap_minutes == std::optional<long>(14 * 1440));
  CHECK(congress.when_pos == sch::SourcePos{31, 11});

  const auto &handbook = activity(plan, "handbook");
  CHECK(handbook.repeat.kind == sch::Repeat::Kind::monthly);
  CHECK(std::holds_alternative<cal::RelativeWindow>(handbook.when));
  CHECK(handbook.has_count);
  CHECK(handbook.min_gap_minutes == std::optional<long>(7 * 1440));
  CHECK(handbook.max_gap_minutes == std::optional<long>(42 * 1440));
  REQUIRE(handbook.order.size() == 1);
  CHECK(handbook.order[0].is_before);
  CHECK(handbook.prefer.weekdays ==
        std::array<bool, 7>{false, false, true, false, true, false, false});
  REQUIRE(handbook.prefer.time.has_value());
  CHECK(handbook.prefer.time->from == 14 * 60);
  CHECK(handbook.duration == cal::Duration{120, false});                 // defaults.duration
  CHECK(handbook.reminders == std::vector<cal::Duration>{{1440, true}}); // defaults.reminders

  const auto &lectures = activity(plan, "lectures");
  CHECK(lectures.count_min == 2);
  CHECK(lectures.count_max == 3);
  CHECK(lectures.prefer.time == std::optional<cal::TimeRange>({9 * 60, 11 * 60}));

  const auto &dues = activity(plan, "dues");
  CHECK(dues.repeat.kind == sch::Repeat::Kind::list);
  CHECK(dues.repeat.texts == std::vector<std::string>{"5月", "11月"});
  REQUIRE(dues.repeat.windows.size() == 2);
  CHECK(dues.repeat.windows[1].dates.front() == cal::make_date(2026, 11, 1));
  CHECK(dues.all_day);
  CHECK(dues.duration == cal::Duration{1440, true});
  CHECK_FALSE(dues.busy);

  const auto &study = activity(plan, "study-day");
  CHECK(study.rrule == "FREQ=MONTHLY;BYDAY=1MO");
  CHECK(study.at_exact);
  CHECK(study.at == std::optional<cal::TimeRange>({9 * 60 + 30, 9 * 60 + 30}));
}

TEST_CASE("defaults of the format apply when keys are absent") {
  const auto plan = load_ok(R"(plan: 计划
year: 2026
activities:
  - {id: a, title: 活动}
  - {id: d, title: 截止, kind: deadline}
)",
                            "/tmp/My Branch_Plan 2026.yaml");
  CHECK(plan.id == "my-branch-plan-2026");
  CHECK(plan.timezone == "Asia/Shanghai");
  CHECK(plan.calendar.holidays.name() == "cn");
  CHECK(plan.calendar.workdays == std::array<bool, 7>{false, true, true, true, true, true, false});
  CHECK(plan.calendar.hours == std::vector<cal::TimeRange>{{540, 720}, {840, 1050}});
  const auto &a = activity(plan, "a");
  CHECK(a.kind == "other");
  CHECK(a.duration == cal::Duration{60, false});
  CHECK(a.reminders.empty());
  CHECK(plan.remind_at == 9 * 60);
  CHECK(a.busy);
  CHECK(a.when_text == "全年");
  REQUIRE(std::holds_alternative<cal::Window>(a.when));
  CHECK(std::get<cal::Window>(a.when).dates.size() == 365);
  CHECK_FALSE(a.has_count);
  CHECK(a.repeat.kind == sch::Repeat::Kind::none);
  CHECK_FALSE(activity(plan, "d").busy);
}

TEST_CASE("a zone other than Asia/Shanghai defaults to no holidays") {
  const auto plan = load_ok("plan: p\nyear: 2026\ntimezone: Europe/Berlin\n");
  CHECK(plan.calendar.holidays.name() == "none");
  CHECK(plan.warnings.empty());
}

TEST_CASE("the default plan id follows the file's base name") {
  CHECK(sch::default_plan_id("plans/party-branch-2026.yaml") == "party-branch-2026");
  CHECK(sch::default_plan_id("Work Plan.JSON") == "work-plan");
  CHECK(sch::default_plan_id("a__b--c.yaml") == "a-b--c");
  CHECK(sch::default_plan_id("_支部计划_.yaml") == "plan");
  CHECK(sch::default_plan_id("计划2026.yaml") == "2026");
}

TEST_CASE("an unknown key names the nearest known key with its line and column") {
  const auto r = load(R"(plan: p
year: 2026
activities:
  - id: congress
    title: 党员大会
    atendees: [zhang]
)");
  REQUIRE(r.errors.size() == 1);
  CHECK(english(r.errors[0].to_string()) ==
        "plan.yaml:6:5: unknown key 'atendees' in activity 'congress'; did you "
        "mean 'attendees'?");
  CHECK_FALSE(r.plan.has_value());
}

TEST_CASE("an unknown key at the top and in the calendar is an error too") {
  const auto r = load("plan: p\nyaer: 2026\ncalendar: {holiday: cn}\n");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 3);
  CHECK(english(r.errors[0].to_string()) == "plan.yaml:1:1: missing key 'year': the year "
                                            "the plan's windows resolve in, e.g. year: 2026");
  CHECK(english(r.errors[1].message) == "unknown key 'yaer' at the top of the plan; did "
                                        "you mean 'year'?");
  CHECK(r.errors[2].line == 3);
  CHECK(r.errors[2].column == 12);
  CHECK(english(r.errors[2].message) ==
        "unknown key 'holiday' in calendar; did you mean 'holidays'?");
}

TEST_CASE("a duplicate key is an error that points at the second one") {
  const auto r = load(R"(plan: p
year: 2026
activities:
  - id: a
    title: 一
    title: 二
)");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 6);
  CHECK(r.errors[0].column == 5);
  CHECK(english(r.errors[0].message) == "duplicate key 'title' in activity 'a' (first at line 5)");
}

TEST_CASE("every problem is reported at once, in file order") {
  const auto r = load(R"(plan: p
year: 2026
people:
  - {id: zhang, name: 张青}
activities:
  - id: a
    title: 一
    busy: yes
    attendees: [zhnag]
  - id: B
    title: 二
    kind: meting
    after: a
  - id: c
    title: 三
    after: [zz]
    duration: 5h
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 6);
  CHECK(english(r.errors[0].to_string()) ==
        "plan.yaml:8:11: busy in activity 'a' must be true or false, found 'yes'");
  CHECK(english(r.errors[1].to_string()) ==
        "plan.yaml:9:17: unknown attendee 'zhnag' in activity 'a': not a person "
        "or a group; did you mean 'zhang'?");
  CHECK(r.errors[2].line == 10);
  CHECK(r.errors[2].column == 9);
  CHECK(english(r.errors[3].to_string()) ==
        "plan.yaml:12:11: unknown kind 'meting' in activity 'B'; did you mean "
        "'meeting'? (kinds: meeting, inspection, study, research, dues, report, "
        "deadline, other)");
  CHECK(english(r.errors[4].to_string()) ==
        "plan.yaml:16:13: unknown activity 'zz' in after of activity 'c'; did "
        "you mean 'a'?");
  CHECK(r.errors[5].line == 17);
  CHECK(r.errors[5].column == 15);
  CHECK(english(r.errors[5].message).find("does not fit in any range of working hours") !=
        std::string::npos);
}

TEST_CASE("YAML 1.2 core schema: 10:30 is text and yes is not a boolean") {
  const auto plan = load_ok(R"(plan: 2026
year: 2026
activities:
  - {id: a, title: 10:30, at: 10:30, busy: false}
)");
  CHECK(plan.title == "2026");
  CHECK(activity(plan, "a").title == "10:30");
  CHECK(activity(plan, "a").at_exact);
  CHECK_FALSE(activity(plan, "a").busy);
  const auto r = load("plan: p\nyear: \"2026\"\n");
  REQUIRE(r.errors.size() == 1);
  CHECK(english(r.errors[0].message) == "year must be an integer, found '2026'");
}

TEST_CASE("a bad when points to the column inside the line where the text is wrong") {
  const auto r = load(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, when: 2月30日}
  - id: b
    title: 二
    when: "13月"
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].line == 4);
  CHECK(r.errors[0].column >= 28); // inside "2月30日", which starts at column 28
  CHECK(r.errors[0].column <= 32);
  CHECK(english(r.errors[0].message).starts_with("when in activity 'a' '2月30日': "));
  CHECK(r.errors[1].line == 7);
  CHECK(r.errors[1].column >= 12); // after the quote
  CHECK(r.errors[1].column <= 14);
}

TEST_CASE("groups that contain each other are an error naming the cycle") {
  const auto r = load(R"(plan: p
year: 2026
people: [{id: zhang}]
groups:
  a: [zhang, b]
  b: [c]
  c: [a]
  d: [zhangs]
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 2);
  CHECK(english(r.errors[0].to_string()) == "plan.yaml:5:3: groups form a cycle: a → b → c → a");
  CHECK(english(r.errors[1].to_string()) ==
        "plan.yaml:8:7: unknown member 'zhangs' of group 'd': not a person or a "
        "group; did you mean 'zhang'?");
}

TEST_CASE("attendees expand through nested groups to sorted unique people") {
  const auto plan = load_ok(R"(plan: p
year: 2026
people: [{id: wang}, {id: li}, {id: zhang}]
groups:
  committee: [zhang, li]
  all: [committee, wang, li]
activities:
  - {id: a, title: 一, attendees: [all, zhang]}
)");
  CHECK(activity(plan, "a").people == std::vector<std::string>{"li", "wang", "zhang"});
}

TEST_CASE("an unknown attendee or room is an error naming the nearest id") {
  const auto r = load(R"(plan: p
year: 2026
people: [{id: zhang}]
rooms: [{id: hall}]
activities:
  - {id: a, title: 一, attendees: [zhng], room: hal}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 2);
  CHECK(english(r.errors[0].message).ends_with("did you mean 'zhang'?"));
  CHECK(english(r.errors[1].message) == "unknown room 'hal' in activity 'a'; did you mean 'hall'?");
}

TEST_CASE("a JSON plan loads through the same path, tabs and all") {
  const auto plan = load_ok("{\n\t\"plan\": \"计划\",\n\t\"year\": 2026,\n"
                            "\t\"activities\": [\n\t\t{\"id\": \"a\", \"title\": "
                            "\"一\", \"when\": \"5月\", \"busy\": false, "
                            "\"reminders\": [\"1w\"]}\n\t]\n}\n",
                            "branch.json");
  CHECK(plan.id == "branch");
  CHECK(activity(plan, "a").when_text == "5月");
  CHECK(activity(plan, "a").reminders == std::vector<cal::Duration>{{7 * 1440, true}});
  const auto r = load("{\"plan\": \"p\", \"year\": 2026, \"yeer\": 1}", "x.json");
  REQUIRE(r.errors.size() == 1);
  CHECK(english(r.errors[0].to_string()) == "x.json:1:29: unknown key 'yeer' at the top of "
                                            "the plan; did you mean 'year'?");
}

TEST_CASE("a YAML syntax error is one diagnostic with its position") {
  const auto r = load("plan: p\nyear: 2026\nactivities: [\n  {id: a\n");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line > 0);
  CHECK(r.errors[0].message.starts_with("YAML 语法错误 / YAML syntax error: "));
}

TEST_CASE("required keys and ids are checked") {
  const auto r = load(R"(year: 1800
activities:
  - {title: 无编号}
  - {id: Bad Id, title: 一}
  - {id: x}
  - {id: x, title: 二}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 6);
  CHECK(english(r.errors[0].message).starts_with("missing key 'plan'"));
  CHECK(english(r.errors[1].message) == "year 1800 is out of range 1900–2200");
  CHECK(english(r.errors[2].message) == "activity #1 needs an id ([a-z0-9_-]+, unique)");
  CHECK(english(r.errors[3].message).starts_with("activity id 'Bad Id' may use only"));
  CHECK(english(r.errors[4].message) == "missing key 'title' in activity 'x'");
  CHECK(english(r.errors[5].message) == "duplicate activity id 'x' (first at line 5)");
}

TEST_CASE("repeat forms: words, shorthand and lists in date order") {
  const auto plan = load_ok(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, repeat: 每季度, when: 季末}
  - {id: b, title: 二, repeat: 每月初}
  - {id: c, title: 三, repeat: 每月底, when: 下半年}
  - {id: d, title: 四, repeat: biweekly, when: tue}
)");
  CHECK(activity(plan, "a").repeat.kind == sch::Repeat::Kind::quarterly);
  const auto &b = activity(plan, "b");
  CHECK(b.repeat.kind == sch::Repeat::Kind::monthly);
  CHECK(b.repeat.text == "每月初");
  REQUIRE(std::holds_alternative<cal::RelativeWindow>(b.when));
  CHECK(std::get<cal::RelativeWindow>(b.when).prefer == cal::Prefer::early);
  const auto &c = activity(plan, "c");
  REQUIRE(std::holds_alternative<cal::Window>(c.when));
  const auto &w = std::get<cal::Window>(c.when);
  CHECK(w.dates.front() == cal::make_date(2026, 7, 21));
  CHECK(w.dates.back() == cal::make_date(2026, 12, 31));
  CHECK_FALSE(w.contains(cal::make_date(2026, 8, 1)));
  CHECK(activity(plan, "d").repeat.kind == sch::Repeat::Kind::biweekly);

  const auto r = load(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, repeat: 每月初, when: 月中}
  - {id: b, title: 二, repeat: [11月, 5月]}
  - {id: c, title: 三, repeat: monthy}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 3);
  CHECK(english(r.errors[0].message).starts_with("repeat '每月初' in activity 'a' already says"));
  CHECK(english(r.errors[1].message) == "repeat windows in activity 'b' must be in date "
                                        "order: '5月' does not start after '11月'");
  CHECK(english(r.errors[2].message)
            .starts_with("unknown repeat 'monthy' in activity 'c'; did you mean 'monthly'?"));
}

TEST_CASE("count is a positive number or an increasing range") {
  const auto r = load(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, count: 0}
  - {id: b, title: 二, count: 3-2}
  - {id: c, title: 三, count: many}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 3);
  CHECK(english(r.errors[0].message) == "count in activity 'a' must be at least 1, found 0");
  CHECK(english(r.errors[1].message).starts_with("count in activity 'b' '3-2' must be a range"));
  CHECK(english(r.errors[2].message) == "count in activity 'c' must be an integer, found 'many'");
}

TEST_CASE("rrule is checked by libical and needs an exact start") {
  const auto r = load(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, rrule: FREQ=MONTLY}
  - {id: b, title: 二, rrule: FREQ=WEEKLY, at: "09:00-10:00"}
  - {id: c, title: 三, rrule: FREQ=WEEKLY, all_day: true}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 2);
  CHECK(english(r.errors[0].message)
            .starts_with("rrule 'FREQ=MONTLY' in activity 'a' is not an RFC 5545 recurrence rule"));
  CHECK(english(r.errors[1].message).starts_with("rrule in activity 'b' needs an exact start"));
}

TEST_CASE("rrule is at most 500 characters and never repeats within a day") {
  // Debian's libical steps a FREQ=SECONDLY rule a second at a time: a rule
  // that matches nothing ran for minutes; one with BYHOUR gave a day many times.
  const auto r = load(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, rrule: "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", all_day: true}
  - {id: b, title: 二, rrule: FREQ=HOURLY, all_day: true}
  - {id: c, title: 三, rrule: "FREQ=DAILY;BYHOUR=9,10", at: "09:00"}
  - {id: d, title: 四, rrule: "FREQ=WEEKLY;BYDAY=MO", at: "09:00"}
  - {id: e, title: 五, rrule: "FREQ=MONTHLY;BYMONTHDAY=)" +
                      std::string(600, '1') + R"(", all_day: true}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 4);
  for (int i = 0; i < 3; ++i)
    CHECK(r.errors[i].message.find("repeats within a day") != std::string::npos);
  CHECK(english(r.errors[0].message).find("use FREQ=DAILY or coarser") != std::string::npos);
  CHECK(r.errors[3].line == 8);
  CHECK(english(r.errors[3].message)
            .starts_with("rrule in activity 'e' is 624 characters long; at most 500 are read"));
}

TEST_CASE("order rules name unknown targets and refuse self-reference") {
  const auto r = load(R"(plan: p
year: 2026
activities:
  - {id: congress, title: 一, after: congress}
  - {id: meeting, title: 二, before: {id: congres, min_gap: 1w}}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 2);
  CHECK(english(r.errors[0].message) == "activity 'congress' cannot come after itself");
  CHECK(english(r.errors[1].message) == "unknown activity 'congres' in before of activity "
                                        "'meeting'; did you mean 'congress'?");
}

TEST_CASE("durations decide all-day, and a timed one must fit the hours") {
  const auto plan = load_ok(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, duration: 3d}
  - {id: b, title: 二, all_day: true}
  - {id: plenary, title: 全会, when: 2026-03-10, at: "08:00", duration: 4h}
)");
  CHECK(activity(plan, "a").all_day);
  CHECK(activity(plan, "a").duration.days() == 3);
  CHECK(activity(plan, "b").duration == cal::Duration{1440, true});
  CHECK(activity(plan, "plenary").at_exact); // fixed: exempt from working hours

  const auto r = load(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, duration: 2h, at: "16:30"}
  - {id: b, title: 二, duration: 2h, at: "10:00-11:00"}
  - {id: c, title: 三, duration: 2h, all_day: true}
  - {id: d, title: 四, duration: 1w}
  - {id: e, title: 五, all_day: true, at: "09:00"}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 5);
  CHECK(english(r.errors[0].message).find("lasts 2h from 16:30 and does not fit") !=
        std::string::npos);
  CHECK(english(r.errors[1].message).find("longer than its at 10:00-11:00") != std::string::npos);
  CHECK(english(r.errors[2].message).starts_with("all_day is true in activity 'c' but"));
  CHECK(r.errors[3].line == 7);
  CHECK(english(r.errors[4].message).ends_with("but the activity is all-day"));
}

TEST_CASE("calendar values are checked: workdays, hours, dates, zone, holidays") {
  const auto r = load(R"(plan: p
year: 2026
timezone: Asia/Shanghia
calendar:
  holidays: us
  workdays: [mon, funday]
  hours: ["09:00-12:00", "11:00-13:00"]
  closed: [2026-02-30, 2026-03-05..2026-03-01]
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 6);
  CHECK(english(r.errors[0].message).starts_with("unknown time zone 'Asia/Shanghia'"));
  CHECK(english(r.errors[1].message) == "unknown holiday set 'us' in calendar: write cn or none");
  CHECK(english(r.errors[2].message).starts_with("'funday' in calendar.workdays is not a weekday"));
  CHECK(english(r.errors[3].message).starts_with("the ranges of calendar.hours overlap"));
  CHECK(english(r.errors[4].message).starts_with("'2026-02-30' in calendar.closed is not a date"));
  CHECK(english(r.errors[5].message).find("ends before it starts") != std::string::npos);
}

TEST_CASE("a missing plan file is one clear diagnostic") {
  const auto r = sch::load_plan_file("/nonexistent/plan.yaml", data_dir());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string() == "/nonexistent/plan.yaml: 计划文件不存在 / no such plan file");
}

TEST_CASE("the seed plans load without errors") {
  const char *source = std::getenv("XUN_SOURCE_DIR");
  REQUIRE(source != nullptr);
  for (const char *name : {"party-branch-2026.yaml", "committee-2026.yaml", "township-2026.yaml"}) {
    const auto path = std::filesystem::path(source) / "data" / "plans" / name;
    const auto r = sch::load_plan_file(path, data_dir());
    INFO(std::string(name) << "\n" << messages(r));
    CHECK(r.errors.empty());
    REQUIRE(r.plan.has_value());
    CHECK(r.plan->year == 2026);
    CHECK(r.plan->activities.size() >= 5);
    CHECK(r.plan->warnings.empty());
  }
}

TEST_CASE("a year without holiday data loads with a warning naming the year") {
  const auto plan = load_ok("plan: p\nyear: 2030\n");
  REQUIRE(plan.warnings.size() == 1);
  CHECK(plan.warnings[0].find("2030") != std::string::npos);
  const auto none = load_ok("plan: p\nyear: 2030\ncalendar: {holidays: none}\n");
  CHECK(none.warnings.empty());
}

TEST_CASE("null and wrongly shaped values are errors, not silent defaults") {
  const auto r = load(R"(plan: p
year: 2026
people: {id: zhang}
activities:
  - id: a
    title:
    when:
    after:
  - just text
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 5);
  CHECK(english(r.errors[0].message) == "people must be a list, found a map");
  CHECK(english(r.errors[1].message) == "title in activity 'a' must be text, found nothing");
  CHECK(english(r.errors[2].message) == "when in activity 'a' must be text, found nothing");
  CHECK(english(r.errors[3].message) == "after in activity 'a' has no value: give an activity id");
  CHECK(english(r.errors[4].message) == "expected a map in activity #2, found 'just text'");
}

TEST_CASE("zero gaps load: max_gap 0d means straight after the other ends") {
  const auto plan = load_ok(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一}
  - {id: b, title: 二, after: {id: a, min_gap: 0d, max_gap: 0d}}
  - {id: c, title: 三, after: {id: a, max_gap: 0h}}
  - {id: d, title: 四, before: {id: a, max_gap: 0m}}
  - {id: e, title: 五, count: 2, min_gap: 0d, max_gap: 0h}
)");
  const auto &b = activity(plan, "b");
  REQUIRE(b.order.size() == 1);
  CHECK(b.order[0].min_gap_minutes == 0);
  CHECK(b.order[0].max_gap_minutes == std::optional<long>(0));
  CHECK(activity(plan, "c").order[0].max_gap_minutes == std::optional<long>(0));
  CHECK(activity(plan, "d").order[0].max_gap_minutes == std::optional<long>(0));
  CHECK(activity(plan, "e").min_gap_minutes == std::optional<long>(0));
  CHECK(activity(plan, "e").max_gap_minutes == std::optional<long>(0));
  CHECK(plan.warnings.empty()); // 0m is zero in any unit: nothing to warn about
}

TEST_CASE("an activity's duration must still be positive, and a gap not negative") {
  const auto r = load(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, duration: 0h}
  - {id: b, title: 二, after: {id: a, max_gap: -1d}}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].line == 4);
  CHECK(english(r.errors[0].message).find("positive") != std::string::npos);
  CHECK(r.errors[1].line == 5);
  CHECK(english(r.errors[1].message).find("zero or more") != std::string::npos);
}

TEST_CASE("a gap in minutes alone loads with a located warning suggesting days or weeks") {
  const auto plan = load_ok(R"(plan: p
year: 2026
calendar: {holidays: none}
activities:
  - {id: a, title: 一}
  - {id: b, title: 二, after: {id: a, max_gap: 3m}}
  - id: c
    title: 三
    count: 2
    min_gap: 1m
    max_gap: 1h30m
)");
  CHECK(activity(plan, "b").order[0].max_gap_minutes == std::optional<long>(3));
  REQUIRE(plan.warnings.size() == 2);
  CHECK(english(plan.warnings[0]) ==
        "plan.yaml:6:47: max_gap '3m' in after in activity 'b' means 3 minutes (m is minutes); "
        "if you meant 3 months, write 90d or 13w");
  CHECK(english(plan.warnings[1])
            .starts_with("plan.yaml:10:14: min_gap '1m' in activity 'c' means 1 "
                         "minute"));
  CHECK(plan.warnings[1].ends_with("write 30d or 4w"));
}

TEST_CASE("reminders keep whether they were written in days or in hours") {
  const auto plan = load_ok(R"(plan: p
year: 2026
defaults: {remind_at: "08:30"}
activities:
  - {id: a, title: 一, reminders: [1d, 24h, 2w, 30m, 1d12h]}
)");
  CHECK(plan.remind_at == 8 * 60 + 30);
  CHECK(activity(plan, "a").reminders ==
        std::vector<cal::Duration>{
            {1440, true}, {1440, false}, {14 * 1440, true}, {30, false}, {36 * 60, false}});
}

TEST_CASE("defaults.remind_at is a time of day, and a bad one is located") {
  const auto unquoted = load_ok("plan: p\nyear: 2026\ndefaults:\n  remind_at: 10:15\n");
  CHECK(unquoted.remind_at == 10 * 60 + 15); // YAML 1.2: 10:15 is text
  const auto r = load("plan: p\nyear: 2026\ndefaults:\n  remind_at: \"9:75\"\n");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 4);
  CHECK(r.errors[0].column >= 15);
  CHECK(english(r.errors[0].message).starts_with("defaults.remind_at '9:75': "));
  CHECK(english(r.errors[0].message).find("09:30") != std::string::npos);
}

// ---- Limits (docs/EXTENSIONS.md): a small file must not cost minutes or
// gigabytes.

TEST_CASE("count is at most 1000 per period, written alone or as a range") {
  const auto r = load(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, count: 100000}
  - {id: b, title: 二, count: 1-999999}
  - {id: c, title: 三, repeat: weekly, count: 100000}
  - {id: d, title: 四, count: 1000}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 3);
  CHECK(english(r.errors[0].to_string()) == "plan.yaml:4:30: count in activity 'a' is "
                                            "100000, more than the limit of 1000 "
                                            "per period: with repeat, count is per "
                                            "period (repeat: weekly, count: 2 is two "
                                            "a week)");
  CHECK(r.errors[1].line == 5);
  CHECK(english(r.errors[1].message)
            .starts_with("count in activity 'b' '1-999999' goes up to 999999, more than the limit "
                         "of 1000"));
  CHECK(r.errors[2].line == 6);
  CHECK(english(r.errors[2].message)
            .starts_with("count in activity 'c' is 100000, more "
                         "than the limit of 1000 per period"));
}

TEST_CASE("a plan estimates at most 100000 occurrences, periods times count") {
  // 53 ISO weeks meet 2026: 53 000 occurrences each, the second goes over.
  const auto r = load(R"(plan: p
year: 2026
activities:
  - {id: a, title: 一, repeat: weekly, count: 1000}
  - {id: b, title: 二, repeat: weekly, count: 1000}
)");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 1);
  CHECK(english(r.errors[0].to_string()) == "plan.yaml:5:46: activity 'b' brings the "
                                            "plan to about 106000 occurrences "
                                            "(periods × count), more than the limit of "
                                            "100000 per plan: lower its count, "
                                            "repeat it less often, or split the plan");
}

TEST_CASE("a bounding when counts only the periods it meets") {
  // 下半年 meets 6 months: 6 × 1000 each, far below the limit.
  std::string text = "plan: p\nyear: 2026\nactivities:\n";
  for (int i = 0; i < 16; ++i)
    text += "  - {id: a" + std::to_string(i) +
            ", title: 一, when: 下半年, repeat: monthly, count: 1000}\n";
  load_ok(text);
}

// `n` list items `  - {id: ID<i><rest>}`, one a line.
std::string items(int n, const std::string &id, const std::string &rest) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += "  - {id: " + id + std::to_string(i) + rest + "}\n";
  return out;
}

TEST_CASE("a plan has at most 50000 activities and 10000 people") {
  const auto activities =
      load("plan: p\nyear: 2026\nactivities:\n" + items(50001, "a", ", title: t"));
  REQUIRE(activities.errors.size() == 1);
  CHECK(english(activities.errors[0].to_string()) ==
        "plan.yaml:50004:5: the plan has 50001 activities, more than the limit of 50000: "
        "split it into several plans");
  const auto people = load("plan: p\nyear: 2026\npeople:\n" + items(10001, "p", "") +
                           "activities:\n  - {id: a, title: t, attendees: [p0]}\n");
  REQUIRE(people.errors.size() == 1);
  CHECK(english(people.errors[0].to_string()) ==
        "plan.yaml:10004:5: the plan has 10001 people, more than the limit of 10000: "
        "split it into several plans");
}

TEST_CASE("a window is at most 200 characters, in when and in repeat lists") {
  std::string months;
  for (int i = 0; i < 70; ++i)
    months += "5月、"; // 3 characters each: 210
  const auto r = load("plan: p\nyear: 2026\nactivities:\n"
                      "  - {id: a, title: 一, when: \"" +
                      months +
                      "\"}\n"
                      "  - {id: b, title: 二, repeat: [5月, \"" +
                      months + "\"]}\n");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 2);
  CHECK(english(r.errors[0].to_string()) ==
        "plan.yaml:4:30: when in activity 'a' is 210 characters long, more "
        "than the "
        "limit of 200: write a shorter window, or a repeat list of windows");
  CHECK(r.errors[1].line == 5);
  CHECK(
      english(r.errors[1].message).starts_with("repeat window in activity 'b' is 210 characters"));
}

TEST_CASE("lists and maps nest at most 64 deep, checked before the plan is read") {
  const std::string deep = std::string(70, '[') + std::string(70, ']');
  const auto r = load("plan: p\nyear: 2026\nactivities:\n"
                      "  - {id: a, title: 一, description: " +
                      deep + "}\n");
  INFO(messages(r));
  REQUIRE(r.errors.size() == 1);
  // Root map, activities, the activity: the 62nd [ (column 97) is level 65.
  CHECK(english(r.errors[0].to_string()) == "plan.yaml:4:97: too deep: lists and maps "
                                            "nest more than 64 levels here (the "
                                            "limit); a plan needs no more than 5");
}

TEST_CASE("aliases of one deep anchor are measured once") {
  // Each level names the one below twice: walking every path would take 2^40
  // steps.
  std::string text = "plan: p\nyear: 2026\nx0: &x0 [a]\n";
  for (int i = 1; i <= 40; ++i)
    text += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " [*x" + std::to_string(i - 1) +
            ", *x" + std::to_string(i - 1) + "]\n";
  const auto r = load(text);
  INFO(messages(r).substr(0, 500));
  CHECK_FALSE(r.errors.empty()); // x0… are unknown keys, reported without a walk
}

TEST_CASE("a group may be a map with a display name and its members") {
  const auto plan = load_ok(R"(plan: p
year: 2026
people: [{id: zhang, name: 张青}, {id: li, name: 李明}]
groups:
  committee: {name: 支委会, members: [zhang, li]}
  all: [committee]
activities:
  - {id: a, title: 会, attendees: [all]}
)");
  CHECK(plan.groups.at("committee") == std::vector<std::string>{"zhang", "li"});
  CHECK(plan.group_names.at("committee") == "支委会");
  CHECK_FALSE(plan.group_names.contains("all"));
  CHECK(activity(plan, "a").people == std::vector<std::string>{"li", "zhang"});
}

TEST_CASE("a group map without members, or with an unknown key, is an error at its place") {
  const auto r = load(R"(plan: p
year: 2026
people: [{id: zhang}]
groups:
  committee: {name: 支委会}
  office: {nmae: 办公室, members: [zhang]}
activities: []
)");
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].line == 5);
  CHECK(r.errors[0].message.find("needs members") != std::string::npos);
  CHECK(r.errors[1].line == 6);
  CHECK(r.errors[1].message.starts_with("未知的键 'nmae'（group 'office' 中）；是不是 'name'？ / "
                                        "unknown key 'nmae' in group 'office'"));
}

TEST_CASE("people may carry an e-mail and a mobile, each checked for its shape") {
  const auto plan = load_ok(R"(plan: p
year: 2026
people:
  - {id: zhang, name: 张青, email: zhang@example.cn, mobile: "13800138000"}
  - {id: li, mobile: +86 13912345678}
activities: []
)");
  CHECK(plan.people[0].email == "zhang@example.cn");
  CHECK(plan.people[0].mobile == "13800138000");
  CHECK(plan.people[1].mobile == "+86 13912345678");
  const auto r = load(R"(plan: p
year: 2026
people:
  - {id: zhang, email: zhang.example.cn, mobile: 2380013800}
activities: []
)");
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].column == 24);
  CHECK(r.errors[0].message.find("不是电子邮件地址") != std::string::npos);
  CHECK(r.errors[1].message.find("is not a mobile number") != std::string::npos);
}

TEST_CASE("a newcomer's mistakes are told in Chinese first, then English, at FILE:LINE:COL") {
  const auto r = load(R"(plan: p
year: 2026
people: [{id: zhang}]
activities:
  - id: a
    title: 会
    atendees: [zhang]
  - {id: b, title: 会, attendees: [zhagn], duration: 2小}
  - {id: c, title: 会, when: 3月24日上午9点}
)");
  std::string all;
  for (const auto &e : r.errors)
    all += e.to_string() + "\n";
  INFO(all);
  CHECK(all.find("plan.yaml:7:5: 未知的键 'atendees'（活动 'a'）；是不是 'attendees'？ / unknown "
                 "key 'atendees' in activity 'a'; did you mean 'attendees'?") != std::string::npos);
  CHECK(all.find("plan.yaml:8:35: 未知的参加者 'zhagn'（活动 'b'）：不是已定义的人员或小组；是不是 "
                 "'zhang'？ / unknown attendee 'zhagn'") != std::string::npos);
  CHECK(all.find("plan.yaml:8:54: duration（活动 'b'） '2小'：此处应为单位，写的是 '小'") !=
        std::string::npos);
  CHECK(all.find(
            "plan.yaml:9:34: when（活动 'c'） '3月24日上午9点'：时刻应写在 `at:` 里：写 "
            "when: 3月24日 和 at: \"09:00\" / when in activity 'c' '3月24日上午9点': a time of "
            "day belongs in `at:` — write when: 3月24日 and at: \"09:00\"") != std::string::npos);
}
