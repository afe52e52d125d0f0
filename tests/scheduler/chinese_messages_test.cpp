// Issue 11 item 4: every message about a plan, a records file or next year's
// plan is Chinese first ("中文 / English") and keeps its FILE:LINE:COL. A table
// of bad inputs, at least one per message family: a new English-only message
// met by any of them fails here.
#include "scheduler/next_year.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/records.hpp"
#include "scheduler/schedule.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

namespace sch = xun::scheduler;

namespace {

std::filesystem::path data_dir() {
  const char *dir = std::getenv("XUN_DATA_DIR");
  REQUIRE(dir != nullptr);
  return dir;
}

// A CJK ideograph (U+4E00–U+9FFF) somewhere in `s`.
bool has_chinese(const std::string &s) {
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 >= 0xE4 && b0 <= 0xE9 && (b1 & 0xC0) == 0x80)
      return true;
  }
  return false;
}

// "FILE:LINE:COL: 中文 / English", the Chinese part holding Chinese words and
// the English part none of them being empty.
void check_bilingual(const std::string &line, const std::string &file, const std::string &input) {
  static const std::regex located(R"(^([^:]+):(\d+):(\d+): (.*?) / (.+)$)");
  std::smatch m;
  INFO("input:\n" << input);
  INFO("message: " << line);
  REQUIRE(std::regex_match(line, m, located));
  CHECK(m[1].str() == file);
  CHECK(std::stoi(m[2].str()) >= 1);
  CHECK(std::stoi(m[3].str()) >= 1);
  CHECK(has_chinese(m[4].str()));
  CHECK_FALSE(m[5].str().empty());
}

// A plan whose one activity `a` has `lines` (indented four spaces), after
// `top`; two people and a room unless `top` gives its own.
std::string plan_with(const std::string &top, const std::string &lines) {
  const auto has = [&](const char *key) { return top.find(key) != std::string::npos; };
  const std::string people =
      has("people:") ? "" : "people:\n  - {id: zhang, name: 张青}\n  - {id: li}\n";
  const std::string rooms = has("rooms:") ? "" : "rooms:\n  - {id: hall}\n";
  const std::string own = lines.substr(0, lines.find("  - ")); // a's lines, not the next one's
  const std::string title = own.find("title:") == std::string::npos ? "    title: 甲\n" : "";
  return "plan: 测试计划\nyear: 2026\n" + people + rooms + top + "activities:\n  - id: a\n" +
         title + lines;
}

struct BadPlan {
  std::string top;   // keys at the top, after plan, year, people and rooms
  std::string lines; // keys of activity a
};

// One or more per message family of the loader (yaml_document.cpp,
// plan_loader.cpp and the calendar's parsers of durations, times and windows).
const std::vector<BadPlan> bad_plans = {
    // values: durations, gaps, times
    {"", "    duration: 2x\n"},
    {"", "    duration: 1.5h\n"},
    {"", "    duration: 1d2h\n"},
    {"", "    duration: 2w\n"},
    {"", "    duration: 0m\n"},
    {"", "    duration: 2H\n"},
    {"", "    duration: 30m1h\n"},
    {"", "    duration: \"\"\n"},
    {"", "    duration: 9999999m\n"},
    {"", "    duration: -1h\n"},
    {"", "    duration: 30\n"},
    {"", "    at: \"25:00\"\n"},
    {"", "    at: \"9:5\"\n"},
    {"", "    at: \"0930\"\n"},
    {"", "    at: \"09:75\"\n"},
    {"", "    at: \"10:00-09:00\"\n"},
    {"", "    at: \"morning\"\n"},
    {"", "    prefer: {time: \"12:00\"}\n"},
    {"", "    prefer: {weekdays: [funday]}\n"},
    {"", "    min_gap: 3m\n"},
    {"", "    min_gap: 20m\n"},
    {"", "    min_gap: x\n"},
    {"", "    min_gap: 2d\n    max_gap: 1d\n"},
    {"", "    reminders: [0m]\n"},
    {"", "    reminders: [5s]\n"},
    // windows
    {"", "    when: 2月30日\n"},
    {"", "    when: 13月\n"},
    {"", "    when: 第5季度\n"},
    {"", "    when: 第60周\n"},
    {"", "    when: 6-3月\n"},
    {"", "    when: 2026-03-05..2026-03-01\n"},
    {"", "    when: 2026-02-21..2026-03\n"},
    {"", "    when: 2025-12-01\n"},
    {"", "    when: 双月\n"},
    {"", "    when: 单周\n"},
    {"", "    when: bimonthly\n"},
    {"", "    when: H3\n"},
    {"", "    when: Q5\n"},
    {"", "    when: week 60\n"},
    {"", "    when: 一月底前后乱写\n"},
    {"", "    when: 3月24日上午9点\n"},
    {"", "    when: 6月前\n"},
    {"", "    when: \"\"\n"},
    {"", "    when: " + std::string(201, 'x') + "\n"},
    // repeat, count, rrule
    {"", "    repeat: sometimes\n"},
    {"", "    repeat: [11月, 5月]\n"},
    {"", "    repeat: [tue]\n"},
    {"", "    repeat: []\n"},
    {"", "    repeat: 每月初\n    when: 月中\n"},
    {"", "    count: 0\n"},
    {"", "    count: 3-2\n"},
    {"", "    count: 1-x\n"},
    {"", "    count: 2000\n"},
    {"", "    count: 1-2000\n"},
    {"", "    count: many\n"},
    {"", "    rrule: NOTARULE\n    at: \"09:00\"\n"},
    {"", "    rrule: FREQ=HOURLY\n    at: \"09:00\"\n"},
    {"", "    rrule: FREQ=MONTHLY\n    repeat: monthly\n    at: \"09:00\"\n"},
    {"", "    rrule: FREQ=MONTHLY\n"},
    {"", "    rrule: FREQ=DAILY" + std::string(500, ';') + "\n"},
    {"", "    repeat: weekly\n    count: 1000\n  - id: b\n    title: 乙\n    repeat: weekly\n"
         "    count: 1000\n"},
    // order
    {"", "    after: zz\n"},
    {"", "    after: a\n"},
    {"", "    after:\n"},
    {"", "    after: {min_gap: 1d}\n"},
    {"", "    before: {id: b, min_gap: 2d, max_gap: 1d}\n  - id: b\n    title: 乙\n"},
    // time of day, all-day, fit
    {"", "    all_day: true\n    duration: 2h\n"},
    {"", "    all_day: false\n    duration: 2d\n"},
    {"", "    all_day: true\n    at: \"09:00\"\n"},
    {"", "    all_day: maybe\n"},
    {"", "    when: 2026-03-03\n    at: \"20:00\"\n    duration: 5h\n"},
    {"", "    at: \"09:00-10:00\"\n    duration: 2h\n"},
    {"", "    duration: 10h\n"},
    {"", "    at: \"07:00\"\n"},
    // identity, people, room
    {"", "    title: \"\"\n"},
    {"", "    title: [x]\n"},
    {"", "    title: \"a\\u0001b\"\n"},
    {"", "    kind: meating\n"},
    {"", "    room: hal\n"},
    {"", "    attendees: [wang]\n"},
    {"", "    attendees: zhang\n"},
    {"", "    busy: yes\n"},
    {"", "    atendees: [zhang]\n"},
    {"", "    title: 甲\n    title: 乙\n"},
    {"", "  - id: a\n    title: 乙\n"},
    {"", "  - title: 无名\n"},
    {"", "  - id: A B\n    title: 乙\n"},
    {"", "  - id: b\n"},
    {"", "  - 5\n"},
    {"", "  - id: [x]\n    title: 乙\n"},
    {"", "  - {id: b, title: 乙, count: 3.5}\n"},
    // the top of the plan
    {"id: Bad Id\n", ""},
    {"year: 1800\n", ""},
    {"timezone: Mars/Base\n", ""},
    {"yaer: 1\n", ""},
    {"plan: \"\"\n", ""},
    {"activities: 5\n", ""},
    // calendar
    {"calendar: {holidays: xx}\n", ""},
    {"calendar: {workdays: [funday]}\n", ""},
    {"calendar: {hours: [\"09:00-12:00\", \"11:00-13:00\"]}\n", ""},
    {"calendar: {hours: []}\n", ""},
    {"calendar: {hours: [morning]}\n", ""},
    {"calendar: {hours: [\"12:00-09:00\"]}\n", ""},
    {"calendar: {closed: [2026-13-01]}\n", ""},
    {"calendar: {closed: [2026-03-05..2026-03-01]}\n", ""},
    {"calendar: [cn]\n", ""},
    {"calendar: {hours: 9}\n", ""},
    // people, rooms, groups
    {"people:\n  - {name: 无名}\n", ""},
    {"people:\n  - {id: \"\"}\n", ""},
    {"people:\n  - {id: wang}\n  - {id: wang}\n", ""},
    {"people:\n  - {id: wang, email: not-mail}\n", ""},
    {"people:\n  - {id: wang, mobile: \"12345\"}\n", ""},
    {"people:\n  - {id: wang, email: [x]}\n", ""},
    {"rooms:\n  - {id: r}\n  - {id: r}\n", ""},
    {"groups: [a]\n", ""},
    {"groups: {zhang: [li]}\n", ""},
    {"groups: {g: [nobody]}\n", ""},
    {"groups: {g: [h], h: [g]}\n", ""},
    {"groups: {g: {name: 支委会}}\n", ""},
    {"groups: {g: 5}\n", ""},
    {"groups: {g: [zhang], g: [li]}\n", ""},
    {"groups: {g: {name: 支委会, members: [zhang], size: 1}}\n", ""},
    // defaults, replan
    {"defaults: {remind_at: \"25:00\"}\n", ""},
    {"defaults: {reminders: [1x]}\n", ""},
    {"defaults: {reminders: 1d}\n", ""},
    {"defaults: {duration: 2w}\n", ""},
    {"replan: {freeze: 1x}\n", ""},
    {"replan: {freeze: 2m}\n", ""},
    // assessment
    {"assessment:\n  - {points: 10, target: 4, activities: [a]}\n", ""},
    {"assessment:\n  - {item: \"\", points: 10, target: 4, activities: [a]}\n", ""},
    {"assessment:\n  - {item: x, points: 10, target: 4, activities: [a]}\n"
     "  - {item: x, points: 10, target: 4, activities: [a]}\n",
     ""},
    {"assessment:\n  - {item: x, points: 10, target: 4, activities: [zz]}\n", ""},
    {"assessment:\n  - {item: x, points: 10, target: 4, activities: []}\n", ""},
    {"assessment:\n  - {item: x, points: 10, target: 4}\n", ""},
    {"assessment:\n  - {item: x, points: 10, activities: [a], deduct: {absent: 2}}\n", ""},
    {"assessment:\n  - {item: x, activities: [a], deduct: {}, people: [zhang]}\n", ""},
    {"assessment:\n  - {item: x, activities: [a], deduct: {absent: 2}, people: []}\n", ""},
    {"assessment:\n  - {item: x, activities: [a], deduct: {absent: x}, people: [zhang]}\n", ""},
    {"assessment:\n  - {item: x, points: 10, target: 4, activities: [a], people: [zhang]}\n", ""},
    {"assessment:\n  - {item: x, target: 4, activities: [a]}\n", ""},
    {"assessment:\n  - {item: x, points: 0, target: 4, activities: [a]}\n", ""},
    {"assessment:\n  - {item: x, points: 10, target: 4, each: 2, activities: [a]}\n", ""},
    {"assessment:\n  - {item: x, points: 10, activities: [a]}\n", ""},
    {"assessment:\n  - {item: x, points: 10, target: 0, activities: [a]}\n", ""},
    {"assessment:\n  - {item: x, points: 10, each: 0, activities: [a]}\n", ""},
    {"assessment:\n  - {item: x, points: 10, target: 4, attendance: 200%, activities: [a]}\n", ""},
    {"assessment:\n  - {item: x, points: ten, target: 4, activities: [a]}\n", ""},
    {"assessment:\n  - {item: x, points: 10, target: 4, activities: [a], size: 1}\n", ""},
};

// Whole texts: the document as a whole is wrong.
const std::vector<std::string> bad_documents = {
    "",
    "plan: 只有标题\n",
    "year: 2026\nactivities: []\n",
    "plan: x\nyear: 2026\nactivities:\n  - id: a\n    标题：会议\n",
    "plan: x\nyear: 2026\nactivities: [\n",
    "plan: x\nyear: 2026\nactivities:\n  - " + std::string(70, '[') + std::string(70, ']') + "\n",
    "plan: \xB2\xE2\xCA\xD4\nyear: 2026\n", // GBK 测试
    "- 1\n- 2\n",
};

std::vector<std::string> messages_of(const sch::LoadResult &r) {
  std::vector<std::string> out;
  for (const auto &e : r.errors)
    out.push_back(e.to_string());
  if (r.plan)
    out.insert(out.end(), r.plan->warnings.begin(), r.plan->warnings.end());
  return out;
}

// The plan's own coverage warnings name no line; every other one must be bilingual.
bool is_coverage_warning(const std::string &m) { return m.find("plan.yaml:") != 0; }

} // namespace

TEST_CASE("every loader message met by the bad plans is Chinese first and located") {
  std::size_t seen = 0;
  for (const auto &bad : bad_plans) {
    const std::string text = plan_with(bad.top, bad.lines);
    const auto r = sch::load_plan(text, "plan.yaml", data_dir());
    const auto messages = messages_of(r);
    INFO("input:\n" << text);
    CHECK_FALSE(messages.empty()); // each input is wrong, or warned about
    for (const auto &m : messages) {
      if (is_coverage_warning(m))
        continue;
      check_bilingual(m, "plan.yaml", text);
      ++seen;
    }
  }
  for (const auto &text : bad_documents) {
    const auto r = sch::load_plan(text, "plan.yaml", data_dir());
    INFO("input:\n" << text);
    CHECK_FALSE(r.errors.empty());
    for (const auto &e : r.errors) {
      check_bilingual(e.to_string(), "plan.yaml", text);
      ++seen;
    }
  }
  CHECK(seen > bad_plans.size());
}

TEST_CASE("the Chinese of a loader message reads as a secretary writes it") {
  const auto first = [](const std::string &text) {
    const auto r = sch::load_plan(text, "plan.yaml", data_dir());
    REQUIRE_FALSE(r.errors.empty());
    return r.errors.front().to_string();
  };
  CHECK(first(plan_with("", "    after: {min_gap: 1d}\n")) ==
        "plan.yaml:11:12: 活动 'a' 的 after 需要另一个活动的 id / after in activity 'a' needs "
        "the id of the other activity");
  CHECK(first(plan_with("people:\n  - {id: wang}\n  - {id: wang}\n", "")) ==
        "plan.yaml:7:10: 人员 id 重复 'wang'（第一次出现在第 6 行） / duplicate person id 'wang' "
        "(first at line 6)");
  CHECK(first(plan_with("", "    duration: 1.5h\n")) ==
        "plan.yaml:11:16: duration（活动 'a'） '1.5h'：写的是 '.'：时长用整数（写 1h30m，不写 "
        "1.5h）；时长例如写 30m、2h、1h30m、1d、3d / duration in activity 'a' '1.5h': found '.': "
        "durations are whole numbers (write 1h30m, not 1.5h); write a duration like 30m, 2h, "
        "1h30m, 1d, 3d");
  CHECK(first(plan_with("", "    when: 2月30日\n")).find("2026年2月没有 30 日") !=
        std::string::npos);
}

TEST_CASE("records files and records against a schedule are reported Chinese first") {
  const std::vector<std::string> bad_records = {
      "5\n",
      "- {status: done}\n",
      "- {occurrence: \"\", status: done}\n",
      "- {occurrence: a#0}\n",
      "- {occurrence: a#0, status: finished}\n",
      "- {occurrence: a#0, status: moved}\n",
      "- {occurrence: a#0, status: cancelled, present: [zhang], start: 2026-03-10}\n",
      "- {occurrence: a#0, status: moved, present: [zhang], start: 2026-03-10T09:00}\n",
      "- {occurrence: a#0, status: done, start: tomorrow}\n",
      "- {occurrence: a#0, status: done, present: zhang}\n",
      "- {occurrence: a#0, status: done, colour: red}\n",
      "- {occurrence: a#0, status: done, note: \"a\\u0001\"}\n",
  };
  for (const auto &text : bad_records) {
    const auto r = sch::load_records(text, "r.yaml");
    INFO("records:\n" << text);
    CHECK_FALSE(r.problems.empty());
    for (const auto &p : r.problems)
      check_bilingual(p.to_string(), "r.yaml", text);
  }
  const auto one = sch::load_record("[1]", "r.json");
  REQUIRE_FALSE(one.problems.empty());
  check_bilingual(one.problems.front().to_string(), "r.json", "[1]");

  const std::string plan_text = plan_with("", "    count: 2\n    attendees: [zhang]\n"
                                              "  - id: day\n    title: 乙\n    all_day: true\n");
  const auto loaded = sch::load_plan(plan_text, "plan.yaml", data_dir());
  std::string errors;
  for (const auto &e : loaded.errors)
    errors += e.to_string() + "\n";
  INFO(errors);
  REQUIRE(loaded.plan);
  const sch::Schedule reference = sch::solve(*loaded.plan, {});
  REQUIRE(reference.feasible());
  const std::vector<std::string> unresolved = {
      "- {occurrence: zz#0, status: done}\n",
      "- {occurrence: a#9, status: done}\n",
      "- {occurrence: a#0, status: done, present: [wang]}\n",
      "- {occurrence: a#0, status: done, present: [zhang], leave: [zhang]}\n",
      "- {occurrence: a#0, status: moved, start: 2026-03-10}\n",
      "- {occurrence: day#0, status: moved, start: 2026-03-10T09:00}\n",
      "- {occurrence: a#0, status: moved, start: 2026-03-10T10:00, end: 2026-03-10T09:00}\n",
      "- {occurrence: a#0, status: moved, start: 2027-03-10T10:00}\n",
      "- {occurrence: a#0, status: moved, start: \"2026-03-10T10:00+09:00\"}\n",
      "- {occurrence: a#0, status: done}\n- {occurrence: a#0, status: cancelled}\n",
  };
  for (const auto &text : unresolved) {
    const auto r = sch::load_records(text, "r.yaml");
    INFO("records:\n" << text);
    REQUIRE(r.problems.empty());
    const auto resolved = sch::resolve_records(*loaded.plan, reference, r.records, "r.yaml");
    CHECK_FALSE(resolved.problems.empty());
    for (const auto &p : resolved.problems)
      check_bilingual(p.to_string(), "r.yaml", text);
  }
}

TEST_CASE("next year's problems and warnings are Chinese first and located") {
  const std::string text = "plan: 2026 年计划\nyear: 2026\n"
                           "calendar:\n  closed: [2026-03-16]\n"
                           "activities:\n"
                           "  - id: a\n    title: 2026 年大会\n    when: 2026-03-24\n"
                           "  - id: b\n    title: 乙\n    when: 10月1日\n    at: \"09:00\"\n"
                           "  - id: c\n    title: 丙\n    rrule: FREQ=WEEKLY;UNTIL=20261231\n"
                           "    at: \"09:00\"\n"
                           "  - id: d\n    title: 丁\n    repeat: [2026-05-06, 2026-11-03]\n";
  const auto next = sch::next_year(text, "p.yaml", "p-2027.yaml", data_dir());
  REQUIRE(next.errors.empty());
  REQUIRE(next.problems.size() >= 4);
  for (const auto &p : next.problems)
    check_bilingual(p.to_string(), "p-2027.yaml", text);
  std::size_t located_warnings = 0;
  for (const auto &w : next.warnings)
    if (w.line > 0) {
      check_bilingual(w.to_string(), "p-2027.yaml", text);
      ++located_warnings;
    }
  CHECK(located_warnings >= 1);
}
