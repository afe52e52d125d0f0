// Records (PLAN.md §6.4) and re-planning (§6.5): facts stay, cancelled ones
// free their slot, the past and the freeze window do not move, a re-plan moves
// the fewest occurrences it can, and a change that would move what is frozen
// or recorded is named.
#include "calendar/zones.hpp"
#include "scheduler/output.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/records.hpp"
#include "scheduler/schedule.hpp"
#include "scheduler/schedule_reader.hpp"
#include "support/bilingual.hpp"
#include "support/schedule_checker.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <string>

using namespace xun;
using namespace xun::scheduler;

namespace {

std::string data_dir() {
  const char *dir = std::getenv("XUN_DATA_DIR");
  return dir ? dir : "data";
}

// A branch's year: a monthly meeting, weekly study (Tuesdays), four lectures,
// dues in May and November, all sharing the secretary.
const std::string branch_yaml = R"(plan: 测试支部 2026 年工作计划
id: branch
year: 2026
calendar: {holidays: cn}
people:
  - {id: zhang, name: 张青}
  - {id: li, name: 李明}
  - {id: wang, name: 王芳}
groups:
  members: [zhang, li, wang]
activities:
  - id: meeting
    title: 支委会
    repeat: monthly
    duration: 2h
    attendees: [zhang, li]
  - id: study
    title: 学习
    repeat: weekly
    when: tue
    duration: 1h30m
    attendees: [members]
  - id: lecture
    title: 党课
    count: 4
    duration: 2h
    attendees: [members]
  - id: dues
    title: 收缴党费
    kind: dues
    repeat: [5月, 11月]
    all_day: true
)";

Plan load(const std::string &text) {
  LoadResult r = load_plan(text, "branch.yaml", data_dir());
  std::string errors;
  for (const auto &e : r.errors)
    errors += e.to_string() + "\n";
  INFO(errors);
  REQUIRE(r.errors.empty());
  return std::move(*r.plan);
}

Schedule solve_ok(const Plan &plan, const SolveOptions &options = {}) {
  Schedule s = solve(plan, options);
  INFO((s.conflict ? s.conflict->message : std::string()));
  REQUIRE(s.feasible());
  const auto problems = testing::check_schedule(plan, s);
  std::string all;
  for (const auto &p : problems)
    all += p + "\n";
  INFO(all);
  CHECK(problems.empty());
  return s;
}

calendar::LocalTime at(unsigned m, unsigned d, int hour = 0, int minute = 0) {
  return calendar::LocalTime{date::local_days{calendar::make_date(2026, m, d).time_since_epoch()}} +
         std::chrono::hours{hour} + std::chrono::minutes{minute};
}

std::map<std::string, const Occurrence *> by_id(const Schedule &s) {
  std::map<std::string, const Occurrence *> out;
  for (const auto &o : s.occurrences)
    out[o.id()] = &o;
  return out;
}

std::map<std::string, const Occurrence *> by_uid(const Plan &plan, const Schedule &s) {
  std::map<std::string, const Occurrence *> out;
  for (const auto &o : s.occurrences)
    out[o.uid(plan)] = &o;
  return out;
}

struct Replanned {
  Schedule schedule;
  Replan replan;
};

Replan records_for(const Plan &plan, const Schedule &previous, const std::string &yaml,
                   std::optional<calendar::LocalTime> as_of) {
  const RecordsLoad loaded = load_records(yaml, "records.yaml");
  RecordsResolution resolved = resolve_records(plan, previous, loaded.records, "records.yaml");
  std::string all;
  for (const auto &p : loaded.problems)
    all += p.to_string() + "\n";
  for (const auto &p : resolved.problems)
    all += p.to_string() + "\n";
  INFO(all);
  REQUIRE(loaded.problems.empty());
  REQUIRE(resolved.problems.empty());
  Replan replan;
  replan.records = std::move(resolved.records);
  replan.as_of = as_of;
  replan.freeze_minutes = plan.replan_freeze_minutes;
  return replan;
}

std::vector<std::string> problems_of(const Plan &plan, const Schedule &reference,
                                     const std::string &yaml) {
  std::vector<std::string> out;
  const RecordsLoad loaded = load_records(yaml, "r.yaml");
  for (const auto &p : loaded.problems)
    out.push_back(p.to_string());
  if (!out.empty())
    return out;
  for (const auto &p : resolve_records(plan, reference, loaded.records, "r.yaml").problems)
    out.push_back(p.to_string());
  return out;
}

} // namespace

TEST_CASE("closing one week of May moves exactly the occurrences in that week") {
  const Plan before = load(branch_yaml);
  const Schedule s1 = solve_ok(before);
  // The working week of May's meeting, Monday to Friday.
  const auto ids = by_id(s1);
  REQUIRE(ids.contains("meeting#4"));
  const calendar::Date meeting_day = calendar::local_date(ids.at("meeting#4")->start);
  const calendar::Date monday =
      meeting_day - date::days{(calendar::weekday_index(meeting_day) + 6) % 7};
  const calendar::Date friday = monday + date::days{4};
  const auto week_start = at(calendar::month_of(monday), calendar::day_of(monday));
  const auto week_end = week_start + date::days{5};
  std::string changed = branch_yaml;
  changed.replace(changed.find("calendar: {holidays: cn}"), 24,
                  "calendar: {holidays: cn, closed: [" + calendar::format_iso_date(monday) + ".." +
                      calendar::format_iso_date(friday) + "]}");
  const Plan after = load(changed);
  SolveOptions options;
  options.previous = &s1;
  const Schedule s2 = solve_ok(after, options);

  // The weekly study of that week has no working day left: it is dropped
  // (with a warning, §3); the other occurrences in the week move.
  std::set<std::string> in_week;
  std::string dropped;
  for (const auto &o : s1.occurrences)
    if (o.start < week_end && o.end > week_start) {
      if (o.activity == "study")
        dropped = o.uid(before);
      else
        in_week.insert(o.uid(before));
    }
  REQUIRE_FALSE(in_week.empty());
  REQUIRE_FALSE(dropped.empty());
  std::set<std::string> moved;
  for (const Move &m : s2.moved)
    moved.insert(m.uid);
  CHECK(moved == in_week);
  // Everything else is exactly where it was, under the same UID; the moved
  // ones left the week.
  const auto old_by_uid = by_uid(before, s1);
  for (const auto &o : s2.occurrences) {
    const auto it = old_by_uid.find(o.uid(after));
    REQUIRE(it != old_by_uid.end());
    CHECK(o.uid(after) != dropped);
    if (in_week.contains(o.uid(after)))
      CHECK_FALSE((o.start < week_end && o.end > week_start));
    else
      CHECK(o.start == it->second->start);
  }
  CHECK(s2.occurrences.size() + 1 == s1.occurrences.size());
}

TEST_CASE("records are facts, cancelled ones free their slot, the past and the freeze stay") {
  const Plan plan = load(branch_yaml);
  const Schedule s1 = solve_ok(plan);
  const auto ids = by_id(s1);
  REQUIRE(ids.contains("lecture#0"));
  REQUIRE(ids.contains("meeting#2"));
  // meeting#2 (March) held an hour later than planned; lecture#0 cancelled;
  // study#20 moved by hand to a Thursday afternoon in June.
  const calendar::LocalTime held = ids.at("meeting#2")->start + std::chrono::hours{1};
  const calendar::Date held_day = calendar::local_date(held);
  const std::string held_text =
      calendar::format_iso_date(held_day) + "T" +
      calendar::format_time_of_day(static_cast<int>(
          (held - at(calendar::month_of(held_day), calendar::day_of(held_day))).count()));
  const std::string records =
      "- occurrence: meeting#2\n"
      "  status: done\n"
      "  start: " +
      held_text +
      "\n"
      "  present: [zhang]\n"
      "  leave: [li]\n"
      "  note: 学习党章\n"
      "- occurrence: " +
      ids.at("lecture#0")->uid(plan) +
      "\n"
      "  status: cancelled\n"
      "- {occurrence: 'study#20', status: moved, start: 2026-06-11T14:00}\n";
  const Replan replan = records_for(plan, s1, records, at(6, 1));
  SolveOptions options;
  options.previous = &s1;
  options.replan = &replan;
  const Schedule s2 = solve(plan, options);
  REQUIRE(s2.feasible());
  const auto now = by_id(s2);

  SUBCASE("the held time, the move and the cancellation") {
    REQUIRE(now.contains("meeting#2"));
    CHECK(now.at("meeting#2")->start == held);
    CHECK(now.at("meeting#2")->state == OccurrenceState::done);
    REQUIRE(now.contains("study#20"));
    CHECK(now.at("study#20")->start == at(6, 11, 14));
    CHECK(now.at("study#20")->state == OccurrenceState::moved);
    CHECK_FALSE(now.contains("lecture#0")); // left out, and the others keep their ids
    REQUIRE(s2.cancelled.size() == 1);
    CHECK(s2.cancelled[0].id() == "lecture#0");
    CHECK(s2.cancelled[0].uid(plan) == ids.at("lecture#0")->uid(plan));
    for (int k = 1; k < 4; ++k)
      CHECK(now.contains("lecture#" + std::to_string(k)));
  }

  SUBCASE("what ended before as-of without a record stays and is reported not recorded") {
    for (const auto &o : s1.occurrences) {
      if (o.end > at(6, 1) || o.id() == "meeting#2" || o.id() == "lecture#0")
        continue;
      REQUIRE(now.contains(o.id()));
      CHECK(now.at(o.id())->start == o.start);
      CHECK(now.at(o.id())->state == OccurrenceState::not_recorded);
    }
    bool warned = false;
    for (const auto &w : s2.warnings)
      warned = warned || (w.find("study#0 (") == 0 && w.find("not recorded") != std::string::npos);
    CHECK(warned);
  }

  SUBCASE("nothing free starts before as-of + freeze, and the moved list is exact") {
    for (const auto &o : s2.occurrences)
      if (o.state == OccurrenceState::planned)
        CHECK(o.start >= at(6, 3));
    std::set<std::string> moved;
    for (const Move &m : s2.moved)
      moved.insert(m.id);
    CHECK(moved.contains("meeting#2"));
    CHECK(moved.contains("study#20"));
    for (const Move &m : s2.moved) {
      const auto *old = ids.at(m.id);
      CHECK(m.from == old->start);
      CHECK(m.to == now.at(m.id)->start);
    }
  }

  SUBCASE("the JSON gains moved and cancelled; read back, it keeps ids and UIDs") {
    const std::string json = schedule_json(plan, s2);
    CHECK(json.find("\"moved\"") != std::string::npos);
    CHECK(json.find("\"cancelled\"") != std::string::npos);
    const ScheduleRead read = read_schedule_json(json, "s.json", plan);
    REQUIRE(read.schedule);
    CHECK(read.schedule->occurrences.size() == s2.occurrences.size());
    CHECK(read.schedule->cancelled.size() == 1);
    const auto again = by_uid(plan, *read.schedule);
    for (const auto &o : s2.occurrences) {
      REQUIRE(again.contains(o.uid(plan)));
      CHECK(again.at(o.uid(plan))->id() == o.id());
    }
  }

  SUBCASE("re-planning again from the re-planned schedule moves nothing") {
    SolveOptions again;
    again.previous = &s2;
    again.replan = &replan;
    const Schedule s3 = solve(plan, again);
    REQUIRE(s3.feasible());
    CHECK(s3.moved.empty());
    CHECK(s3.occurrences == s2.occurrences);
  }
}

TEST_CASE("a change that would move what is frozen or recorded is named, not made") {
  const Plan plan = load(branch_yaml);
  const Schedule s1 = solve_ok(plan);
  Replan replan;
  replan.as_of = at(7, 1);
  SolveOptions options;
  options.previous = &s1;
  options.replan = &replan;

  SUBCASE("dropping an activity with past occurrences") {
    std::string changed = branch_yaml;
    changed.erase(changed.find("  - id: lecture"),
                  changed.find("  - id: dues") - changed.find("  - id: lecture"));
    const Plan after = load(changed);
    const Schedule s = solve(after, options);
    CHECK(s.conflict.has_value());
    REQUIRE_FALSE(s.would_move.empty());
    CHECK(s.would_move[0].find("lecture#") == 0);
  }

  SUBCASE("a window that no longer holds a frozen occurrence") {
    std::string changed = branch_yaml;
    changed.replace(changed.find("    count: 4\n"), 12, "    count: 4\n    when: 下半年\n");
    const Plan after = load(changed);
    const Schedule s = solve(after, options);
    bool lecture_in_h1 = false;
    for (const auto &o : s1.occurrences)
      lecture_in_h1 = lecture_in_h1 || (o.activity == "lecture" && o.start < at(7, 1));
    REQUIRE(lecture_in_h1);
    CHECK(s.conflict.has_value());
    CHECK_FALSE(s.would_move.empty());
  }

  SUBCASE("a change after the freeze moves only what it must") {
    std::string changed = branch_yaml;
    changed.replace(changed.find("    count: 4\n"), 12, "    count: 5\n");
    const Plan after = load(changed);
    const Schedule s = solve_ok(after, options);
    CHECK(s.moved.empty()); // the fifth lecture is new; nothing else moves
    int lectures = 0;
    for (const auto &o : s.occurrences)
      lectures += o.activity == "lecture";
    CHECK(lectures == 5);
  }
}

TEST_CASE("bad records are located and say what would be right") {
  const Plan plan = load(branch_yaml);
  const Schedule s1 = solve_ok(plan);
  const auto first = [&](const std::string &yaml) {
    const auto p = problems_of(plan, s1, yaml);
    REQUIRE_FALSE(p.empty());
    return testing::english(p.front());
  };
  CHECK(first("- {occurrence: study#999, status: done}\n")
            .find("r.yaml:1:16: no occurrence "
                  "'study#999'") == 0);
  CHECK(first("- occurrence: study#0\n  status: held\n").find("r.yaml:2:11: status 'held'") == 0);
  CHECK(first("- occurrence: study#0\n  status: done\n  present: [zhangg]\n")
            .find("did you mean 'zhang'") != std::string::npos);
  CHECK(first("- occurrence: study#0\n  status: done\n  start: 2026-13-01T09:00\n")
            .find("r.yaml:3:10: start '2026-13-01T09:00' is not a time") == 0);
  CHECK(first("- occurrence: study#0\n  status: moved\n").find("needs start") != std::string::npos);
  CHECK(first("- {occurrence: study#0, status: done}\n- {occurrence: study#0, status: "
              "cancelled}\n")
            .find("r.yaml:2:") == 0);
  CHECK(first("- occurrence: study#0\n  status: done\n  colour: red\n")
            .find("unknown key 'colour'") != std::string::npos);
  CHECK(first("- {occurrence: dues#0, status: done, start: 2026-05-06T09:00}\n").find("all-day") !=
        std::string::npos);
  CHECK(first("- {occurrence: study#0, status: done, start: 2026-03-03T09:00+09:00}\n")
            .find("offset") != std::string::npos);
  CHECK(first("occurrence: study#0\n").find("a list of records") != std::string::npos);
  CHECK(first("- [").find("YAML syntax error") != std::string::npos);
  // JSON is accepted too.
  CHECK(problems_of(plan, s1, R"([{"occurrence": "study#0", "status": "done"}])").empty());
}

TEST_CASE("a record keeps present, leave and note absent when they were not written") {
  const Plan plan = load(branch_yaml);
  const Schedule s1 = solve_ok(plan);
  const auto round_trip = [&](const std::string &yaml) {
    const RecordsLoad loaded = load_records(yaml, "r.yaml");
    REQUIRE(loaded.problems.empty());
    const auto resolved = resolve_records(plan, s1, loaded.records, "r.yaml");
    REQUIRE(resolved.problems.empty());
    const std::string json = record_json(resolved.records.front());
    const RecordsLoad again = load_record(json, "stored");
    REQUIRE(again.problems.empty());
    return std::pair{json, again.records.front()};
  };
  const auto [bare, bare_back] = round_trip("- {occurrence: study#0, status: done}\n");
  CHECK(bare.find("present") == std::string::npos);
  CHECK(bare.find("leave") == std::string::npos);
  CHECK(bare.find("note") == std::string::npos);
  CHECK_FALSE(bare_back.present.has_value());
  CHECK_FALSE(bare_back.leave.has_value());
  CHECK_FALSE(bare_back.note.has_value());
  // null is "not said", like leaving the key out.
  CHECK_FALSE(
      round_trip("- {occurrence: study#0, status: done, present: ~}\n").second.present.has_value());

  const auto [empty, empty_back] =
      round_trip("- {occurrence: study#0, status: done, present: [], leave: [], note: ''}\n");
  CHECK(empty.find(R"("present":[])") != std::string::npos);
  CHECK(empty.find(R"("leave":[])") != std::string::npos);
  CHECK(empty.find(R"("note":"")") != std::string::npos);
  REQUIRE(empty_back.present.has_value());
  CHECK(empty_back.present->empty());
  REQUIRE(empty_back.leave.has_value());
  CHECK(empty_back.leave->empty());
  CHECK(empty_back.note == std::string());
}

TEST_CASE("a move onto an occurrence that stays fixed with the same people is located") {
  const Plan plan = load(branch_yaml);
  const Schedule s1 = solve_ok(plan);
  const auto ids = by_id(s1);
  const Occurrence &study = *ids.at("study#10");
  // Written with the zone's own offset, which a record accepts.
  const std::string held = calendar::format_local_iso(plan.timezone, study.start);
  const auto clashes_of = [&](const std::string &yaml) {
    const RecordsLoad loaded = load_records(yaml, "r.yaml");
    REQUIRE(loaded.problems.empty());
    Replan replan;
    replan.records = resolve_records(plan, s1, loaded.records, "r.yaml").records;
    REQUIRE(replan.records.size() == loaded.records.size());
    return moved_record_clashes(plan, s1, replan, "r.yaml");
  };
  // Onto a free occurrence: no clash (the re-plan moves that one).
  CHECK(clashes_of("- {occurrence: meeting#0, status: moved, start: " + held + "}\n").empty());
  // Onto one recorded done: refused at the moved record's start.
  const auto clashes = clashes_of("- {occurrence: study#10, status: done}\n"
                                  "- occurrence: meeting#0\n  status: moved\n  start: " +
                                  held + "\n");
  REQUIRE(clashes.size() == 1);
  CHECK(clashes[0].uid == ids.at("meeting#0")->uid(plan));
  const std::string text = clashes[0].problem.to_string();
  INFO(text);
  CHECK(text.find("r.yaml:4:") == 0);
  CHECK(text.find("study#10") != std::string::npos);
  CHECK(text.find("两者都需要 李明、张青") != std::string::npos);
  CHECK(text.find("recorded") != std::string::npos);
}
