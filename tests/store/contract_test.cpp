// ctest-fixtures: pg
// The contract every Store backend keeps, run against each backend this build
// has (SQLite, and PostgreSQL when the test server runs): add a backend to
// `backends()` and it must pass all of it.
#include "store/open.hpp"
#include "store/sqlite_store.hpp"
#include "support/pg_server.hpp"
#include "support/scratch_dir.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <memory>

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
