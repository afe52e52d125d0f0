// ctest-fixtures: pg
// ctest-labels: no-sanitize
// docs/deploy/nginx-xun.conf as it is (ports and listen line replaced): nginx,
// unprivileged on a high port, in front of two `xun serve` replicas on one
// PostgreSQL database. Requests through it reach both; with one replica
// killed, feeds are still served; what is written through it is served.
#include "http/support.hpp"
#include "support/pg_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>

using nlohmann::json;
using namespace xun::http::test;
using namespace std::chrono_literals;
namespace t = xun::testing;

namespace {

// nginx with a main configuration of its own around the site file; stopped with it.
struct Nginx {
  pid_t pid = -1;
  int port = 0;
  Nginx(const std::filesystem::path &dir, const std::string &site, int listen_port)
      : port(listen_port) {
    std::filesystem::permissions(dir, std::filesystem::perms::all); // workers may run as nobody
    write_file(dir / "site.conf", site);
    const std::string d = dir.string();
    write_file(dir / "nginx.conf", "daemon off; master_process on; worker_processes 1;\n"
                                   "pid " +
                                       d + "/nginx.pid; error_log " + d +
                                       "/error.log;\n"
                                       "events { worker_connections 256; }\n"
                                       "http { access_log off; client_body_temp_path " +
                                       d + "/body; proxy_temp_path " + d +
                                       "/proxy; fastcgi_temp_path " + d +
                                       "/fcgi; uwsgi_temp_path " + d + "/uwsgi; scgi_temp_path " +
                                       d + "/scgi;\n  include " + d + "/site.conf; }\n");
    pid = fork();
    if (pid == 0) {
      std::freopen((dir / "nginx.out").c_str(), "a", stderr);
      execlp("nginx", "nginx", "-c", (dir / "nginx.conf").c_str(), "-p", d.c_str(), nullptr);
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      if (http_request("127.0.0.1", port, "GET", "/healthz").status == 200)
        return;
      std::this_thread::sleep_for(25ms);
    }
    stop();
    throw std::runtime_error("nginx did not come up: " + read_file(dir / "error.log") +
                             read_file(dir / "nginx.out"));
  }
  void stop() {
    if (pid > 0) {
      ::kill(pid, SIGQUIT);
      waitpid(pid, nullptr, 0);
      pid = -1;
    }
  }
  ~Nginx() { stop(); }
};

std::string path_of(const std::string &url) {
  const auto host = url.find("//");
  return url.substr(url.find('/', host + 2));
}

} // namespace

TEST_CASE("nginx with the documented config serves two replicas, and one of them when the other "
          "is killed") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  if (t::shell("command -v nginx >/dev/null") != 0) {
    MESSAGE("nginx test SKIPPED: nginx is not installed (scripts/setup.sh --test installs it)");
    return;
  }
  TempDir dir;
  const std::string url = t::fresh_database(pg);
  auto a = std::make_unique<ChildServer>(url, free_port(), dir.path / "a.log",
                                         std::vector<std::string>{"--log"});
  ChildServer b(url, free_port(), dir.path / "b.log", {"--log"});
  std::string site = read_file(std::filesystem::path(env("XUN_SOURCE_DIR")) / "docs" / "deploy" /
                               "nginx-xun.conf");
  REQUIRE(site.find("127.0.0.1:8081") != std::string::npos);
  site = std::regex_replace(site, std::regex("127\\.0\\.0\\.1:8081"),
                            "127.0.0.1:" + std::to_string(a->port));
  site = std::regex_replace(site, std::regex("127\\.0\\.0\\.1:8082"),
                            "127.0.0.1:" + std::to_string(b.port));
  const int port = free_port();
  site = std::regex_replace(site, std::regex("listen 80;"),
                            "listen 127.0.0.1:" + std::to_string(port) + ";");
  const auto nginx_dir = dir.path / "nginx";
  std::filesystem::create_directories(nginx_dir);
  Nginx nginx(nginx_dir, site, port);

  auto created = http_request("127.0.0.1", port, "POST", "/api/plans", auth(), small_plan(),
                              "application/yaml");
  REQUIRE(created.status == 201);
  const std::string feed_url = json::parse(created.body)["feeds"]["https"];
  CHECK(feed_url.find("127.0.0.1:" + std::to_string(port) + "/feeds/") != std::string::npos);
  const std::string feed = path_of(feed_url);
  std::this_thread::sleep_for(300ms); // the other replica has it
  std::set<std::string> etags;
  for (int i = 0; i < 20; ++i) {
    auto r = http_request("127.0.0.1", port, "GET", feed);
    CHECK(r.status == 200);
    etags.insert(r.header("etag"));
  }
  CHECK(etags.size() == 1);
  // Both replicas answered some of those (their request logs show the feed).
  CHECK(read_file(dir.path / "a.log").find("/feeds/") != std::string::npos);
  CHECK(read_file(dir.path / "b.log").find("/feeds/") != std::string::npos);
  CHECK(http_request("127.0.0.1", port, "GET", feed, {{"If-None-Match", *etags.begin()}}).status ==
        304);

  a.reset(); // SIGKILL
  for (int i = 0; i < 10; ++i)
    CHECK(http_request("127.0.0.1", port, "GET", feed).status == 200);
  auto put = http_request("127.0.0.1", port, "PUT", "/api/plans/small-2026", auth(),
                          small_plan("6月"), "application/yaml");
  CHECK(put.status == 200);
  CHECK(http_request("127.0.0.1", port, "GET", feed).header("etag") != *etags.begin());
}
