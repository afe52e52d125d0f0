// Progress and the assessment (PLAN.md §6.6) on schedules and records made by
// hand, so the numbers are counted here, not by the solver or the records
// loader. Every expected number has its hand count next to it.
#include "scheduler/progress.hpp"
#include "scheduler/progress_output.hpp"

#include "scheduler/plan_loader.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

using namespace xun;
using namespace xun::scheduler;

namespace {

calendar::Date day(unsigned m, unsigned d) { return calendar::make_date(2026, m, d); }

calendar::LocalTime at(unsigned m, unsigned d, int hour) {
  return calendar::LocalTime{day(m, d).time_since_epoch()} + std::chrono::hours{hour};
}

Plan load_ok(const std::string &text) {
  const char *dir = std::getenv("XUN_DATA_DIR");
  REQUIRE(dir != nullptr);
  const auto r = load_plan(text, "progress.yaml", dir);
  std::string messages;
  for (const auto &e : r.errors)
    messages += e.to_string() + "\n";
  INFO(messages);
  REQUIRE(r.plan.has_value());
  return *r.plan;
}

Occurrence timed(const std::string &activity, int index, calendar::LocalTime start, int hours = 2,
                 int period = 0) {
  Occurrence o;
  o.activity = activity;
  o.index = index;
  o.start = start;
  o.end = start + std::chrono::hours{hours};
  o.period = period;
  o.ordinal = period == 0 ? index : 0;
  return o;
}

Occurrence all_day(const std::string &activity, int index, calendar::Date first, int period) {
  Occurrence o;
  o.activity = activity;
  o.index = index;
  o.all_day = true;
  o.start = calendar::LocalTime{first.time_since_epoch()};
  o.end = o.start + date::days{1};
  o.period = period;
  return o;
}

// A record as resolve_records gives it; `lists` says whether `present` was written.
ResolvedRecord record(const Plan &plan, const Occurrence &occ, RecordStatus status,
                      std::vector<std::string> present = {}, std::vector<std::string> leave = {},
                      bool lists = true) {
  ResolvedRecord r;
  r.record.occurrence = occ.id();
  r.record.status = status;
  r.key = {occ.activity, occ.period, occ.ordinal};
  r.uid = occ.uid(plan);
  r.id = occ.id();
  r.start = occ.start;
  r.end = occ.end;
  std::sort(present.begin(), present.end());
  std::sort(leave.begin(), leave.end());
  r.present = present;
  r.leave = leave;
  if (status == RecordStatus::done && lists) {
    r.record.present = present;
    r.record.leave = leave;
  }
  r.expected = plan.find_activity(occ.activity)->people;
  return r;
}

const ActivityProgress &row(const Progress &p, const std::string &id) {
  const auto it = std::find_if(p.activities.begin(), p.activities.end(),
                               [&](const auto &a) { return a.activity == id; });
  REQUIRE(it != p.activities.end());
  return *it;
}

const ItemProgress &item(const Progress &p, const std::string &name) {
  const auto it =
      std::find_if(p.items.begin(), p.items.end(), [&](const auto &i) { return i.item == name; });
  REQUIRE(it != p.items.end());
  return *it;
}

const char *branch_plan = R"(plan: 测试支部 2026 年计划
id: test-branch-2026
year: 2026
people:
  - {id: a, name: 支部书记}
  - {id: b, name: 乙}
  - {id: c, name: 丙}
  - {id: d, name: 丁}
  - {id: e, name: 戊}
groups:
  all: [a, b, c, d, e]
activities:
  - {id: study, title: 学习培训, kind: study, count: 4, attendees: [all]}
  - {id: research, title: 专题调研, kind: research, count: 2, attendees: [a, b]}
  - {id: handbook, title: 填写支部手册, kind: deadline, repeat: monthly, when: 上半年, all_day: true}
  - {id: session, title: 区政协会议, when: 2026-03-24, at: "09:00", attendees: [all]}
  - {id: lecture, title: 讲座, count: 2-3, attendees: [all]}
assessment:
  - {item: 学习培训, points: 10, activities: [study], target: 4, attendance: 80%}
  - {item: 组织调研, points: 20, activities: [research], each: 10}
  - {item: 讲座, points: 10, activities: [lecture], each: 3, attendance: 60%}
  - {item: 考勤, people: [a], activities: [session, study], deduct: {absent: 2, leave: 1}}
)";

struct Fixture {
  Plan plan = load_ok(branch_plan);
  Schedule schedule;
  std::vector<ResolvedRecord> records;

  Fixture() {
    auto &occ = schedule.occurrences;
    occ.push_back(timed("study", 0, at(3, 10, 14)));   // done, 4 of 5
    occ.push_back(timed("study", 1, at(4, 14, 14)));   // done, 2 of 5
    occ.push_back(timed("study", 2, at(5, 12, 14)));   // no record: not recorded
    occ.push_back(timed("study", 3, at(9, 8, 14)));    // upcoming
    occ.push_back(timed("research", 0, at(5, 20, 9))); // done, present not written
    schedule.cancelled.push_back(timed("research", 1, at(10, 13, 9)));
    for (unsigned m = 1; m <= 6; ++m) // handbook: one a month, Jan–Jun
      occ.push_back(all_day("handbook", static_cast<int>(m - 1), day(m, m == 6 ? 29 : 5),
                            static_cast<int>(m)));
    occ.push_back(timed("session", 0, at(3, 24, 9), 3));
    occ.back().fixed = true;
    occ.push_back(timed("lecture", 0, at(6, 2, 9)));
    occ.push_back(timed("lecture", 1, at(6, 30, 10))); // on the as-of day: upcoming
    occ.push_back(timed("lecture", 2, at(11, 3, 9)));
    const auto find = [&](const std::string &id) -> const Occurrence & {
      for (const auto &o : occ)
        if (o.id() == id)
          return o;
      FAIL("no occurrence " << id);
      return occ.front();
    };
    records.push_back(record(plan, find("study#0"), RecordStatus::done, {"a", "b", "c", "d"}));
    records.push_back(record(plan, find("study#1"), RecordStatus::done, {"b", "c"}, {"a", "d"}));
    records.push_back(record(plan, find("research#0"), RecordStatus::done, {}, {}, false));
    records.push_back(record(plan, schedule.cancelled.front(), RecordStatus::cancelled));
    for (int m = 0; m < 5; ++m) // handbook Jan–May done; June's (Jun 29) not recorded
      records.push_back(record(plan, find("handbook#" + std::to_string(m)), RecordStatus::done));
    records.push_back(record(plan, find("session#0"), RecordStatus::done, {"b", "c", "d", "e"}));
    records.push_back(
        record(plan, find("lecture#0"), RecordStatus::done, {"a", "b", "c", "d", "e"}));
  }

  Progress run() const { return progress(plan, schedule, records, day(6, 30)); }
};

} // namespace

TEST_CASE("each activity counts planned, done, cancelled, not recorded and upcoming by hand") {
  const Progress p = Fixture().run();
  REQUIRE(p.activities.size() == 5);
  CHECK(p.activities[0].activity == "study"); // plan order

  const auto &study = row(p, "study");
  CHECK(study.quota == Quota{4, 4});
  CHECK(study.planned == 4); // #0..#3
  CHECK(study.done == 2);    // #0, #1
  CHECK(study.cancelled == 0);
  CHECK(study.not_recorded == 1); // #2, May 12, no record
  CHECK(study.upcoming == 1);     // #3, Sep 8
  CHECK(study.present == 6);      // 4 + 2
  CHECK(study.expected == 10);    // 5 + 5
  CHECK(study.attendance == 60);  // 6 / 10
  CHECK(study.at_risk);           // 2 done + 1 upcoming < 4

  const auto &research = row(p, "research");
  CHECK(research.planned == 2); // #0 and the cancelled #1
  CHECK(research.done == 1);
  CHECK(research.cancelled == 1);
  CHECK(research.upcoming == 0);
  CHECK_FALSE(research.attendance.has_value()); // present was not written
  CHECK(research.attendance_not_recorded == 1); // held, attendance not taken: not 0%
  CHECK(study.attendance_not_recorded == 0);
  CHECK(research.at_risk); // 1 + 0 < 2
}

TEST_CASE("an occurrence ending at the as-of midnight is not recorded, one on the as-of day is "
          "upcoming") {
  const Progress p = Fixture().run();
  const auto &handbook = row(p, "handbook");
  CHECK(handbook.quota == Quota{6, 6}); // repeat monthly in 上半年: six periods × 1
  CHECK(handbook.done == 5);            // Jan–May
  CHECK(handbook.not_recorded == 1);    // Jun 29, all day: ends Jun 30 00:00
  CHECK(handbook.upcoming == 0);
  CHECK(handbook.at_risk);                      // 5 + 0 < 6
  CHECK_FALSE(handbook.attendance.has_value()); // no attendees expected

  const auto &lecture = row(p, "lecture");
  CHECK(lecture.quota == Quota{2, 3}); // count: 2-3
  CHECK(lecture.done == 1);
  CHECK(lecture.upcoming == 2); // Jun 30 10:00 and Nov 3
  CHECK(lecture.attendance == 100);
  CHECK_FALSE(lecture.at_risk); // 1 + 2 >= 2
}

TEST_CASE("a moved occurrence is owed at its new time") {
  Fixture f;
  // study#2 moved by hand to Jul 7: no longer not recorded, but upcoming.
  for (auto &o : f.schedule.occurrences)
    if (o.id() == "study#2") {
      o.start = at(7, 7, 14);
      o.end = at(7, 7, 16);
      o.state = OccurrenceState::moved;
      f.records.push_back(record(f.plan, o, RecordStatus::moved));
    }
  const ActivityProgress study = row(f.run(), "study");
  CHECK(study.not_recorded == 0);
  CHECK(study.upcoming == 2);
  CHECK_FALSE(study.at_risk); // 2 + 2 >= 4
}

TEST_CASE("assessment items: target with attendance, each, each capped, and deductions") {
  const Progress p = Fixture().run();
  // study#0: 4/5 = 80% ≥ 80% counts; study#1: 2/5 = 40% does not. 10 × 1/4.
  CHECK(item(p, "学习培训").earned == 250);
  CHECK(item(p, "学习培训").why ==
        "计入 1 次，满 4 次得满分（出勤率 ≥ 80%），1 次出勤不足 / 1 of 4 counted (≥ 80% present), "
        "1 below attendance");
  // research#0 done (no attendance needed); research#1 cancelled. 1 × 10.
  CHECK(item(p, "组织调研").earned == 1000);
  // lecture#0 5/5 counts; 1 × 3.
  CHECK(item(p, "讲座").earned == 300);
  // a: absent from session#0 (−2), on leave from study#1 (−1); present at study#0.
  CHECK(item(p, "考勤").points == 0);
  CHECK(item(p, "考勤").earned == -300);
  CHECK(item(p, "考勤").why ==
        "支部书记 缺席 1 次、请假 1 次（−3） / a: 1 absent, 1 on leave (−3)");
  CHECK(p.possible == 4000);                 // 10 + 20 + 10
  CHECK(p.earned == 250 + 1000 + 300 - 300); // 12.5
}

TEST_CASE("each is capped at the item's points") {
  Plan plan = load_ok(R"(plan: p
year: 2026
activities:
  - {id: visit, title: 走访, count: 4}
assessment:
  - {item: 联系委员, points: 10, activities: [visit], each: 4}
)");
  Schedule s;
  std::vector<ResolvedRecord> records;
  for (int i = 0; i < 3; ++i) {
    s.occurrences.push_back(timed("visit", i, at(3, static_cast<unsigned>(2 + i), 9)));
    records.push_back(record(plan, s.occurrences.back(), RecordStatus::done));
  }
  const Progress p = progress(plan, s, records, day(12, 31));
  CHECK(p.items[0].earned == 1000); // 3 × 4 = 12, capped at 10
  CHECK(p.items[0].why == "计入 3 次 × 4 分，封顶 10 分 / 3 counted × 4, capped at 10");
}

TEST_CASE("earned points round half up to hundredths and the total never goes below 0") {
  Plan plan = load_ok(R"(plan: p
year: 2026
people: [{id: boss, name: 主任}]
activities:
  - {id: study, title: 学习, count: 3, attendees: [boss]}
  - {id: session, title: 全会, count: 6, attendees: [boss]}
assessment:
  - {item: 学习, points: 10, activities: [study], target: 3, attendance: 100%}
  - {item: 考勤, people: [boss], activities: [session], deduct: {absent: 2.5}}
)");
  Schedule s;
  std::vector<ResolvedRecord> records;
  for (int i = 0; i < 3; ++i)
    s.occurrences.push_back(timed("study", i, at(4, static_cast<unsigned>(1 + i), 9)));
  records.push_back(record(plan, s.occurrences[0], RecordStatus::done, {"boss"}));
  records.push_back(record(plan, s.occurrences[1], RecordStatus::done, {"boss"}));
  // Done without present: attendance unknown, so it does not count for 100%.
  records.push_back(record(plan, s.occurrences[2], RecordStatus::done, {}, {}, false));
  for (int i = 0; i < 6; ++i) {
    s.occurrences.push_back(timed("session", i, at(5, static_cast<unsigned>(4 + i), 9)));
    records.push_back(record(plan, s.occurrences.back(), RecordStatus::done, {}));
  }
  const Progress p = progress(plan, s, records, day(12, 31));
  CHECK(p.items[0].earned == 667); // 10 × 2/3 = 6.666… → 6.67
  CHECK(p.items[0].why.find("1 次未记出勤") != std::string::npos);
  CHECK(p.items[1].earned == -1500); // 6 absences × 2.5
  CHECK(p.possible == 1000);
  CHECK(p.earned == 0); // 6.67 − 15 < 0
  const auto json = nlohmann::json::parse(progress_json(p));
  CHECK(json["assessment"]["items"][0]["earned"].get<double>() == doctest::Approx(6.67));
  CHECK(json["assessment"]["items"][0]["points"].is_number_integer());
  CHECK(json["assessment"]["items"][1]["earned"].get<double>() == doctest::Approx(-15));
  CHECK(json["assessment"]["earned"] == 0);
}

TEST_CASE("progress JSON has the keys of PLAN.md §6.6 in its order") {
  const Progress p = Fixture().run();
  const auto j = nlohmann::ordered_json::parse(progress_json(p));
  std::vector<std::string> keys;
  for (const auto &[k, v] : j.items())
    keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"plan", "as_of", "activities", "assessment", "warnings"});
  CHECK(j["plan"] == "test-branch-2026");
  CHECK(j["as_of"] == "2026-06-30");
  const auto &study = j["activities"][0];
  CHECK(study.dump() ==
        R"({"activity":"study","title":"学习培训","quota":{"min":4,"max":4},"planned":4,"done":2,)"
        R"("cancelled":0,"not_recorded":1,"upcoming":1,"attendance":0.6,"at_risk":true,)"
        R"("attendance_not_recorded":0})");
  CHECK(j["activities"][1]["attendance"].is_null());
  CHECK(j["assessment"]["items"][0].dump() ==
        R"({"item":"学习培训","points":10,"earned":2.5,"why":"计入 1 次，满 4 次得满分（出勤率 ≥ )"
        R"(80%），1 次出勤不足 / 1 of 4 counted (≥ 80% present), 1 below attendance"})");
  CHECK(j["assessment"]["possible"] == 40);
  CHECK(j["assessment"]["earned"] == 12.5);
  CHECK(j["warnings"].empty());
  CHECK(progress_json(p) == progress_json(Fixture().run())); // same input, same bytes
}

TEST_CASE("progress text puts at-risk activities first and ends with the total") {
  const Fixture f;
  const std::string text = progress_text(f.plan, f.run());
  INFO(text);
  const auto risky = text.find("⚠ study");
  const auto safe = text.find(" lecture ");
  REQUIRE(risky != std::string::npos);
  REQUIRE(safe != std::string::npos);
  CHECK(risky < safe);
  CHECK(text.find("计划") != std::string::npos);
  CHECK(text.find("未记录") != std::string::npos);
  CHECK(text.find("60%") != std::string::npos);
  CHECK(text.find("考核 / Assessment") != std::string::npos);
  CHECK(text.find("合计 / Total: 12.5 / 40\n") != std::string::npos);
}

TEST_CASE("a record for an occurrence the schedule lacks is a warning, not a count") {
  Fixture f;
  const Occurrence ghost = timed("study", 9, at(2, 2, 9));
  f.records.push_back(record(f.plan, ghost, RecordStatus::done, {"a"}));
  const Progress p = f.run();
  REQUIRE(p.warnings.size() == 1);
  CHECK(p.warnings[0].starts_with("study#9 (study-9@test-branch-2026.xun)"));
  CHECK(row(p, "study").done == 2);
}
