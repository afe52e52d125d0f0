// Running Xun as a service: /healthz with the version and the store's state,
// the access log (no feed token in it), graceful shutdown on SIGTERM that
// finishes a request under way, and `xun backup` while the server writes.
#include "http/support.hpp"
#include "support/raw_socket.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <sys/stat.h>

using nlohmann::json;
using namespace xun::http;
using namespace xun::http::test;
using xun::testing::RawConnection;

namespace {

// The version CMake's project() gives, read from the source tree.
std::string project_version() {
  const std::string cmake =
      read_file(std::filesystem::path(env("XUN_SOURCE_DIR")) / "CMakeLists.txt");
  std::smatch m;
  REQUIRE(std::regex_search(cmake, m, std::regex(R"(project\(xun VERSION ([0-9.]+))")));
  return m[1].str();
}

std::vector<json> json_lines(const std::string &text) {
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line.front() == '{')
      out.push_back(json::parse(line, nullptr, false));
  return out;
}

int wait_exit(pid_t pid, std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

TEST_CASE("GET /healthz names the version and the store, and answers 503 when the store fails") {
  TestServer server;
  auto ok = server.get("/healthz");
  CHECK(ok.status == 200);
  CHECK(ok.header("cache-control") == "no-store");
  const json body = json::parse(ok.body);
  CHECK(body["status"] == "ok");
  CHECK(body["store"] == "ok");
  CHECK(body["version"] == project_version());

  // The database file is deleted under the running server: writes would go
  // to a file no restart finds.
  std::filesystem::remove(server.dir.path / "xun.db");
  auto failed = server.get("/healthz");
  CHECK(failed.status == 503);
  const json problem = json::parse(failed.body);
  CHECK(problem["status"] == "unavailable");
  CHECK(problem["store"] == "unavailable");
  CHECK(problem["version"] == project_version());
  CHECK(problem["detail"].get<std::string>().find("xun.db was removed or replaced") !=
        std::string::npos);
}

TEST_CASE("the access log has a JSON line per request, with no feed token in it") {
  TempDir dir;
  const auto log = dir.path / "serve.log";
  std::string token;
  {
    ChildServer child(dir.path / "xun.db", free_port(), log, {"--access-log"});
    auto created = http_request("127.0.0.1", child.port, "POST", "/api/plans", auth(), small_plan(),
                                "application/yaml");
    REQUIRE(created.status == 201);
    const std::string feed = json::parse(created.body)["feeds"]["https"];
    const auto at = feed.find("/feeds/");
    REQUIRE(at != std::string::npos);
    token = feed.substr(at + 7, feed.find(".ics") - at - 7);
    REQUIRE(token.size() >= 16);
    auto got = http_request("127.0.0.1", child.port, "GET", feed.substr(at));
    REQUIRE(got.status == 200);
    CHECK(http_request("127.0.0.1", child.port, "GET", "/nothing-here").status == 404);
    child.kill_now(SIGTERM); // a line is written after its answer: let the last one finish
  }
  const std::string text = read_file(log);
  CHECK(text.find(token) == std::string::npos);
  INFO(text);
  const auto lines = json_lines(text);
  bool saw_feed = false, saw_post = false, saw_404 = false;
  for (const auto &l : lines) {
    REQUIRE(l.is_object());
    CHECK(std::regex_match(l["time"].get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    CHECK(l["ms"].get<double>() >= 0);
    if (l["path"] == "/feeds/….ics") {
      saw_feed = l["method"] == "GET" && l["status"] == 200 && l["bytes"].get<long>() > 100;
    }
    saw_post =
        saw_post || (l["method"] == "POST" && l["path"] == "/api/plans" && l["status"] == 201);
    saw_404 = saw_404 || (l["path"] == "/nothing-here" && l["status"] == 404);
  }
  CHECK(saw_feed);
  CHECK(saw_post);
  CHECK(saw_404);
}

TEST_CASE("SIGTERM finishes the request under way, then the server exits 0") {
  TempDir dir;
  const auto log = dir.path / "serve.log";
  ChildServer child(dir.path / "xun.db", free_port(), log);
  const std::string body = small_plan();
  RawConnection c(child.port);
  REQUIRE(c.connected());
  // Half the body is sent, then the server is told to stop.
  REQUIRE(c.send("POST /api/plans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin +
                 "\r\nContent-Type: application/yaml\r\nContent-Length: " +
                 std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, body.size() / 2)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ::kill(child.pid, SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // No new connection is taken …
  CHECK(http_request("127.0.0.1", child.port, "GET", "/healthz").status == 0);
  // … but the request under way is read whole, stored and answered.
  REQUIRE(c.send(body.substr(body.size() / 2)));
  const std::string answer = c.receive(std::chrono::seconds(10));
  INFO(answer);
  CHECK(RawConnection::status_of(answer) == 201);
  CHECK(c.closed_by_peer(std::chrono::seconds(2))); // and the connection is not kept
  const int status = wait_exit(child.pid, std::chrono::seconds(15));
  child.pid = -1;
  CHECK(status == 0);
  const std::string text = read_file(log);
  CHECK(text.find("SIGTERM: stopping; requests under way are finished") != std::string::npos);
  CHECK(text.find("xun serve: stopped") != std::string::npos);

  // What it acknowledged is there after a restart.
  ChildServer again(dir.path / "xun.db", free_port(), log);
  CHECK(http_request("127.0.0.1", again.port, "GET", "/api/plans/small-2026", auth()).status ==
        200);
}

TEST_CASE("xun backup copies the database consistently while the server writes") {
  TempDir dir;
  const auto db = dir.path / "xun.db";
  const auto log = dir.path / "serve.log";
  ChildServer child(db, free_port(), log);
  std::atomic<bool> writing{true};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; writing && i < 200; ++i) {
      std::string text = small_plan();
      text.replace(text.find("id: small-2026"), 14, "id: w" + std::to_string(i));
      if (http_request("127.0.0.1", child.port, "POST", "/api/plans", auth(), text,
                       "application/yaml")
              .status == 201)
        ++written;
    }
  });
  while (written < 5)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto copy = dir.path / "backups" / "xun-copy.db";
  std::filesystem::create_directories(copy.parent_path());
  const auto run = xun::testing::run_piped(shell_quote(env("XUN_BINARY")) + " backup " +
                                           shell_quote(copy.string()) + " --db " +
                                           shell_quote(db.string()) + " 2>&1");
  writing = false;
  writer.join();
  INFO(run.out);
  REQUIRE(run.status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(run.out, m, std::regex(R"(\((\d+) plans\))")));
  const int copied = std::stoi(m[1].str());
  CHECK(copied >= 5);
  CHECK(copied <= written + 1); // one more may be committed, its answer not yet read
  struct stat st {};
  REQUIRE(::stat(copy.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600); // it holds the feed tokens and the admin digest
  CHECK(!std::filesystem::exists(copy.string() + ".partial"));

  // The copy serves: every plan it counted is there, each whole.
  ChildServer restored(copy, free_port(), dir.path / "restored.log");
  auto plans =
      json::parse(http_request("127.0.0.1", restored.port, "GET", "/api/plans", auth()).body);
  CHECK(static_cast<int>(plans["plans"].size()) == copied);
  for (const auto &p : plans["plans"])
    CHECK(http_request("127.0.0.1", restored.port, "GET",
                       "/api/plans/" + p["id"].get<std::string>() + "/schedule", auth())
              .status == 200);
}

TEST_CASE("xun backup says what to use for PostgreSQL, and refuses to copy a file onto itself") {
  TempDir dir;
  const std::string xun = shell_quote(env("XUN_BINARY"));
  auto pg = xun::testing::run_piped(xun + " backup /tmp/x.dump --db postgres://xun@db/xun 2>&1");
  CHECK(pg.status == 1);
  CHECK(pg.out.find("pg_dump --format=custom --file=/tmp/x.dump") != std::string::npos);
  auto missing =
      xun::testing::run_piped(xun + " backup " + shell_quote((dir.path / "c.db").string()) +
                              " --db " + shell_quote((dir.path / "none.db").string()) + " 2>&1");
  CHECK(missing.status == 1);
  CHECK(missing.out.find("no database at") != std::string::npos);
  auto usage = xun::testing::run_piped(xun + " backup 2>&1");
  CHECK(usage.status == 2);
}

TEST_CASE("xun serve refuses to start with an XUN_CA_FILE it cannot read, naming it") {
  TempDir dir;
  const std::string xun = shell_quote(env("XUN_BINARY"));
  const std::string missing = (dir.path / "no-such-ca.pem").string();
  auto r = xun::testing::run_piped("XUN_CA_FILE=" + shell_quote(missing) + " timeout 20 " + xun +
                                   " serve --db " + shell_quote((dir.path / "x.db").string()) +
                                   " --port 0 2>&1");
  CHECK(r.status == 1);
  CHECK(r.out.find("XUN_CA_FILE " + missing) != std::string::npos);
}
