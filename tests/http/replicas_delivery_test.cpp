// ctest-fixtures: pg
// ctest-labels: checkers;no-sanitize
// Two `xun serve` replicas on one PostgreSQL send one outbox: every due
// message reaches the receiver exactly once across both, also when one
// replica is killed with SIGKILL in the middle of the burst (its leased rows
// are finished by the other after the lease; a send cut off mid-request is
// `unknown`, never sent again).
#include "http/support.hpp"
#include "notify/servers.hpp"
#include "support/pg_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>

using nlohmann::json;
using namespace xun::http::test;
namespace t = xun::testing;

namespace {

constexpr const char *webhook_secret = "whsec_c2VjcmV0LWtleS1mb3Itd2ViaG9va3M=";

json outbox_of(const ChildServer &s, const std::string &plan) {
  const auto r = http_request("127.0.0.1", s.port, "GET", "/api/plans/" + plan + "/outbox", auth());
  INFO(r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body).at("outbox");
}

// What both replicas are started with: one seal key and one running clock
// (XUN_NOW from `start`, 20× real time); set while they start.
class ReplicaEnv {
public:
  ReplicaEnv(char key_digit, std::int64_t start) {
    setenv("XUN_SECRET_KEY", std::string(64, key_digit).c_str(), 1);
    setenv("XUN_NOW", (std::to_string(start) + "+").c_str(), 1);
    setenv("XUN_CLOCK_SPEED", "20", 1);
  }
  ~ReplicaEnv() {
    unsetenv("XUN_SECRET_KEY");
    unsetenv("XUN_NOW");
    unsetenv("XUN_CLOCK_SPEED");
  }
  ReplicaEnv(const ReplicaEnv &) = delete;
  ReplicaEnv &operator=(const ReplicaEnv &) = delete;
};

// 2026-01-06 08:00 in Shanghai (00:00 UTC), as Unix seconds.
constexpr std::int64_t jan6_8am = 1767225600 + 5 * 86400;

// A plan of `n` one-hour activities at 09:00 on 2026-01-06, each reminded 30 minutes before.
std::string morning_plan(const std::string &id, const std::string &title, std::size_t n) {
  std::string text = "id: " + id + "\nplan: " + title + "\nyear: 2026\nactivities:\n";
  for (std::size_t i = 0; i < n; ++i)
    text += "  - {id: a" + std::to_string(i) + ", title: 活动" + std::to_string(i) +
            ", when: 2026-01-06, at: \"09:00\", duration: 1h, reminders: [30m]}\n";
  return text;
}

} // namespace

TEST_CASE("two replicas deliver each due message exactly once, one of them killed mid-burst") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  TempDir dir;
  t::TempDir tools("replicas-delivery");
  xun::notify::test::RobotStub stub(tools, {std::string("/webhook=") + webhook_secret});
  json slow = json::array();
  for (int i = 0; i < 200; ++i)
    slow.push_back({{"reply", "ok"}, {"delay_ms", 150}});
  stub.set_script(json{{"/webhook", slow}});

  // Both replicas: one database, one seal key, one running clock from
  // 2026-01-06 08:25 in Shanghai at 20× (the 08:30 reminders in 15 s).
  const std::string url = t::fresh_database(pg);
  std::unique_ptr<ChildServer> a;
  std::optional<ChildServer> b_started;
  {
    const ReplicaEnv env('a', jan6_8am + 25 * 60);
    a = std::make_unique<ChildServer>(url, free_port(), dir.path / "a.log");
    b_started.emplace(url, free_port(), dir.path / "b.log");
  }
  ChildServer &b = *b_started;

  constexpr std::size_t activities = 60;
  const std::string text = morning_plan("replicas-2026", "两个副本", activities);
  const auto created =
      http_request("127.0.0.1", a->port, "POST", "/api/plans", auth(), text, "application/yaml");
  REQUIRE(created.status == 201);
  // The channel through A, the plan's notify setting through B.
  const auto channel = http_request("127.0.0.1", a->port, "POST", "/api/channels", auth(),
                                    json{{"type", "webhook"},
                                         {"name", "hook"},
                                         {"url", stub.url("/webhook/replicas")},
                                         {"secret", webhook_secret}}
                                        .dump(),
                                    "application/json");
  INFO(channel.body);
  REQUIRE(channel.status == 201);
  const std::string channel_id = json::parse(channel.body).at("id");
  const auto notify =
      http_request("127.0.0.1", b.port, "PUT", "/api/plans/replicas-2026/notify", auth(),
                   json{{"channels", {channel_id}}}.dump(), "application/json");
  INFO(notify.body);
  REQUIRE(notify.status == 200);
  REQUIRE(outbox_of(b, "replicas-2026").size() == activities);

  for (int i = 0; i < 1200 && stub.accepted().size() < 15; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(stub.accepted().size() >= 15);
  a->kill_now(SIGKILL);
  a.reset();
  const auto at_kill = stub.accepted().size();

  // B finishes A's rows once their leases (120 s, 6 s here) run out.
  bool settled = false;
  for (int i = 0; i < 1200 && !settled; ++i) {
    settled = true;
    for (const auto &row : outbox_of(b, "replicas-2026"))
      settled = settled && row.at("status") != "pending" && row.at("status") != "sending";
    if (!settled)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(settled);
  std::map<std::string, int> delivered;
  for (const auto &m : stub.accepted())
    delivered[m.at("headers").at("webhook-id").get<std::string>()]++;
  int unknown = 0;
  for (const auto &row : outbox_of(b, "replicas-2026")) {
    CAPTURE(row.dump());
    const std::string key = row.at("key");
    if (row.at("status") == "unknown") {
      ++unknown;
      CHECK(delivered[key] <= 1);
    } else {
      CHECK(row.at("status") == "sent");
      CHECK(delivered[key] == 1);
    }
  }
  CHECK(unknown <= 2); // A's two workers, each with at most one request under way
  MESSAGE("replicas: " << at_kill << " delivered when A was killed, " << unknown
                       << " cut off mid-request, " << stub.accepted().size() << " in all");
}

TEST_CASE("two replicas keep a WeCom robot under its limit together, not each") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  TempDir dir;
  t::TempDir tools("replicas-pace");
  xun::notify::test::RobotStub stub(tools, {});
  // 2026-01-06 08:29:30 in Shanghai at 20×: the 08:30 reminders in 1.5 s.
  const std::string url = t::fresh_database(pg);
  const ReplicaEnv env('b', jan6_8am + 29 * 60 + 30);
  ChildServer a(url, free_port(), dir.path / "a.log");
  ChildServer b(url, free_port(), dir.path / "b.log");

  constexpr std::size_t activities = 6;
  const std::string text = morning_plan("pace-2026", "限速", activities);
  REQUIRE(http_request("127.0.0.1", a.port, "POST", "/api/plans", auth(), text, "application/yaml")
              .status == 201);
  const auto channel = http_request(
      "127.0.0.1", a.port, "POST", "/api/channels", auth(),
      json{{"type", "wecom"}, {"name", "群"}, {"url", stub.url("/wecom/send?key=k-0002")}}.dump(),
      "application/json");
  INFO(channel.body);
  REQUIRE(channel.status == 201);
  REQUIRE(http_request("127.0.0.1", b.port, "PUT", "/api/plans/pace-2026/notify", auth(),
                       json{{"channels", {json::parse(channel.body).at("id")}}}.dump(),
                       "application/json")
              .status == 200);
  for (int i = 0; i < 600 && stub.accepted().size() < activities; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto got = stub.accepted();
  REQUIRE(got.size() == activities);
  // WeCom's pace, 2 at once then one per 3.3 s, held across both replicas:
  // the 6th arrives ≥ 4 × 3.3 s after the first (each replica pacing alone
  // would send 3 each, the last after one interval).
  const double span = got.back().at("time").get<double>() - got.front().at("time").get<double>();
  MESSAGE("6 WeCom messages through two replicas over " << span << " s");
  CHECK(span >= 4 * 3.3 - 0.3);
}
