// The committee plan's 百分考核 (data/plans/committee-2026.yaml, seed piece 4)
// scored on a year of records written here by hand, each number counted by
// hand in the comments: the assessment matches the seed's scoring rules.
#include "scheduler/plan_loader.hpp"
#include "scheduler/progress.hpp"
#include "scheduler/progress_output.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using namespace xun;
using namespace xun::scheduler;

namespace {

// 工委班子 3 + 委员 5: an `everyone` occurrence expects 8; 80% of 8 is 6.4,
// so 7 present count and 6 do not. `members` expects 5: 4 present is 80%.
const std::vector<std::string> everyone = {"deputy", "director", "guo",       "he",
                                           "lin",    "luo",      "secretary", "zhang"};

std::vector<std::string> everyone_but(std::vector<std::string> missing) {
  std::vector<std::string> out;
  for (const auto &p : everyone)
    if (std::find(missing.begin(), missing.end(), p) == missing.end())
      out.push_back(p);
  return out;
}

struct Written {
  std::string occurrence;
  RecordStatus status = RecordStatus::done;
  std::vector<std::string> present;
  std::vector<std::string> leave;
  bool lists_present = true;
};

// The year as the secretary recorded it (as of 2027-01-01: all of 2026 is past).
const std::vector<Written> year_of_records = {
    {"study#0", RecordStatus::done, everyone, {}},                         // 8/8 counts
    {"study#1", RecordStatus::done, everyone_but({"luo"}), {"luo"}},       // 7/8 counts
    {"study#2", RecordStatus::done, everyone_but({"luo", "guo"}), {}},     // 6/8 below 80%
    {"study#3", RecordStatus::cancelled, {}, {}},                          //
    {"two-sessions-study#0", RecordStatus::done, everyone, {}},            // 8/8 counts
    {"training#0", RecordStatus::done, {"guo", "he", "lin", "zhang"}, {}}, // 4/5 counts
    {"research-report#0", RecordStatus::done, {}, {}, false},              // report handed in
    // research-report#1: no record (not recorded)
    {"inspection#0", RecordStatus::done, everyone, {}}, // counts
    {"inspection#1", RecordStatus::done, {"director", "deputy", "zhang", "lin", "he"}, {}}, // 5/8
    {"supervision#0", RecordStatus::done, everyone_but({"he"}), {}}, // 7/8 counts
    {"supervision#1", RecordStatus::done, everyone, {}},             // counts
    {"proposals#0", RecordStatus::done, {}, {}, false},
    {"proposals#1", RecordStatus::done, {}, {}, false},
    {"proposals#2", RecordStatus::cancelled, {}, {}},
    {"donation#0", RecordStatus::done, {}, {}, false},
    {"contact-members#0", RecordStatus::done, {"deputy"}, {}},
    {"contact-members#1", RecordStatus::done, {"deputy"}, {}},
    {"contact-members#2", RecordStatus::done, {"deputy"}, {}},
    {"contact-members#3", RecordStatus::done, {"deputy"}, {}},
    {"contact-members#4", RecordStatus::cancelled, {}, {}},
    {"visit-zhang#0", RecordStatus::done, {"director", "zhang"}, {}},
    // innovation#0: no record
    {"district-plenary#0", RecordStatus::done, everyone_but({"director"}), {"director"}},
};

struct Year {
  Plan plan;
  Schedule schedule;
  std::vector<ResolvedRecord> records;
};

Year recorded_year() {
  const char *dir = std::getenv("XUN_DATA_DIR");
  REQUIRE(dir != nullptr);
  auto loaded = load_plan_file(std::filesystem::path(dir) / "plans" / "committee-2026.yaml", dir);
  for (const auto &e : loaded.errors)
    FAIL_CHECK(e.to_string());
  REQUIRE(loaded.plan.has_value());
  Year y{*loaded.plan, solve(*loaded.plan), {}};
  REQUIRE(y.schedule.feasible());
  for (const Written &w : year_of_records) {
    auto &occ = y.schedule.occurrences;
    const auto it = std::find_if(occ.begin(), occ.end(),
                                 [&](const Occurrence &o) { return o.id() == w.occurrence; });
    REQUIRE_MESSAGE(it != occ.end(), w.occurrence);
    ResolvedRecord r;
    r.record.occurrence = w.occurrence;
    r.record.status = w.status;
    r.record.present = w.lists_present ? std::optional(w.present) : std::nullopt;
    r.id = w.occurrence;
    r.uid = it->uid(y.plan);
    r.key = {it->activity, it->period, it->ordinal};
    r.start = it->start;
    r.end = it->end;
    r.present = w.present;
    r.leave = w.leave;
    std::sort(r.present.begin(), r.present.end());
    std::sort(r.leave.begin(), r.leave.end());
    r.expected = y.plan.find_activity(it->activity)->people;
    y.records.push_back(r);
    if (w.status == RecordStatus::cancelled) { // as the re-plan leaves them
      y.schedule.cancelled.push_back(*it);
      occ.erase(it);
    }
  }
  return y;
}

Centipoints earned(const Progress &p, const std::string &item) {
  for (const auto &i : p.items)
    if (i.item == item)
      return i.earned;
  FAIL("no item " << item);
  return 0;
}

} // namespace

TEST_CASE("the committee plan carries the seed's 百分考核 table, 90 points in all") {
  const Year y = recorded_year();
  REQUIRE(y.plan.assessment.size() == 9);
  Centipoints sum = 0;
  for (const auto &item : y.plan.assessment)
    sum += item.points;
  CHECK(sum == 9000); // 10+20+10+10+15+10+10+5 (the seed has no item 6; 考勤 only deducts)
}

TEST_CASE("the committee's recorded year scores as the seed's rules say, by hand count") {
  const Year y = recorded_year();
  const Progress p = progress(y.plan, y.schedule, y.records, calendar::make_date(2027, 1, 1));
  INFO(progress_text(y.plan, p));
  // study#0, study#1, two-sessions-study#0, training#0 count (study#2 is 6/8):
  // 4 × 3 = 12, capped at 10.
  CHECK(earned(p, "学习培训") == 1000);
  CHECK(earned(p, "组织调研") == 1000); // one report of two × 10
  CHECK(earned(p, "开展视察") == 500);  // inspection#1 is 5/8 < 80%
  CHECK(earned(p, "民主监督") == 1000); // 7/8 and 8/8
  CHECK(earned(p, "建言献策") == 1000); // 2 of 3: 15 × 2/3
  CHECK(earned(p, "爱心捐助") == 1000);
  CHECK(earned(p, "联系委员") == 1000); // contact-members#0..3 and visit-zhang#0: 5 of 5
  CHECK(earned(p, "创新工作") == 0);    // not recorded
  CHECK(earned(p, "建立考勤") == -100); // the director on leave from the plenary once
  CHECK(p.possible == 9000);
  CHECK(p.earned == 6400); // 10+10+5+10+10+10+10+0−1

  const auto study = std::find_if(p.activities.begin(), p.activities.end(),
                                  [](const auto &a) { return a.activity == "study"; });
  REQUIRE(study != p.activities.end());
  CHECK(study->planned == 4);
  CHECK(study->done == 3);
  CHECK(study->cancelled == 1);
  CHECK(study->attendance == 88); // (8 + 7 + 6) / 24 = 0.875 → 0.88
  CHECK(study->at_risk);          // 3 done + 0 upcoming < 4

  const auto report = std::find_if(p.activities.begin(), p.activities.end(),
                                   [](const auto &a) { return a.activity == "research-report"; });
  REQUIRE(report != p.activities.end());
  CHECK(report->not_recorded == 1);
  CHECK(progress_text(y.plan, p).find("合计 / Total: 64 / 90\n") != std::string::npos);
}
