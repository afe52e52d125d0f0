// `xun next-year` end to end: the built binary on the seed plans and on plans
// written here, its exit status, stderr, the file it writes, and what
// `xun check` then makes of that file.
#include "support/bilingual.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using xun::testing::ctest_env;
using xun::testing::read_file;
using xun::testing::Run;
using xun::testing::shell_quote;
using xun::testing::TempDir;

namespace {

namespace fs = std::filesystem;

Run run_xun(const TempDir &dir, const std::string &args) {
  return xun::testing::run_captured(shell_quote(ctest_env("XUN_BINARY")) + " " + args, dir);
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

// The line numbers of the FILE:LINE:COL: messages about `file` that are not warnings.
std::set<int> problem_lines(const std::string &err, const std::string &file) {
  std::set<int> out;
  const std::regex located(
      "^" + std::regex_replace(file, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
      R"(:(\d+):(\d+): (.*)$)");
  for (const auto &line : lines_of(err)) {
    std::smatch m;
    if (std::regex_match(line, m, located) && !m[3].str().starts_with("warning: "))
      out.insert(std::stoi(m[1].str()));
  }
  return out;
}

// Every stderr line is located in `file`, or is a warning about it.
void check_every_line_located(const std::string &err, const std::string &file) {
  for (const auto &line : lines_of(err)) {
    INFO(line);
    CHECK(line.starts_with(file + ":"));
    const bool located = std::regex_search(line, std::regex(R"(^[^ ]*:\d+:\d+: )"));
    CHECK((located || line.starts_with(file + ": warning: ")));
  }
}

} // namespace

TEST_CASE("xun next-year on each seed plan gives a plan xun check accepts or whose problems name "
          "their lines") {
  const TempDir dir("next-year-test");
  const fs::path plans = fs::path(ctest_env("XUN_DATA_DIR")) / "plans";
  int seen = 0;
  for (const auto &entry : fs::directory_iterator(plans)) {
    if (entry.path().extension() != ".yaml")
      continue;
    ++seen;
    const std::string source = entry.path().string();
    const std::string target = (dir.path() / entry.path().filename()).string();
    INFO(source);
    const Run next =
        run_xun(dir, "next-year " + shell_quote(source) + " -o " + shell_quote(target));
    INFO(next.err);
    REQUIRE((next.status == 0 || next.status == 1));
    check_every_line_located(next.err, target);
    const std::set<int> flagged = problem_lines(next.err, target);
    CHECK((next.status == 1) == !flagged.empty());

    // Same lines, comments and layout; only the years changed.
    const auto before = lines_of(read_file(source));
    const auto after = lines_of(read_file(target));
    REQUIRE(before.size() == after.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (before[i].find('#') == 0 || before[i].find(" #") != std::string::npos) {
        const auto comment = before[i].substr(before[i].find('#'));
        CHECK(after[i].ends_with(comment));
      }
      if (before[i] == "year: 2026")
        CHECK(after[i] == "year: 2027");
      else if (before[i].starts_with("plan: ") || before[i].starts_with("id: "))
        CHECK(after[i] == std::regex_replace(before[i], std::regex("2026"), "2027"));
      else
        CHECK(after[i] == before[i]);
    }

    const Run check = run_xun(dir, "check " + shell_quote(target));
    INFO(check.err);
    if (check.status != 0) {
      CHECK(check.status == 2);
      const std::set<int> refused = problem_lines(check.err, target);
      CHECK_FALSE(refused.empty());
      for (const int line : refused) {
        INFO("xun check refuses line " << line);
        CHECK(flagged.contains(line));
      }
    }
  }
  CHECK(seen == 3);
}

TEST_CASE("xun next-year names the committee's plenary date as the one thing to fix") {
  const TempDir dir("next-year-test");
  const std::string source = ctest_env("XUN_DATA_DIR") + "/plans/committee-2026.yaml";
  const std::string target = (dir.path() / "committee-2027.yaml").string();
  const Run next = run_xun(dir, "next-year " + shell_quote(source) + " -o " + shell_quote(target));
  CHECK(next.status == 1);
  std::string err_en;
  for (const auto &line : lines_of(next.err))
    err_en += xun::testing::english(line) + "\n";
  CHECK(err_en.find(target +
                    ":51:11: when '2026-03-24' in activity 'district-plenary' names dates of "
                    "2026, so in 2027 it is empty: write the 2027 dates (2027-03-24 is a 周三, "
                    "a working day), or a window without a year (3月24日)\n") != std::string::npos);
  CHECK(problem_lines(next.err, target) == std::set<int>{51});
  const std::string written = read_file(target);
  CHECK(written.find("id: cppcc-committee-2027\n") != std::string::npos);
  CHECK(written.find("plan: 镇政协工委 2027 年工作安排\n") != std::string::npos);
  CHECK(written.find("    when: 2026-03-24\n") != std::string::npos); // flagged, not shifted
}

TEST_CASE("xun next-year flags every date of the old year and each fixed day that changed") {
  const TempDir dir("next-year-test");
  const auto plan = dir.write("branch-2026.yaml", R"(# 测试：跨年 — a comment that must survive
plan: 测试支部 2026 年工作计划   # trailing comment
id: test-2026
year: 2026
calendar:
  closed: [2026-03-16, 2026-08-03..2026-08-07, 2027-01-04]
  open: [2026-09-19]
people: [{id: zhang, name: 张青}]
activities:
  - id: plenary
    title: 区政协全会
    when: 5月8日
    at: "09:00"
    attendees: [zhang]
  - id: lecture
    title: "讲座 2026"
    when: 2026-02-21..2026-02-28
  - id: weekly
    title: 周例会
    rrule: FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T000000Z
    at: "08:30"
  - id: dues
    title: 收党费
    repeat: [5月, 2026-11]
    all_day: true
)");
  const std::string target = (dir.path() / "branch-2027.yaml").string();
  const Run next =
      run_xun(dir, "next-year " + shell_quote(plan.string()) + " -o " + shell_quote(target));
  INFO(next.err);
  CHECK(next.status == 1);
  std::vector<std::string> err;
  for (const auto &line : lines_of(next.err))
    err.push_back(xun::testing::english(line));
  const std::string t = target + ":";
  const std::vector<std::string> expected = {
      t + "6:12: calendar.closed '2026-03-16' names days of 2026, which close nothing in 2027: "
          "write the 2027 days, or remove it",
      t + "6:24: calendar.closed '2026-08-03..2026-08-07' names days of 2026, which close "
          "nothing in 2027: write the 2027 days, or remove it",
      t + "7:10: calendar.open '2026-09-19' names days of 2026, which open nothing in 2027: "
          "write the 2027 days, or remove it",
      t + "12:11: activity 'plenary' is fixed on 5月8日 at 09:00, which in 2027 is a 周六, a "
          "weekend day: confirm the event's 2027 date and write it in when",
      t + "17:11: when '2026-02-21..2026-02-28' in activity 'lecture' names dates of 2026, so in "
          "2027 it is empty: write the 2027 dates, or a window without a year (2月下旬, 5月4日)",
      t + "20:39: rrule UNTIL in activity 'weekly' is in 2026, so the rule gives no dates in "
          "2027: move UNTIL into 2027 or drop it",
      t + "24:18: repeat window '2026-11' in activity 'dues' names dates of 2026, so in 2027 it "
          "is empty: write the 2027 dates, or a window without a year (2月下旬, 5月4日)",
      t + " warning: holidays cn: no official data for 2027; weekdays only are used for 2027 — "
          "check the State Council notice; until it is imported (xun holidays import), the likely "
          "festival blocks (春节, 国庆 …) are avoided",
      t + "16:16: warning: title of activity 'lecture' mentions 2026: check whether the 2027 "
          "plan should say 2027",
  };
  for (const auto &line : expected)
    CHECK(std::find(err.begin(), err.end(), line) != err.end());
  CHECK(err.size() == expected.size());
  const std::string written = read_file(target);
  CHECK(written.starts_with("# 测试：跨年 — a comment that must survive\n"
                            "plan: 测试支部 2027 年工作计划   # trailing comment\n"
                            "id: test-2027\n"
                            "year: 2027\n"
                            "calendar:\n"
                            "  closed: [2026-03-16, 2026-08-03..2026-08-07, 2027-01-04]\n"));
  const Run check = run_xun(dir, "check " + shell_quote(target));
  CHECK(check.status == 2);
  for (const int line : problem_lines(check.err, target))
    CHECK((line == 17 || line == 24));
}

TEST_CASE("xun next-year reports February 29 in a year that has none, at its line") {
  const TempDir dir("next-year-test");
  const auto plan = dir.write("leap.json", "\xEF\xBB\xBF"
                                           R"({"plan": "闰年计划 2028", "year": 2028,
 "calendar": {"holidays": "none"},
 "activities": [{"id": "leap", "title": "闰日活动", "when": "2月29日"}]}
)");
  const Run next = run_xun(dir, "next-year " + shell_quote(plan.string()));
  INFO(next.err);
  CHECK(next.status == 1);
  CHECK(next.out.starts_with("\xEF\xBB\xBF{\"plan\": \"闰年计划 2029\", \"year\": 2029,"));
  CHECK(problem_lines(next.err, plan.string()) == std::set<int>{3});
  CHECK(next.err.find("2月29日") != std::string::npos);
}

TEST_CASE("xun next-year refuses an invalid plan and an output that is the plan itself") {
  const TempDir dir("next-year-test");
  const auto bad = dir.write("bad.yaml", "plan: x\nyear: 2026\nactivities:\n  - {id: a}\n");
  const Run invalid = run_xun(dir, "next-year " + shell_quote(bad.string()) + " -o " +
                                       shell_quote((dir.path() / "out.yaml").string()));
  CHECK(invalid.status == 2);
  CHECK(invalid.err ==
        bad.string() +
            ":4:5: 缺少键 'title'（活动 'a'）：活动的名称 / missing key 'title' in activity 'a'\n");
  CHECK_FALSE(fs::exists(dir.path() / "out.yaml"));

  const auto good = dir.write("good.yaml", "plan: x\nyear: 2026\nactivities: []\n");
  const Run same =
      run_xun(dir, "next-year " + shell_quote(good.string()) + " -o " + shell_quote(good.string()));
  CHECK(same.status == 2);
  CHECK(same.err.find("is the plan itself") != std::string::npos);
  CHECK(read_file(good) == "plan: x\nyear: 2026\nactivities: []\n");

  const Run plain = run_xun(dir, "next-year " + shell_quote(good.string()));
  CHECK(plain.status == 0);
  CHECK(plain.out == "plan: x\nyear: 2027\nactivities: []\n");
}
