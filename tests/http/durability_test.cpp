// `xun serve` killed with SIGKILL during a stream of writes: after a restart
// every acknowledged write is there.
#include "http/support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <mutex>

using nlohmann::json;
using namespace xun::http;
using namespace xun::http::test;

namespace {

std::string numbered_plan(int i, const std::string &when) {
  std::string text = small_plan(when);
  const std::string from = "id: small-2026\n";
  text.replace(text.find(from), from.size(), "id: p" + std::to_string(i) + "\n");
  // Next year's: this year's March is past by now (the real clock is as-of),
  // and moving it would be refused (PLAN.md §6.5).
  text.replace(text.find("year: 2026"), 10, "year: 2099");
  return text;
}

} // namespace

TEST_CASE("nothing acknowledged is lost when the server is killed with SIGKILL mid-stream") {
  TempDir dir;
  const auto db = dir.path / "xun.db";
  const auto log = dir.path / "serve.log";
  struct Acked {
    std::string id;
    int revision;
    std::string source;
  };
  std::vector<Acked> acked;
  std::mutex m;
  std::atomic<int> count{0};
  {
    ChildServer child(db, free_port(), log);
    const int port = child.port;
    std::thread writer([&] {
      for (int i = 0; i < 500; ++i) {
        const std::string first = numbered_plan(i, "3月");
        auto r = http_request("127.0.0.1", port, "POST", "/api/plans", auth(), first,
                              "application/yaml");
        if (r.status == 0)
          return;
        if (r.status == 201) {
          std::lock_guard lock(m);
          acked.push_back({"p" + std::to_string(i), 1, first});
          ++count;
        }
        const std::string second = numbered_plan(i, "6月");
        r = http_request("127.0.0.1", port, "PUT", "/api/plans/p" + std::to_string(i), auth(),
                         second, "application/yaml");
        if (r.status == 0)
          return;
        if (r.status == 200) {
          std::lock_guard lock(m);
          acked.push_back({"p" + std::to_string(i), 2, second});
          ++count;
        }
      }
    });
    while (count < 20)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    child.kill_now(SIGKILL);
    writer.join();
    CHECK(WIFSIGNALED(child.last_status));
  }
  REQUIRE(acked.size() >= 20);

  ChildServer again(db, free_port(), log);
  for (const auto &a : acked) {
    CAPTURE(a.id);
    CAPTURE(a.revision);
    auto source = http_request(
        "127.0.0.1", again.port, "GET",
        "/api/plans/" + a.id + "/source?revision=" + std::to_string(a.revision), auth());
    CHECK(source.status == 200);
    CHECK(source.body == a.source);
    auto plan = http_request("127.0.0.1", again.port, "GET", "/api/plans/" + a.id, auth());
    REQUIRE(plan.status == 200);
    CHECK(json::parse(plan.body)["revision"].get<int>() >= a.revision);
  }
  // And the restarted server serves the feeds of what it kept.
  auto plan = json::parse(
      http_request("127.0.0.1", again.port, "GET", "/api/plans/" + acked.front().id, auth()).body);
  const std::string feed = plan["feeds"]["https"];
  auto r = http_request("127.0.0.1", again.port, "GET", feed.substr(feed.find("/feeds/")));
  CHECK(r.status == 200);
  CHECK(r.body.find("BEGIN:VCALENDAR") == 0);
}

TEST_CASE(
    "xun serve stops cleanly on SIGTERM and keeps its admin token and demo plan across restarts") {
  TempDir dir;
  const auto db = dir.path / "xun.db";
  const auto log = dir.path / "serve.log";
  std::string first_plans;
  {
    ChildServer child(db, free_port(), log, {"--demo"});
    first_plans = http_request("127.0.0.1", child.port, "GET", "/api/plans", auth()).body;
    child.kill_now(SIGTERM);
    CHECK(WIFEXITED(child.last_status));
    CHECK(WEXITSTATUS(child.last_status) == 0);
  }
  auto plans = json::parse(first_plans)["plans"];
  REQUIRE(plans.size() == 1);
  {
    ChildServer child(db, free_port(), log, {"--demo"});
    auto again = json::parse(
        http_request("127.0.0.1", child.port, "GET", "/api/plans", auth()).body)["plans"];
    CHECK(again.size() == 1); // --demo on an existing database adds nothing
    CHECK(again[0]["id"] == plans[0]["id"]);
  }
  const std::string output = read_file(log);
  CHECK(output.find("/plans/" + plans[0]["id"].get<std::string>() + "?key=") != std::string::npos);
  CHECK(output.find("/feeds/") != std::string::npos);
  CHECK(output.find("xun serve: stopped") != std::string::npos);
}
