// ctest-labels: checkers
// `xun solve` end to end: the built binary on plans written to a scratch
// directory, its exit status, stdout, stderr and output files.
#include "support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

using xun::testing::ctest_env;
using xun::testing::read_file;
using xun::testing::Run;
using xun::testing::shell;
using xun::testing::shell_quote;
using xun::testing::TempDir;

namespace {

namespace fs = std::filesystem;

// Runs `xun solve ARGS` with `env` (e.g. "SOURCE_DATE_EPOCH=0") before it.
Run xun_solve(const TempDir &dir, const std::string &args, const std::string &env = "") {
  const std::string command = (env.empty() ? "" : "env " + env + " ") +
                              shell_quote(ctest_env("XUN_BINARY")) + " solve " + args;
  return xun::testing::run_captured(command, dir);
}

const char *const good_plan = R"(plan: 测试支部 2026 年工作计划
id: test-branch-2026
year: 2026
timezone: Asia/Shanghai
calendar:
  holidays: none
people:
  - {id: zhang, name: 张青}
  - {id: li, name: 李明}
groups:
  committee: [zhang, li]
rooms:
  - {id: hall, name: 党员活动室}
defaults:
  duration: 2h
  reminders: [1d]
activities:
  - id: congress
    title: 党员大会：选举支部委员
    kind: meeting
    when: 2月下旬
    attendees: [committee]
    room: hall
    reminders: [7d, 1d]
  - id: dues
    title: 收取党费
    kind: dues
    busy: false
    repeat: [5月, 11月]
    duration: 1d
    reminders: [7d, 1d]
)";

// Five whole days in three: valid, but impossible.
const char *const infeasible_plan = R"(plan: 不可能的计划
id: impossible
year: 2026
calendar:
  holidays: none
people:
  - {id: zhang, name: 张青}
activities:
  - id: training
    title: 培训
    when: 2026-03-02..2026-03-04
    duration: 1d
    count: 5
    attendees: [zhang]
)";

const std::vector<std::string> occurrence_keys = {
    "id",    "activity", "index",  "title",     "kind", "uid",       "busy",  "all_day",
    "start", "end",      "window", "attendees", "room", "reminders", "alarms"};

std::vector<std::string> keys(const nlohmann::ordered_json &j) {
  std::vector<std::string> out;
  for (const auto &item : j.items())
    out.push_back(item.key());
  return out;
}

} // namespace

TEST_CASE("solving a valid plan prints the §5 JSON and exits 0") {
  const TempDir dir("solve-test");
  const auto plan = dir.write("plan.yaml", good_plan);
  const Run run = xun_solve(dir, shell_quote(plan.string()) + " --format json");
  INFO("stderr: " << run.err);
  REQUIRE(run.status == 0);
  const auto j = nlohmann::ordered_json::parse(run.out);
  CHECK(keys(j) ==
        std::vector<std::string>{"plan", "title", "year", "timezone", "occurrences", "warnings"});
  CHECK(j["plan"] == "test-branch-2026");
  CHECK(j["year"] == 2026);
  REQUIRE(j["occurrences"].size() == 3);
  for (const auto &occ : j["occurrences"])
    CHECK(keys(occ) == occurrence_keys);
  const auto &c = j["occurrences"][0];
  CHECK(c["id"] == "congress#0");
  CHECK(c["uid"] == "congress-0@test-branch-2026.xun");
  CHECK(std::regex_match(c["start"].get<std::string>(),
                         std::regex(R"(2026-02-2\dT\d\d:\d\d:00\+08:00)")));
  CHECK(c["attendees"] == nlohmann::ordered_json::array({"li", "zhang"}));
  CHECK(c["room"] == "hall");
  CHECK(c["reminders"] == nlohmann::ordered_json::array({"P7D", "P1D"}));
  REQUIRE(c["alarms"].size() == 2);
  // Day reminders of a timed occurrence keep its time of day.
  const std::string clock = c["start"].get<std::string>().substr(10);
  for (const auto &fires : c["alarms"])
    CHECK(fires.get<std::string>().substr(10) == clock);
  const auto &d = j["occurrences"][1];
  CHECK(d["id"] == "dues#0");
  CHECK(d["all_day"] == true);
  CHECK(d["busy"] == false);
  CHECK(std::regex_match(d["start"].get<std::string>(), std::regex(R"(2026-05-\d\d)")));
  CHECK(d["room"].is_null());
  CHECK(j["occurrences"][2]["id"] == "dues#1");
  CHECK(run.out.back() == '\n');
}

TEST_CASE("the default format is the text agenda with month headings") {
  const TempDir dir("solve-test");
  const auto plan = dir.write("plan.yaml", good_plan);
  const Run run = xun_solve(dir, shell_quote(plan.string()));
  INFO("stderr: " << run.err);
  REQUIRE(run.status == 0);
  CHECK(run.out.rfind("测试支部 2026 年工作计划\n", 0) == 0);
  CHECK(run.out.find("\n2026年2月 / February 2026\n") != std::string::npos);
  CHECK(run.out.find("#0") == std::string::npos);
  CHECK(run.out.find("全天  收取党费  (1/2)") != std::string::npos);
  const Run md = xun_solve(dir, shell_quote(plan.string()) + " --format md");
  REQUIRE(md.status == 0);
  CHECK(md.out.rfind("# 测试支部 2026 年工作计划\n", 0) == 0);
  CHECK(md.out.find("\n## 2026年11月 / November 2026\n") != std::string::npos);
}

TEST_CASE("an infeasible plan exits 1 with the explanation on stderr and the error in JSON") {
  const TempDir dir("solve-test");
  const auto plan = dir.write("impossible.yaml", infeasible_plan);
  const Run text = xun_solve(dir, shell_quote(plan.string()));
  CHECK(text.status == 1);
  CHECK(text.out.empty());
  CHECK(text.err.find("cannot be scheduled") != std::string::npos);
  CHECK(text.err.find("training") != std::string::npos);

  const Run json = xun_solve(dir, shell_quote(plan.string()) + " --format json");
  CHECK(json.status == 1);
  const auto j = nlohmann::ordered_json::parse(json.out);
  CHECK(keys(j) ==
        std::vector<std::string>{"plan", "title", "year", "timezone", "error", "warnings"});
  CHECK(keys(j["error"]) == std::vector<std::string>{"message", "activities"});
  CHECK_FALSE(j["error"]["message"].get<std::string>().empty());
  CHECK(j["error"]["activities"] == nlohmann::ordered_json::array({"training"}));
}

TEST_CASE("an invalid plan exits 2 with every problem as FILE:LINE:COL: message") {
  const TempDir dir("solve-test");
  const auto plan = dir.write("bad.yaml", "plan: 错误\nyear: 2026\ntitel: x\n"
                                          "activities:\n  - id: a\n    title: A\n"
                                          "    when: 2月30日\n");
  const Run run = xun_solve(dir, shell_quote(plan.string()) + " --format json");
  CHECK(run.status == 2);
  CHECK(run.out.empty());
  const std::regex located(R"((^|\n)[^\n]*bad\.yaml:3:1: [^\n]+)");
  CHECK(std::regex_search(run.err, located));
  const std::regex second(R"((^|\n)[^\n]*bad\.yaml:7:\d+: [^\n]+)");
  CHECK(std::regex_search(run.err, second));
}

TEST_CASE("a missing plan file exits 2 with a message") {
  const TempDir dir("solve-test");
  const Run run = xun_solve(dir, shell_quote((dir.path() / "absent.yaml").string()));
  CHECK(run.status == 2);
  CHECK(run.err.find("absent.yaml") != std::string::npos);
}

TEST_CASE("wrong arguments exit 2 with the usage") {
  const TempDir dir("solve-test");
  const auto plan = dir.write("plan.yaml", good_plan);
  const Run none = xun_solve(dir, "");
  CHECK(none.status == 2);
  CHECK(none.err.find("usage: xun solve") != std::string::npos);
  const Run format = xun_solve(dir, shell_quote(plan.string()) + " --format pdf");
  CHECK(format.status == 2);
  CHECK(format.err.find("pdf") != std::string::npos);
  CHECK(format.err.find("usage: xun solve") != std::string::npos);
  const Run option = xun_solve(dir, shell_quote(plan.string()) + " --frobnicate");
  CHECK(option.status == 2);
  const Run dangling = xun_solve(dir, shell_quote(plan.string()) + " -o");
  CHECK(dangling.status == 2);
}

TEST_CASE("-o writes the iCalendar file and leaves no temporary file behind") {
  const TempDir dir("solve-test");
  const auto plan = dir.write("plan.yaml", good_plan);
  fs::create_directories(dir.path() / "out");
  const auto ics = dir.path() / "out" / "plan.ics";
  const Run run =
      xun_solve(dir, shell_quote(plan.string()) + " --format ics -o " + shell_quote(ics.string()),
                "SOURCE_DATE_EPOCH=1767225600");
  INFO("stderr: " << run.err);
  REQUIRE(run.status == 0);
  CHECK(run.out.empty());
  const std::string text = read_file(ics);
  CHECK(text.rfind("BEGIN:VCALENDAR\r\n", 0) == 0);
  CHECK(text.find("UID:congress-0@test-branch-2026.xun\r\n") != std::string::npos);
  CHECK(text.find("UID:dues-1@test-branch-2026.xun\r\n") != std::string::npos);
  CHECK(text.find("DTSTAMP:20260101T000000Z\r\n") != std::string::npos);
  CHECK(text.find("BEGIN:VALARM") != std::string::npos);
  CHECK(text.find("CATEGORIES:meeting") != std::string::npos);
  CHECK(text.find("BEGIN:VTIMEZONE") != std::string::npos);
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(dir.path() / "out"))
    names.push_back(entry.path().filename().string());
  CHECK(names == std::vector<std::string>{"plan.ics"});

  // A real parser accepts it.
  const fs::path source = ctest_env("XUN_SOURCE_DIR");
  if (shell("/usr/bin/python3 -c 'import icalendar' 2>/dev/null") != 0)
    FAIL("/usr/bin/python3 lacks icalendar: run scripts/setup.sh --test");
  CHECK(shell("/usr/bin/python3 " +
              shell_quote((source / "tests/tools/check_ics_icalendar.py").string()) + " " +
              shell_quote(ics.string()) + " --events 3") == 0);
}

TEST_CASE("-o replaces an existing file and writes JSON the same as stdout") {
  const TempDir dir("solve-test");
  const auto plan = dir.write("plan.yaml", good_plan);
  const auto out = dir.write("plan.json", "old contents");
  const Run to_file =
      xun_solve(dir, shell_quote(plan.string()) + " --format json -o " + shell_quote(out.string()));
  REQUIRE(to_file.status == 0);
  const Run to_stdout = xun_solve(dir, shell_quote(plan.string()) + " --format json");
  CHECK(read_file(out) == to_stdout.out);
}

TEST_CASE("two runs give the same bytes in every format when SOURCE_DATE_EPOCH is fixed") {
  const TempDir dir("solve-test");
  const auto plan = dir.write("plan.yaml", good_plan);
  for (const std::string format : {"text", "md", "json", "ics"}) {
    INFO("format " << format);
    const Run a = xun_solve(dir, shell_quote(plan.string()) + " --format " + format,
                            "SOURCE_DATE_EPOCH=1700000000");
    const Run b = xun_solve(dir, shell_quote(plan.string()) + " --format " + format,
                            "SOURCE_DATE_EPOCH=1700000000");
    REQUIRE(a.status == 0);
    CHECK_FALSE(a.out.empty());
    CHECK(a.out == b.out);
  }
}

TEST_CASE("a malformed SOURCE_DATE_EPOCH is refused, not ignored") {
  const TempDir dir("solve-test");
  const auto plan = dir.write("plan.yaml", good_plan);
  const Run run =
      xun_solve(dir, shell_quote(plan.string()) + " --format ics", "SOURCE_DATE_EPOCH=yesterday");
  CHECK(run.status == 2);
  CHECK(run.err.find("SOURCE_DATE_EPOCH") != std::string::npos);
}

TEST_CASE("warnings go to stderr one per line and into the JSON") {
  const TempDir dir("solve-test");
  // No official holiday data for 2099: Xun must say so (PLAN.md §1).
  std::string text = good_plan;
  text.replace(text.find("year: 2026"), 10, "year: 2099");
  text.replace(text.find("  holidays: none"), 16, "  holidays: cn");
  const auto plan = dir.write("future.yaml", text);
  const Run run = xun_solve(dir, shell_quote(plan.string()) + " --format json");
  INFO("stderr: " << run.err);
  REQUIRE(run.status == 0);
  CHECK(std::regex_search(run.err, std::regex(R"((^|\n)warning: [^\n]*2099[^\n]*\n)")));
  const auto j = nlohmann::ordered_json::parse(run.out);
  REQUIRE_FALSE(j["warnings"].empty());
}

TEST_CASE("every seed plan in data/plans solves with exit 0") {
  const fs::path data = ctest_env("XUN_DATA_DIR");
  const TempDir dir("solve-test");
  std::vector<fs::path> plans;
  if (fs::is_directory(data / "plans"))
    for (const auto &entry : fs::directory_iterator(data / "plans"))
      if (entry.path().extension() == ".yaml")
        plans.push_back(entry.path());
  std::sort(plans.begin(), plans.end());
  CHECK_FALSE(plans.empty());
  for (const auto &plan : plans) {
    const Run run = xun_solve(dir, shell_quote(plan.string()) + " --format json");
    INFO(plan.filename().string() << " stderr: " << run.err);
    CHECK(run.status == 0);
    if (run.status == 0)
      CHECK(nlohmann::ordered_json::accept(run.out));
  }
}

TEST_CASE("--time-limit takes positive seconds and refuses anything else with exit 2") {
  const TempDir dir("solve-test");
  for (const char *bad : {"0", "-1", "abc", "1e9"}) {
    const Run r = xun_solve(dir, std::string("--time-limit ") + bad + " plan.yaml");
    CHECK_MESSAGE(r.status == 2, bad);
    CHECK(r.err.find("--time-limit") != std::string::npos);
  }
}

TEST_CASE("a search stopped by the time limit exits 3 and says there is no proof") {
  const TempDir dir("solve-test");
  const std::string gen = ctest_env("XUN_BUILD_DIR") + "/bench/xun_gen_plan";
  const std::string plan = (dir.path() / "plan.yaml").string();
  REQUIRE(shell(shell_quote(gen) + " --shape tight --occurrences 2000 --seed 4 -o " +
                shell_quote(plan) + " --data-dir " + shell_quote(ctest_env("XUN_DATA_DIR"))) == 0);
  // 2,000 placements cannot happen in a millisecond; the plan is feasible, so
  // nothing may claim a clash.
  const Run r = xun_solve(dir, "--time-limit 0.001 --format json " + shell_quote(plan));
  CHECK(r.status == 3);
  CHECK(r.err.find("no proof") != std::string::npos);
  CHECK(r.err.find("cannot be scheduled") == std::string::npos);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["error"]["activities"].empty());
  CHECK(r.err.size() < 1000);
}
