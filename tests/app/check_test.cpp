#include "support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using xun::testing::Run;
using xun::testing::TempDir;

namespace {

Run xun_check(const TempDir &dir, const std::string &plan) {
  using xun::testing::shell_quote;
  return xun::testing::run_captured(
      shell_quote(xun::testing::ctest_env("XUN_BINARY")) + " check " + shell_quote(plan), dir);
}

} // namespace

TEST_CASE("xun check accepts a valid plan with a one-line summary") {
  const TempDir dir("check-test");
  const auto plan = dir.write("good.yaml", R"(plan: 支部计划
year: 2026
people: [{id: zhang, name: 张青}]
activities:
  - {id: congress, title: 党员大会, when: 2月下旬, attendees: [zhang]}
  - {id: meeting, title: 支委会, when: 3月, after: congress}
)");
  const auto run = xun_check(dir, plan.string());
  CHECK(run.status == 0);
  CHECK(run.out == plan.string() + ": ok — 2 activities\n");
  CHECK(run.err.empty());
}

TEST_CASE("xun check exits 2 and prints every problem as FILE:LINE:COL") {
  const TempDir dir("check-test");
  const auto plan = dir.write("bad.yaml", R"(plan: 支部计划
year: 2026
activities:
  - id: congress
    title: 党员大会
    atendees: [zhang]
  - id: meeting
    title: 支委会
    busy: yes
)");
  const auto run = xun_check(dir, plan.string());
  CHECK(run.status == 2);
  CHECK(run.out.empty());
  CHECK(run.err == plan.string() +
                       ":6:5: 未知的键 'atendees'（活动 'congress'）；是不是 'attendees'？ / "
                       "unknown key 'atendees' in activity 'congress'; did "
                       "you mean 'attendees'?\n" +
                       plan.string() +
                       ":9:11: busy（活动 'meeting'） 应为 true 或 false，实为 'yes' / busy in "
                       "activity 'meeting' must be true or false, found 'yes'\n");
}

TEST_CASE("xun check on a missing file exits 2 with a clear message") {
  const TempDir dir("check-test");
  const auto missing = (dir.path() / "nope.yaml").string();
  const auto run = xun_check(dir, missing);
  CHECK(run.status == 2);
  CHECK(run.err == missing + ": 计划文件不存在 / no such plan file\n");
}

TEST_CASE("xun check accepts the seed plans") {
  const TempDir dir("check-test");
  const auto plan = std::filesystem::path(xun::testing::ctest_env("XUN_SOURCE_DIR")) / "data" /
                    "plans" / "party-branch-2026.yaml";
  const auto run = xun_check(dir, plan.string());
  CHECK(run.status == 0);
  CHECK(run.out.starts_with(plan.string() + ": ok — "));
}

TEST_CASE("xun check reads a JSON plan and prints plan warnings on stderr") {
  const TempDir dir("check-test");
  const auto plan =
      dir.write("plan.json", "{\"plan\": \"计划\", \"year\": 2030, \"activities\": "
                             "[{\"id\": \"a\", \"title\": \"一\", \"when\": \"5月\"}]}\n");
  const auto run = xun_check(dir, plan.string());
  CHECK(run.status == 0);
  CHECK(run.out == plan.string() + ": ok — 1 activity\n");
  CHECK(run.err.starts_with(plan.string() + ": warning: "));
  CHECK(run.err.find("2030") != std::string::npos);
}

TEST_CASE("xun check accepts a zero max_gap and locates the warning for a gap in minutes") {
  const TempDir dir("check-test");
  const auto plan = dir.write("plan.yaml", "plan: 计划\nyear: 2026\nactivities:\n"
                                           "  - {id: a, title: 一}\n"
                                           "  - {id: b, title: 二, after: {id: a, max_gap: 0d}}\n"
                                           "  - {id: c, title: 三, after: {id: a, min_gap: 2m}}\n");
  const auto run = xun_check(dir, plan.string());
  CHECK(run.status == 0);
  CHECK(run.err == plan.string() +
                       ":6:47: warning: 活动 'c' 的 after 的 min_gap '2m' 表示 2 分钟（m 是分钟）；"
                       "如果指的是 2 个月，请写 60d 或 9w / min_gap '2m' in after in activity 'c' "
                       "means 2 minutes (m is minutes); if you meant 2 months, write 60d or 9w\n");
}
