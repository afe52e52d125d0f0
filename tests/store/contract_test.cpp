// ctest-fixtures: pg
// The contract every Store backend keeps, run against each backend this build
// has (SQLite, and PostgreSQL when the test server runs): add a backend to
// `backends()` and it must pass all of it.
#include "store/open.hpp"
#include "store/sqlite_store.hpp"
#include "support/pg_server.hpp"
#include "support/scratch_dir.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

using namespace xun;
using namespace xun::store;
using TempDir = xun::testing::ScratchDir;

namespace {

// Each backend as a URL in a fresh place; reopening the URL sees the same data.
struct Backend {
  std::string name;
  std::function<std::string(const TempDir &)> url;
};

std::vector<Backend> backends() {
  std::vector<Backend> out = {
      {"sqlite", [](const TempDir &d) { return "sqlite:" + (d.path / "s.db").string(); }}};
  static const auto pg = xun::testing::test_pg();
  if (!xun::testing::pg_skipped(pg)) // each case in a database of its own
    out.push_back({"postgresql", [](const TempDir &) { return xun::testing::fresh_database(pg); }});
  return out;
}

Revision revision(const std::string &plan, int n, RevisionStatus status) {
  Revision r;
  r.plan_id = plan;
  r.number = n;
  r.created_at = 100 * n;
  r.file_name = "p.yaml";
  r.source = "text " + std::to_string(n);
  r.status = status;
  if (status == RevisionStatus::invalid)
    r.problems = {{"p.yaml", 4, 1, "unknown key 'activitiez'"}};
  if (status == RevisionStatus::draft)
    r.conflict = scheduler::Conflict{"first must follow second", {"first", "second"}, {}, {}};
  if (status == RevisionStatus::ok) {
    scheduler::Occurrence o;
    o.activity = "congress";
    o.index = 0;
    o.period = 2;
    o.ordinal = 1;
    o.published_uid = "congress-0@p.xun";
    o.start = calendar::LocalTime{std::chrono::minutes{29'500'000}};
    o.end = o.start + std::chrono::hours{2};
    o.window.dates = {calendar::make_date(2026, 2, 21), calendar::make_date(2026, 2, 28)};
    r.schedule.occurrences = {o};
    r.schedule.warnings = {"congress: a warning"};
    r.ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
  }
  return r;
}

RevisionWrite write(Revision r, std::optional<std::string> token = std::nullopt) {
  RevisionWrite w;
  w.revision = std::move(r);
  w.new_token = std::move(token);
  return w;
}

StoredChannel channel(const std::string &id) {
  StoredChannel c;
  c.id = id;
  c.type = "wecom";
  c.name = "班组群 " + id;
  c.settings_json = R"({"url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send"})";
  c.sealed_secrets = std::string("\x00sealed\xff\x01", 9); // bytes, not text
  c.created_at = 50;
  return c;
}

OutboxRow row(const std::string &key, const std::string &kind, std::int64_t due,
              const std::string &channel_id = "ch-1", const std::string &plan = "a") {
  OutboxRow r;
  r.key = key;
  r.plan_id = plan;
  r.channel_id = channel_id;
  r.kind = kind;
  r.uid = kind == "digest" ? "" : key + "@p.xun";
  r.due_at = due;
  r.payload = R"({"text":"提醒 )" + key + R"("})";
  return r;
}

OutboxWrite rows(std::vector<OutboxRow> r, std::vector<std::string> replace_kinds = {}) {
  return {"a", std::move(r), std::move(replace_kinds)};
}

std::vector<std::string> keys(const std::vector<OutboxRow> &rows) {
  std::vector<std::string> out;
  for (const auto &r : rows)
    out.push_back(r.key);
  return out;
}

std::map<std::string, OutboxStatus> statuses(Store &s, const std::string &plan = "a") {
  std::map<std::string, OutboxStatus> out;
  for (const auto &r : s.outbox(plan))
    out[r.key] = r.status;
  return out;
}

// A plan "a" and channels ch-1, ch-2 to send to.
void set_up_outbox(Store &s) {
  s.save_revision(write(revision("a", 1, RevisionStatus::ok)));
  s.put_channel(channel("ch-1"));
  s.put_channel(channel("ch-2"));
}

SendAnswer answer(SendOutcome outcome, std::int64_t at, std::int64_t retry_at = 0) {
  return {outcome, at, R"({"errcode":0,"errmsg":"ok"})", outcome == SendOutcome::sent ? "" : "5xx",
          retry_at};
}

} // namespace

TEST_CASE("every backend keeps the Store contract") {
  for (const auto &backend : backends()) {
    CAPTURE(backend.name);
    TempDir dir;
    const std::string url = backend.url(dir);

    SUBCASE("revisions are kept in order and only ok ones are published") {
      auto s = open_store(url);
      s->save_revision(write(revision("a", 1, RevisionStatus::ok), "tok1"));
      s->save_revision(write(revision("a", 2, RevisionStatus::draft)));
      s->save_revision(write(revision("a", 3, RevisionStatus::invalid)));
      auto p = s->find_plan("a");
      REQUIRE(p);
      CHECK(p->current_revision == 3);
      CHECK(p->published_revision == 1);
      CHECK(p->created_at == 100);
      CHECK(p->updated_at == 300);
      REQUIRE(s->revisions("a").size() == 3);
      CHECK(s->revisions("a")[1].status == RevisionStatus::draft);
      CHECK(s->revisions("a")[2].file_name == "p.yaml");
      CHECK(s->revision("a", 2)->source == "text 2");
      CHECK_FALSE(s->revision("a", 4).has_value());
    }

    SUBCASE("a revision's domain values come back as they were stored") {
      auto s = open_store(url);
      const auto ok = revision("a", 1, RevisionStatus::ok);
      s->save_revision(write(ok));
      s->save_revision(write(revision("a", 2, RevisionStatus::draft)));
      s->save_revision(write(revision("a", 3, RevisionStatus::invalid)));
      auto back = s->revision("a", 1);
      REQUIRE(back);
      CHECK(back->keyed);
      CHECK(back->schedule.occurrences == ok.schedule.occurrences);
      CHECK(back->schedule.warnings == ok.schedule.warnings);
      CHECK(back->ics == ok.ics);
      auto draft = s->revision("a", 2);
      REQUIRE(draft->conflict);
      CHECK(draft->conflict->message == "first must follow second");
      CHECK(draft->conflict->activities == std::vector<std::string>{"first", "second"});
      auto invalid = s->revision("a", 3);
      REQUIRE(invalid->problems.size() == 1);
      CHECK(invalid->problems[0].to_string() == "p.yaml:4:1: unknown key 'activitiez'");
    }

    SUBCASE("a revision number already taken, or out of turn, is a Conflict and changes nothing") {
      auto s = open_store(url);
      s->save_revision(write(revision("a", 1, RevisionStatus::ok)));
      CHECK_THROWS_AS(s->save_revision(write(revision("a", 1, RevisionStatus::draft))), Conflict);
      CHECK_THROWS_AS(s->save_revision(write(revision("a", 3, RevisionStatus::draft))), Conflict);
      CHECK(s->find_plan("a")->current_revision == 1);
      CHECK(s->revisions("a").size() == 1);
    }

    SUBCASE("a later revision of a plan that does not exist is NotFound") {
      auto s = open_store(url);
      CHECK_THROWS_AS(s->save_revision(write(revision("nobody", 2, RevisionStatus::ok))), NotFound);
      CHECK_FALSE(s->plan_id_taken("nobody"));
    }

    SUBCASE("a change that fails part-way leaves nothing behind") {
      auto s = open_store(url);
      auto w = write(revision("a", 1, RevisionStatus::ok), "tok");
      s->save_revision(w);
      // The same token again violates uniqueness after the revision row is written.
      auto again = write(revision("a", 2, RevisionStatus::ok), "tok");
      again.changed = {{"u@x", 1, 200, "s", "e", "d"}};
      CHECK_THROWS_AS(s->save_revision(again), Error);
      CHECK(s->find_plan("a")->current_revision == 1);
      CHECK(s->event_states("a").empty());
      CHECK_FALSE(s->revision("a", 2).has_value());
    }

    SUBCASE("event states and published UIDs are kept per plan and replaced by key") {
      auto s = open_store(url);
      auto w = write(revision("a", 1, RevisionStatus::ok));
      w.changed = {{"u@x", 0, 100, "s", "e", "d"}};
      w.new_uids = {{{"congress", 2, 0}, "congress-0@p.xun"},
                    {{"congress", 3, 0}, "congress-1@p.xun"}};
      s->save_revision(w);
      auto w2 = write(revision("a", 2, RevisionStatus::ok));
      w2.changed = {{"u@x", 1, 200, "s2", "e2", "d"}};
      w2.new_uids = {{{"congress", 4, 0}, "congress-2@p.xun"}};
      s->save_revision(w2);
      CHECK(s->event_states("a").at("u@x") == EventState{"u@x", 1, 200, "s2", "e2", "d"});
      const auto uids = s->published_uids("a");
      CHECK(uids.size() == 3);
      CHECK(uids.at({"congress", 3, 0}) == "congress-1@p.xun");
      CHECK(s->published_uids("b").empty());
      auto clash = write(revision("a", 3, RevisionStatus::ok));
      clash.new_uids = {{{"congress", 5, 0}, "congress-2@p.xun"}}; // a UID names one key only
      CHECK_THROWS_AS(s->save_revision(clash), Conflict);
    }

    SUBCASE("everything survives reopening") {
      {
        auto s = open_store(url);
        auto w = write(revision("a", 1, RevisionStatus::ok), "tok");
        w.changed = {{"u@x", 3, 42, "s", "e", "d"}};
        w.new_uids = {{{"congress", 2, 1}, "congress-0@p.xun"}};
        s->save_revision(w);
        s->set_setting("k", "v");
      }
      auto s = open_store(url);
      CHECK(s->event_states("a").at("u@x") == EventState{"u@x", 3, 42, "s", "e", "d"});
      CHECK(s->published_uids("a").at({"congress", 2, 1}) == "congress-0@p.xun");
      CHECK(s->setting("k") == "v");
      CHECK_FALSE(s->setting("other").has_value());
      CHECK(s->active_tokens() == std::vector<FeedToken>{{"tok", "a"}});
      CHECK(s->revision("a", 1)->schedule.occurrences.size() == 1);
    }

    SUBCASE("records are written with a revision, replaced by uid, deleted, and kept per plan") {
      auto s = open_store(url);
      auto w = write(revision("a", 1, RevisionStatus::ok));
      w.put_records = {{"u2@x", R"({"status":"done"})", 100},
                       {"u1@x", R"({"status":"cancelled"})", 100}};
      s->save_revision(w);
      CHECK(s->records("a") == std::vector<StoredRecord>{{"u1@x", R"({"status":"cancelled"})", 100},
                                                         {"u2@x", R"({"status":"done"})", 100}});
      CHECK(s->records("b").empty());
      auto w2 = write(revision("a", 2, RevisionStatus::ok));
      w2.put_records = {{"u2@x", R"({"status":"moved"})", 200}};
      w2.deleted_records = {"u1@x", "never@x"};
      s->save_revision(w2);
      CHECK(s->records("a") == std::vector<StoredRecord>{{"u2@x", R"({"status":"moved"})", 200}});
      auto clash = write(revision("a", 2, RevisionStatus::ok)); // number taken: nothing written
      clash.put_records = {{"u3@x", "{}", 300}};
      CHECK_THROWS_AS(s->save_revision(clash), Conflict);
      CHECK(s->records("a").size() == 1);
      s.reset();
      CHECK(open_store(url)->records("a").size() == 1);
    }

    SUBCASE("a record's text comes back as written: a key left out stays out, [] stays []") {
      // Absent `present` (attendance not taken) and `present: []` (nobody came)
      // differ; the store must not normalise one into the other.
      const std::string bare = R"({"occurrence":"u1@x","status":"done","note":"未点名"})";
      const std::string empty = R"({"occurrence":"u2@x","status":"done","present":[],"leave":[]})";
      {
        auto s = open_store(url);
        auto w = write(revision("a", 1, RevisionStatus::ok));
        w.put_records = {{"u1@x", bare, 100}, {"u2@x", empty, 100}};
        s->save_revision(w);
      }
      CHECK(open_store(url)->records("a") ==
            std::vector<StoredRecord>{{"u1@x", bare, 100}, {"u2@x", empty, 100}});
    }

    SUBCASE("settings are replaced, not added") {
      auto s = open_store(url);
      s->set_setting("k", "1");
      s->set_setting("k", "2");
      CHECK(s->setting("k") == "2");
    }

    SUBCASE("replacing and deleting take the tokens away, and deleted ids stay taken") {
      auto s = open_store(url);
      s->save_revision(write(revision("a", 1, RevisionStatus::ok), "t1"));
      s->replace_tokens("a", 500, std::string("t2"));
      CHECK(s->active_tokens() == std::vector<FeedToken>{{"t2", "a"}});
      s->replace_tokens("a", 550, std::nullopt);
      CHECK(s->active_tokens().empty());
      s->replace_tokens("a", 560, std::string("t3"));
      s->delete_plan("a", 600);
      CHECK(s->active_tokens().empty());
      CHECK_FALSE(s->find_plan("a").has_value());
      CHECK(s->plan_id_taken("a"));
      CHECK(s->plans().empty());
      CHECK_THROWS_AS(s->delete_plan("a", 700), NotFound);
      CHECK_THROWS_AS(s->replace_tokens("a", 700, std::string("t4")), NotFound);
    }

    SUBCASE("channels are kept whole, listed by id, replaced by id and deleted") {
      auto s = open_store(url);
      s->put_channel(channel("ch-2"));
      s->put_channel(channel("ch-1"));
      CHECK(s->find_channel("ch-1") == channel("ch-1"));
      CHECK(s->find_channel("ch-1")->sealed_secrets.size() == 9);
      REQUIRE(s->channels().size() == 2);
      CHECK(s->channels()[0].id == "ch-1");
      auto changed = channel("ch-1");
      changed.name = "新名字";
      changed.health = "errcode 93000: 密钥无效";
      changed.health_at = 70;
      changed.stopped = true;
      s->put_channel(changed);
      CHECK(s->find_channel("ch-1") == changed);
      s->set_channel_health("ch-1", "ok", 80, false);
      CHECK(s->find_channel("ch-1")->health == "ok");
      CHECK(s->find_channel("ch-1")->health_at == 80);
      CHECK_FALSE(s->find_channel("ch-1")->stopped);
      s->delete_channel("ch-1", 90);
      CHECK_FALSE(s->find_channel("ch-1").has_value());
      CHECK(s->channels().size() == 1);
      CHECK_THROWS_AS(s->delete_channel("ch-1", 91), NotFound);
      CHECK_THROWS_AS(s->delete_channel("nobody", 91), NotFound);
      s->set_channel_health("ch-1", "late", 92, true); // deleted meanwhile: nothing happens
      CHECK_FALSE(s->find_channel("ch-1").has_value());
      s->put_channel(channel("ch-1")); // put again: there again
      CHECK(s->find_channel("ch-1") == channel("ch-1"));
    }

    SUBCASE("a plan's notify setting round-trips, and names only live plans and channels") {
      auto s = open_store(url);
      set_up_outbox(*s);
      s->save_revision(write(revision("b", 1, RevisionStatus::ok)));
      const PlanNotify n{"a", {"ch-2", "ch-1"}, std::string("08:30"), false};
      s->set_plan_notify(n, {});
      s->set_plan_notify({"b", {"ch-1"}, std::nullopt, true}, {});
      CHECK(s->plan_notify("a") == n);
      CHECK_FALSE(s->plan_notify("c").has_value());
      const auto all = s->all_plan_notify();
      REQUIRE(all.size() == 2);
      CHECK(all[1] == PlanNotify{"b", {"ch-1"}, std::nullopt, true});
      CHECK_THROWS_AS(s->set_plan_notify({"c", {"ch-1"}, std::nullopt, true}, {}), NotFound);
      CHECK_THROWS_AS(s->set_plan_notify({"a", {"ch-9"}, std::nullopt, true}, {}), NotFound);
      CHECK(s->plan_notify("a") == n); // the refused one changed nothing
      s->delete_channel("ch-1", 100);
      CHECK(s->plan_notify("a")->channels == std::vector<std::string>{"ch-2"});
      CHECK(s->plan_notify("b")->channels.empty());
      s->delete_plan("b", 100);
      CHECK_FALSE(s->plan_notify("b").has_value());
      CHECK(s->all_plan_notify().size() == 1);
    }

    SUBCASE("outbox rows are inserted once by key, listed by (due_at, key), due_at first") {
      auto s = open_store(url);
      set_up_outbox(*s);
      auto first = row("k2", "reminder", 1000);
      s->set_plan_notify({"a", {"ch-1"}, std::nullopt, true},
                         rows({first, row("k1", "reminder", 1000), row("k0", "change", 2000)}));
      auto again = row("k2", "reminder", 5000);
      again.payload = "{}";
      s->write_outbox(rows({again, row("k3", "digest", 500)}));
      const auto all = s->outbox("a");
      CHECK(keys(all) == std::vector<std::string>{"k3", "k1", "k2", "k0"});
      auto expected = first;
      expected.next_attempt_at = 1000; // starts at due_at
      CHECK(all[2] == expected);       // the first write of a key stands
      CHECK(all[0].uid.empty());
      CHECK(s->outbox("b").empty());
      // Without a plan_id a row takes the write's.
      s->write_outbox({"a", {row("k4", "reminder", 10, "ch-1", "")}, {}});
      CHECK(s->outbox("a")[0].key == "k4");
      // A test message has no plan.
      s->write_outbox({"", {row("t1", "test", 10, "ch-2", "")}, {}});
      CHECK(keys(s->outbox("")) == std::vector<std::string>{"t1"});
    }

    SUBCASE("a key given twice in one write is written once, the first; keys are any text") {
      auto s = open_store(url);
      set_up_outbox(*s);
      const std::string odd = "u\"1\\@x|1700000000|ch-1|{reminder}, 提醒";
      auto first = row(odd, "reminder", 100);
      auto second = row(odd, "reminder", 200);
      std::vector<OutboxRow> many;
      for (int i = 0; i < 1200; ++i) // more than one statement's worth
        many.push_back(row("m" + std::to_string(1000 + i), "reminder", 300));
      many.push_back(first);
      many.push_back(second);
      s->write_outbox(rows(many));
      auto all = s->outbox("a");
      REQUIRE(all.size() == 1201);
      CHECK(all[0].key == odd);
      CHECK(all[0].due_at == 100);
      s->write_outbox(rows({row("m1000", "reminder", 300)}, {"reminder"}));
      const auto now = statuses(*s);
      CHECK(now.at(odd) == OutboxStatus::superseded);
      CHECK(now.at("m1000") == OutboxStatus::pending);
      CHECK(now.at("m2199") == OutboxStatus::superseded);
    }

    SUBCASE("replace_kinds supersedes only this plan's pending rows of those kinds not written") {
      auto s = open_store(url);
      set_up_outbox(*s);
      s->save_revision(write(revision("b", 1, RevisionStatus::ok)));
      s->write_outbox(rows({row("keep", "reminder", 100), row("moved", "reminder", 100),
                            row("claimed", "reminder", 50), row("sent", "reminder", 40),
                            row("change", "change", 100), row("deadline", "deadline", 100)}));
      s->write_outbox({"b", {row("other", "reminder", 100, "ch-1", "b")}, {}});
      REQUIRE(keys(s->claim_due(50, 60, 2, "w")) == std::vector<std::string>{"sent", "claimed"});
      REQUIRE(s->finish_send("sent", "w", answer(SendOutcome::sent, 51)));
      auto w =
          rows({row("keep", "reminder", 100), row("new", "reminder", 300)}, {"reminder", "digest"});
      auto r = write(revision("a", 2, RevisionStatus::ok));
      r.outbox = w;
      s->save_revision(r);
      CHECK(statuses(*s) == std::map<std::string, OutboxStatus>{{"keep", OutboxStatus::pending},
                                                                {"moved", OutboxStatus::superseded},
                                                                {"claimed", OutboxStatus::sending},
                                                                {"sent", OutboxStatus::sent},
                                                                {"change", OutboxStatus::pending},
                                                                {"deadline", OutboxStatus::pending},
                                                                {"new", OutboxStatus::pending}});
      CHECK(statuses(*s, "b").at("other") == OutboxStatus::pending);
      // Moved back: the superseded row is written again (and pending), the
      // others keep what they have.
      auto back = row("moved", "reminder", 100);
      back.payload = R"({"text":"回来了"})";
      auto resent = row("sent", "reminder", 40);
      resent.payload = "{}";
      s->write_outbox(rows({back, resent, row("claimed", "reminder", 50)}));
      std::map<std::string, OutboxRow> by_key;
      for (const auto &stored : s->outbox("a"))
        by_key[stored.key] = stored;
      CHECK(by_key["moved"].status == OutboxStatus::pending);
      CHECK(by_key["moved"].payload == back.payload);
      CHECK(by_key["sent"].status == OutboxStatus::sent);
      CHECK(by_key["sent"].payload != "{}");
      CHECK(by_key["claimed"].status == OutboxStatus::sending);
    }

    SUBCASE("claims take due rows by (next_attempt_at, key), at most `limit`, with a lease") {
      auto s = open_store(url);
      set_up_outbox(*s);
      s->write_outbox(
          rows({row("b", "reminder", 100), row("a", "reminder", 100), row("c", "reminder", 90),
                row("later", "reminder", 500), row("d", "change", 95, "ch-2")}));
      CHECK(s->next_due(0) == 90);
      CHECK(s->next_due(200) == 200); // overdue: claim now
      const auto first = s->claim_due(100, 30, 3, "w1");
      REQUIRE(keys(first) == std::vector<std::string>{"c", "d", "a"});
      CHECK(first[0].status == OutboxStatus::sending);
      CHECK(first[0].lease_until == 130);
      CHECK(first[0].lease_owner == "w1");
      CHECK(first[0].attempts == 1);
      CHECK(first[0].request_started_at == 0);
      CHECK(s->outbox("a")[0] == first[0]); // as returned, so stored
      CHECK(keys(s->claim_due(100, 30, 3, "w2")) == std::vector<std::string>{"b"});
      CHECK(s->claim_due(100, 30, 3, "w2").empty());
      CHECK(s->next_due(100) == 130);                    // the first lease's end
      CHECK(s->claim_due(499, 30, 3, "w2").size() == 3); // the leases expired (none started)
      CHECK(keys(s->claim_due(500, 30, 3, "w2")) == std::vector<std::string>{"b", "later"});
    }

    SUBCASE("an expired lease: not started → pending again, started and unanswered → unknown") {
      auto s = open_store(url);
      set_up_outbox(*s);
      s->write_outbox(rows({row("quiet", "reminder", 100), row("cut", "reminder", 100),
                            row("done", "reminder", 100)}));
      REQUIRE(s->claim_due(100, 30, 10, "w1").size() == 3);
      CHECK(s->mark_request_started("cut", "w1", 101));
      CHECK(s->mark_request_started("done", "w1", 101));
      CHECK_FALSE(s->mark_request_started("quiet", "w2", 101)); // not w2's lease
      CHECK(s->finish_send("done", "w1", answer(SendOutcome::sent, 102)));
      CHECK(s->claim_due(129, 30, 10, "w2").empty()); // the lease still holds
      const auto again = s->claim_due(130, 30, 10, "w2");
      REQUIRE(keys(again) == std::vector<std::string>{"quiet"});
      CHECK(again[0].attempts == 2);
      CHECK(again[0].lease_owner == "w2");
      CHECK(statuses(*s).at("cut") == OutboxStatus::unknown);
      CHECK(statuses(*s).at("done") == OutboxStatus::sent);
      // The old worker comes back too late: the row is no longer its to send.
      CHECK_FALSE(s->mark_request_started("quiet", "w1", 131));
      CHECK_FALSE(s->finish_send("cut", "w1", answer(SendOutcome::sent, 131)));
      // A lease that ran out before the request started is not to be used.
      CHECK_FALSE(s->mark_request_started("quiet", "w2", 160));
      CHECK(s->claim_due(1000, 30, 10, "w3").size() == 1); // quiet again; cut never
    }

    SUBCASE("finish_send: sent, failed, and retry at retry_at; only the lease holder") {
      auto s = open_store(url);
      set_up_outbox(*s);
      s->write_outbox(rows(
          {row("ok", "reminder", 100), row("bad", "reminder", 100), row("busy", "reminder", 100)}));
      REQUIRE(s->claim_due(100, 30, 10, "w").size() == 3);
      for (const char *key : {"ok", "bad", "busy"})
        REQUIRE(s->mark_request_started(key, "w", 101));
      CHECK_FALSE(s->finish_send("ok", "other", answer(SendOutcome::sent, 102)));
      CHECK(s->finish_send("ok", "w", answer(SendOutcome::sent, 102)));
      CHECK_FALSE(s->finish_send("ok", "w", answer(SendOutcome::sent, 103))); // once
      CHECK(s->finish_send(
          "bad", "w",
          {SendOutcome::failed, 102, "{\"errcode\":93000}", "密钥无效 invalid webhook url", 0}));
      CHECK(s->finish_send("busy", "w", answer(SendOutcome::retry, 102, 160)));
      std::map<std::string, OutboxRow> by_key;
      for (const auto &r : s->outbox("a"))
        by_key[r.key] = r;
      CHECK(by_key["ok"].status == OutboxStatus::sent);
      CHECK(by_key["ok"].answered_at == 102);
      CHECK(by_key["ok"].answer == R"({"errcode":0,"errmsg":"ok"})");
      CHECK(by_key["bad"].status == OutboxStatus::failed);
      CHECK(by_key["bad"].last_error == "密钥无效 invalid webhook url");
      CHECK(by_key["busy"].status == OutboxStatus::pending);
      CHECK(by_key["busy"].next_attempt_at == 160);
      CHECK(by_key["busy"].last_error == "5xx");
      CHECK(s->next_due(102) == 160);
      CHECK(s->claim_due(159, 30, 10, "w").empty());
      const auto retried = s->claim_due(160, 30, 10, "w");
      REQUIRE(keys(retried) == std::vector<std::string>{"busy"});
      CHECK(retried[0].attempts == 2);
      CHECK(retried[0].answered_at == 0); // this attempt's, not the last one's
      // Cut off on the second attempt: unknown, although the first was answered.
      REQUIRE(s->mark_request_started("busy", "w", 161));
      CHECK(s->claim_due(190, 30, 10, "w").empty());
      CHECK(statuses(*s).at("busy") == OutboxStatus::unknown);
      CHECK_FALSE(s->next_due(190).has_value());
    }

    SUBCASE("a stopped channel's rows wait (but its test message goes); a deleted one's never") {
      auto s = open_store(url);
      set_up_outbox(*s);
      s->write_outbox(rows({row("r1", "reminder", 100, "ch-1"), row("r2", "reminder", 100, "ch-2"),
                            row("t1", "test", 100, "ch-1")}));
      s->set_channel_health("ch-1", "errcode 310000: 签名不匹配", 90, true);
      CHECK(keys(s->claim_due(100, 30, 10, "w")) == std::vector<std::string>{"r2", "t1"});
      CHECK(s->next_due(100) == 130); // r1 waits; the leases end then
      for (const char *key : {"r2", "t1"})
        REQUIRE(s->finish_send(key, "w", answer(SendOutcome::sent, 101)));
      CHECK_FALSE(s->next_due(101).has_value());
      s->set_channel_health("ch-1", "ok", 120, false);
      CHECK(keys(s->claim_due(120, 30, 10, "w")) == std::vector<std::string>{"r1"});
      REQUIRE(s->finish_send("r1", "w", answer(SendOutcome::sent, 121)));
      s->write_outbox(
          rows({row("r3", "reminder", 200, "ch-2"), row("r4", "reminder", 200, "ch-2")}));
      REQUIRE(keys(s->claim_due(200, 30, 1, "w")) == std::vector<std::string>{"r3"});
      s->delete_channel("ch-2", 201);
      CHECK(statuses(*s).at("r3") == OutboxStatus::sending); // under way: left to finish
      CHECK(statuses(*s).at("r4") == OutboxStatus::superseded);
      s->write_outbox(rows({row("r5", "reminder", 300, "ch-2")})); // written late
      CHECK(s->claim_due(300, 30, 10, "w").empty());
    }

    SUBCASE("outbox rows commit with their revision, or not at all") {
      auto s = open_store(url);
      set_up_outbox(*s);
      auto taken = write(revision("a", 1, RevisionStatus::ok)); // number taken
      taken.outbox = rows({row("k1", "reminder", 100)});
      CHECK_THROWS_AS(s->save_revision(taken), Conflict);
      CHECK(s->outbox("a").empty());
      auto unknown_channel = write(revision("a", 2, RevisionStatus::ok));
      unknown_channel.put_records = {{"u@x", "{}", 200}};
      unknown_channel.outbox =
          rows({row("k1", "reminder", 100), row("k2", "reminder", 100, "ch-9")});
      CHECK_THROWS_AS(s->save_revision(unknown_channel), Conflict);
      CHECK(s->outbox("a").empty());
      CHECK(s->records("a").empty());
      CHECK(s->find_plan("a")->current_revision == 1);
      CHECK_THROWS_AS(s->write_outbox(unknown_channel.outbox.value()), Conflict);
      CHECK(s->outbox("a").empty());
      auto good = write(revision("a", 2, RevisionStatus::ok));
      good.outbox = rows({row("k1", "reminder", 100)});
      s->save_revision(good);
      CHECK(keys(s->outbox("a")) == std::vector<std::string>{"k1"});
    }

    SUBCASE("a deleted plan's pending rows are superseded") {
      auto s = open_store(url);
      set_up_outbox(*s);
      s->write_outbox(rows({row("k1", "reminder", 100), row("k2", "reminder", 100)}));
      REQUIRE(s->claim_due(100, 30, 1, "w").size() == 1);
      s->delete_plan("a", 150);
      CHECK(statuses(*s) == std::map<std::string, OutboxStatus>{{"k1", OutboxStatus::sending},
                                                                {"k2", OutboxStatus::superseded}});
    }

    SUBCASE("channels, notify settings and the outbox survive reopening") {
      {
        auto s = open_store(url);
        set_up_outbox(*s);
        s->set_plan_notify({"a", {"ch-1"}, std::string("09:00"), true},
                           rows({row("k1", "reminder", 100), row("k2", "reminder", 100)}));
        REQUIRE(s->claim_due(100, 30, 1, "w").size() == 1);
        REQUIRE(s->mark_request_started("k1", "w", 100));
      } // killed mid-request, as far as the store can tell
      auto s = open_store(url);
      CHECK(s->find_channel("ch-1") == channel("ch-1"));
      CHECK(s->plan_notify("a")->digest_at == "09:00");
      CHECK(keys(s->claim_due(200, 30, 10, "w")) == std::vector<std::string>{"k2"});
      CHECK(statuses(*s).at("k1") == OutboxStatus::unknown);
    }

    SUBCASE("on_outbox is called after rows are written") {
      auto s = open_store(url);
      set_up_outbox(*s);
      std::mutex m;
      std::condition_variable cv;
      int calls = 0;
      s->on_outbox([&] {
        std::lock_guard lock(m);
        ++calls;
        cv.notify_all();
      });
      std::this_thread::sleep_for(std::chrono::milliseconds{200}); // LISTEN is in place
      {
        std::lock_guard lock(m);
        calls = 0;
      }
      s->write_outbox(rows({row("k1", "reminder", 100)}));
      std::unique_lock lock(m);
      CHECK(cv.wait_for(lock, std::chrono::seconds{2}, [&] { return calls > 0; }));
      lock.unlock();
      s->on_outbox(nullptr);
    }

    SUBCASE("run_singleton runs one job of a name at a time and passes on what it throws") {
      auto s = open_store(url);
      bool inner_ran = true;
      bool other_ran = false;
      CHECK(s->run_singleton("digest", [&] {
        inner_ran = s->run_singleton("digest", [] {});
        other_ran = s->run_singleton("other", [] {});
      }));
      CHECK_FALSE(inner_ran);
      CHECK(other_ran);
      CHECK_THROWS_AS(s->run_singleton("digest", [] { throw Unavailable("boom"); }), Unavailable);
      CHECK(s->run_singleton("digest", [] {})); // released
    }

    SUBCASE("deleting a plan that never published removes it and frees its id") {
      auto s = open_store(url);
      s->save_revision(write(revision("d", 1, RevisionStatus::invalid), "t1"));
      auto second = write(revision("d", 2, RevisionStatus::draft));
      s->save_revision(second);
      s->delete_plan("d", 600);
      CHECK_FALSE(s->find_plan("d").has_value());
      CHECK_FALSE(s->plan_id_taken("d"));
      CHECK(s->revisions("d").empty());
      CHECK(s->active_tokens().empty());
      // The id starts again from revision 1.
      s->save_revision(write(revision("d", 1, RevisionStatus::ok), "t2"));
      CHECK(s->find_plan("d")->current_revision == 1);
      CHECK(s->active_tokens() == std::vector<FeedToken>{{"t2", "d"}});
      s.reset();
      CHECK(open_store(url)->revisions("d").size() == 1);
    }

    SUBCASE("plans are listed by id") {
      auto s = open_store(url);
      s->save_revision(write(revision("b", 1, RevisionStatus::ok)));
      s->save_revision(write(revision("a", 1, RevisionStatus::draft)));
      auto plans = s->plans();
      REQUIRE(plans.size() == 2);
      CHECK(plans[0].id == "a");
      CHECK_FALSE(plans[0].published_revision.has_value());
      CHECK(plans[1].id == "b");
    }
  }
}

TEST_CASE("a store URL is sqlite:PATH, a plain path or postgresql://; another scheme is "
          "Unavailable") {
  TempDir dir;
  const auto file = dir.path / "x.db";
  {
    auto s = open_store("sqlite:" + file.string());
    s->set_setting("k", "v");
  }
  CHECK(open_store(file.string())->setting("k") == "v");
  CHECK(open_store("sqlite://" + file.string())->setting("k") == "v");
  CHECK_THROWS_AS(open_store("mysql://db.example/xun"), Unavailable);
  // Nothing listens on port 1: the server cannot be reached.
  CHECK_THROWS_AS(open_store("postgresql://127.0.0.1:1/xun?connect_timeout=2"), Unavailable);
  CHECK_THROWS_AS(open_store("postgres://127.0.0.1:1/xun?connect_timeout=2"), Unavailable);
  CHECK_THROWS_AS(open_store("sqlite:"), Unavailable);
  CHECK_THROWS_AS(open_store(""), Unavailable);
}

TEST_CASE("a database that cannot be opened is Unavailable, naming the file") {
  try {
    open_store("/nonexistent-dir/x/y.db");
    FAIL("opened");
  } catch (const Unavailable &e) {
    CHECK(std::string(e.what()).find("/nonexistent-dir/x/y.db") != std::string::npos);
  }
}
