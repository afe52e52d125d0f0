// Abusive requests over a real socket (issue 12): each answered with the
// right status and a sentence, never a crash, a hang or a lie.
#include "http/auth_throttle.hpp"
#include "http/conditional.hpp"
#include "http/links.hpp"
#include "http/support.hpp"
#include "support/raw_socket.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

using nlohmann::json;
using namespace xun::http;
using namespace xun::http::test;
using xun::testing::RawConnection;
using namespace std::chrono_literals;

namespace {

json body_json(const HttpResponse &r) { return json::parse(r.body); }

std::string body_of(const std::string &response) {
  const auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

std::string head(const std::string &method, const std::string &path,
                 const std::string &extra = "") {
  return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

std::string chunk(const std::string &bytes) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
  return size + bytes + "\r\n";
}

std::string bearer() { return "Authorization: Bearer " + admin + "\r\n"; }

} // namespace

TEST_CASE("a text that does not load with a 30000-character id line is a 422, not a crash") {
  TestServer s;
  const std::string text = "id: " + std::string(30000, 'a') + "\nyear: nope\n";
  auto r = s.send("POST", "/api/plans", text);
  CHECK(r.status == 422);
  CHECK(body_json(r)["id"].get<std::string>() == std::string(64, 'a')); // the slug's limit
  CHECK(s.get("/healthz").status == 200);
}

TEST_CASE("a chunked body without the token is refused before it is read, and the "
          "connection ends") {
  TestServer s;
  RawConnection c(s.port);
  REQUIRE(c.send(head("POST", "/api/plans", "Transfer-Encoding: chunked\r\n")));
  const std::string response = c.receive(2000ms);
  CHECK(RawConnection::status_of(response) == 401);
  CHECK(response.find("Connection: close") != std::string::npos);
  // What the client goes on sending is not read as requests (it used to be
  // answered 400 after 400, the body read whole).
  const std::string line = std::string(1000, 'x') + "\n";
  std::string more;
  for (int i = 0; i < 64; ++i)
    more += chunk(line);
  c.send(more);
  CHECK(c.closed_by_peer(2000ms));
}

TEST_CASE("a chunked body over 1 MiB is a 413 that names the limit; nothing is stored") {
  TestServer s;
  RawConnection c(s.port);
  REQUIRE(c.send(head("POST", "/api/plans?file=big.yaml",
                      bearer() + "Content-Type: application/yaml\r\n"
                                 "Transfer-Encoding: chunked\r\n")));
  const std::string piece = "# " + std::string(16 * 1024 - 3, 'x') + "\n";
  for (int i = 0; i < 80 && c.send(chunk(piece)); ++i) // 1.25 MiB
    ;
  c.send("0\r\n\r\n");
  const std::string response = c.receive(5000ms);
  CHECK(RawConnection::status_of(response) == 413);
  CHECK(body_of(response).find("1048576 bytes") != std::string::npos);
  CHECK(body_json(s.get("/api/plans"))["plans"].empty());
}

TEST_CASE("a chunked plan within the limit is accepted") {
  TestServer s;
  RawConnection c(s.port);
  const std::string plan = small_plan();
  REQUIRE(c.send(head("POST", "/api/plans",
                      bearer() + "Content-Type: application/yaml\r\n"
                                 "Transfer-Encoding: chunked\r\n") +
                 chunk(plan.substr(0, 100)) + chunk(plan.substr(100)) + "0\r\n\r\n"));
  CHECK(RawConnection::status_of(c.receive(5000ms)) == 201);
}

TEST_CASE("too many header lines, or too long a head, is a 431 that names the limit") {
  TestServer s;
  {
    RawConnection c(s.port);
    std::string lines;
    for (int i = 0; i < 2000; ++i)
      lines += "X-Filler-" + std::to_string(i) + ": y\r\n";
    c.send(head("GET", "/healthz", lines));
    const std::string response = c.receive(2000ms);
    CHECK(RawConnection::status_of(response) == 431);
    CHECK(body_of(response).find("100 header lines") != std::string::npos);
  }
  {
    RawConnection c(s.port);
    c.send(head("GET", "/healthz", "X-Long: " + std::string(40 * 1024, 'z') + "\r\n"));
    const std::string response = c.receive(2000ms);
    CHECK(RawConnection::status_of(response) == 431);
    CHECK(body_of(response).find("32768 bytes") != std::string::npos);
  }
  CHECK(s.get("/healthz").status == 200);
}

TEST_CASE("a compressed body is a 415 before it is read (no zip bombs)") {
  TestServer s;
  RawConnection c(s.port);
  c.send(head("POST", "/api/plans", bearer() + "Content-Encoding: gzip\r\nContent-Length: 10\r\n") +
         "0123456789");
  const std::string response = c.receive(2000ms);
  CHECK(RawConnection::status_of(response) == 415);
  CHECK(body_of(response).find("uncompressed") != std::string::npos);
}

TEST_CASE("curl's default form content type is a 415 that names the right type") {
  TestServer s;
  const std::string body = small_plan() + "# " + std::string(9000, 'x') + "\n";
  auto r = http_request("127.0.0.1", s.port, "POST", "/api/plans", auth(), body,
                        "application/x-www-form-urlencoded");
  CHECK(r.status == 415);
  const std::string detail = body_json(r)["detail"];
  CHECK(detail.find("application/yaml") != std::string::npos);
  CHECK(detail.find("1048576") == std::string::npos); // it was blamed on the body limit
}

TEST_CASE("POST feed-token without a body or Content-Length is answered at once") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  RawConnection c(s.port);
  c.send(head("POST", "/api/plans/small-2026/feed-token", bearer()));
  const auto start = std::chrono::steady_clock::now();
  const std::string response = c.receive(3000ms);
  CHECK(RawConnection::status_of(response) == 201);
  CHECK(std::chrono::steady_clock::now() - start < 1s);
}

TEST_CASE("a NUL in the path is a 400 whose sentence is whole") {
  TestServer s;
  auto r = s.get("/api/plans/a%00b");
  CHECK(r.status == 400);
  const std::string detail = body_json(r)["detail"];
  CHECK(detail.find("U+0000") != std::string::npos);
  CHECK(detail.find("percent-encoded UTF-8") != std::string::npos);
}

TEST_CASE("the Bearer scheme is case-insensitive") {
  TestServer s;
  CHECK(s.send("POST", "/api/plans", small_plan(), {{"Authorization", "bearer " + admin}}).status ==
        201);
  CHECK(s.send("DELETE", "/api/plans/small-2026", "", {{"Authorization", "BEARER  " + admin}})
            .status == 204);
}

TEST_CASE("after 10 wrong admin tokens an address is answered 429 with Retry-After") {
  TestServer s;
  for (int i = 0; i < 10; ++i)
    REQUIRE(
        s.send("POST", "/api/plans", small_plan(), {{"Authorization", "Bearer guess"}}).status ==
        401);
  auto r = s.send("POST", "/api/plans", small_plan(), {{"Authorization", "Bearer guess"}});
  CHECK(r.status == 429);
  CHECK(std::stoi(r.header("retry-after")) > 0);
  CHECK(body_json(r)["detail"].get<std::string>().find("try again in") != std::string::npos);
  // Not even the right token is checked meanwhile: guessing learns nothing.
  CHECK(s.send("POST", "/api/plans", small_plan()).status == 429);
  CHECK(s.get("/api/plans").status == 200); // reading needs no token
}

TEST_CASE("wrong tokens on reads count too: GET is no oracle for guessing the token") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  for (int i = 0; i < 10; ++i)
    REQUIRE(s.get("/api/plans", {{"Authorization", "Bearer guess"}}).status == 200);
  auto r = s.get("/api/plans", auth()); // the right token, while throttled: not the admin
  REQUIRE(r.status == 200);
  CHECK(body_json(r)["plans"].empty()); // not the admin: no plan is listed
  CHECK(s.send("DELETE", "/api/plans/small-2026", "").status == 429);
}

TEST_CASE("the throttle lets an address in again when its window ends") {
  AuthThrottle t(3, std::chrono::seconds{60});
  const auto t0 = AuthThrottle::Clock::time_point{} + std::chrono::hours{1};
  for (int i = 0; i < 3; ++i)
    t.failed("10.0.0.1", t0);
  CHECK(t.retry_after("10.0.0.1", t0 + 1s) == 59);
  CHECK(!t.retry_after("10.0.0.2", t0 + 1s));
  CHECK(!t.retry_after("10.0.0.1", t0 + 60s));
}

TEST_CASE("links are built only from a valid Host; anything else falls back to the server") {
  TestServer s;
  auto r = s.send("POST", "/api/plans", small_plan(),
                  {{"Authorization", "Bearer " + admin}, {"Host", "127.0.0.1:8080@evil.example"}});
  REQUIRE(r.status == 201);
  const std::string https = body_json(r)["feeds"]["https"];
  CHECK(https.rfind("http://127.0.0.1:" + std::to_string(s.port) + "/feeds/", 0) == 0);
  CHECK(https.find("evil") == std::string::npos);
  auto named = s.get("/api/plans/small-2026",
                     {{"Authorization", "Bearer " + admin}, {"Host", "xun.example.org:8443"}});
  CHECK(body_json(named)["feeds"]["https"].get<std::string>().rfind(
            "http://xun.example.org:8443/feeds/", 0) == 0);
}

TEST_CASE("a Host header is host[:port] of a valid name or address") {
  for (const char *ok : {"localhost", "127.0.0.1:8080", "xun.example.org", "[::1]:8080",
                         "a-b.c9.example", "[2001:db8::1]"})
    CHECK_MESSAGE(is_valid_host_header(ok), ok);
  for (const char *bad : {"", "127.0.0.1:8080@evil.example", "evil.example/path", "a b", "host:0",
                          "host:65536", "host:", "-a.example", "a..b", "a.example-", "[::1",
                          "[zz::1]", "user@host", "host:80:81", "\"quoted\""})
    CHECK_MESSAGE(!is_valid_host_header(bad), bad);
}

TEST_CASE("pages carry a content security policy, nosniff and no referrer") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  REQUIRE(s.send("PATCH", "/api/plans/small-2026", R"({"public": true})").status == 200);
  for (const char *path : {"/", "/plans/small-2026"}) {
    CAPTURE(path);
    auto r = s.get(path);
    REQUIRE(r.status == 200);
    CHECK(r.header("content-security-policy").find("frame-ancestors 'none'") != std::string::npos);
    CHECK(r.header("content-security-policy").find("default-src 'none'") != std::string::npos);
    CHECK(r.header("x-content-type-options") == "nosniff");
    CHECK(r.header("referrer-policy") == "no-referrer");
  }
}

TEST_CASE("two changes within one second: a client revalidating by date gets the new feed") {
  TestServer s; // the clock stands still: both revisions are in the same second
  auto created = s.send("POST", "/api/plans", small_plan("3月"));
  REQUIRE(created.status == 201);
  const std::string feed = body_json(created)["feeds"]["https"];
  const std::string path = feed.substr(feed.find("/feeds/"));
  auto first = s.get(path);
  const std::string since = first.header("last-modified");
  REQUIRE(s.get(path, {{"If-Modified-Since", since}}).status == 304); // nothing changed yet
  REQUIRE(s.send("PUT", "/api/plans/small-2026", small_plan("4月")).status == 200);
  auto again = s.get(path, {{"If-Modified-Since", since}});
  CHECK(again.status == 200);
  CHECK(again.body != first.body);
  // The ETag still tells them apart, and wins over the date.
  CHECK(
      s.get(path, {{"If-None-Match", again.header("etag")}, {"If-Modified-Since", since}}).status ==
      304);
  // Loaded again (after a restart, or on another replica): the stored
  // Last-Modified comes back, and so does the mark that the date is shared.
  s.restart();
  auto reloaded = s.get(path, {{"If-Modified-Since", since}});
  CHECK(reloaded.status == 200);
  CHECK(reloaded.body == again.body);
  CHECK(reloaded.header("last-modified") == since);
}

TEST_CASE("If-Modified-Since: the same second is fresh only when one version had it") {
  CHECK(not_modified_since(100, false, 100));
  CHECK(!not_modified_since(100, true, 100));
  CHECK(not_modified_since(99, true, 100));
  CHECK(!not_modified_since(101, false, 100));
}

TEST_CASE("a page is rendered once per revision and changes with the plan") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan("3月")).status == 201);
  REQUIRE(s.send("PATCH", "/api/plans/small-2026", R"({"public": true})").status == 200);
  auto a = s.get("/plans/small-2026");
  auto b = s.get("/plans/small-2026");
  CHECK(a.body == b.body);
  REQUIRE(s.send("PUT", "/api/plans/small-2026", small_plan("4月")).status == 200);
  auto c = s.get("/plans/small-2026");
  CHECK(c.body != a.body);
  CHECK(c.body.find("4月") != std::string::npos);
  // The owner's page (with links) is not the one anyone else is shown.
  auto owner = s.get("/plans/small-2026", auth());
  CHECK(owner.body.find("/feeds/") != std::string::npos);
  CHECK(s.get("/plans/small-2026").body.find("/feeds/") == std::string::npos);
}

TEST_CASE("a second server cannot bind the port of a running one") {
  TestServer s;
  ServerConfig config;
  config.host = "127.0.0.1";
  config.port = s.port;
  config.admin_token = admin;
  Server second(config, *s.service);
  CHECK(second.bind() == -1);
  CHECK(second.bind_error().find("in use") != std::string::npos);
  CHECK(s.get("/healthz").status == 200);
}

TEST_CASE("xun serve on a port in use exits 1 and says so") {
  TempDir dir;
  const int port = free_port();
  ChildServer first(dir.path / "a.db", port, dir.path / "a.log");
  int status = 0;
  const std::string out =
      run_output("XUN_ADMIN_TOKEN=x timeout 10 " + shell_quote(env("XUN_BINARY")) + " serve --db " +
                     shell_quote((dir.path / "b.db").string()) + " --host 127.0.0.1 --port " +
                     std::to_string(port) + " 2>&1",
                 &status);
  CHECK(status == 1);
  CHECK(out.find("in use") != std::string::npos);
}

TEST_CASE("the database and its -wal/-shm files are readable by their owner only") {
  TempDir dir;
  const auto db = dir.path / "xun.db";
  {
    ::umask(022);
    ChildServer server(db, free_port(), dir.path / "log");
    REQUIRE(http_request("127.0.0.1", server.port, "POST", "/api/plans", auth(), small_plan(),
                         "application/yaml")
                .status == 201);
    for (const char *suffix : {"", "-wal", "-shm"}) {
      struct stat st {};
      const std::string file = db.string() + suffix;
      REQUIRE_MESSAGE(::stat(file.c_str(), &st) == 0, file);
      CHECK_MESSAGE((st.st_mode & 0777) == 0600, file);
    }
  }
}

TEST_CASE("request logs carry no feed token") {
  TempDir dir;
  const auto log = dir.path / "log";
  ChildServer server(dir.path / "xun.db", free_port(), log, {"--log"});
  auto created = http_request("127.0.0.1", server.port, "POST", "/api/plans", auth(), small_plan(),
                              "application/yaml");
  REQUIRE(created.status == 201);
  const std::string feed = body_json(created)["feeds"]["https"];
  const std::string path = feed.substr(feed.find("/feeds/"));
  const std::string token = path.substr(7, path.size() - 11);
  REQUIRE(http_request("127.0.0.1", server.port, "GET", path).status == 200);
  server.kill_now(SIGTERM);
  const std::string text = read_file(log);
  CHECK(text.find(R"("method":"GET","path":"/feeds/….ics")") != std::string::npos);
  CHECK(text.find(token) == std::string::npos);
  CHECK(text.find(admin) == std::string::npos);
}

TEST_CASE("tiny plans that used to hang or abort are answered 422 at once, naming the limit") {
  TestServer s;
  const std::string head_text = "plan: t\nyear: 2026\nactivities:\n  - id: a\n    title: x\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {head_text + "    when: 3月\n    count: 100000\n", "limit of 1000 per period"},
      {head_text + "    when: 3月\n    count: 1-999999\n", "limit of 1000 per period"},
      {head_text + "    repeat: weekly\n    count: 100000\n", "limit of 1000 per period"},
      {head_text + "    when: \"5" + std::string(150000, ' ') + "月\"\n", "the limit of 200"},
      {head_text + "    when: 3月\n    notes: " + std::string(5000, '[') + std::string(5000, ']') +
           "\n",
       "too deep"},
      {head_text + "    when: 3月\n    notes: " + std::string(70, '[') + std::string(70, ']') +
           "\n",
       "too deep"},
      {head_text + "    when: 3月\n    title: \"x\\x01y\"\n", ""},
      {"plan: t\nyear: 3001\nactivities:\n  - {id: a, title: x, when: 3月}\n",
       "out of range 1900–2200"},
  };
  for (const auto &[text, limit] : cases) {
    CAPTURE(text.substr(0, 120));
    const auto start = std::chrono::steady_clock::now();
    auto r = s.send("POST", "/api/plans", text);
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(r.status == 422);
    CHECK(r.body.find(limit) != std::string::npos);
  }
}

TEST_CASE("a control character in a title is refused with its place, not dropped") {
  TestServer s;
  const std::string text = "plan: t\nyear: 2026\nactivities:\n  - id: a\n    title: \"x\\x01y\"\n"
                           "    when: 3月\n";
  auto r = s.send("POST", "/api/plans?file=p.yaml", text);
  REQUIRE(r.status == 422);
  const auto problem = body_json(r)["problems"][0];
  CHECK(problem["line"] == 5);
  CHECK(problem["message"].get<std::string>().find("control character U+0001") !=
        std::string::npos);
}
