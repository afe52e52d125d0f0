// ctest-fixtures: pg
// ctest-labels: no-sanitize
// `xun migrate --from sqlite:FILE --to postgresql://…`: the seed plans, with
// revisions, tokens (a rotated one too), a deleted plan and the settings, are
// served from PostgreSQL afterwards exactly as from the SQLite file: the same
// plan list, the same feed bytes and validators, the same sources.
#include "http/support.hpp"
#include "support/pg_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <regex>

using nlohmann::json;
using namespace xun::http::test;
namespace t = xun::testing;

namespace {

std::string plan_file(const std::string &name) {
  return read_file(std::filesystem::path(env("XUN_DATA_DIR")) / "plans" / name);
}

HttpResponse call(const ChildServer &s, const std::string &method, const std::string &path,
                  const std::string &body = "") {
  return http_request("127.0.0.1", s.port, method, path, auth(), body, "application/yaml");
}

std::string path_of(const std::string &url) {
  const auto host = url.find("//");
  return url.substr(url.find('/', host + 2));
}

std::string without_host(const ChildServer &s, const std::string &body) {
  return std::regex_replace(body, std::regex("127\\.0\\.0\\.1:" + std::to_string(s.port)), "HOST");
}

// The plan list with this server's host:port taken out, and every feed path in it.
std::string plan_list(const ChildServer &s, std::vector<std::string> &feeds) {
  const std::string body = call(s, "GET", "/api/plans").body;
  const auto list = json::parse(body);
  for (const auto &listed : list["plans"]) {
    const auto plan =
        json::parse(call(s, "GET", "/api/plans/" + listed["id"].get<std::string>()).body);
    if (!plan.contains("feeds"))
      continue;
    feeds.push_back(path_of(plan["feeds"]["https"]));
    for (const auto &[person, links] : plan["feeds"]["people"].items())
      feeds.push_back(path_of(links["https"]));
  }
  return without_host(s, body);
}

} // namespace

TEST_CASE("xun migrate moves an SQLite database into PostgreSQL and the feeds are the same bytes") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  TempDir dir;
  const auto db = dir.path / "xun.db";
  const std::string url = t::fresh_database(pg);
  {
    ChildServer s(db, free_port(), dir.path / "before.log", {"--demo"});
    REQUIRE(call(s, "POST", "/api/plans", plan_file("committee-2026.yaml")).status == 201);
    REQUIRE(call(s, "POST", "/api/plans", plan_file("township-2026.yaml")).status == 201);
    auto plans = json::parse(call(s, "GET", "/api/plans").body)["plans"];
    REQUIRE(plans.size() == 3);
    const std::string demo = plans[0]["id"], committee = plans[1]["id"], township = plans[2]["id"];
    // The same text again (a revision whose feeds keep their bytes), a draft on top of it.
    REQUIRE(call(s, "PUT", "/api/plans/" + demo, plan_file("party-branch-2026.yaml")).status ==
            200);
    REQUIRE(call(s, "PUT", "/api/plans/" + committee, "plan: broken\nactivitiez: []\n").status ==
            422); // kept as an invalid revision
    REQUIRE(call(s, "POST", "/api/plans/" + committee + "/feed-token").status == 201);
    REQUIRE(call(s, "DELETE", "/api/plans/" + township).status == 204);
    s.kill_now(SIGTERM);
  }

  const std::string xun = shell_quote(env("XUN_BINARY"));
  int status = -1;
  const std::string said =
      run_output(xun + " migrate --from " + shell_quote("sqlite:" + db.string()) + " --to " +
                     shell_quote(url) + " 2>&1",
                 &status);
  CAPTURE(said);
  REQUIRE(status == 0);
  CHECK(said.find("revisions=") != std::string::npos);

  // Both served side by side; --demo on PostgreSQL finds the demo seeded already (settings moved).
  ChildServer from_sqlite(db, free_port(), dir.path / "sqlite.log", {"--demo"});
  ChildServer from_pg(url, free_port(), dir.path / "pg.log", {"--demo"});
  std::vector<std::string> feeds, feeds_pg;
  CHECK(plan_list(from_pg, feeds_pg) == plan_list(from_sqlite, feeds));
  CHECK(feeds == feeds_pg);
  REQUIRE(feeds.size() >= 4);
  for (const auto &feed : feeds) {
    CAPTURE(feed);
    const auto a = call(from_sqlite, "GET", feed);
    const auto b = call(from_pg, "GET", feed);
    REQUIRE(a.status == 200);
    CHECK(b.status == 200);
    CHECK(b.body == a.body);
    CHECK(b.header("etag") == a.header("etag"));
    CHECK(b.header("last-modified") == a.header("last-modified"));
  }
  const auto listed = json::parse(call(from_sqlite, "GET", "/api/plans").body);
  for (const auto &plan : listed["plans"]) {
    const std::string id = plan["id"];
    CHECK(without_host(from_pg, call(from_pg, "GET", "/api/plans/" + id).body) ==
          without_host(from_sqlite, call(from_sqlite, "GET", "/api/plans/" + id).body));
    for (int r = 1; r <= plan["revision"].get<int>(); ++r) {
      const std::string source = "/api/plans/" + id + "/source?revision=" + std::to_string(r);
      CHECK(call(from_pg, "GET", source).body == call(from_sqlite, "GET", source).body);
    }
  }
  // The deleted plan's id stays taken there too: the same plan again gets another id.
  auto again =
      json::parse(call(from_pg, "POST", "/api/plans", plan_file("township-2026.yaml")).body);
  auto again_sqlite =
      json::parse(call(from_sqlite, "POST", "/api/plans", plan_file("township-2026.yaml")).body);
  CHECK(again["id"] == again_sqlite["id"]);

  // Into a database that has plans: refused, nothing changed.
  const std::string refused =
      run_output(xun + " migrate --from " + shell_quote("sqlite:" + db.string()) + " --to " +
                     shell_quote(url) + " 2>&1",
                 &status);
  CHECK(status == 1);
  CHECK(refused.find("already has plans") != std::string::npos);
}
