// POST /api/holidays/cn over a real socket: the notice text in, the holiday
// set stored (it survives a restart) and used by plans submitted afterwards.
#include "http/support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;
using namespace xun::http;
using namespace xun::http::test;

namespace {

std::string notice(int year) {
  return read_file(std::filesystem::path(env("XUN_SOURCE_DIR")) / "tests/data/notices" /
                   (std::to_string(year) + ".txt"));
}

std::string bundled(int year) {
  return read_file(std::filesystem::path(env("XUN_DATA_DIR")) / "holidays/cn" /
                   (std::to_string(year) + ".json"));
}

// A 2027 plan whose one meeting may fall anywhere in early October.
const std::string plan_2027 =
    "plan: 明年\nid: next\nyear: 2027\ncalendar: {holidays: cn}\n"
    "people: [{id: zhang, name: 张青}]\n"
    "activities:\n  - {id: m, title: 会议, when: \"2027-10-01..2027-10-09\","
    " duration: 1h, attendees: [zhang]}\n";

json warnings_of(const TestServer &server, const std::string &id) {
  return json::parse(server.get("/api/plans/" + id, auth()).body)["summary"]["warnings"];
}

} // namespace

TEST_CASE("importing a notice needs the admin token") {
  TestServer server;
  const auto r = server.send("POST", "/api/holidays/cn", notice(2027), {});
  CHECK(r.status == 401);
}

TEST_CASE("a 2027 notice is answered 201 with its set, survives a restart and is used by plans") {
  TestServer server;
  const auto before = server.send("POST", "/api/plans", plan_2027);
  REQUIRE(before.status == 201);
  CHECK(warnings_of(server, "next").dump().find("no official data for 2027") != std::string::npos);

  const auto r = server.send("POST", "/api/holidays/cn", notice(2027));
  INFO(r.body);
  REQUIRE(r.status == 201);
  CHECK(r.header("content-type").find("application/json") == 0);
  const json set = json::parse(r.body);
  CHECK(set["year"] == 2027);
  CHECK(set["days"].size() == 34);

  server.restart(); // the stored set is read back from the database
  const auto after = server.send("PUT", "/api/plans/next", plan_2027);
  INFO(after.body);
  REQUIRE(after.status == 200);
  CHECK(warnings_of(server, "next").dump().find("no official data") == std::string::npos);
  // Oct 1–7 are days off now, so the meeting goes on the make-up Saturday or after.
  const json schedule = json::parse(server.get("/api/plans/next/schedule", auth()).body);
  const std::string start = schedule["occurrences"][0]["start"];
  CHECK(start.substr(0, 10) >= "2027-10-08");
}

TEST_CASE("a bad notice is answered 422 with every problem located, and nothing is stored") {
  TestServer server;
  std::string text = notice(2027);
  text.replace(text.find("共7天"), std::string("共7天").size(), "共8天");
  const auto r = server.send("POST", "/api/holidays/cn", text);
  INFO(r.body);
  REQUIRE(r.status == 422);
  CHECK(r.header("content-type").find("application/problem+json") == 0);
  const json problem = json::parse(r.body);
  REQUIRE(problem["problems"].size() == 1);
  CHECK(problem["problems"][0]["line"] == 11);
  CHECK(problem["problems"][0]["column"] == 30);
  CHECK(problem["problems"][0]["text"] ==
        "notice.txt:11:30: 写的是8天，但10月1日至10月7日是7天：天数应为7");
  CHECK(server.send("POST", "/api/holidays/cn", "一、元旦：1月1日放假。", {}).status == 401);
  CHECK(server.send("POST", "/api/holidays/cn?year=27", notice(2027)).status == 400);
}

TEST_CASE("a notice that differs from the bundled official data is refused (409) unless forced") {
  TestServer server;
  CHECK(server.send("POST", "/api/holidays/cn", notice(2026)).status == 201); // the same data
  CHECK(json::parse(server.send("POST", "/api/holidays/cn", notice(2026)).body) ==
        json::parse(bundled(2026)));
  std::string text = notice(2026);
  const std::string from = "5月9日（周六）上班";
  text.replace(text.find(from), from.size(), "5月10日（周日）上班");
  const auto refused = server.send("POST", "/api/holidays/cn", text);
  CHECK(refused.status == 409);
  CHECK(json::parse(refused.body)["detail"].get<std::string>().find("2026-05-09") !=
        std::string::npos);
  CHECK(server.send("POST", "/api/holidays/cn?force=1", text).status == 201);
}
