// Shared by the http tests: a temporary directory, the server on a thread of
// the test (real socket on 127.0.0.1), `xun serve` as a child process, and
// small helpers for iCalendar text.
#pragma once

#include "http/server.hpp"
#include "store/open.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "support/scratch_dir.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace xun::http::test {

inline std::string env(const char *name) {
  const char *v = std::getenv(name);
  if (!v || !*v)
    throw std::runtime_error(std::string("the test needs $") + name + " (ctest sets it)");
  return v;
}

using TempDir = xun::testing::ScratchDir;

using xun::testing::http_request;
using xun::testing::HttpHeaders;
using xun::testing::HttpResponse;
using xun::testing::read_file;
using xun::testing::shell_quote;

inline void write_file(const std::filesystem::path &p, const std::string &text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

inline const std::string admin = "test-admin-token";
inline HttpHeaders auth() { return {{"Authorization", "Bearer " + admin}}; }

// The server inside the test process, on a free port, with a settable clock.
struct TestServer {
  TempDir dir;
  std::shared_ptr<std::atomic<std::int64_t>> clock =
      std::make_shared<std::atomic<std::int64_t>>(1767225600); // 2026-01-01T00:00:00Z
  std::unique_ptr<store::Store> store;
  std::unique_ptr<service::Service> service;
  std::unique_ptr<Server> server;
  std::thread thread;
  int port = -1;

  TestServer() { start(); }
  ~TestServer() { stop(); }

  void start() {
    store = store::open_store((dir.path / "xun.db").string());
    auto c = clock;
    service = std::make_unique<service::Service>(
        service::Config{store.get(), env("XUN_DATA_DIR"), [c] { return c->load(); }});
    ServerConfig config;
    config.host = "127.0.0.1";
    config.port = 0;
    config.admin_token = admin;
    server = std::make_unique<Server>(config, *service);
    port = server->bind();
    if (port <= 0)
      throw std::runtime_error("cannot bind a port");
    thread = std::thread([this] { server->run(); });
    wait_until_up();
  }
  void stop() {
    if (server)
      server->stop();
    if (thread.joinable())
      thread.join();
    server.reset();
    service.reset();
    store.reset();
  }
  void restart() {
    stop();
    start();
  }
  void wait_until_up() const {
    for (int i = 0; i < 200; ++i) {
      if (http_request("127.0.0.1", port, "GET", "/healthz").status == 200)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    throw std::runtime_error("the server did not come up");
  }

  HttpResponse get(const std::string &path, const HttpHeaders &headers = {}) const {
    return http_request("127.0.0.1", port, "GET", path, headers);
  }
  HttpResponse send(const std::string &method, const std::string &path, const std::string &body,
                    HttpHeaders headers = auth()) const {
    return http_request("127.0.0.1", port, method, path, headers, body, "application/yaml");
  }
};

// A port nothing listens on right now.
inline int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(s, reinterpret_cast<sockaddr *>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr *>(&a), &len);
  int port = ntohs(a.sin_port);
  ::close(s);
  return port;
}

// `xun serve` as a child process (XUN_BINARY), its output in a file.
struct ChildServer {
  pid_t pid = -1;
  int port = 0;
  ChildServer(const std::filesystem::path &db, int p, const std::filesystem::path &log,
              std::vector<std::string> extra = {})
      : port(p) {
    std::vector<std::string> args = {env("XUN_BINARY"), "serve",     "--db",   db.string(),
                                     "--host",          "127.0.0.1", "--port", std::to_string(p)};
    args.insert(args.end(), extra.begin(), extra.end());
    pid = fork();
    if (pid == 0) {
      setenv("XUN_ADMIN_TOKEN", admin.c_str(), 1);
      // 2026-01-01: the 2026 test plans' year is all ahead, so a changed plan
      // may move anything (PLAN.md §6.5 freezes the past).
      setenv("XUN_NOW", "1767225600", 0);
      FILE *out = std::freopen(log.c_str(), "a", stdout);
      FILE *err = std::freopen(log.c_str(), "a", stderr);
      (void)out;
      (void)err;
      std::vector<char *> argv;
      for (auto &a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    for (int i = 0; i < 400; ++i) {
      if (http_request("127.0.0.1", port, "GET", "/healthz").status == 200)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    kill_now();
    throw std::runtime_error("xun serve did not come up; see " + log.string());
  }
  void kill_now(int sig = SIGKILL) {
    if (pid > 0) {
      ::kill(pid, sig);
      int status = 0;
      waitpid(pid, &status, 0);
      last_status = status;
      pid = -1;
    }
  }
  int last_status = 0;
  ~ChildServer() { kill_now(); }
};

// The VEVENT block (BEGIN…END lines) with this UID, "" if absent.
inline std::string vevent(const std::string &ics, const std::string &uid) {
  const auto at = ics.find("UID:" + uid + "\r\n");
  if (at == std::string::npos)
    return "";
  const auto begin = ics.rfind("BEGIN:VEVENT", at);
  const auto end = ics.find("END:VEVENT\r\n", at);
  return ics.substr(begin, end + 12 - begin);
}

// Runs a command line; its exit status (-1 when it did not exit normally).
inline int run(const std::string &command) { return xun::testing::shell(command); }

// Runs a command line; its standard output.
inline std::string run_output(const std::string &command, int *status = nullptr) {
  const auto result = xun::testing::run_piped(command);
  if (status)
    *status = result.status;
  return result.out;
}

// A small plan: `lecture_when` moves one activity between revisions.
inline std::string small_plan(const std::string &lecture_when = "3月") {
  return "plan: 测试支部 2026 年计划\n"
         "id: small-2026\n"
         "year: 2026\n"
         "people:\n"
         "  - {id: zhang, name: 张青}\n"
         "  - {id: li, name: 李明}\n"
         "defaults:\n"
         "  duration: 2h\n"
         "activities:\n"
         "  - id: congress\n"
         "    title: 党员大会\n"
         "    kind: meeting\n"
         "    when: 2月下旬\n"
         "    attendees: [zhang, li]\n"
         "    reminders: [7d, 1d]\n"
         "  - id: lecture\n"
         "    title: 专题党课\n"
         "    kind: study\n"
         "    when: " +
         lecture_when +
         "\n"
         "    attendees: [zhang]\n"
         "  - id: dues\n"
         "    title: 收取党费\n"
         "    kind: dues\n"
         "    when: 5月\n"
         "    duration: 1d\n"
         "    attendees: [li]\n"
         "    reminders: [3d]\n";
}

// Cannot be scheduled: `first` must follow `second`, which comes later.
inline std::string clashing_plan() {
  return "plan: 冲突\n"
         "id: clash-2026\n"
         "year: 2026\n"
         "activities:\n"
         "  - id: first\n"
         "    title: 先开的会\n"
         "    when: 2月上旬\n"
         "    after: second\n"
         "  - id: second\n"
         "    title: 后开的会\n"
         "    when: 2月下旬\n";
}

} // namespace xun::http::test
