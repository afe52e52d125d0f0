// A database written by the first release (http/storage.cpp, no user_version)
// opens with today's store and is migrated in place, keeping everything.
#include "store/open.hpp"
#include "store/sqlite_store.hpp"
#include "support/scratch_dir.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

using namespace xun;
using namespace xun::store;
using TempDir = xun::testing::ScratchDir;

namespace {

// The first release's schema and rows, as its storage.cpp wrote them.
constexpr const char *old_release = R"sql(
CREATE TABLE IF NOT EXISTS plans (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  current_revision INTEGER NOT NULL,
  published_revision INTEGER,
  deleted_at INTEGER
);
CREATE TABLE IF NOT EXISTS revisions (
  plan_id TEXT NOT NULL REFERENCES plans(id),
  number INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  source TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'draft', 'invalid')),
  problems_json TEXT NOT NULL,
  conflict_json TEXT NOT NULL,
  schedule_json TEXT NOT NULL,
  schedule_state TEXT NOT NULL,
  ics TEXT NOT NULL,
  PRIMARY KEY (plan_id, number)
);
CREATE TABLE IF NOT EXISTS feed_tokens (
  token TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans(id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS event_states (
  plan_id TEXT NOT NULL REFERENCES plans(id),
  uid TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  last_modified INTEGER NOT NULL,
  start TEXT NOT NULL,
  end TEXT NOT NULL,
  digest TEXT NOT NULL,
  PRIMARY KEY (plan_id, uid)
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO plans VALUES ('small-2026', 1767225600, 1767312000, 2, 1, NULL);
INSERT INTO revisions VALUES ('small-2026', 1, 1767225600, 'small.yaml', 'plan: x', 'ok', '[]', '',
  '{"plan": "small-2026"}',
  '{"occurrences":[{"activity":"congress","all_day":false,"end":"2026-02-23T11:00","fixed":false,"index":0,"start":"2026-02-23T09:00","window":{"from":"2026-02-21","to":"2026-02-28"}},{"activity":"dues","all_day":true,"end":"2026-05-07T00:00","fixed":false,"index":0,"start":"2026-05-06T00:00","window":{"from":"2026-05-01","to":"2026-05-31"}}],"warnings":["w"]}',
  'BEGIN:VCALENDAR' || char(13) || char(10) || 'END:VCALENDAR' || char(13) || char(10));
INSERT INTO revisions VALUES ('small-2026', 2, 1767312000, 'small.yaml', 'plan: y', 'invalid',
  '[{"column":1,"file":"small.yaml","line":4,"message":"unknown key","text":"small.yaml:4:1: unknown key"}]',
  '', '', '', '');
INSERT INTO feed_tokens VALUES ('oldtoken', 'small-2026', 1767225600, NULL);
INSERT INTO feed_tokens VALUES ('revoked', 'small-2026', 1767225600, 1767225700);
INSERT INTO event_states VALUES ('small-2026', 'congress-0@small-2026.xun', 2, 1767225600,
  '2026-02-23T09:00 Asia/Shanghai', '2026-02-23T11:00 Asia/Shanghai', '0123456789abcdef');
INSERT INTO settings VALUES ('admin_token', 'secret');
INSERT INTO settings VALUES ('seed:demo', 'small-2026');
)sql";

void write_old_database(const std::filesystem::path &file) {
  sqlite3 *db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char *error = nullptr;
  const int rc = sqlite3_exec(db, old_release, nullptr, nullptr, &error);
  INFO((error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

int user_version(const std::filesystem::path &file) {
  sqlite3 *db = nullptr;
  sqlite3_open(file.c_str(), &db);
  sqlite3_stmt *s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr);
  sqlite3_step(s);
  const int v = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

} // namespace

TEST_CASE("a database of the first release opens, migrates to the current schema and keeps all") {
  TempDir dir;
  const auto file = dir.path / "old.db";
  write_old_database(file);
  REQUIRE(user_version(file) == 0);
  {
    auto s = open_store(file.string());
    auto p = s->find_plan("small-2026");
    REQUIRE(p);
    CHECK(p->current_revision == 2);
    CHECK(p->published_revision == 1);
    auto r = s->revision("small-2026", 1);
    REQUIRE(r);
    CHECK(r->status == RevisionStatus::ok);
    CHECK_FALSE(r->keyed); // written before occurrences had keys
    REQUIRE(r->schedule.occurrences.size() == 2);
    CHECK(r->schedule.occurrences[0].id() == "congress#0");
    CHECK(r->schedule.occurrences[1].all_day);
    CHECK(r->schedule.occurrences[1].window.dates.front() == calendar::make_date(2026, 5, 1));
    CHECK(r->schedule.warnings == std::vector<std::string>{"w"});
    CHECK(r->ics == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    auto invalid = s->revision("small-2026", 2);
    REQUIRE(invalid->problems.size() == 1);
    CHECK(invalid->problems[0].to_string() == "small.yaml:4:1: unknown key");
    CHECK(s->active_tokens() == std::vector<FeedToken>{{"oldtoken", "small-2026"}});
    CHECK(s->event_states("small-2026").at("congress-0@small-2026.xun").sequence == 2);
    CHECK(s->setting("admin_token") == "secret");
    CHECK(s->published_uids("small-2026").empty());
    // It takes new revisions like any other.
    RevisionWrite w;
    w.revision.plan_id = "small-2026";
    w.revision.number = 3;
    w.revision.status = RevisionStatus::draft;
    w.revision.conflict = scheduler::Conflict{"no", {}, {}, {}};
    s->save_revision(w);
    CHECK(s->find_plan("small-2026")->current_revision == 3);
  }
  CHECK(user_version(file) == sqlite_schema_version());
  // Opening again runs no migration twice.
  auto s = open_store(file.string());
  CHECK(s->revisions("small-2026").size() == 3);
}

TEST_CASE("a database from a newer release is refused, not damaged") {
  TempDir dir;
  const auto file = dir.path / "new.db";
  {
    sqlite3 *db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  CHECK_THROWS_AS(open_store(file.string()), Unavailable);
  CHECK(user_version(file) == 999);
}
