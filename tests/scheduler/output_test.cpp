// Schedule outputs (PLAN.md §5) from hand-made plans and schedules, so they are
// tested without the loader or the solver.
#include "scheduler/output.hpp"

#include "calendar/dates.hpp"
#include "calendar/holidays.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace xun;
using namespace xun::scheduler;
using nlohmann::ordered_json;

namespace {

calendar::Date day(int y, unsigned m, unsigned d) { return calendar::make_date(y, m, d); }

calendar::LocalTime at(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return calendar::LocalTime{day(y, m, d).time_since_epoch()} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

calendar::Window window(calendar::Date first, calendar::Date last) {
  calendar::Window w;
  w.dates = calendar::days_of({first, last});
  return w;
}

calendar::HolidaySet cn_holidays() {
  static const calendar::HolidaySet set = [] {
    const char *env = std::getenv("XUN_DATA_DIR");
    REQUIRE(env != nullptr);
    return calendar::load_holiday_set("cn", env);
  }();
  return set;
}

// The instant a JSON local date-time with offset names, in minutes since the epoch.
long instant_minutes(const std::string &text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
  char sign = '+';
  REQUIRE(std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d%c%d:%d", &y, &mo, &d, &h, &mi, &sec, &sign,
                      &oh, &om) == 9);
  const long offset = (sign == '-' ? -1 : 1) * (oh * 60 + om);
  const calendar::Date date = day(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return static_cast<long>(date.time_since_epoch().count()) * 1440 + h * 60 + mi - offset;
}

Plan sample_plan() {
  Plan plan;
  plan.file = "shiba.yaml";
  plan.id = "shiba-branch-2026";
  plan.title = "视坝工作站党支部 2026 年工作计划";
  plan.year = 2026;
  plan.timezone = "Asia/Shanghai";
  plan.people = {{"zhang", "张青", {}, {}}, {"li", "李明", {}, {}}};
  plan.groups = {{"committee", {"zhang", "li"}}};
  plan.rooms = {{"hall", "党员活动室"}};

  Activity congress;
  congress.id = "congress";
  congress.title = "党员大会：选举支部委员";
  congress.description = "签订党员承诺";
  congress.kind = "meeting";
  congress.when_text = "2月下旬";
  congress.attendees = {"committee"};
  congress.people = {"zhang", "li"}; // unsorted on purpose: output sorts
  congress.room = "hall";
  congress.reminders = {{7 * 1440, true}, {1440, true}};
  congress.duration = {120, false};

  Activity dues;
  dues.id = "dues";
  dues.title = "收取党费";
  dues.kind = "dues";
  dues.busy = false;
  dues.all_day = true;
  dues.duration = {1440, true};
  dues.repeat.kind = Repeat::Kind::list;
  dues.repeat.text = "[5月, 11月]";
  dues.reminders = {{7 * 1440, true}, {1440, true}};

  plan.activities = {congress, dues};
  plan.warnings = {"holidays: no cn data for 2099 (plan warning)"};
  return plan;
}

Occurrence congress0() {
  Occurrence o;
  o.activity = "congress";
  o.index = 0;
  o.start = at(2026, 2, 24, 9);
  o.end = at(2026, 2, 24, 11);
  o.window = window(day(2026, 2, 21), day(2026, 2, 28));
  return o;
}

Occurrence dues(int index, unsigned month, unsigned d) {
  Occurrence o;
  o.activity = "dues";
  o.index = index;
  o.all_day = true;
  o.start = at(2026, month, d, 0);
  o.end = at(2026, month, d + 1, 0);
  o.window =
      window(calendar::first_day_of_month(2026, month), calendar::last_day_of_month(2026, month));
  return o;
}

Schedule sample_schedule() {
  Schedule s;
  // Out of order on purpose: outputs sort by start, then id.
  s.occurrences = {dues(1, 11, 10), dues(0, 5, 6), congress0()};
  s.warnings = {"dues: a schedule warning"};
  return s;
}

std::vector<std::string> keys(const ordered_json &j) {
  std::vector<std::string> out;
  for (const auto &item : j.items())
    out.push_back(item.key());
  return out;
}

const std::vector<std::string> occurrence_keys = {
    "id",    "activity", "index",  "title",     "kind", "uid",       "busy",  "all_day",
    "start", "end",      "window", "attendees", "room", "reminders", "alarms"};

} // namespace

TEST_CASE("the JSON object has the plan fields, occurrences and warnings in the order of §5") {
  const auto j = ordered_json::parse(schedule_json(sample_plan(), sample_schedule()));
  CHECK(keys(j) ==
        std::vector<std::string>{"plan", "title", "year", "timezone", "occurrences", "warnings"});
  CHECK(j["plan"] == "shiba-branch-2026");
  CHECK(j["title"] == "视坝工作站党支部 2026 年工作计划");
  CHECK(j["year"] == 2026);
  CHECK(j["timezone"] == "Asia/Shanghai");
  REQUIRE(j["occurrences"].size() == 3);
  for (const auto &occ : j["occurrences"])
    CHECK(keys(occ) == occurrence_keys);
}

TEST_CASE("a timed occurrence has every §5 field with zone offsets and the plan's reminders") {
  const auto j = ordered_json::parse(schedule_json(sample_plan(), sample_schedule()));
  const auto &c = j["occurrences"][0];
  CHECK(c["id"] == "congress#0");
  CHECK(c["activity"] == "congress");
  CHECK(c["index"] == 0);
  CHECK(c["title"] == "党员大会：选举支部委员");
  CHECK(c["kind"] == "meeting");
  CHECK(c["uid"] == "congress-0@shiba-branch-2026.xun");
  CHECK(c["busy"] == true);
  CHECK(c["all_day"] == false);
  CHECK(c["start"] == "2026-02-24T09:00:00+08:00");
  CHECK(c["end"] == "2026-02-24T11:00:00+08:00");
  CHECK(keys(c["window"]) == std::vector<std::string>{"from", "to"});
  CHECK(c["window"]["from"] == "2026-02-21");
  CHECK(c["window"]["to"] == "2026-02-28");
  CHECK(c["attendees"] == ordered_json::array({"li", "zhang"}));
  CHECK(c["room"] == "hall");
  CHECK(c["reminders"] == ordered_json::array({"P7D", "P1D"}));
  // No holidays in the sample calendar: a week and a day before, at 09:00.
  CHECK(c["alarms"] ==
        ordered_json::array({"2026-02-17T09:00:00+08:00", "2026-02-23T09:00:00+08:00"}));
}

TEST_CASE("an all-day occurrence has dates, an exclusive end and a null room") {
  const auto j = ordered_json::parse(schedule_json(sample_plan(), sample_schedule()));
  const auto &d = j["occurrences"][1];
  CHECK(d["id"] == "dues#0");
  CHECK(d["uid"] == "dues-0@shiba-branch-2026.xun");
  CHECK(d["busy"] == false);
  CHECK(d["all_day"] == true);
  CHECK(d["start"] == "2026-05-06");
  CHECK(d["end"] == "2026-05-07");
  CHECK(d["window"]["from"] == "2026-05-01");
  CHECK(d["window"]["to"] == "2026-05-31");
  CHECK(d["attendees"] == ordered_json::array());
  CHECK(d["room"].is_null());
  CHECK(d["reminders"] == ordered_json::array({"P7D", "P1D"}));
  // All-day: at remind_at, as date-times with the offset.
  CHECK(d["alarms"] ==
        ordered_json::array({"2026-04-29T09:00:00+08:00", "2026-05-05T09:00:00+08:00"}));
}

TEST_CASE("occurrences are sorted by start, an all-day one from local midnight, then by id") {
  Plan plan = sample_plan();
  Schedule s;
  Occurrence timed = congress0();
  timed.start = at(2026, 5, 6, 9);
  timed.end = at(2026, 5, 6, 11);
  s.occurrences = {dues(1, 11, 10), timed, dues(0, 5, 6)};
  const auto j = ordered_json::parse(schedule_json(plan, s));
  std::vector<std::string> ids;
  for (const auto &o : j["occurrences"])
    ids.push_back(o["id"]);
  CHECK(ids == std::vector<std::string>{"dues#0", "congress#0", "dues#1"});

  // Same start: the id decides.
  Occurrence other = timed;
  other.activity = "book";
  s.occurrences = {timed, other};
  Activity book = plan.activities[0];
  book.id = "book";
  plan.activities.push_back(book);
  const auto k = ordered_json::parse(schedule_json(plan, s));
  CHECK(k["occurrences"][0]["id"] == "book#0");
  CHECK(k["occurrences"][1]["id"] == "congress#0");
}

TEST_CASE("warnings list the plan's warnings, then the schedule's") {
  const auto j = ordered_json::parse(schedule_json(sample_plan(), sample_schedule()));
  CHECK(j["warnings"] == ordered_json::array({"holidays: no cn data for 2099 (plan warning)",
                                              "dues: a schedule warning"}));
}

TEST_CASE("a conflict puts an error object in place of occurrences") {
  Schedule s = sample_schedule();
  s.conflict = Conflict{
      "congress (2月下旬) must come 7d after selection#0", {"congress", "selection"}, {}, {}};
  const auto j = ordered_json::parse(schedule_json(sample_plan(), s));
  CHECK(keys(j) ==
        std::vector<std::string>{"plan", "title", "year", "timezone", "error", "warnings"});
  CHECK(keys(j["error"]) == std::vector<std::string>{"message", "activities"});
  CHECK(j["error"]["message"] == "congress (2月下旬) must come 7d after selection#0");
  CHECK(j["error"]["activities"] == ordered_json::array({"congress", "selection"}));
  CHECK_FALSE(j.contains("occurrences"));
}

TEST_CASE("the JSON is pretty-printed with two spaces, unescaped UTF-8 and a final newline") {
  const std::string text = schedule_json(sample_plan(), sample_schedule());
  CHECK(text.rfind("{\n  \"plan\": \"shiba-branch-2026\",\n  \"title\": \"视坝", 0) == 0);
  CHECK(text.find("\\u") == std::string::npos);
  REQUIRE_FALSE(text.empty());
  CHECK(text.back() == '\n');
  CHECK(text == schedule_json(sample_plan(), sample_schedule()));
}

TEST_CASE("the month filter keeps only occurrences starting in that month") {
  OutputFilter filter;
  filter.month = 5;
  const auto j = ordered_json::parse(schedule_json(sample_plan(), sample_schedule(), filter));
  REQUIRE(j["occurrences"].size() == 1);
  CHECK(j["occurrences"][0]["id"] == "dues#0");
  filter.month = 3;
  CHECK(ordered_json::parse(schedule_json(sample_plan(), sample_schedule(), filter))["occurrences"]
            .empty());
}

TEST_CASE("the person filter keeps only occurrences that person attends") {
  OutputFilter filter;
  filter.person = "li";
  const auto j = ordered_json::parse(schedule_json(sample_plan(), sample_schedule(), filter));
  REQUIRE(j["occurrences"].size() == 1);
  CHECK(j["occurrences"][0]["id"] == "congress#0");
  filter.person = "nobody";
  CHECK(ordered_json::parse(schedule_json(sample_plan(), sample_schedule(), filter))["occurrences"]
            .empty());
}

TEST_CASE("the text agenda has a header, a heading per month and a line per occurrence") {
  const std::string text = schedule_text(sample_plan(), sample_schedule());
  CHECK(text.rfind("视坝工作站党支部 2026 年工作计划\n2026年 · Asia/Shanghai · 共 3 项", 0) == 0);
  CHECK(text.find("\n2026年2月 / February 2026\n"
                  "  2月24日 周二  09:00-11:00  党员大会：选举支部委员  [congress#0]"
                  "  参加: committee  地点: 党员活动室\n") != std::string::npos);
  CHECK(text.find("\n2026年5月 / May 2026\n  5月6日 周三  全天  收取党费  [dues#0 1/2]\n") !=
        std::string::npos);
  CHECK(
      text.find("\n2026年11月 / November 2026\n  11月10日 周二  全天  收取党费  [dues#1 2/2]\n") !=
      std::string::npos);
  CHECK(text.find("2026年3月") == std::string::npos); // no empty months
  CHECK(text.find("提示 / Warnings\n  - holidays: no cn data") != std::string::npos);
  CHECK(text.find("  - dues: a schedule warning\n") != std::string::npos);
  CHECK(text.find("2026年2月") < text.find("2026年5月"));
  CHECK(text.find("2026年5月") < text.find("2026年11月"));
}

TEST_CASE("the text agenda names people by name and shows a multi-day all-day range") {
  Plan plan = sample_plan();
  plan.activities[0].attendees = {"zhang", "li"};
  Schedule s;
  Occurrence o = dues(0, 8, 3);
  o.end = at(2026, 8, 6, 0);
  s.occurrences = {congress0(), o};
  const std::string text = schedule_text(plan, s);
  CHECK(text.find("参加: 张青、李明") != std::string::npos);
  CHECK(text.find("  8月3日 周一 – 8月5日 周三  全天  收取党费") != std::string::npos);
}

TEST_CASE("the text agenda marks a make-up working day on a weekend") {
  Plan plan = sample_plan();
  plan.calendar.holidays = calendar::HolidaySet("cn", {{day(2026, 2, 28), false, "春节"}}, {2026});
  Schedule s;
  Occurrence o = congress0();
  o.start = at(2026, 2, 28, 9);
  o.end = at(2026, 2, 28, 11);
  s.occurrences = {o};
  const std::string text = schedule_text(plan, s);
  CHECK(text.find("  2月28日 周六(补班)  09:00-11:00") != std::string::npos);
  plan.calendar.holidays = {};
  CHECK(schedule_text(plan, s).find("  2月28日 周六  09:00-11:00") != std::string::npos);
}

TEST_CASE("the text agenda of an infeasible plan states the conflict") {
  Schedule s;
  s.conflict = Conflict{"dues cannot fit", {"dues"}, {}, {}};
  const std::string text = schedule_text(sample_plan(), s);
  CHECK(text.find("无法排期 / cannot be scheduled: dues cannot fit\n") != std::string::npos);
  CHECK(text.find("涉及活动 / activities: dues\n") != std::string::npos);
}

TEST_CASE("the Markdown agenda has a title, a section and a table per month") {
  Plan plan = sample_plan();
  plan.activities[1].title = "收取|党费";
  const std::string md = schedule_markdown(plan, sample_schedule());
  CHECK(md.rfind("# 视坝工作站党支部 2026 年工作计划\n\n", 0) == 0);
  CHECK(
      md.find("\n## 2026年2月 / February 2026\n\n"
              "| 日期 Date | 时间 Time | 活动 Activity | 编号 ID | 参加 Attendees | 地点 Room |\n"
              "| --- | --- | --- | --- | --- | --- |\n"
              "| 2月24日 周二 | 09:00-11:00 | 党员大会：选举支部委员 | `congress#0` | committee | "
              "党员活动室 |\n") != std::string::npos);
  // A pipe in a title must not split the cell.
  CHECK(md.find("| 5月6日 周三 | 全天 | 收取\\|党费 | `dues#0` 1/2 |  |  |\n") !=
        std::string::npos);
  CHECK(md.find("\n## 提示 / Warnings\n\n- holidays: no cn data") != std::string::npos);
  CHECK(md == schedule_markdown(plan, sample_schedule()));
}

TEST_CASE("calendar events carry UID, categories, location, alarms and the plan zone") {
  const auto stamp = date::sys_seconds{std::chrono::seconds{1767225600}};
  const auto cal = schedule_calendar(sample_plan(), sample_schedule(), stamp);
  CHECK(cal.name == "视坝工作站党支部 2026 年工作计划");
  CHECK(cal.zone == "Asia/Shanghai");
  CHECK(cal.dtstamp == stamp);
  REQUIRE(cal.events.size() == 3);

  const auto &c = cal.events[0];
  CHECK(c.uid == "congress-0@shiba-branch-2026.xun");
  CHECK(c.title == "党员大会：选举支部委员");
  CHECK(c.categories == std::vector<std::string>{"meeting"});
  CHECK(c.location == "党员活动室");
  CHECK_FALSE(c.all_day);
  CHECK(c.start == at(2026, 2, 24, 9));
  CHECK(c.end == at(2026, 2, 24, 11));
  CHECK(c.zone == "Asia/Shanghai");
  CHECK(c.sequence == 0);
  REQUIRE(c.alarms.size() == 2);
  CHECK(c.alarms[0].minutes_before == 7 * 1440);
  CHECK(c.alarms[1].minutes_before == 1440);
  CHECK(c.description.find("签订党员承诺") != std::string::npos);
  CHECK(c.description.find("李明、张青") != std::string::npos);
  CHECK(c.description.find("2026-02-21 – 2026-02-28") != std::string::npos);

  const auto &d = cal.events[1];
  CHECK(d.uid == "dues-0@shiba-branch-2026.xun");
  CHECK(d.all_day);
  CHECK(d.first_day == day(2026, 5, 6));
  CHECK(d.end_day == day(2026, 5, 7));
  CHECK(d.categories == std::vector<std::string>{"dues"});
  CHECK(d.location.empty());
  CHECK_FALSE(d.busy); // a deadline blocks no one
  CHECK(c.busy);
  CHECK(d.alarms.size() == 2);
}

TEST_CASE("a person's calendar holds only the occurrences that person attends") {
  OutputFilter filter;
  filter.person = "zhang";
  const auto cal = schedule_calendar(sample_plan(), sample_schedule(), {}, filter);
  REQUIRE(cal.events.size() == 1);
  CHECK(cal.events[0].uid == "congress-0@shiba-branch-2026.xun");
}

TEST_CASE("alarms fire on working days of the plan's calendar, make-up Saturdays included") {
  Plan plan = sample_plan();
  plan.calendar.holidays = cn_holidays();
  plan.remind_at = 8 * 60 + 30;
  Schedule s;
  // Monday Mar 9, all-day: its 1d goes back over the weekend to Friday.
  Occurrence monday = dues(0, 3, 9);
  // Thursday Oct 8, the day after National Day's block: back to Wed Sep 30.
  Occurrence after_block = dues(1, 10, 8);
  // Tuesday Feb 24, timed: 7d (Feb 17) and 1d (Feb 23) both fall in the Spring Festival
  // block Feb 15–23, so both fire on Sat Feb 14, a make-up day, at the start's 09:00.
  s.occurrences = {monday, after_block, congress0()};
  const auto j = ordered_json::parse(schedule_json(plan, s));
  REQUIRE(j["occurrences"].size() == 3);
  CHECK(j["occurrences"][0]["alarms"] ==
        ordered_json::array({"2026-02-14T09:00:00+08:00", "2026-02-14T09:00:00+08:00"}));
  CHECK(j["occurrences"][1]["alarms"] ==
        ordered_json::array({"2026-03-02T08:30:00+08:00", "2026-03-06T08:30:00+08:00"}));
  CHECK(j["occurrences"][2]["alarms"] ==
        ordered_json::array({"2026-09-30T08:30:00+08:00", "2026-09-30T08:30:00+08:00"}));
}

TEST_CASE("an occurrence without reminders has an empty alarms list") {
  Plan plan = sample_plan();
  plan.activities[0].reminders.clear();
  Schedule s;
  s.occurrences = {congress0()};
  const auto j = ordered_json::parse(schedule_json(plan, s));
  CHECK(j["occurrences"][0]["alarms"] == ordered_json::array());
}

TEST_CASE("each VALARM trigger, relative to the start, lands on the JSON alarm time") {
  Plan plan = sample_plan();
  plan.calendar.holidays = cn_holidays();
  plan.activities[0].reminders = {{7 * 1440, true}, {120, false}, {1440, true}};
  plan.activities[1].reminders = {{1440, true}, {14 * 1440, true}, {30, false}};
  Schedule s;
  s.occurrences = {dues(0, 3, 9), dues(1, 10, 8), congress0()};
  const auto j = ordered_json::parse(schedule_json(plan, s));
  const auto cal = schedule_calendar(plan, s, {});
  REQUIRE(cal.events.size() == j["occurrences"].size());
  for (std::size_t i = 0; i < cal.events.size(); ++i) {
    const auto &event = cal.events[i];
    const auto &alarms = j["occurrences"][i]["alarms"];
    REQUIRE(event.alarms.size() == alarms.size());
    // Shanghai has no DST, so an all-day start's midnight is one instant too.
    const long start = instant_minutes(calendar::format_local_iso(
        plan.timezone,
        event.all_day ? calendar::LocalTime{event.first_day.time_since_epoch()} : event.start));
    for (std::size_t k = 0; k < alarms.size(); ++k) {
      INFO(event.uid << " alarm " << k);
      CHECK(start - event.alarms[k].minutes_before == instant_minutes(alarms[k]));
    }
  }
  // Monday all-day, 1d → Friday 09:00: 2 days and 15 hours before its midnight.
  const std::string ics = calendar::write_ics(cal);
  CHECK(ics.find("TRIGGER:-P2DT15H\r\n") != std::string::npos);
  CHECK(ics.find("TRIGGER:-PT2H\r\n") != std::string::npos);
}
