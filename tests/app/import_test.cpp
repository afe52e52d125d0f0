#include "support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using xun::testing::Run;
using xun::testing::shell_quote;
using xun::testing::TempDir;

namespace {

std::string xun_binary() { return shell_quote(xun::testing::ctest_env("XUN_BINARY")); }

std::filesystem::path piece(int n) {
  return std::filesystem::path(xun::testing::ctest_env("XUN_SOURCE_DIR")) / "tests" / "data" /
         "import" / ("piece" + std::to_string(n) + ".txt");
}

std::string read(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

} // namespace

// docs/IMPORT.md lists the edits a draft of the seed needs before `xun check`
// accepts it: none. This test applies that list (empty) and runs check.
TEST_CASE("xun import on seed pieces 3, 4 and 5 writes drafts that xun check accepts") {
  const TempDir dir("import-test");
  for (const int n : {3, 4, 5}) {
    INFO("piece " << n);
    const auto draft = dir.path() / ("piece" + std::to_string(n) + ".yaml");
    const Run import =
        xun::testing::run_captured(xun_binary() + " import " + shell_quote(piece(n).string()) +
                                       " --year 2026 -o " + shell_quote(draft.string()),
                                   dir);
    CHECK(import.status == 0);
    CHECK(import.out.empty());
    CHECK(import.err.find("activities") != std::string::npos);
    const std::string yaml = read(draft);
    CHECK(yaml.find("year: 2026\n") != std::string::npos);
    CHECK(yaml.find("# 未识别: ") != std::string::npos);
    const Run check =
        xun::testing::run_captured(xun_binary() + " check " + shell_quote(draft.string()), dir);
    INFO(check.err);
    CHECK(check.status == 0);
  }
}

TEST_CASE("xun import writes to stdout without -o, and counts on stderr") {
  const TempDir dir("import-test");
  const auto text =
      dir.write("plan.txt", "第一季度\n1、2月下旬，组织召开一次党员大会\n说明文字。\n");
  const Run run = xun::testing::run_captured(
      xun_binary() + " import " + shell_quote(text.string()) + " --year 2026 --title 支部计划",
      dir);
  CHECK(run.status == 0);
  CHECK(run.out.find("plan: \"支部计划\"\n") != std::string::npos);
  CHECK(run.out.find("    when: \"2月下旬\"\n") != std::string::npos);
  CHECK(run.err ==
        text.string() + ": 识别 1 项活动，1 行未识别 / 1 activities, 1 lines not read\n");
}

TEST_CASE("xun import refuses a GBK file with where and what to do") {
  const TempDir dir("import-test");
  const auto text = dir.write("gbk.txt", "2\xD4\xC2\xCF\xC2\xD1\xAE\n");
  const Run run = xun::testing::run_captured(
      xun_binary() + " import " + shell_quote(text.string()) + " --year 2026", dir);
  CHECK(run.status == 2);
  CHECK(run.out.empty());
  CHECK(run.err.starts_with(text.string() + ":1:2: "));
  CHECK(run.err.find("save the file as UTF-8") != std::string::npos);
}
