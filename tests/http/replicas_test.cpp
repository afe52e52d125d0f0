// ctest-fixtures: pg
// ctest-labels: no-sanitize
// Two `xun serve` replicas on one PostgreSQL database: what one commits the
// other serves, byte for byte and with the same validators, within a second;
// one killed with SIGKILL during writes through both loses nothing it
// acknowledged.
#include "http/support.hpp"
#include "support/pg_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <mutex>

using nlohmann::json;
using namespace xun::http::test;
using namespace std::chrono_literals;
namespace t = xun::testing;

namespace {

std::string path_of(const std::string &url) {
  const auto host = url.find("//");
  return url.substr(url.find('/', host + 2));
}

std::string numbered_plan(const std::string &id, const std::string &when) {
  std::string text = small_plan(when);
  const std::string from = "id: small-2026\n";
  text.replace(text.find(from), from.size(), "id: " + id + "\n");
  return text;
}

HttpResponse get(const ChildServer &s, const std::string &path, const HttpHeaders &h = {}) {
  return http_request("127.0.0.1", s.port, "GET", path, h);
}

// Polls `path` on `s` until `done` holds or `within` passed; the time it took.
template <class Done>
std::chrono::milliseconds until(const ChildServer &s, const std::string &path, Done done,
                                std::chrono::milliseconds within = 5000ms) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (done(get(s, path)) || took > within)
      return took;
    std::this_thread::sleep_for(10ms);
  }
}

} // namespace

TEST_CASE("a plan created through one replica is served by the other, same bytes and validators") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  TempDir dir;
  const std::string url = t::fresh_database(pg);
  ChildServer a(url, free_port(), dir.path / "a.log");
  ChildServer b(url, free_port(), dir.path / "b.log");

  auto created = http_request("127.0.0.1", a.port, "POST", "/api/plans", auth(), small_plan(),
                              "application/yaml");
  REQUIRE(created.status == 201);
  const std::string feed = path_of(json::parse(created.body)["feeds"]["https"]);
  const std::string person = feed.substr(0, feed.size() - 4) + "/people/zhang.ics";
  const auto on_a = get(a, feed);
  REQUIRE(on_a.status == 200);
  const auto took = until(b, feed, [](const HttpResponse &r) { return r.status == 200; });
  CHECK(took < 1000ms);
  const auto on_b = get(b, feed);
  CHECK(on_b.body == on_a.body);
  CHECK(on_b.header("etag") == on_a.header("etag"));
  CHECK(on_b.header("last-modified") == on_a.header("last-modified"));
  CHECK(get(b, person).body == get(a, person).body);
  CHECK(get(b, person).header("etag") == get(a, person).header("etag"));
  CHECK(get(b, feed, {{"If-None-Match", on_a.header("etag")}}).status == 304);

  SUBCASE("a PUT through the other is served by the first within a second") {
    auto put = http_request("127.0.0.1", b.port, "PUT", "/api/plans/small-2026", auth(),
                            small_plan("6月"), "application/yaml");
    REQUIRE(put.status == 200);
    const auto new_on_b = get(b, feed);
    REQUIRE(new_on_b.header("etag") != on_a.header("etag"));
    const auto seen = until(a, feed, [&](const HttpResponse &r) {
      return r.header("etag") == new_on_b.header("etag");
    });
    MESSAGE("the PUT through B was served by A after " << seen.count() << " ms");
    CHECK(seen < 1000ms);
    CHECK(get(a, feed).body == new_on_b.body);
    CHECK(get(a, feed).header("last-modified") == new_on_b.header("last-modified"));
    CHECK(get(a, person).header("etag") == get(b, person).header("etag"));
    CHECK(get(a, person).header("last-modified") == get(b, person).header("last-modified"));
  }

  SUBCASE("a new feed token through one replica replaces the old one on the other") {
    auto rotated = http_request("127.0.0.1", a.port, "POST", "/api/plans/small-2026/feed-token",
                                auth(), "", "application/json");
    REQUIRE(rotated.status == 201);
    const std::string fresh = path_of(json::parse(rotated.body)["feeds"]["https"]);
    CHECK(until(b, fresh, [](const HttpResponse &r) { return r.status == 200; }) < 1000ms);
    CHECK(get(b, feed).status == 404);
    CHECK(get(b, fresh).body == on_a.body);
  }

  SUBCASE("a plan deleted through one replica is gone from the other") {
    REQUIRE(http_request("127.0.0.1", b.port, "DELETE", "/api/plans/small-2026", auth()).status ==
            204);
    CHECK(until(a, feed, [](const HttpResponse &r) { return r.status == 404; }) < 1000ms);
    CHECK(get(a, "/api/plans/small-2026").status == 404);
  }
}

TEST_CASE("one replica killed with SIGKILL during writes through both loses nothing acknowledged") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  TempDir dir;
  const std::string url = t::fresh_database(pg);
  struct Acked {
    std::string id;
    int revision;
    std::string source;
  };
  std::vector<Acked> acked;
  std::mutex m;
  std::atomic<int> count{0};
  ChildServer b(url, free_port(), dir.path / "b.log");
  {
    ChildServer a(url, free_port(), dir.path / "a.log");
    // Each writer creates plans and changes them through its replica; every
    // third change goes to a plan the other replica created.
    auto writer = [&](int port, const std::string &prefix, const std::string &other) {
      for (int i = 0; i < 300; ++i) {
        const std::string id = prefix + std::to_string(i);
        const std::string first = numbered_plan(id, "3月");
        auto r = http_request("127.0.0.1", port, "POST", "/api/plans", auth(), first,
                              "application/yaml");
        if (r.status == 0)
          return;
        if (r.status == 201) {
          std::lock_guard lock(m);
          acked.push_back({id, 1, first});
          ++count;
        }
        const std::string target = i % 3 == 2 ? other + std::to_string(i - 1) : id;
        const std::string second = numbered_plan(target, "6月");
        r = http_request("127.0.0.1", port, "PUT", "/api/plans/" + target, auth(), second,
                         "application/yaml");
        if (r.status == 0)
          return;
        if (r.status == 200) {
          std::lock_guard lock(m);
          acked.push_back({target, json::parse(r.body)["revision"].get<int>(), second});
          ++count;
        }
      }
    };
    std::thread through_a([&] { writer(a.port, "a", "b"); });
    std::thread through_b([&] { writer(b.port, "b", "a"); });
    while (count < 40)
      std::this_thread::sleep_for(5ms);
    a.kill_now(SIGKILL);
    through_a.join();
    through_b.join();
    CHECK(WIFSIGNALED(a.last_status));
  }
  REQUIRE(acked.size() >= 40);
  MESSAGE(acked.size() << " writes acknowledged before and after A was killed");
  ChildServer c(url, free_port(), dir.path / "c.log"); // a replica started afterwards
  for (const auto &server : {&b, &c})
    for (const auto &w : acked) {
      CAPTURE(w.id);
      CAPTURE(w.revision);
      auto source = get(
          *server, "/api/plans/" + w.id + "/source?revision=" + std::to_string(w.revision), auth());
      CHECK(source.status == 200);
      CHECK(source.body == w.source);
    }
}
