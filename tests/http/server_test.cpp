// The HTTP API over a real socket: the server on 127.0.0.1 with a temporary
// database, driven the way a client drives it.
#include "http/support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;
using namespace xun::http;
using namespace xun::http::test;

namespace {

json body_json(const HttpResponse &r) { return json::parse(r.body); }

std::string path_of(const std::string &url) {
  const auto host = url.find("//");
  return url.substr(url.find('/', host + 2));
}

// The feed token inside a feed URL (…/feeds/TOKEN.ics).
std::string token_of(const std::string &url) {
  const auto at = url.find("/feeds/") + 7;
  return url.substr(at, url.find('.', at) - at);
}

} // namespace

TEST_CASE("a scheduled plan is created with its id, revision, summary and feed links") {
  TestServer s;
  auto r = s.send("POST", "/api/plans", small_plan());
  REQUIRE(r.status == 201);
  CHECK(r.header("content-type").find("application/json") == 0);
  CHECK(r.header("location") == "/api/plans/small-2026");
  auto j = body_json(r);
  CHECK(j["id"] == "small-2026");
  CHECK(j["revision"] == 1);
  CHECK(j["status"] == "ok");
  CHECK(j["summary"]["occurrences"] == 3);
  const std::string https = j["feeds"]["https"];
  const std::string webcal = j["feeds"]["webcal"];
  CHECK(https.rfind("http://127.0.0.1:" + std::to_string(s.port) + "/feeds/", 0) == 0);
  CHECK(webcal.rfind("webcal://", 0) == 0);
  // The token carries at least 128 random bits (32 hex digits).
  const auto token = https.substr(https.rfind('/') + 1, https.size() - https.rfind('/') - 5);
  CHECK(token.size() >= 32);
  CHECK(j["feeds"]["people"].contains("zhang"));
}

TEST_CASE("changes need the admin token and say how to send it") {
  TestServer s;
  auto none = s.send("POST", "/api/plans", small_plan(), {});
  CHECK(none.status == 401);
  CHECK(none.header("content-type").find("application/problem+json") == 0);
  CHECK(body_json(none)["detail"].get<std::string>().find("Authorization: Bearer") !=
        std::string::npos);
  auto wrong = s.send("POST", "/api/plans", small_plan(), {{"Authorization", "Bearer nope"}});
  CHECK(wrong.status == 401);
  CHECK(s.get("/api/plans").status == 200);
  CHECK(body_json(s.get("/api/plans"))["plans"].empty());
}

TEST_CASE("an invalid plan is answered 422 with every problem located, and kept as a draft") {
  TestServer s;
  const std::string text = "plan: 错字\nid: typo-2026\nyear: 2026\nactivitiez: []\n";
  auto r = s.send("POST", "/api/plans?file=typo.yaml", text);
  REQUIRE(r.status == 422);
  CHECK(r.header("content-type").find("application/problem+json") == 0);
  auto j = body_json(r);
  CHECK(j["status"] == 422);
  CHECK(j["id"] == "typo-2026");
  CHECK(j["revision_status"] == "invalid");
  REQUIRE(j["problems"].size() >= 1);
  CHECK(j["problems"][0]["line"] == 4);
  CHECK(j["problems"][0]["column"] == 1);
  CHECK(j["problems"][0]["file"] == "typo.yaml");
  // Nothing the user wrote is lost.
  auto source = s.get("/api/plans/typo-2026/source", auth());
  CHECK(source.status == 200);
  CHECK(source.body == text);
  CHECK(body_json(s.get("/api/plans/typo-2026", auth()))["status"] == "invalid");
}

TEST_CASE("an unschedulable plan is answered 409 with the explanation, and kept as a draft") {
  TestServer s;
  auto r = s.send("POST", "/api/plans", clashing_plan());
  REQUIRE(r.status == 409);
  auto j = body_json(r);
  CHECK(j["revision_status"] == "draft");
  CHECK(j["id"] == "clash-2026");
  CHECK(!j["conflict"]["message"].get<std::string>().empty());
  CHECK(j["detail"].get<std::string>().find("Nothing is lost") != std::string::npos);
  CHECK(s.get("/api/plans/clash-2026/source", auth()).body == clashing_plan());
  // No schedule to serve yet: a clear 409, never a 500.
  CHECK(s.get("/api/plans/clash-2026/schedule", auth()).status == 409);
}

TEST_CASE("the schedule is the PLAN.md section 5 JSON and ?month filters it") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  auto all = s.get("/api/plans/small-2026/schedule", auth());
  REQUIRE(all.status == 200);
  auto j = body_json(all);
  CHECK(j["plan"] == "small-2026");
  CHECK(j["occurrences"].size() == 3);
  auto feb = body_json(s.get("/api/plans/small-2026/schedule?month=2026-02", auth()));
  REQUIRE(feb["occurrences"].size() == 1);
  CHECK(feb["occurrences"][0]["id"] == "congress#0");
  CHECK(s.get("/api/plans/small-2026/schedule?month=2026-13", auth()).status == 400);
  CHECK(s.get("/api/plans/small-2026/schedule?month=2025-02", auth()).status == 400);
  CHECK(s.get("/api/plans/nothing/schedule", auth()).status == 404);
}

TEST_CASE("reminders within a span come soonest first, from a given now") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  auto j = body_json(s.get("/api/plans/small-2026/schedule", auth()));
  std::string congress_start;
  nlohmann::json congress_alarms;
  for (const auto &o : j["occurrences"])
    if (o["id"] == "congress#0") {
      congress_start = o["start"];
      congress_alarms = o["alarms"];
    }
  REQUIRE(!congress_start.empty());
  REQUIRE(congress_alarms.size() == 2);
  // From Feb 1, within 60 days: the congress's 7d and 1d reminders, in that order.
  auto r = s.get("/api/plans/small-2026/reminders?within=60d&now=2026-02-01", auth());
  REQUIRE(r.status == 200);
  auto list = body_json(r)["reminders"];
  REQUIRE(list.size() >= 2);
  CHECK(list[0]["occurrence"] == "congress#0");
  CHECK(list[0]["before"] == "P7D");
  CHECK(list[1]["before"] == "P1D");
  // They fire when the schedule's alarms say (PLAN.md §6.2), not simply 7 and 1 days before.
  CHECK(list[0]["at"] == congress_alarms[0]);
  CHECK(list[1]["at"] == congress_alarms[1]);
  for (std::size_t i = 1; i < list.size(); ++i)
    CHECK(list[i - 1]["at"].get<std::string>() <= list[i]["at"].get<std::string>());
  // Nothing is due in the first week of January.
  auto none = body_json(s.get("/api/plans/small-2026/reminders?within=7d&now=2026-01-01", auth()));
  CHECK(none["reminders"].empty());
  CHECK(s.get("/api/plans/small-2026/reminders?within=soon", auth()).status == 400);
  CHECK(s.get("/api/plans/small-2026/reminders?now=yesterday", auth()).status == 400);
}

TEST_CASE("a feed is text/calendar with a strong ETag, Last-Modified and stable bytes") {
  TestServer s;
  auto created = body_json(s.send("POST", "/api/plans", small_plan()));
  const std::string feed = path_of(created["feeds"]["https"]);
  auto a = s.get(feed);
  REQUIRE(a.status == 200);
  CHECK(a.header("content-type") == "text/calendar; charset=utf-8");
  const std::string etag = a.header("etag");
  REQUIRE(etag.size() > 2);
  CHECK(etag.front() == '"'); // strong: no W/
  CHECK(!a.header("last-modified").empty());
  CHECK(a.body.find("REFRESH-INTERVAL") != std::string::npos);
  CHECK(a.body.find("X-PUBLISHED-TTL") != std::string::npos);
  CHECK(a.body.find("UID:congress-0@small-2026.xun") != std::string::npos);
  s.clock->store(s.clock->load() + 86400); // later requests, same plan: same bytes
  auto b = s.get(feed);
  CHECK(b.body == a.body);
  CHECK(b.header("etag") == etag);
  // After a restart the bytes are still the same.
  s.restart();
  CHECK(s.get(feed).body == a.body);
}

TEST_CASE("a client that has the feed gets 304 through If-None-Match or If-Modified-Since") {
  TestServer s;
  auto created = body_json(s.send("POST", "/api/plans", small_plan()));
  const std::string feed = path_of(created["feeds"]["https"]);
  auto a = s.get(feed);
  auto by_etag = s.get(feed, {{"If-None-Match", a.header("etag")}});
  CHECK(by_etag.status == 304);
  CHECK(by_etag.body.empty());
  CHECK(by_etag.header("etag") == a.header("etag"));
  auto by_date = s.get(feed, {{"If-Modified-Since", a.header("last-modified")}});
  CHECK(by_date.status == 304);
  auto stale = s.get(feed, {{"If-None-Match", "\"0000000000000000\""}});
  CHECK(stale.status == 200);
  CHECK(stale.body == a.body);
  auto older = s.get(feed, {{"If-Modified-Since", "Thu, 01 Jan 2015 00:00:00 GMT"}});
  CHECK(older.status == 200);
}

TEST_CASE("a compressed feed is another representation with its own strong ETag") {
  TestServer s;
  auto created = body_json(s.send("POST", "/api/plans", small_plan()));
  const std::string feed = path_of(created["feeds"]["https"]);
  auto plain = s.get(feed);
  auto gzip = s.get(feed, {{"Accept-Encoding", "gzip"}});
  CHECK(plain.header("vary") == "Accept-Encoding");
  CHECK(gzip.header("content-encoding") == "gzip");
  CHECK(gzip.header("etag") != plain.header("etag"));
  CHECK(gzip.header("etag").rfind("\"", 0) == 0); // strong: no W/
  CHECK(s.get(feed, {{"Accept-Encoding", "gzip"}, {"If-None-Match", gzip.header("etag")}}).status ==
        304);
  // The compressed body's tag does not validate the uncompressed one.
  CHECK(s.get(feed, {{"If-None-Match", gzip.header("etag")}}).status == 200);
}

TEST_CASE("an unknown or revoked feed token is a 404, and a new token works") {
  TestServer s;
  auto created = body_json(s.send("POST", "/api/plans", small_plan()));
  const std::string feed = path_of(created["feeds"]["https"]);
  CHECK(s.get("/feeds/0123456789abcdef0123456789abcdef.ics").status == 404);
  CHECK(s.get("/feeds/0123456789abcdef0123456789abcdef.ics")
            .header("content-type")
            .find("problem+json") != std::string::npos);
  CHECK(s.get(feed.substr(0, feed.size() - 4) + "/people/nobody.ics").status == 404);
  auto rotated = s.send("POST", "/api/plans/small-2026/feed-token", "");
  REQUIRE(rotated.status == 201);
  const std::string fresh = path_of(body_json(rotated)["feeds"]["https"]);
  CHECK(fresh != feed);
  CHECK(s.get(feed).status == 404);
  CHECK(s.get(fresh).status == 200);
  CHECK(s.send("DELETE", "/api/plans/small-2026/feed-token", "").status == 204);
  CHECK(s.get(fresh).status == 404);
}

TEST_CASE("a person's feed holds only the occurrences they attend") {
  TestServer s;
  auto created = body_json(s.send("POST", "/api/plans", small_plan()));
  const std::string li = path_of(created["feeds"]["people"]["li"]["https"]);
  auto r = s.get(li);
  REQUIRE(r.status == 200);
  CHECK(r.body.find("UID:congress-0@small-2026.xun") != std::string::npos);
  CHECK(r.body.find("UID:dues-0@small-2026.xun") != std::string::npos);
  CHECK(r.body.find("UID:lecture-0@small-2026.xun") == std::string::npos);
}

TEST_CASE("a re-plan keeps unchanged events byte for byte and bumps SEQUENCE of a moved one") {
  TestServer s;
  auto created = body_json(s.send("POST", "/api/plans", small_plan("3月")));
  const std::string feed = path_of(created["feeds"]["https"]);
  const auto before = s.get(feed);
  s.clock->store(s.clock->load() + 3600);
  auto put = s.send("PUT", "/api/plans/small-2026", small_plan("6月"));
  REQUIRE(put.status == 200);
  CHECK(body_json(put)["revision"] == 2);
  const auto after = s.get(feed);
  REQUIRE(after.status == 200);
  CHECK(after.header("etag") != before.header("etag"));
  CHECK(vevent(after.body, "congress-0@small-2026.xun") ==
        vevent(before.body, "congress-0@small-2026.xun"));
  CHECK(vevent(after.body, "dues-0@small-2026.xun") ==
        vevent(before.body, "dues-0@small-2026.xun"));
  const auto moved = vevent(after.body, "lecture-0@small-2026.xun");
  REQUIRE(!moved.empty());
  CHECK(vevent(before.body, "lecture-0@small-2026.xun").find("SEQUENCE:0") != std::string::npos);
  CHECK(moved.find("SEQUENCE:1") != std::string::npos);
  CHECK(moved.find("LAST-MODIFIED:20260101T010000Z") != std::string::npos);
  // The history keeps both revisions.
  auto plan = body_json(s.get("/api/plans/small-2026", auth()));
  CHECK(plan["revisions"].size() == 2);
  CHECK(s.get("/api/plans/small-2026/source?revision=1", auth()).body == small_plan("3月"));
}

TEST_CASE("an edit that cannot be scheduled keeps the feed on the last good revision") {
  TestServer s;
  auto created = body_json(s.send("POST", "/api/plans", small_plan()));
  const std::string feed = path_of(created["feeds"]["https"]);
  const auto good = s.get(feed);
  auto bad =
      s.send("PUT", "/api/plans/small-2026", "plan: 坏\nyear: 2026\nactivities: [{id: x}]\n");
  CHECK(bad.status == 422);
  CHECK(body_json(bad)["revision"] == 2);
  CHECK(body_json(bad)["published_revision"] == 1);
  CHECK(s.get(feed).body == good.body); // never suddenly empty
  auto plan = body_json(s.get("/api/plans/small-2026", auth()));
  CHECK(plan["revision"] == 2);
  CHECK(plan["status"] == "invalid");
  CHECK(plan["published_revision"] == 1);
}

TEST_CASE("bad requests get a problem a person understands, never a 500") {
  TestServer s;
  auto missing = s.get("/api/plans/nothing-here");
  CHECK(missing.status == 404);
  CHECK(body_json(missing)["detail"].get<std::string>().find("nothing-here") != std::string::npos);
  CHECK(s.get("/no/such/route").status == 404);
  CHECK(s.send("PUT", "/api/plans/nothing-here", small_plan()).status == 404);
  CHECK(s.send("POST", "/api/plans", "").status == 422);
  CHECK(s.send("POST", "/api/plans", "\xff\xfe not yaml {{{").status == 422);
  CHECK(s.send("POST", "/api/plans", "[1, 2, 3]").status == 422);
  CHECK(s.get("/api/plans/x/source?revision=abc", auth()).status < 500);
  // The request size limit.
  auto huge = s.send("POST", "/api/plans", std::string(2 << 20, 'a'));
  CHECK(huge.status == 413);
}

TEST_CASE("a deleted plan's feed is gone and its id is not reused") {
  TestServer s;
  auto created = body_json(s.send("POST", "/api/plans", small_plan()));
  const std::string feed = path_of(created["feeds"]["https"]);
  CHECK(s.send("DELETE", "/api/plans/small-2026", "").status == 204);
  CHECK(s.get(feed).status == 404);
  CHECK(s.get("/api/plans/small-2026", auth()).status == 404);
  auto again = s.send("POST", "/api/plans", small_plan());
  REQUIRE(again.status == 201);
  CHECK(body_json(again)["id"] == "small-2026-2");
}

TEST_CASE("the admin sees the feed URLs; with a read link a reader sees the plan without them") {
  TestServer s;
  auto created = body_json(s.send("POST", "/api/plans", small_plan()));
  const std::string token = token_of(created["feeds"]["https"]);
  REQUIRE(token.size() >= 32);
  auto link = body_json(s.send("POST", "/api/plans/small-2026/read-link", ""));
  const std::string url = link["read_link"];
  const std::string read = url.substr(url.find("?read="));
  for (const HttpHeaders &headers :
       {HttpHeaders{}, HttpHeaders{{"Authorization", "Bearer not-the-admin-token"}}}) {
    auto one = s.get("/api/plans/small-2026" + read, headers);
    REQUIRE(one.status == 200);
    auto j = body_json(one);
    CHECK(!j.contains("feeds"));
    CHECK(!j.contains("access"));
    CHECK(j["summary"]["occurrences"] == 3);
    CHECK(j["page"] == created["page"]);
    CHECK(j["revisions"].size() == 1);
    CHECK(one.body.find(token) == std::string::npos);
    // Which plans exist is the admin's to know.
    auto all = s.get("/api/plans", headers);
    REQUIRE(all.status == 200);
    CHECK(body_json(all)["plans"].empty());
  }
  // The admin sees the same links the creation answered with.
  auto one = body_json(s.get("/api/plans/small-2026", auth()));
  CHECK(one["feeds"] == created["feeds"]);
  auto all = body_json(s.get("/api/plans", auth()));
  CHECK(all["plans"][0]["feeds"] == created["feeds"]);
}

TEST_CASE("the pages list the plans and show a plan's year, subscribe links only with its key") {
  TestServer s;
  auto created = body_json(s.send("POST", "/api/plans", small_plan()));
  const std::string token = token_of(created["feeds"]["https"]);
  REQUIRE(token.size() >= 32);
  auto index = s.get("/", auth());
  CHECK(index.status == 200);
  CHECK(index.body.find("/plans/small-2026\"") != std::string::npos);
  CHECK(index.body.find(token) == std::string::npos);
  CHECK(s.get("/").body.find("small-2026") == std::string::npos);

  // A reader (read link): the year, and a sentence instead of the links; a
  // wrong key changes nothing.
  auto link = body_json(s.send("POST", "/api/plans/small-2026/read-link", ""));
  const std::string url = link["read_link"];
  const std::string read = url.substr(url.find("?read="));
  for (const std::string &path :
       {"/plans/small-2026" + read, "/plans/small-2026" + read + "&key=0123abcd"}) {
    CAPTURE(path);
    auto bare = s.get(path);
    REQUIRE(bare.status == 200);
    CHECK(bare.body.find("党员大会") != std::string::npos);
    CHECK(bare.body.find(token) == std::string::npos);
    CHECK(bare.body.find("/feeds/") == std::string::npos);
    CHECK(bare.body.find("id=\"subscribe-note\"") != std::string::npos);
    CHECK(bare.body.find("xun serve") != std::string::npos);
  }
  CHECK(s.get("/plans/small-2026?key=0123abcd").status == 404);

  auto page = s.get("/plans/small-2026?key=" + token);
  REQUIRE(page.status == 200);
  CHECK(page.header("content-type").find("text/html") == 0);
  CHECK(page.header("referrer-policy") == "no-referrer");
  CHECK(page.body.find("subscribe-note") == std::string::npos);
  CHECK(page.body.find("党员大会") != std::string::npos);
  const std::string webcal = created["feeds"]["webcal"];
  const std::string https = created["feeds"]["https"];
  CHECK(page.body.find("href=\"" + webcal + "\"") != std::string::npos);
  CHECK(page.body.find("href=\"" + https + "\"") != std::string::npos);
  const std::string li = created["feeds"]["people"]["li"]["webcal"];
  CHECK(page.body.find("href=\"" + li + "\"") != std::string::npos);
  CHECK(s.get(path_of(https)).status == 200); // the links lead to the feeds
  CHECK(s.get(path_of(li)).status == 200);
  CHECK(s.get("/plans/small-2026", auth()).body.find("href=\"" + webcal + "\"") !=
        std::string::npos);

  // A revoked key opens the page no more.
  REQUIRE(s.send("POST", "/api/plans/small-2026/feed-token", "").status == 201);
  CHECK(s.get("/plans/small-2026?key=" + token).status == 404);

  CHECK(page.body.find("id=\"month-12\"") != std::string::npos);
  CHECK(page.body.find("@media print") != std::string::npos);
  CHECK(page.body.find("春节") != std::string::npos); // holidays marked
  CHECK(page.body.find("补班") != std::string::npos); // and make-up days
  CHECK(s.get("/plans/unknown").status == 404);
}
