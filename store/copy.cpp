#include "store/copy.hpp"

#include "store/pg.hpp"
#include "store/pg_store.hpp"
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <vector>

namespace xun::store {

namespace {

struct Table {
  const char *name;
  std::vector<const char *> columns;
  std::vector<const char *> bytes; // BYTEA in PostgreSQL: copied as the bytes they are
};

// Parents before children (foreign keys); the columns both schemas have.
const std::vector<Table> &tables() {
  static const std::vector<Table> all = {
      {"plans",
       {"id", "created_at", "updated_at", "current_revision", "published_revision", "deleted_at"},
       {}},
      {"revisions",
       {"plan_id", "number", "created_at", "file_name", "source", "status", "problems_json",
        "conflict_json", "schedule_state", "ics"},
       {"file_name", "source"}},
      {"feed_tokens", {"token", "plan_id", "created_at", "revoked_at"}, {}},
      {"event_states",
       {"plan_id", "uid", "sequence", "last_modified", "start", "end", "digest"},
       {}},
      {"settings", {"key", "value"}, {}},
      {"occurrence_uids", {"plan_id", "activity", "period", "ordinal", "uid", "published_at"}, {}},
      {"occurrence_records", {"plan_id", "uid", "record_json", "updated_at"}, {}},
      {"channels",
       {"id", "type", "name", "settings_json", "sealed_secrets", "created_at", "health",
        "health_at", "stopped", "deleted_at"},
       {"sealed_secrets"}},
      {"plan_notify", {"plan_id", "channels_json", "digest_at", "changes"}, {}},
      {"outbox",
       {"key", "plan_id", "channel_id", "kind", "uid", "due_at", "payload", "status", "attempts",
        "next_attempt_at", "lease_until", "lease_owner", "request_started_at", "answered_at",
        "answer", "last_error"},
       {"payload", "answer", "last_error"}},
  };
  return all;
}

std::string sqlite_path(const std::string &url) {
  std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
  if (path.rfind("//", 0) == 0)
    path = path.substr(2);
  return path;
}

bool is_postgres(const std::string &url) {
  return url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
}

// The SQLite file, read only, closed when done.
struct SqliteReader {
  sqlite3 *db = nullptr;
  explicit SqliteReader(const std::string &path) {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw Unavailable("cannot open database " + path + ": " + message);
    }
  }
  ~SqliteReader() { sqlite3_close(db); }
  SqliteReader(const SqliteReader &) = delete;
  SqliteReader &operator=(const SqliteReader &) = delete;
};

std::string column_list(const Table &t) {
  std::string out;
  for (const auto *c : t.columns)
    out += std::string(out.empty() ? "" : ", ") + "\"" + c + "\"";
  return out;
}

long copy_table(sqlite3 *from, pg::Connection &to, const Table &t) {
  const std::string columns = column_list(t);
  std::string insert = std::string("INSERT INTO ") + t.name + " (" + columns + ") VALUES (";
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    insert += (i ? ", $" : "$") + std::to_string(i + 1);
  insert += ")";
  const std::string select = "SELECT " + columns + " FROM " + t.name;
  sqlite3_stmt *s = nullptr;
  if (sqlite3_prepare_v2(from, select.c_str(), -1, &s, nullptr) != SQLITE_OK)
    throw Unavailable("reading " + std::string(t.name) + ": " + sqlite3_errmsg(from));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> finalize(s, sqlite3_finalize);
  long rows = 0;
  int rc = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    std::vector<pg::Param> params;
    for (int i = 0; i < static_cast<int>(t.columns.size()); ++i) {
      pg::Param p;
      if (sqlite3_column_type(s, i) != SQLITE_NULL) {
        const auto *text = reinterpret_cast<const char *>(sqlite3_column_blob(s, i));
        p.value =
            std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
      }
      const std::string name = t.columns[static_cast<std::size_t>(i)];
      for (const auto *b : t.bytes)
        p.binary = p.binary || name == b;
      params.push_back(std::move(p));
    }
    to.exec(insert, params);
    ++rows;
  }
  if (rc != SQLITE_DONE)
    throw Unavailable("reading " + std::string(t.name) + ": " + sqlite3_errmsg(from));
  return rows;
}

} // namespace

std::map<std::string, long> copy_database(const std::string &from_url, const std::string &to_url) {
  if (!is_postgres(to_url) || is_postgres(from_url))
    throw Unavailable("xun migrate moves an SQLite database (sqlite:FILE) into PostgreSQL "
                      "(postgresql://…); got '" +
                      from_url + "' → '" + to_url + "'");
  const std::string path = sqlite_path(from_url);
  if (!std::filesystem::is_regular_file(path))
    throw Unavailable("there is no SQLite database " + path);
  SqliteStore{path}; // brings the file's schema up to date first
  PgStore{to_url};   // and the target's
  SqliteReader from(path);
  pg::Connection to(to_url);
  to.exec("BEGIN");
  if (to.exec("SELECT 1 FROM plans LIMIT 1").rows() > 0)
    throw Conflict("the PostgreSQL database already has plans (deleted ones too); migrate into "
                   "an empty one");
  std::map<std::string, long> copied;
  for (const auto &t : tables())
    copied[t.name] = copy_table(from.db, to, t);
  // Replicas already serving the target load everything again.
  to.exec("SELECT pg_notify('xun_plan_changed', '')");
  to.exec("COMMIT");
  return copied;
}

} // namespace xun::store
