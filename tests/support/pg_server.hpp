// The throwaway PostgreSQL of the tests (tests/tools/with-postgres.sh): its
// URL from $XUN_TEST_PG_URL, else from the CTest fixture's files in
// $XUN_BUILD_DIR/pg-test; a fresh database for each case; the pg_ctl command
// that restarts it. When it could not be started, `skipped` says why, and the
// tests say so out loud instead of passing in silence.
#pragma once

#include "support/process.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace xun::testing {

struct PgServer {
  std::string url;     // of its `postgres` database; "" when there is none
  std::string ctl;     // pg_ctl -D … (run with restart, stop, start)
  std::string skipped; // why there is none
};

inline std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
}

inline PgServer test_pg() {
  PgServer pg;
  const auto env = [](const char *name) {
    const char *v = std::getenv(name);
    return std::string(v ? v : "");
  };
  pg.url = env("XUN_TEST_PG_URL");
  pg.ctl = env("XUN_TEST_PG_CTL");
  pg.skipped = env("XUN_TEST_PG_SKIP");
  const std::string build = env("XUN_BUILD_DIR");
  if (pg.url.empty() && pg.skipped.empty() && !build.empty()) {
    const std::filesystem::path dir = std::filesystem::path(build) / "pg-test";
    pg.url = trimmed(read_file(dir / "url"));
    pg.ctl = trimmed(read_file(dir / "ctl"));
    pg.skipped = trimmed(read_file(dir / "skip"));
  }
  if (pg.url.empty() && pg.skipped.empty())
    pg.skipped = "no PostgreSQL: run under tests/tools/with-postgres.sh, or ctest (pg/start)";
  return pg;
}

// Says loudly that the PostgreSQL part did not run; true when it cannot.
inline bool pg_skipped(const PgServer &pg) {
  if (pg.url.empty())
    MESSAGE("PostgreSQL tests SKIPPED: " << pg.skipped);
  return pg.url.empty();
}

// The URL of `base` with its database replaced by `database`.
inline std::string with_database(const std::string &base, const std::string &database) {
  const auto authority = base.find("://");
  const auto path = base.find('/', authority + 3);
  const auto query = base.find('?', authority + 3);
  const std::string tail = query == std::string::npos ? "" : base.substr(query);
  const std::string head = base.substr(0, std::min(path, query));
  return head + "/" + database + tail;
}

// A new, empty database on the test server; its URL.
inline std::string fresh_database(const PgServer &pg) {
  static std::atomic<int> counter{0};
  const std::string name =
      "xun_t" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
  const std::string psql = "psql " + shell_quote(pg.url) + " -v ON_ERROR_STOP=1 -q";
  const int status =
      shell(psql + " -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS " + name +
            "' -c 'CREATE DATABASE " + name + "' >/dev/null");
  REQUIRE_MESSAGE(status == 0, "psql could not create database " << name);
  return with_database(pg.url, name);
}

} // namespace xun::testing
