// ctest-fixtures: pg
// What only the PostgreSQL store has to show: replicas starting together
// migrate once, changes are announced to the others, two replicas adding the
// same revision take turns, and a server restart under a running store gives
// Unavailable meanwhile, then service again, never a crash.
#include "store/pg_store.hpp"

#include "store/open.hpp"
#include "support/pg_server.hpp"
#include "support/scratch_dir.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace xun;
using namespace xun::store;
using namespace std::chrono_literals;
namespace t = xun::testing;

namespace {

RevisionWrite draft(const std::string &plan, int n) {
  RevisionWrite w;
  w.revision.plan_id = plan;
  w.revision.number = n;
  w.revision.created_at = 100 * n;
  w.revision.file_name = "p.yaml";
  w.revision.source = "text " + std::to_string(n);
  w.revision.status = RevisionStatus::draft;
  w.revision.conflict = scheduler::Conflict{"no room", {}, {}, {}};
  return w;
}

// The plan ids a store's on_change reported, to wait for.
struct Changes {
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::string> ids;
  Store::ChangeCallback callback() {
    return [this](const std::string &id) {
      std::lock_guard lock(m);
      ids.push_back(id);
      cv.notify_all();
    };
  }
  bool wait_for(const std::string &id, std::chrono::milliseconds within) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, within,
                       [&] { return std::find(ids.begin(), ids.end(), id) != ids.end(); });
  }
};

std::string psql_value(const std::string &url, const std::string &sql) {
  return t::trimmed(
      t::run_piped("psql " + t::shell_quote(url) + " -Atqc " + t::shell_quote(sql)).out);
}

} // namespace

TEST_CASE("eight replicas opening a new database at once run each migration once") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  const std::string url = t::fresh_database(pg);
  std::atomic<int> opened{0};
  std::vector<std::string> failures;
  std::mutex m;
  std::vector<std::thread> replicas;
  for (int i = 0; i < 8; ++i)
    replicas.emplace_back([&] {
      try {
        auto s = open_store(url);
        s->set_setting("k", "v");
        ++opened;
      } catch (const std::exception &e) {
        std::lock_guard lock(m);
        failures.push_back(e.what());
      }
    });
  for (auto &r : replicas)
    r.join();
  CHECK(failures.empty());
  CHECK(opened == 8);
  CHECK(psql_value(url, "SELECT count(*) FROM schema_version") ==
        std::to_string(pg_schema_version()));
  CHECK(psql_value(url, "SELECT max(version) FROM schema_version") ==
        std::to_string(pg_schema_version()));
}

TEST_CASE("a newer schema than this build's is refused, naming both versions") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  const std::string url = t::fresh_database(pg);
  open_store(url);
  psql_value(url, "INSERT INTO schema_version VALUES (99, 0)");
  try {
    open_store(url);
    FAIL("opened");
  } catch (const Unavailable &e) {
    CHECK(std::string(e.what()).find("schema version 99") != std::string::npos);
  }
}

TEST_CASE("a change committed through one replica is announced to another within a second") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  const std::string url = t::fresh_database(pg);
  auto a = open_store(url);
  auto b = open_store(url);
  Changes seen;
  a->on_change(seen.callback());
  std::this_thread::sleep_for(300ms); // LISTEN is in place
  b->save_revision(draft("x", 1));
  CHECK(seen.wait_for("x", 1s));
  b->replace_tokens("x", 200, std::string("tok"));
  b->delete_plan("x", 300);
  std::this_thread::sleep_for(200ms);
  a->on_change(nullptr);
  std::lock_guard lock(seen.m);
  CHECK(std::count(seen.ids.begin(), seen.ids.end(), "x") == 3);
}

TEST_CASE("two replicas adding the same revision take turns: one commits, one is a Conflict") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  const std::string url = t::fresh_database(pg);
  auto a = open_store(url);
  auto b = open_store(url);
  a->save_revision(draft("x", 1));
  for (int round = 2; round < 12; ++round) {
    std::atomic<int> conflicts{0};
    std::atomic<int> saved{0};
    auto add = [&](Store &s) {
      try {
        s.save_revision(draft("x", round));
        ++saved;
      } catch (const Conflict &) {
        ++conflicts;
      }
    };
    std::thread ta([&] { add(*a); });
    std::thread tb([&] { add(*b); });
    ta.join();
    tb.join();
    CHECK(saved == 1);
    CHECK(conflicts == 1);
  }
  CHECK(a->find_plan("x")->current_revision == 11);
  CHECK(b->revisions("x").size() == 11);
}

TEST_CASE("a PostgreSQL restart under a running store: Unavailable meanwhile, then service again") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  // A cluster of this test's own: restarting the shared one would disturb the others.
  t::ScratchDir state;
  const std::string script =
      std::string(std::getenv("XUN_SOURCE_DIR")) + "/tests/tools/with-postgres.sh";
  REQUIRE(t::shell(t::shell_quote(script) + " start " + t::shell_quote(state.path.string()) +
                   " >/dev/null") == 0);
  struct Stop {
    std::string command;
    ~Stop() { t::shell(command); }
  } stop{t::shell_quote(script) + " stop " + t::shell_quote(state.path.string())};
  const std::string url = t::trimmed(t::read_file(state.path / "url"));
  const std::string ctl = t::trimmed(t::read_file(state.path / "ctl"));

  auto s = open_store(url);
  Changes seen;
  s->on_change(seen.callback());
  s->save_revision(draft("x", 1));
  REQUIRE(t::shell(ctl + " -m fast stop >/dev/null") == 0);
  CHECK_THROWS_AS(s->find_plan("x"), Unavailable);
  CHECK_THROWS_AS(s->save_revision(draft("x", 2)), Unavailable);
  CHECK_THROWS_AS(s->plans(), Unavailable);
  REQUIRE(t::shell(ctl + " start >/dev/null") == 0);

  // Back within the longest backoff (5 s), without reopening the store.
  const auto until = std::chrono::steady_clock::now() + 15s;
  bool back = false;
  while (!back && std::chrono::steady_clock::now() < until) {
    try {
      back = s->find_plan("x").has_value();
    } catch (const Unavailable &) {
      std::this_thread::sleep_for(100ms);
    }
  }
  CHECK(back);
  s->save_revision(draft("x", 2));
  CHECK(s->find_plan("x")->current_revision == 2);
  // The listener came back too and said that anything may have changed.
  CHECK(seen.wait_for("", 10s));
  s->on_change(nullptr);
}
