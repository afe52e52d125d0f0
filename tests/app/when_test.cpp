// Runs the built `xun when` and reads what it prints.
#include "support/process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

using xun::testing::Run;

namespace {

Run xun_when(const std::vector<std::string> &args) {
  using xun::testing::shell_quote;
  std::string command = shell_quote(xun::testing::ctest_env("XUN_BINARY")) + " when";
  for (const auto &arg : args)
    command += " " + shell_quote(arg);
  const xun::testing::TempDir scratch("when-test");
  return xun::testing::run_captured(command, scratch);
}

nlohmann::json json_of(const Run &run) {
  INFO("stderr: " << run.err);
  REQUIRE(run.status == 0);
  return nlohmann::json::parse(run.out);
}

bool has(const nlohmann::json &list, const std::string &value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

} // namespace

TEST_CASE("2月底 in 2026 is Feb 21 to 28, preferring late days, with the "
          "make-up Saturday") {
  const auto doc = json_of(xun_when({"2月底", "--year", "2026", "--format", "json"}));
  CHECK(doc["expr"] == "2月底");
  CHECK(doc["year"] == 2026);
  CHECK(doc["from"] == "2026-02-21");
  CHECK(doc["to"] == "2026-02-28");
  CHECK(doc["dates"].size() == 8);
  CHECK(doc["prefer"] == "late");
  CHECK(doc["working_days"] ==
        nlohmann::json({"2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27", "2026-02-28"}));
  CHECK(doc["warnings"].empty());
}

TEST_CASE("February 2026 works on the make-up Saturdays and not in the "
          "festival week") {
  const auto doc = json_of(xun_when({"2月", "--year", "2026", "--format", "json"}));
  const auto &working = doc["working_days"];
  CHECK(has(working, "2026-02-14"));
  CHECK(has(working, "2026-02-28"));
  for (int day = 16; day <= 20; ++day)
    CHECK_FALSE(has(working, "2026-02-" + std::to_string(day)));
  CHECK(doc["dates"].size() == 28);
  CHECK(doc["prefer"] == "none");
}

TEST_CASE("with --holidays none the festival week is made of working days") {
  const auto doc =
      json_of(xun_when({"2月", "--year", "2026", "--holidays", "none", "--format", "json"}));
  CHECK(has(doc["working_days"], "2026-02-16"));
  CHECK_FALSE(has(doc["working_days"], "2026-02-14"));
  CHECK(doc["warnings"].empty());
}

TEST_CASE("a year without holiday data warns in the JSON and on stderr") {
  const auto run = xun_when({"3月", "--year", "2027", "--format", "json"});
  const auto doc = json_of(run);
  REQUIRE(doc["warnings"].size() == 1);
  const std::string warning = doc["warnings"][0];
  CHECK(warning.find("no official data for 2027") != std::string::npos);
  CHECK(run.err.find("2027") != std::string::npos);
}

TEST_CASE("a relative window without repeat means every matching day of the year") {
  const auto doc = json_of(xun_when({"月底", "--year", "2026", "--format", "json"}));
  CHECK(doc["from"] == "2026-01-21");
  CHECK(doc["to"] == "2026-12-31");
  CHECK(has(doc["dates"], "2026-02-28"));
  CHECK_FALSE(has(doc["dates"], "2026-03-01"));
  CHECK(doc["prefer"] == "late");
  // Days 21 to the end of each month: 11 in 31-day months, 10 in 30-day ones, 8
  // in Feb.
  CHECK(doc["dates"].size() == 7 * 11 + 4 * 10 + 8);
}

TEST_CASE("an impossible expression exits 2 naming the expression and the column") {
  const auto run = xun_when({"2月30日", "--year", "2026"});
  CHECK(run.status == 2);
  CHECK(run.out.empty());
  CHECK(run.err.find("xun when: 2月30日: column ") == 0);
}

TEST_CASE("bad arguments exit 2 with a message") {
  CHECK(xun_when({"2月"}).status == 2); // no --year
  CHECK(xun_when({"2月", "--year", "twenty"}).status == 2);
  CHECK(xun_when({"2月", "--year", "2026", "--format", "xml"}).status == 2);
  CHECK(xun_when({"2月", "--year", "2026", "--frobnicate"}).status == 2);
  const auto unknown_set = xun_when({"2月", "--year", "2026", "--holidays", "mars"});
  CHECK(unknown_set.status == 2);
  CHECK(unknown_set.err.find("known sets") != std::string::npos);
}

TEST_CASE("the text format shows the range, the counts and the days off by month") {
  const auto run = xun_when({"2月下旬", "--year", "2026"});
  REQUIRE(run.status == 0);
  CHECK(run.out.find("2026-02-21 .. 2026-02-28") != std::string::npos);
  CHECK(run.out.find("8, of which 5 working days") != std::string::npos);
  CHECK(run.out.find("Feb: (21) (22) (23) 24 25 26 27 28*") != std::string::npos);
}

TEST_CASE("the same question gives the same bytes") {
  const auto a = xun_when({"Q3", "--year", "2026", "--format", "json"});
  const auto b = xun_when({"Q3", "--year", "2026", "--format", "json"});
  REQUIRE(a.status == 0);
  CHECK(a.out == b.out);
  CHECK(a.out.back() == '\n');
  CHECK(a.out[a.out.size() - 2] == '}');
}
