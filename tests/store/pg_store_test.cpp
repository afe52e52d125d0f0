// ctest-fixtures: pg
// What only the PostgreSQL store has to show: replicas starting together
// migrate once, changes are announced to the others, two replicas adding the
// same revision take turns, and a server restart under a running store gives
// Unavailable meanwhile, then service again, never a crash.
#include "store/pg_store.hpp"

#include "store/copy.hpp"
#include "store/open.hpp"
#include "support/pg_server.hpp"
#include "support/scratch_dir.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
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

namespace {

// A plan "x" and a channel "ch" to send its rows to.
void with_channel(Store &s) {
  s.save_revision(draft("x", 1));
  StoredChannel c;
  c.id = "ch";
  c.type = "webhook";
  c.name = "hook";
  c.settings_json = "{}";
  c.sealed_secrets = std::string("\0\x01\xfe", 3);
  s.put_channel(c);
}

// Two replicas on a fresh database; none when there is no test server.
struct Replicas {
  std::unique_ptr<Store> a, b;
};
std::optional<Replicas> two_replicas() {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return std::nullopt;
  const std::string url = t::fresh_database(pg);
  return Replicas{open_store(url), open_store(url)};
}

OutboxRow due_row(int i, std::int64_t due) {
  OutboxRow r;
  r.key = "k" + std::to_string(10000 + i);
  r.plan_id = "x";
  r.channel_id = "ch";
  r.kind = "reminder";
  r.uid = "u" + std::to_string(i) + "@x";
  r.due_at = due;
  r.payload = "{}";
  return r;
}

} // namespace

TEST_CASE("two replicas claiming 1,000 due rows with four threads each claim every row once") {
  auto replicas = two_replicas();
  if (!replicas)
    return;
  auto &[a, b] = *replicas;
  with_channel(*a);
  OutboxWrite w{"x", {}, {}};
  for (int i = 0; i < 1000; ++i)
    w.rows.push_back(due_row(i, 100 + i % 7));
  a->write_outbox(w);

  std::mutex m;
  std::map<std::string, int> claimed;
  std::vector<std::string> failures;
  std::vector<std::thread> workers;
  for (int i = 0; i < 8; ++i)
    workers.emplace_back([&, i] {
      Store &s = i % 2 ? *a : *b;
      const std::string owner = std::string(i % 2 ? "a" : "b") + std::to_string(i);
      try {
        for (;;) {
          const auto got = s.claim_due(200, 600, 7, owner);
          if (got.empty())
            break;
          for (const auto &r : got) {
            if (!s.mark_request_started(r.key, owner, 201) ||
                !s.finish_send(r.key, owner, {SendOutcome::sent, 202, "ok", "", 0}))
              throw std::runtime_error("lost the lease of " + r.key);
            std::lock_guard lock(m);
            ++claimed[r.key];
          }
        }
      } catch (const std::exception &e) {
        std::lock_guard lock(m);
        failures.push_back(e.what());
      }
    });
  for (auto &t : workers)
    t.join();
  CHECK(failures.empty());
  CHECK(claimed.size() == 1000);
  int twice = 0;
  for (const auto &[key, n] : claimed)
    twice += n != 1;
  CHECK(twice == 0);
  int sent = 0;
  for (const auto &r : b->outbox("x"))
    sent += r.status == OutboxStatus::sent && r.attempts == 1;
  CHECK(sent == 1000);
}

TEST_CASE("a singleton job held by one replica is refused to another until it ends") {
  auto replicas = two_replicas();
  if (!replicas)
    return;
  auto &[a, b] = *replicas;
  std::mutex m;
  std::condition_variable cv;
  bool holding = false;
  bool release = false;
  std::thread first([&] {
    CHECK(a->run_singleton("digest", [&] {
      std::unique_lock lock(m);
      holding = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
    }));
  });
  {
    std::unique_lock lock(m);
    REQUIRE(cv.wait_for(lock, 5s, [&] { return holding; }));
  }
  bool ran = false;
  CHECK_FALSE(b->run_singleton("digest", [&] { ran = true; }));
  CHECK_FALSE(ran);
  CHECK(b->run_singleton("another job", [&] { ran = true; }));
  CHECK(ran);
  {
    std::lock_guard lock(m);
    release = true;
    cv.notify_all();
  }
  first.join();
  ran = false;
  CHECK(b->run_singleton("digest", [&] { ran = true; }));
  CHECK(ran);
}

TEST_CASE("two replicas share a channel's send pace: together they stay under the robot's limit") {
  auto replicas = two_replicas();
  if (!replicas)
    return;
  auto &[a, b] = *replicas;
  // WeCom's pace: a burst of 2, then one per 3.3 s.
  const std::int64_t t = 1'800'000'000'000, interval = 3300, burst = 2;
  CHECK(a->take_send_slot("wecom-1", t, interval, burst) == 0);
  CHECK(b->take_send_slot("wecom-1", t, interval, burst) == 0);
  // The third at the same moment waits, whichever replica asks.
  CHECK(a->take_send_slot("wecom-1", t, interval, burst) == interval);
  CHECK(b->take_send_slot("wecom-1", t + 1000, interval, burst) == interval - 1000);
  CHECK(b->take_send_slot("wecom-1", t + interval, interval, burst) == 0);
  CHECK(a->take_send_slot("wecom-1", t + interval, interval, burst) == interval);
  // Another channel has its own pace.
  CHECK(b->take_send_slot("dingtalk-1", t, interval, burst) == 0);
  // Eight threads on two replicas asking for 40 slots over a simulated minute:
  // no more than the burst plus one per interval are granted.
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      auto &store = i % 2 ? a : b;
      for (int k = 0; k < 40; ++k)
        if (store->take_send_slot("feishu-1", t + k * 1500, interval, burst) == 0)
          ++granted;
    });
  for (auto &th : threads)
    th.join();
  // 40 × 1.5 s = 58.5 s of asking: at most 2 at once, then one per 3.3 s
  // (fewer when a thread that ran ahead took a late slot first).
  CHECK(granted.load() <= 2 + 58'500 / interval + 1);
  CHECK(granted.load() >= 1);
}

TEST_CASE("outbox rows committed through one replica wake another's worker (NOTIFY xun_outbox)") {
  auto replicas = two_replicas();
  if (!replicas)
    return;
  auto &[a, b] = *replicas;
  with_channel(*b);
  std::mutex m;
  std::condition_variable cv;
  int woken = 0;
  Changes plans;
  a->on_change(plans.callback()); // one listener serves both
  a->on_outbox([&] {
    std::lock_guard lock(m);
    ++woken;
    cv.notify_all();
  });
  std::this_thread::sleep_for(300ms);
  {
    std::lock_guard lock(m);
    woken = 0;
  }
  b->write_outbox({"x", {due_row(1, 100)}, {}});
  {
    std::unique_lock lock(m);
    CHECK(cv.wait_for(lock, 1s, [&] { return woken > 0; }));
  }
  b->save_revision(draft("x", 2));
  CHECK(plans.wait_for("x", 1s));
  a->on_outbox(nullptr);
  a->on_change(nullptr);
}

TEST_CASE("xun migrate copies channels, notify settings and the outbox byte for byte") {
  const auto pg = t::test_pg();
  if (t::pg_skipped(pg))
    return;
  t::ScratchDir dir;
  const std::string file = (dir.path / "x.db").string();
  std::vector<OutboxRow> expected;
  StoredChannel channel;
  {
    auto s = open_store("sqlite:" + file);
    with_channel(*s);
    channel = *s->find_channel("ch");
    channel.stopped = true;
    channel.health = "errcode 93000";
    s->put_channel(channel);
    s->set_plan_notify({"x", {"ch"}, std::string("08:30"), false},
                       {"x", {due_row(1, 100), due_row(2, 100)}, {}});
    auto test = due_row(3, 50);
    test.kind = "test";
    test.plan_id = "x";
    s->write_outbox({"x", {test}, {}});
    REQUIRE(s->claim_due(100, 60, 1, "w").size() == 1);
    REQUIRE(s->mark_request_started("k10003", "w", 100));
    REQUIRE(s->finish_send("k10003", "w",
                           {SendOutcome::failed, 101, std::string("\xff\0bad", 5), "不对", 0}));
    expected = s->outbox("x");
  }
  const std::string url = t::fresh_database(pg);
  const auto copied = copy_database("sqlite:" + file, url);
  CHECK(copied.at("channels") == 1);
  CHECK(copied.at("plan_notify") == 1);
  CHECK(copied.at("outbox") == 3);
  auto s = open_store(url);
  CHECK(s->find_channel("ch") == channel);
  CHECK(s->plan_notify("x") == PlanNotify{"x", {"ch"}, std::string("08:30"), false});
  CHECK(s->outbox("x") == expected);
  CHECK(s->outbox("x")[0].answer == std::string("\xff\0bad", 5));
}
