// xun holidays import, run as a process on the notice texts of tests/data/notices.
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using xun::testing::read_file;
using xun::testing::Run;
using xun::testing::shell_quote;
using xun::testing::TempDir;

namespace {

std::filesystem::path notice_path(int year) {
  return std::filesystem::path(xun::testing::ctest_env("XUN_SOURCE_DIR")) / "tests/data/notices" /
         (std::to_string(year) + ".txt");
}

std::filesystem::path bundled(int year) {
  return std::filesystem::path(xun::testing::ctest_env("XUN_DATA_DIR")) / "holidays/cn" /
         (std::to_string(year) + ".json");
}

// A data directory holding a copy of the bundled cn files.
std::filesystem::path scratch_data(const TempDir &dir) {
  const auto cn = dir.path() / "data/holidays/cn";
  std::filesystem::create_directories(cn);
  for (int year : {2025, 2026, 2027})
    std::filesystem::copy_file(bundled(year), cn / (std::to_string(year) + ".json"));
  return dir.path() / "data";
}

Run run_xun(const TempDir &dir, const std::string &arguments) {
  return xun::testing::run_captured(
      shell_quote(xun::testing::ctest_env("XUN_BINARY")) + " " + arguments, dir);
}

// The notice of `year` with `from` replaced by `to`, written into `dir`.
std::filesystem::path changed_notice(const TempDir &dir, int year, const std::string &from,
                                     const std::string &to) {
  std::string text = read_file(notice_path(year));
  text.replace(text.find(from), from.size(), to);
  return dir.write("changed.txt", text);
}

} // namespace

TEST_CASE("xun holidays import writes the 2026 notice as exactly the bundled 2026.json") {
  const TempDir dir("holidays-import");
  const auto data = scratch_data(dir);
  const auto run = run_xun(dir, "holidays import " + shell_quote(notice_path(2026).string()) +
                                    " --data-dir " + shell_quote(data.string()));
  INFO(run.err);
  CHECK(run.status == 0); // the same data as the official file: allowed
  CHECK(read_file(data / "holidays/cn/2026.json") == read_file(bundled(2026)));
  CHECK(run.err.find("2026年 放假 33 天，调休上班 6 天") != std::string::npos);
  const auto out =
      run_xun(dir, "holidays import " + shell_quote(notice_path(2026).string()) + " -o -");
  CHECK(out.status == 0);
  CHECK(out.out == read_file(bundled(2026)));
}

TEST_CASE("an imported 2027 notice fills the empty 2027 file, and plans stop warning") {
  const TempDir dir("holidays-import");
  const auto data = scratch_data(dir);
  const auto plan = dir.write("p.yaml", "plan: 明年\nyear: 2027\ncalendar: {holidays: cn}\n"
                                        "activities:\n  - {id: m, title: 会议, when: 10月}\n");
  const std::string check =
      "check " + shell_quote(plan.string()) + " --data-dir " + shell_quote(data.string());
  const auto before = run_xun(dir, check);
  CHECK(before.status == 0);
  CHECK(before.err.find("no official data for 2027") != std::string::npos);
  const auto run = run_xun(dir, "holidays import " + shell_quote(notice_path(2027).string()) +
                                    " --paper https://example.invalid/2027 --data-dir " +
                                    shell_quote(data.string()));
  INFO(run.err);
  CHECK(run.status == 0);
  const std::string written = read_file(data / "holidays/cn/2027.json");
  CHECK(written.find("\"date\": \"2027-10-07\"") != std::string::npos);
  CHECK(written.find("https://example.invalid/2027") != std::string::npos);
  const auto after = run_xun(dir, check);
  CHECK(after.status == 0);
  CHECK(after.err.find("no official data") == std::string::npos);
}

TEST_CASE("different data for a year with an official file is refused unless --force") {
  const TempDir dir("holidays-import");
  const auto data = scratch_data(dir);
  const auto notice = changed_notice(dir, 2026, "5月9日（周六）上班", "5月10日（周日）上班");
  const std::string import = "holidays import " + shell_quote(notice.string()) + " --data-dir " +
                             shell_quote(data.string());
  const auto refused = run_xun(dir, import);
  CHECK(refused.status == 1);
  CHECK(refused.err.find("first on 2026-05-09: pass --force") != std::string::npos);
  CHECK(read_file(data / "holidays/cn/2026.json") == read_file(bundled(2026)));
  const auto forced = run_xun(dir, import + " --force");
  CHECK(forced.status == 0);
  CHECK(read_file(data / "holidays/cn/2026.json").find("2026-05-10") != std::string::npos);
}

TEST_CASE("a bad notice exits 2 with each problem as NOTICE:LINE:COL and writes nothing") {
  const TempDir dir("holidays-import");
  const auto data = scratch_data(dir);
  const auto notice = changed_notice(dir, 2027, "共7天", "共8天");
  const auto run = run_xun(dir, "holidays import " + shell_quote(notice.string()) + " --data-dir " +
                                    shell_quote(data.string()));
  CHECK(run.status == 2);
  CHECK(run.err == notice.string() + ":11:30: 写的是8天，但10月1日至10月7日是7天：天数应为7\n");
  CHECK(read_file(data / "holidays/cn/2027.json") == read_file(bundled(2027)));
  CHECK(run_xun(dir, "holidays import").status == 2);
  CHECK(run_xun(dir, "holidays import x.txt --year 27").status == 2);
  CHECK(run_xun(dir, "holidays export").status == 2);
}
