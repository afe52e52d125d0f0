// The living year over a real socket (PLAN.md §6.4–6.6): records stored and
// re-planned, the past and the freeze kept, refusals that store nothing, the
// dry run, the feed's cancellation and moves, progress and next year.
#include "http/support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;
using namespace xun::http;
using namespace xun::http::test;

namespace {

const std::string plan_text =
    "plan: 测试支部 2026 年计划\n"
    "id: living-2026\n"
    "year: 2026\n"
    "people:\n"
    "  - {id: zhang, name: 张青}\n"
    "  - {id: li, name: 李明}\n"
    "  - {id: wang, name: 王芳}\n"
    "groups: {members: [zhang, li, wang]}\n"
    "defaults: {duration: 2h}\n"
    "activities:\n"
    "  - {id: congress, title: 党员大会, when: 2月下旬, attendees: [members]}\n"
    "  - {id: study, title: 学习, repeat: monthly, attendees: [members]}\n"
    "  - {id: lecture, title: 党课, when: 6月, attendees: [zhang]}\n"
    "assessment:\n"
    "  - {item: 学习培训, points: 10, activities: [study], target: 4,"
    " attendance: 60%}\n";

constexpr std::int64_t may_1 = 1777593600; // 2026-05-01T00:00:00Z

json body_of(const HttpResponse &r) { return json::parse(r.body); }

std::map<std::string, std::string> starts(const TestServer &s) {
  std::map<std::string, std::string> out;
  const auto r = s.get("/api/plans/living-2026/schedule", auth());
  INFO(r.body.substr(0, 300));
  REQUIRE(r.status == 200);
  const json body = body_of(r); // kept: a range over a temporary's member would dangle
  for (const auto &o : body["occurrences"])
    out[o["id"]] = o["start"];
  return out;
}

std::string feed_path(const TestServer &s) {
  const std::string url = body_of(s.get("/api/plans/living-2026", auth()))["feeds"]["https"];
  return url.substr(url.find("/feeds/"));
}

} // namespace

TEST_CASE("records are stored by id or UID, re-plan the year and reach the feed") {
  TestServer server;
  REQUIRE(server.send("POST", "/api/plans", plan_text).status == 201);
  server.clock->store(may_1);
  const auto before = starts(server);

  SUBCASE("recording needs the admin token, names a real occurrence and is located when bad") {
    CHECK(server.send("PUT", "/api/plans/living-2026/records/study%230", R"({"status":"done"})", {})
              .status == 401);
    CHECK(server.send("PUT", "/api/plans/living-2026/records/study%2399", R"({"status":"done"})")
              .status == 404);
    const auto bad = server.send("PUT", "/api/plans/living-2026/records/study%230",
                                 "{\"status\": \"done\",\n \"present\": [\"zhangg\"]}");
    CHECK(bad.status == 422);
    CHECK(bad.body.find("record:2:") != std::string::npos);
    CHECK(bad.body.find("did you mean 'zhang'") != std::string::npos);
    CHECK(body_of(server.get("/api/plans/living-2026/records", auth()))["records"].empty());
  }

  SUBCASE("done, cancelled and moved: stored, listed, re-planned, in the feed") {
    const auto done = server.send("PUT", "/api/plans/living-2026/records/study%230",
                                  R"({"status":"done","present":["zhang","li"],"leave":["wang"]})");
    INFO(done.body);
    REQUIRE(done.status == 200);
    CHECK(body_of(done)["record"]["id"] == "study#0");
    const std::string lecture_uid = "lecture-0@living-2026.xun";
    const auto cancelled = server.send("PUT", "/api/plans/living-2026/records/" + lecture_uid,
                                       R"({"status":"cancelled"})");
    REQUIRE(cancelled.status == 200);
    const auto moved = server.send("PUT", "/api/plans/living-2026/records/study%235",
                                   R"({"status":"moved","start":"2026-06-25T14:00"})");
    INFO(moved.body);
    REQUIRE(moved.status == 200);
    const json m = body_of(moved)["moved"];
    REQUIRE(m.size() == 1);
    CHECK(m[0]["id"] == "study#5");
    CHECK(m[0]["to"] == "2026-06-25T14:00:00+08:00");

    const json list = body_of(server.get("/api/plans/living-2026/records", auth()))["records"];
    CHECK(list.size() == 3);
    // The past stays, the cancelled one is gone from the schedule, ids keep.
    const auto after = starts(server);
    CHECK_FALSE(after.contains("lecture#0"));
    CHECK(after.at("study#5") == "2026-06-25T14:00:00+08:00");
    for (const auto &[id, start] : before)
      if (start < "2026-05-01" && id != "study#5")
        CHECK(after.at(id) == start);
    // The feed keeps the cancelled event, marked, with a higher SEQUENCE.
    const std::string feed = server.get(feed_path(server)).body;
    const auto at = feed.find("UID:" + lecture_uid);
    REQUIRE(at != std::string::npos);
    const std::string event = feed.substr(at, feed.find("END:VEVENT", at) - at);
    CHECK(event.find("STATUS:CANCELLED") != std::string::npos);
    CHECK(event.find("SEQUENCE:1") != std::string::npos);

    // Progress counts them; DELETE returns the occurrence to planned.
    const json progress =
        body_of(server.get("/api/plans/living-2026/progress?as_of=2026-06-30", auth()));
    bool seen = false;
    const json activities = progress["activities"];
    for (const auto &a : activities)
      if (a["activity"] == "lecture") {
        seen = true;
        CHECK(a["cancelled"] == 1);
        CHECK(a["at_risk"] == true);
      }
    CHECK(seen);
    CHECK(progress["assessment"]["possible"] == 10);
    const auto undo = server.send("DELETE", "/api/plans/living-2026/records/" + lecture_uid, "");
    REQUIRE(undo.status == 200);
    CHECK(starts(server).contains("lecture#0"));
    CHECK(body_of(server.get("/api/plans/living-2026/records", auth()))["records"].size() == 2);
  }

  SUBCASE("a change that would move the past is refused, the dry run says so, nothing stored") {
    std::string changed = plan_text;
    changed.replace(changed.find("when: 2月下旬"), std::string("when: 2月下旬").size(),
                    "when: 9月下旬");
    const auto dry = server.send("PUT", "/api/plans/living-2026?dry_run=1", changed);
    REQUIRE(dry.status == 200);
    CHECK(body_of(dry)["dry_run"] == true);
    CHECK(body_of(dry)["would_move"][0].get<std::string>().find("congress#0") == 0);
    const auto refused = server.send("PUT", "/api/plans/living-2026", changed);
    CHECK(refused.status == 409);
    CHECK(body_of(refused)["type"].get<std::string>().find("would-move") != std::string::npos);
    CHECK(body_of(server.get("/api/plans/living-2026", auth()))["revision"] == 1);

    // A change in the future moves only what it must, and the answer lists it.
    std::string later = plan_text;
    later.replace(later.find("when: 6月"), std::string("when: 6月").size(), "when: 7月");
    const auto dry_later = server.send("PUT", "/api/plans/living-2026?dry_run=1", later);
    REQUIRE(dry_later.status == 200);
    const json would = body_of(dry_later)["moved"];
    REQUIRE(would.size() == 1);
    CHECK(would[0]["id"] == "lecture#0");
    CHECK(body_of(server.get("/api/plans/living-2026", auth()))["revision"] == 1);
    const auto put = server.send("PUT", "/api/plans/living-2026", later);
    REQUIRE(put.status == 200);
    CHECK(body_of(put)["moved"].size() == 1);
  }
}

TEST_CASE("next-year makes next year's plan from this one and lists what to fix") {
  TestServer server;
  REQUIRE(server.send("POST", "/api/plans", plan_text).status == 201);
  CHECK(server.send("POST", "/api/plans/living-2026/next-year", "", {}).status == 401);
  const auto r = server.send("POST", "/api/plans/living-2026/next-year", "");
  INFO(r.body);
  REQUIRE(r.status == 201);
  const json body = body_of(r);
  CHECK(body["id"] == "living-2027");
  CHECK(body.contains("to_fix"));
  CHECK(server.get("/api/plans/living-2027/source", auth()).body.find("year: 2027") !=
        std::string::npos);
}

namespace {

json record_of(const TestServer &s, const std::string &id) {
  const json list = body_of(s.get("/api/plans/living-2026/records", auth()))["records"];
  for (const auto &r : list)
    if (r["id"] == id)
      return r;
  FAIL("no record for " << id);
  return {};
}

json study_progress(const TestServer &s) {
  const json progress = body_of(s.get("/api/plans/living-2026/progress?as_of=2026-06-30", auth()));
  for (const auto &a : progress["activities"])
    if (a["activity"] == "study")
      return a;
  FAIL("no study in the progress");
  return {};
}

} // namespace

TEST_CASE("a done record without present reads back without it and is not 0% attendance") {
  TestServer server;
  REQUIRE(server.send("POST", "/api/plans", plan_text).status == 201);
  server.clock->store(may_1);
  const auto put = server.send("PUT", "/api/plans/living-2026/records/study%230",
                               R"({"status":"done","note":"未点名"})");
  INFO(put.body);
  REQUIRE(put.status == 200);
  CHECK_FALSE(body_of(put)["record"].contains("present"));
  const json stored = record_of(server, "study#0");
  CHECK_FALSE(stored.contains("present"));
  CHECK_FALSE(stored.contains("leave"));
  CHECK(stored["note"] == "未点名");

  // Held, but attendance unknown: left out of the rate, not counted as 0 of 3.
  json study = study_progress(server);
  CHECK(study["done"] == 1);
  CHECK(study["attendance"].is_null());
  CHECK(study["attendance_not_recorded"] == 1);
  const std::string page = server.get("/plans/living-2026", auth()).body;
  CHECK(page.find("✓ 0/3") == std::string::npos);
  CHECK(page.find("已开，未记出勤") != std::string::npos);

  SUBCASE("present: [] is nobody came: 0 of 3, and it reads back as []") {
    const auto nobody = server.send("PUT", "/api/plans/living-2026/records/study%231",
                                    R"({"status":"done","present":[]})");
    REQUIRE(nobody.status == 200);
    const json r = record_of(server, "study#1");
    REQUIRE(r.contains("present"));
    CHECK(r["present"] == json::array());
    CHECK_FALSE(r.contains("leave"));
    study = study_progress(server);
    CHECK(study["done"] == 2);
    CHECK(study["attendance"] == 0);
    CHECK(study["attendance_not_recorded"] == 1);
    CHECK(server.get("/plans/living-2026", auth()).body.find("✓ 0/3") != std::string::npos);
  }

  SUBCASE("with present, the rate counts only the records that say who came") {
    REQUIRE(server
                .send("PUT", "/api/plans/living-2026/records/study%231",
                      R"({"status":"done","present":["zhang","li"],"leave":[]})")
                .status == 200);
    CHECK(record_of(server, "study#1")["leave"] == json::array());
    study = study_progress(server);
    CHECK(study["attendance"] == 0.67); // 2 of 3; study#0 is left out, not 2 of 6
  }
}

TEST_CASE("a move onto the time of a fixed meeting of the same people is refused; undoing a "
          "move is never refused") {
  std::string text = plan_text;
  text.insert(text.find("assessment:"), "  - {id: plenary, title: 全体会议, when: 2026-06-10, "
                                        "at: \"09:00\", duration: 3h, attendees: [members]}\n");
  TestServer server;
  const auto created = server.send("POST", "/api/plans", text);
  INFO(created.body);
  REQUIRE(created.status == 201);
  server.clock->store(may_1);
  const auto before = starts(server);
  REQUIRE(before.at("plenary#0") == "2026-06-10T09:00:00+08:00");

  SUBCASE("refused up front, located at start, in Chinese then English, nothing stored") {
    const auto clash = server.send("PUT", "/api/plans/living-2026/records/study%235",
                                   "{\"status\": \"moved\",\n \"start\": \"2026-06-10T10:00\"}");
    INFO(clash.body);
    REQUIRE(clash.status == 422);
    const json problem = body_of(clash);
    CHECK(problem["type"].get<std::string>().find("invalid-record") != std::string::npos);
    REQUIRE(problem["problems"].size() == 1);
    const json p = problem["problems"][0];
    CHECK(p["line"] == 2);
    const std::string message = p["message"];
    CHECK(message.find("plenary#0") != std::string::npos);
    CHECK(message.find("重叠") < message.find("overlaps"));
    CHECK(message.find("张青") != std::string::npos);
    CHECK(message.find("fixed by the plan") != std::string::npos);
    CHECK(body_of(server.get("/api/plans/living-2026/records", auth()))["records"].empty());
    CHECK(starts(server) == before);
    // The same move an hour after the plenary ends is fine.
    CHECK(server
              .send("PUT", "/api/plans/living-2026/records/study%235",
                    R"({"status":"moved","start":"2026-06-10T14:00"})")
              .status == 200);
  }

  SUBCASE("a move onto another recorded move, or onto a frozen meeting, is refused too") {
    REQUIRE(server
                .send("PUT", "/api/plans/living-2026/records/study%234",
                      R"({"status":"moved","start":"2026-05-02T14:00"})")
                .status == 200);
    // The answer to moving `occ` to `start`: 422 naming `other` and why it stays.
    const auto refused = [&](const std::string &occ, const std::string &start,
                             const std::string &other, const std::string &why) {
      const auto r = server.send("PUT", "/api/plans/living-2026/records/" + occ,
                                 R"({"status":"moved","start":")" + start + "\"}");
      INFO(r.body);
      CHECK(r.status == 422);
      CHECK(r.body.find(other) != std::string::npos);
      CHECK(r.body.find(why) != std::string::npos);
    };
    refused("study%235", "2026-05-02T15:00", "study#4", "recorded");
    server.clock->store(may_1 + 39 * 86400); // 2026-06-09 08:00: the plenary is frozen
    refused("study%236", "2026-06-10T11:30", "plenary#0", "frozen");
  }

  SUBCASE("deleting a move inside the freeze, to a day the plan forbids, puts it back") {
    // 2026-05-02 is in the Labour Day holiday, and inside as-of + 2d.
    const auto moved = server.send("PUT", "/api/plans/living-2026/records/study%234",
                                   R"({"status":"moved","start":"2026-05-02T14:00"})");
    INFO(moved.body);
    REQUIRE(moved.status == 200);
    CHECK(starts(server).at("study#4") == "2026-05-02T14:00:00+08:00");
    const auto undo = server.send("DELETE", "/api/plans/living-2026/records/study%234", "");
    INFO(undo.body);
    REQUIRE(undo.status == 200);
    CHECK(body_of(server.get("/api/plans/living-2026/records", auth()))["records"].empty());
    const std::string back = starts(server).at("study#4");
    CHECK(back >= "2026-05-06"); // after the holiday and the freeze, still in May
    CHECK(back < "2026-06-01");
  }
}
