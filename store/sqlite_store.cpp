#include "store/sqlite_store.hpp"

#include "store/codec.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

namespace xun::store {

std::string status_name(RevisionStatus s) {
  switch (s) {
  case RevisionStatus::ok:
    return "ok";
  case RevisionStatus::draft:
    return "draft";
  case RevisionStatus::invalid:
    return "invalid";
  }
  return "invalid";
}

namespace {

// Bytes bound as a BLOB (sealed secrets), not as text.
struct Blob {
  const std::string &value;
};

// The database holds feed tokens and the admin token's digest: only its
// owner may read it. SQLite gives its -wal and -shm files the database
// file's mode; files an older Xun left readable are narrowed too.
void make_private(const std::filesystem::path &file) {
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::fchmod(fd, 0600);
    ::close(fd);
  }
  for (const char *suffix : {"-wal", "-shm"}) {
    const std::string side = file.string() + suffix;
    if (::access(side.c_str(), F_OK) == 0)
      ::chmod(side.c_str(), 0600);
  }
}

// Migration N brings a database from user_version N-1 to N; each runs in one
// transaction with the version bump. Never edit one that has shipped: add the
// next. 1 is the schema of the first release (databases it wrote have
// user_version 0 and these tables already, hence IF NOT EXISTS).
constexpr const char *migrations[] = {
    // 1: plans, revisions, feed tokens, event states, settings.
    R"sql(
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
)sql",
    // 2: the UID published for each occurrence key; the service's schedule
    // JSON is no longer kept (it is output, made again from the schedule).
    R"sql(
CREATE TABLE occurrence_uids (
  plan_id TEXT NOT NULL REFERENCES plans(id),
  activity TEXT NOT NULL,
  period INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  uid TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (plan_id, activity, period, ordinal),
  UNIQUE (plan_id, uid)
);
ALTER TABLE revisions DROP COLUMN schedule_json;
)sql",
    // 3: records of what happened to occurrences (PLAN.md §6.4), by UID.
    R"sql(
CREATE TABLE occurrence_records (
  plan_id TEXT NOT NULL REFERENCES plans(id),
  uid TEXT NOT NULL,
  record_json TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (plan_id, uid)
);
)sql",
    // 4: the reminder outbox: delivery channels (kept when deleted: rows name
    // them), which channels each plan's reminders go to, one row per message.
    R"sql(
CREATE TABLE channels (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  sealed_secrets BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  health TEXT NOT NULL,
  health_at INTEGER NOT NULL,
  stopped INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE TABLE plan_notify (
  plan_id TEXT PRIMARY KEY REFERENCES plans(id),
  channels_json TEXT NOT NULL,
  digest_at TEXT,
  changes INTEGER NOT NULL
);
CREATE TABLE outbox (
  key TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL,
  channel_id TEXT NOT NULL REFERENCES channels(id),
  kind TEXT NOT NULL,
  uid TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown',
                                         'superseded')),
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL,
  lease_owner TEXT NOT NULL,
  request_started_at INTEGER NOT NULL,
  answered_at INTEGER NOT NULL,
  answer TEXT NOT NULL,
  last_error TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_plan ON outbox (plan_id, due_at);
CREATE INDEX outbox_by_channel ON outbox (channel_id, status);
)sql",
};

constexpr int schema_version = static_cast<int>(std::size(migrations));

} // namespace

int sqlite_schema_version() { return schema_version; }

struct SqliteStore::Impl {
  sqlite3 *db = nullptr;
  std::mutex mutex; // one connection, used by every server thread in turn
  std::filesystem::path opened;
  std::optional<std::pair<dev_t, ino_t>> identity; // of the file opened
  std::unordered_map<std::string, sqlite3_stmt *> statements;

  std::mutex singleton_mutex;
  std::set<std::string> singletons_running;

  std::mutex outbox_callback_mutex; // held while the callback runs
  std::function<void()> outbox_callback;

  [[noreturn]] void fail(const std::string &what) const {
    const int code = sqlite3_extended_errcode(db) & 0xff;
    const std::string message = "database: " + what + ": " + sqlite3_errmsg(db);
    if (code == SQLITE_CONSTRAINT)
      throw Conflict(message);
    throw Unavailable(message);
  }

  void exec(const char *sql) {
    char *message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message ? message : "unknown error";
      sqlite3_free(message);
      throw Unavailable(std::string("database: ") + text);
    }
  }

  // A prepared statement, reset and ready for binding.
  sqlite3_stmt *prepare(const std::string &sql) {
    auto it = statements.find(sql);
    if (it != statements.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      fail("preparing '" + sql + "'");
    statements.emplace(sql, stmt);
    return stmt;
  }

  void bind(sqlite3_stmt *s, int i, const std::string &v) {
    if (sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK)
      fail("binding");
  }
  void bind(sqlite3_stmt *s, int i, std::int64_t v) {
    if (sqlite3_bind_int64(s, i, v) != SQLITE_OK)
      fail("binding");
  }
  void bind(sqlite3_stmt *s, int i, int v) { bind(s, i, static_cast<std::int64_t>(v)); }
  void bind(sqlite3_stmt *s, int i, const char *v) { bind(s, i, std::string(v)); }
  void bind(sqlite3_stmt *s, int i, const std::optional<int> &v) {
    if (v)
      bind(s, i, *v);
    else if (sqlite3_bind_null(s, i) != SQLITE_OK)
      fail("binding");
  }
  void bind(sqlite3_stmt *s, int i, const std::optional<std::string> &v) {
    if (v)
      bind(s, i, *v);
    else if (sqlite3_bind_null(s, i) != SQLITE_OK)
      fail("binding");
  }
  void bind(sqlite3_stmt *s, int i, const Blob &v) {
    if (sqlite3_bind_blob(s, i, v.value.data(), static_cast<int>(v.value.size()),
                          SQLITE_TRANSIENT) != SQLITE_OK)
      fail("binding");
  }

  template <class... Args> sqlite3_stmt *query(const std::string &sql, const Args &...args) {
    sqlite3_stmt *s = prepare(sql);
    int i = 0;
    (bind(s, ++i, args), ...);
    return s;
  }
  // Steps once: true while a row is there.
  bool step(sqlite3_stmt *s) {
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
      return true;
    if (rc == SQLITE_DONE)
      return false;
    fail("step");
  }
  template <class... Args> void run(const std::string &sql, const Args &...args) {
    sqlite3_stmt *s = query(sql, args...);
    while (step(s)) {
    }
  }

  static std::string text(sqlite3_stmt *s, int col) {
    auto p = sqlite3_column_text(s, col);
    if (!p)
      return {};
    return std::string(reinterpret_cast<const char *>(p),
                       static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
  }
  static std::int64_t integer(sqlite3_stmt *s, int col) { return sqlite3_column_int64(s, col); }

  PlanRecord plan_row(sqlite3_stmt *s) {
    PlanRecord p;
    p.id = text(s, 0);
    p.created_at = integer(s, 1);
    p.updated_at = integer(s, 2);
    p.current_revision = static_cast<int>(integer(s, 3));
    if (sqlite3_column_type(s, 4) != SQLITE_NULL)
      p.published_revision = static_cast<int>(integer(s, 4));
    return p;
  }

  // Rolls back unless committed: a half-done change never becomes visible.
  struct Transaction {
    Impl &impl;
    bool done = false;
    explicit Transaction(Impl &i) : impl(i) { impl.exec("BEGIN IMMEDIATE"); }
    void commit() {
      impl.exec("COMMIT");
      done = true;
    }
    ~Transaction() {
      if (!done)
        sqlite3_exec(impl.db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  };

  bool live(const std::string &id) {
    auto s = query("SELECT 1 FROM plans WHERE id = ? AND deleted_at IS NULL", id);
    const bool found = step(s);
    sqlite3_reset(s);
    return found;
  }

  static OutboxRow outbox_row(sqlite3_stmt *s) {
    OutboxRow r;
    r.key = text(s, 0);
    r.plan_id = text(s, 1);
    r.channel_id = text(s, 2);
    r.kind = text(s, 3);
    r.uid = text(s, 4);
    r.due_at = integer(s, 5);
    r.payload = text(s, 6);
    r.status = codec::decode_outbox_status(text(s, 7));
    r.attempts = static_cast<int>(integer(s, 8));
    r.next_attempt_at = integer(s, 9);
    r.lease_until = integer(s, 10);
    r.lease_owner = text(s, 11);
    r.request_started_at = integer(s, 12);
    r.answered_at = integer(s, 13);
    r.answer = text(s, 14);
    r.last_error = text(s, 15);
    return r;
  }

  static StoredChannel channel_row(sqlite3_stmt *s) {
    return {text(s, 0),    text(s, 1), text(s, 2),    text(s, 3),        text(s, 4),
            integer(s, 5), text(s, 6), integer(s, 7), integer(s, 8) != 0};
  }

  static PlanNotify notify_row(sqlite3_stmt *s) {
    PlanNotify n;
    n.plan_id = text(s, 0);
    n.channels = codec::decode_channel_ids(text(s, 1));
    if (sqlite3_column_type(s, 2) != SQLITE_NULL)
      n.digest_at = text(s, 2);
    n.changes = integer(s, 3) != 0;
    return n;
  }

  // Inside a transaction: inserts the rows whose keys are new, then
  // supersedes the plan's pending rows of replace_kinds that were not written.
  void write_outbox_rows(const OutboxWrite &w) {
    for (const auto &given : w.rows) {
      const OutboxRow r = codec::row_to_insert(given, w);
      run(std::string("INSERT INTO outbox (") + codec::outbox_columns +
              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (key) DO NOTHING",
          r.key, r.plan_id, r.channel_id, r.kind, r.uid, r.due_at, r.payload,
          outbox_status_name(r.status), r.attempts, r.next_attempt_at, r.lease_until, r.lease_owner,
          r.request_started_at, r.answered_at, r.answer, r.last_error);
    }
    if (w.replace_kinds.empty())
      return;
    std::vector<std::pair<std::string, std::string>> pending;
    auto s =
        query("SELECT key, kind FROM outbox WHERE plan_id = ? AND status = 'pending'", w.plan_id);
    while (step(s))
      pending.emplace_back(text(s, 0), text(s, 1));
    for (const auto &key : codec::superseded_keys(pending, w))
      run("UPDATE outbox SET status = 'superseded' WHERE key = ? AND status = 'pending'", key);
  }

  // After the commit, without the store's lock (the callback may call the store).
  void outbox_written() {
    std::lock_guard lock(outbox_callback_mutex);
    if (!outbox_callback)
      return;
    try {
      outbox_callback();
    } catch (...) { // the worker's own business; the next write calls again
    }
  }

  int user_version() {
    auto s = query("PRAGMA user_version");
    step(s);
    const int v = static_cast<int>(integer(s, 0));
    sqlite3_reset(s);
    return v;
  }

  void migrate(const std::string &file) {
    const int from = user_version();
    if (from > schema_version)
      throw Unavailable("database " + file + " has schema version " + std::to_string(from) +
                        ", newer than this build's " + std::to_string(schema_version) +
                        ": run the newer release");
    for (int v = from; v < schema_version; ++v) {
      Transaction tx(*this);
      exec(migrations[v]);
      exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
      tx.commit();
    }
  }
};

SqliteStore::SqliteStore(const std::filesystem::path &file) : impl_(std::make_unique<Impl>()) {
  if (file != ":memory:" && !file.empty())
    make_private(file);
  if (sqlite3_open_v2(file.c_str(), &impl_->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = impl_->db ? sqlite3_errmsg(impl_->db) : "out of memory";
    sqlite3_close(impl_->db);
    impl_->db = nullptr;
    throw Unavailable("cannot open database " + file.string() + ": " + message);
  }
  sqlite3_busy_timeout(impl_->db, 5000);
  impl_->opened = file;
  if (struct stat st{}; file != ":memory:" && ::stat(file.c_str(), &st) == 0)
    impl_->identity = std::pair{st.st_dev, st.st_ino};
  try {
    impl_->exec("PRAGMA journal_mode=WAL");
    // FULL: an acknowledged write survives power loss, not only a killed process.
    impl_->exec("PRAGMA synchronous=FULL");
    impl_->exec("PRAGMA foreign_keys=ON");
    impl_->migrate(file.string());
  } catch (...) {
    for (auto &[sql, stmt] : impl_->statements)
      sqlite3_finalize(stmt);
    impl_->statements.clear();
    sqlite3_close(impl_->db);
    impl_->db = nullptr;
    throw;
  }
}

SqliteStore::~SqliteStore() {
  for (auto &[sql, stmt] : impl_->statements)
    sqlite3_finalize(stmt);
  if (impl_->db)
    sqlite3_close(impl_->db);
}

namespace {
constexpr const char *plan_columns =
    "SELECT id, created_at, updated_at, current_revision, published_revision FROM plans ";
}

std::vector<PlanRecord> SqliteStore::plans() {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query(std::string(plan_columns) + "WHERE deleted_at IS NULL ORDER BY id");
  std::vector<PlanRecord> out;
  while (impl_->step(s))
    out.push_back(impl_->plan_row(s));
  return out;
}

std::optional<PlanRecord> SqliteStore::find_plan(const std::string &id) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query(std::string(plan_columns) + "WHERE id = ? AND deleted_at IS NULL", id);
  if (!impl_->step(s))
    return std::nullopt;
  auto p = impl_->plan_row(s);
  sqlite3_reset(s);
  return p;
}

bool SqliteStore::plan_id_taken(const std::string &id) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query("SELECT 1 FROM plans WHERE id = ?", id);
  bool taken = impl_->step(s);
  sqlite3_reset(s);
  return taken;
}

std::optional<Revision> SqliteStore::revision(const std::string &plan_id, int number) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query("SELECT created_at, file_name, source, status, problems_json, "
                        "conflict_json, schedule_state, ics FROM revisions "
                        "WHERE plan_id = ? AND number = ?",
                        plan_id, number);
  if (!impl_->step(s))
    return std::nullopt;
  Revision r;
  r.plan_id = plan_id;
  r.number = number;
  r.created_at = Impl::integer(s, 0);
  r.file_name = Impl::text(s, 1);
  r.source = Impl::text(s, 2);
  r.status = codec::decode_status(Impl::text(s, 3));
  const std::string problems = Impl::text(s, 4);
  const std::string conflict = Impl::text(s, 5);
  const std::string schedule = Impl::text(s, 6);
  r.ics = Impl::text(s, 7);
  sqlite3_reset(s);
  codec::decode_revision_values(r, problems, conflict, schedule);
  return r;
}

std::vector<RevisionSummary> SqliteStore::revisions(const std::string &plan_id) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query("SELECT number, created_at, file_name, status FROM revisions "
                        "WHERE plan_id = ? ORDER BY number",
                        plan_id);
  std::vector<RevisionSummary> out;
  while (impl_->step(s))
    out.push_back({static_cast<int>(Impl::integer(s, 0)), Impl::integer(s, 1), Impl::text(s, 2),
                   codec::decode_status(Impl::text(s, 3))});
  return out;
}

std::map<std::string, EventState> SqliteStore::event_states(const std::string &plan_id) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query("SELECT uid, sequence, last_modified, start, end, digest FROM event_states "
                        "WHERE plan_id = ?",
                        plan_id);
  std::map<std::string, EventState> out;
  while (impl_->step(s)) {
    EventState e{Impl::text(s, 0),    static_cast<int>(Impl::integer(s, 1)),
                 Impl::integer(s, 2), Impl::text(s, 3),
                 Impl::text(s, 4),    Impl::text(s, 5)};
    out.emplace(e.uid, e);
  }
  return out;
}

UidMap SqliteStore::published_uids(const std::string &plan_id) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query(
      "SELECT activity, period, ordinal, uid FROM occurrence_uids WHERE plan_id = ?", plan_id);
  UidMap out;
  while (impl_->step(s))
    out.emplace(scheduler::OccurrenceKey{Impl::text(s, 0), static_cast<int>(Impl::integer(s, 1)),
                                         static_cast<int>(Impl::integer(s, 2))},
                Impl::text(s, 3));
  return out;
}

std::vector<StoredRecord> SqliteStore::records(const std::string &plan_id) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query("SELECT uid, record_json, updated_at FROM occurrence_records "
                        "WHERE plan_id = ? ORDER BY uid",
                        plan_id);
  std::vector<StoredRecord> out;
  while (impl_->step(s))
    out.push_back({Impl::text(s, 0), Impl::text(s, 1), Impl::integer(s, 2)});
  return out;
}

void SqliteStore::save_revision(const RevisionWrite &w) {
  {
    std::lock_guard lock(impl_->mutex);
    write_revision(w);
  }
  if (w.outbox)
    impl_->outbox_written();
}

void SqliteStore::write_revision(const RevisionWrite &w) {
  const Revision &r = w.revision;
  Impl::Transaction tx(*impl_);
  const bool ok = r.status == RevisionStatus::ok;
  auto existing = impl_->query("SELECT current_revision FROM plans WHERE id = ?", r.plan_id);
  if (impl_->step(existing)) {
    const int current = static_cast<int>(Impl::integer(existing, 0));
    sqlite3_reset(existing);
    if (r.number != current + 1)
      throw Conflict("plan '" + r.plan_id + "' is at revision " + std::to_string(current) +
                     "; revision " + std::to_string(r.number) + " cannot follow it");
    if (ok)
      impl_->run("UPDATE plans SET updated_at = ?, current_revision = ?, published_revision = ?, "
                 "deleted_at = NULL WHERE id = ?",
                 r.created_at, r.number, r.number, r.plan_id);
    else
      impl_->run("UPDATE plans SET updated_at = ?, current_revision = ?, deleted_at = NULL "
                 "WHERE id = ?",
                 r.created_at, r.number, r.plan_id);
  } else {
    if (r.number != 1)
      throw NotFound("there is no plan '" + r.plan_id + "' to add revision " +
                     std::to_string(r.number) + " to");
    impl_->run(
        "INSERT INTO plans (id, created_at, updated_at, current_revision, published_revision) "
        "VALUES (?, ?, ?, ?, ?)",
        r.plan_id, r.created_at, r.created_at, r.number,
        ok ? std::optional<int>(r.number) : std::nullopt);
  }
  impl_->run("INSERT INTO revisions (plan_id, number, created_at, file_name, source, status, "
             "problems_json, conflict_json, schedule_state, ics) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             r.plan_id, r.number, r.created_at, r.file_name, r.source, status_name(r.status),
             codec::encode_problems(r.problems), codec::encode_conflict(r.conflict),
             ok ? codec::encode_schedule(r.schedule) : std::string(), r.ics);
  for (const auto &e : w.changed)
    impl_->run(
        "INSERT INTO event_states (plan_id, uid, sequence, last_modified, start, end, digest) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (plan_id, uid) DO UPDATE SET "
        "sequence = excluded.sequence, last_modified = excluded.last_modified, "
        "start = excluded.start, end = excluded.end, digest = excluded.digest",
        r.plan_id, e.uid, e.sequence, e.last_modified, e.start, e.end, e.digest);
  for (const auto &[key, uid] : w.new_uids)
    impl_->run("INSERT INTO occurrence_uids (plan_id, activity, period, ordinal, uid, "
               "published_at) VALUES (?, ?, ?, ?, ?, ?)",
               r.plan_id, key.activity, key.period, key.ordinal, uid, r.created_at);
  if (w.new_token)
    impl_->run("INSERT INTO feed_tokens (token, plan_id, created_at) VALUES (?, ?, ?)",
               *w.new_token, r.plan_id, r.created_at);
  for (const auto &record : w.put_records)
    impl_->run("INSERT INTO occurrence_records (plan_id, uid, record_json, updated_at) "
               "VALUES (?, ?, ?, ?) ON CONFLICT (plan_id, uid) DO UPDATE SET "
               "record_json = excluded.record_json, updated_at = excluded.updated_at",
               r.plan_id, record.uid, record.json, record.updated_at);
  for (const auto &uid : w.deleted_records)
    impl_->run("DELETE FROM occurrence_records WHERE plan_id = ? AND uid = ?", r.plan_id, uid);
  if (w.outbox)
    impl_->write_outbox_rows(*w.outbox);
  tx.commit();
}

void SqliteStore::delete_plan(const std::string &id, std::int64_t now) {
  std::lock_guard lock(impl_->mutex);
  Impl::Transaction tx(*impl_);
  if (!impl_->live(id))
    throw NotFound("there is no plan '" + id + "'");
  impl_->run("UPDATE plans SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", now, id);
  impl_->run("UPDATE feed_tokens SET revoked_at = ? WHERE plan_id = ? AND revoked_at IS NULL", now,
             id);
  // Nothing more is sent for a deleted plan.
  impl_->run("UPDATE outbox SET status = 'superseded' WHERE plan_id = ? AND status = 'pending'",
             id);
  tx.commit();
}

void SqliteStore::replace_tokens(const std::string &plan_id, std::int64_t now,
                                 const std::optional<std::string> &replacement) {
  std::lock_guard lock(impl_->mutex);
  Impl::Transaction tx(*impl_);
  if (!impl_->live(plan_id))
    throw NotFound("there is no plan '" + plan_id + "'");
  impl_->run("UPDATE feed_tokens SET revoked_at = ? WHERE plan_id = ? AND revoked_at IS NULL", now,
             plan_id);
  if (replacement)
    impl_->run("INSERT INTO feed_tokens (token, plan_id, created_at) VALUES (?, ?, ?)",
               *replacement, plan_id, now);
  tx.commit();
}

std::vector<FeedToken> SqliteStore::active_tokens() {
  std::lock_guard lock(impl_->mutex);
  auto s =
      impl_->query("SELECT t.token, t.plan_id FROM feed_tokens t JOIN plans p ON p.id = t.plan_id "
                   "WHERE t.revoked_at IS NULL AND p.deleted_at IS NULL ORDER BY t.token");
  std::vector<FeedToken> out;
  while (impl_->step(s))
    out.push_back({Impl::text(s, 0), Impl::text(s, 1)});
  return out;
}

std::optional<std::string> SqliteStore::setting(const std::string &key) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query("SELECT value FROM settings WHERE key = ?", key);
  if (!impl_->step(s))
    return std::nullopt;
  auto v = Impl::text(s, 0);
  sqlite3_reset(s);
  return v;
}

void SqliteStore::check_health() {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query("SELECT count(*) FROM settings");
  impl_->step(s);
  sqlite3_reset(s);
  if (!impl_->identity)
    return;
  struct stat st {};
  if (::stat(impl_->opened.c_str(), &st) != 0 || st.st_dev != impl_->identity->first ||
      st.st_ino != impl_->identity->second)
    throw Unavailable("database: " + impl_->opened.string() +
                      " was removed or replaced after xun opened it; what is written now "
                      "is lost at the next start. Restore it (xun backup made a copy) and "
                      "restart xun serve");
}

void SqliteStore::set_setting(const std::string &key, const std::string &value) {
  std::lock_guard lock(impl_->mutex);
  impl_->run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
             "value = excluded.value",
             key, value);
}

using codec::channel_columns;
using codec::claimable;
using codec::notify_columns;

std::vector<StoredChannel> SqliteStore::channels() {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query(std::string(channel_columns) + "WHERE deleted_at IS NULL ORDER BY id");
  std::vector<StoredChannel> out;
  while (impl_->step(s))
    out.push_back(Impl::channel_row(s));
  return out;
}

std::optional<StoredChannel> SqliteStore::find_channel(const std::string &id) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query(std::string(channel_columns) + "WHERE id = ? AND deleted_at IS NULL", id);
  if (!impl_->step(s))
    return std::nullopt;
  auto c = Impl::channel_row(s);
  sqlite3_reset(s);
  return c;
}

void SqliteStore::put_channel(const StoredChannel &c) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->run("INSERT INTO channels (id, type, name, settings_json, sealed_secrets, created_at, "
               "health, health_at, stopped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
               "ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, "
               "settings_json = excluded.settings_json, sealed_secrets = excluded.sealed_secrets, "
               "created_at = excluded.created_at, health = excluded.health, "
               "health_at = excluded.health_at, stopped = excluded.stopped, deleted_at = NULL",
               c.id, c.type, c.name, c.settings_json, Blob{c.sealed_secrets}, c.created_at,
               c.health, c.health_at, c.stopped ? 1 : 0);
  }
  impl_->outbox_written(); // its rows may be claimable again
}

void SqliteStore::delete_channel(const std::string &id, std::int64_t now) {
  std::lock_guard lock(impl_->mutex);
  Impl::Transaction tx(*impl_);
  auto s = impl_->query("SELECT 1 FROM channels WHERE id = ? AND deleted_at IS NULL", id);
  const bool found = impl_->step(s);
  sqlite3_reset(s);
  if (!found)
    throw NotFound("there is no channel '" + id + "'");
  impl_->run("UPDATE channels SET deleted_at = ? WHERE id = ?", now, id);
  impl_->run("UPDATE outbox SET status = 'superseded' WHERE channel_id = ? AND status = 'pending'",
             id);
  std::vector<PlanNotify> lists;
  auto n = impl_->query("SELECT plan_id, channels_json, digest_at, changes FROM plan_notify");
  while (impl_->step(n))
    lists.push_back(Impl::notify_row(n));
  for (auto &list : lists) {
    const auto before = list.channels.size();
    std::erase(list.channels, id);
    if (list.channels.size() != before)
      impl_->run("UPDATE plan_notify SET channels_json = ? WHERE plan_id = ?",
                 codec::encode_channel_ids(list.channels), list.plan_id);
  }
  tx.commit();
}

void SqliteStore::set_channel_health(const std::string &id, const std::string &health,
                                     std::int64_t at, bool stopped) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->run("UPDATE channels SET health = ?, health_at = ?, stopped = ? "
               "WHERE id = ? AND deleted_at IS NULL",
               health, at, stopped ? 1 : 0, id);
  }
  if (!stopped)
    impl_->outbox_written();
}

std::optional<PlanNotify> SqliteStore::plan_notify(const std::string &plan_id) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query(std::string(notify_columns) + "AND n.plan_id = ?", plan_id);
  if (!impl_->step(s))
    return std::nullopt;
  auto n = Impl::notify_row(s);
  sqlite3_reset(s);
  return n;
}

std::vector<PlanNotify> SqliteStore::all_plan_notify() {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query(std::string(notify_columns) + "ORDER BY n.plan_id");
  std::vector<PlanNotify> out;
  while (impl_->step(s))
    out.push_back(Impl::notify_row(s));
  return out;
}

void SqliteStore::set_plan_notify(const PlanNotify &n, const OutboxWrite &rows) {
  {
    std::lock_guard lock(impl_->mutex);
    Impl::Transaction tx(*impl_);
    if (!impl_->live(n.plan_id))
      throw NotFound("there is no plan '" + n.plan_id + "'");
    for (const auto &id : n.channels) {
      auto s = impl_->query("SELECT 1 FROM channels WHERE id = ? AND deleted_at IS NULL", id);
      const bool found = impl_->step(s);
      sqlite3_reset(s);
      if (!found)
        throw NotFound("there is no channel '" + id + "'");
    }
    impl_->run("INSERT INTO plan_notify (plan_id, channels_json, digest_at, changes) "
               "VALUES (?, ?, ?, ?) ON CONFLICT (plan_id) DO UPDATE SET "
               "channels_json = excluded.channels_json, digest_at = excluded.digest_at, "
               "changes = excluded.changes",
               n.plan_id, codec::encode_channel_ids(n.channels), n.digest_at, n.changes ? 1 : 0);
    OutboxWrite w = rows;
    if (w.plan_id.empty())
      w.plan_id = n.plan_id;
    impl_->write_outbox_rows(w);
    tx.commit();
  }
  impl_->outbox_written();
}

void SqliteStore::write_outbox(const OutboxWrite &w) {
  {
    std::lock_guard lock(impl_->mutex);
    Impl::Transaction tx(*impl_);
    impl_->write_outbox_rows(w);
    tx.commit();
  }
  impl_->outbox_written();
}

std::vector<OutboxRow> SqliteStore::claim_due(std::int64_t now, int lease_seconds, int limit,
                                              const std::string &owner) {
  std::lock_guard lock(impl_->mutex);
  Impl::Transaction tx(*impl_);
  // Cut off mid-request: whether it arrived is unknown, so it is not sent again.
  impl_->run("UPDATE outbox SET status = 'unknown' WHERE status = 'sending' AND lease_until <= ? "
             "AND request_started_at != 0 AND answered_at = 0",
             now);
  impl_->run("UPDATE outbox SET status = 'pending', lease_until = 0, lease_owner = '', "
             "request_started_at = 0 WHERE status = 'sending' AND lease_until <= ?",
             now);
  auto s = impl_->query(std::string("SELECT ") + codec::outbox_columns +
                            " FROM outbox WHERE key IN (SELECT o.key " + claimable +
                            "AND o.next_attempt_at <= ? AND o.due_at <= ? "
                            "ORDER BY o.next_attempt_at, o.key LIMIT ?) "
                            "ORDER BY next_attempt_at, key",
                        now, now, limit);
  std::vector<OutboxRow> out;
  while (impl_->step(s))
    out.push_back(Impl::outbox_row(s));
  for (auto &r : out) {
    r.status = OutboxStatus::sending;
    r.lease_until = now + lease_seconds;
    r.lease_owner = owner;
    r.attempts += 1;
    r.request_started_at = 0;
    r.answered_at = 0;
    impl_->run("UPDATE outbox SET status = 'sending', lease_until = ?, lease_owner = ?, "
               "attempts = ?, request_started_at = 0, answered_at = 0 WHERE key = ?",
               r.lease_until, owner, r.attempts, r.key);
  }
  tx.commit();
  return out;
}

bool SqliteStore::mark_request_started(const std::string &key, const std::string &owner,
                                       std::int64_t at) {
  std::lock_guard lock(impl_->mutex);
  impl_->run("UPDATE outbox SET request_started_at = ? WHERE key = ? AND status = 'sending' "
             "AND lease_owner = ? AND lease_until > ?",
             at, key, owner, at);
  return sqlite3_changes(impl_->db) > 0;
}

bool SqliteStore::finish_send(const std::string &key, const std::string &owner,
                              const SendAnswer &a) {
  std::lock_guard lock(impl_->mutex);
  const OutboxStatus next = a.outcome == SendOutcome::sent    ? OutboxStatus::sent
                            : a.outcome == SendOutcome::retry ? OutboxStatus::pending
                                                              : OutboxStatus::failed;
  impl_->run("UPDATE outbox SET status = ?, answered_at = ?, answer = ?, last_error = ?, "
             "lease_until = 0, next_attempt_at = CASE WHEN ? THEN ? ELSE next_attempt_at END "
             "WHERE key = ? AND status = 'sending' AND lease_owner = ?",
             outbox_status_name(next), a.at, a.answer, a.error,
             a.outcome == SendOutcome::retry ? 1 : 0, a.retry_at, key, owner);
  return sqlite3_changes(impl_->db) > 0;
}

std::vector<OutboxRow> SqliteStore::outbox(const std::string &plan_id) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query(std::string("SELECT ") + codec::outbox_columns +
                            " FROM outbox WHERE plan_id = ? ORDER BY due_at, key",
                        plan_id);
  std::vector<OutboxRow> out;
  while (impl_->step(s))
    out.push_back(Impl::outbox_row(s));
  return out;
}

std::optional<std::int64_t> SqliteStore::next_due(std::int64_t now) {
  std::lock_guard lock(impl_->mutex);
  auto s = impl_->query(std::string("SELECT min(t) FROM (SELECT max(o.next_attempt_at, o.due_at) "
                                    "AS t ") +
                        claimable +
                        "UNION ALL SELECT lease_until FROM outbox WHERE status = 'sending')");
  std::optional<std::int64_t> out;
  if (impl_->step(s) && sqlite3_column_type(s, 0) != SQLITE_NULL)
    out = std::max(now, Impl::integer(s, 0));
  sqlite3_reset(s);
  return out;
}

bool SqliteStore::run_singleton(const std::string &name, const std::function<void()> &fn) {
  {
    std::lock_guard lock(impl_->singleton_mutex);
    if (!impl_->singletons_running.insert(name).second)
      return false;
  }
  struct Release {
    Impl &impl;
    const std::string &name;
    ~Release() {
      std::lock_guard lock(impl.singleton_mutex);
      impl.singletons_running.erase(name);
    }
  } release{*impl_, name};
  fn();
  return true;
}

void SqliteStore::on_outbox(std::function<void()> callback) {
  std::lock_guard lock(impl_->outbox_callback_mutex);
  impl_->outbox_callback = std::move(callback);
}

} // namespace xun::store

namespace xun::store {

namespace {

// Closes a connection of the backup however it ends.
struct Connection {
  sqlite3 *db = nullptr;
  ~Connection() { sqlite3_close(db); }
  std::string error() const { return db ? sqlite3_errmsg(db) : "out of memory"; }
};

void open_existing(Connection &c, const std::filesystem::path &file) {
  // Read-write without CREATE: a WAL database is read through its -shm file,
  // which a read-only connection may not be able to map; nothing is written.
  if (sqlite3_open_v2(file.c_str(), &c.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    throw Unavailable("backup: cannot open database " + file.string() + ": " + c.error());
  sqlite3_busy_timeout(c.db, 5000);
}

std::size_t live_plans(Connection &c, const std::filesystem::path &file) {
  sqlite3_stmt *s = nullptr;
  std::size_t n = 0;
  if (sqlite3_prepare_v2(c.db, "SELECT count(*) FROM plans WHERE deleted_at IS NULL", -1, &s,
                         nullptr) != SQLITE_OK ||
      sqlite3_step(s) != SQLITE_ROW) {
    sqlite3_finalize(s);
    throw Unavailable("backup: " + file.string() + " is not a Xun database: " + c.error());
  }
  n = static_cast<std::size_t>(sqlite3_column_int64(s, 0));
  sqlite3_finalize(s);
  return n;
}

} // namespace

std::size_t backup_sqlite(const std::filesystem::path &source, const std::filesystem::path &dest) {
  if (!std::filesystem::is_regular_file(source))
    throw Unavailable("backup: no database at " + source.string());
  Connection from;
  open_existing(from, source);
  const std::filesystem::path partial = dest.string() + ".partial";
  std::filesystem::remove(partial);
  make_private(partial);
  Connection to;
  if (sqlite3_open_v2(partial.c_str(), &to.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    throw Unavailable("backup: cannot write " + partial.string() + ": " + to.error());
  sqlite3_backup *backup = sqlite3_backup_init(to.db, "main", from.db, "main");
  if (!backup)
    throw Unavailable("backup: " + to.error());
  // All pages in one step: one read transaction, so the copy is one moment
  // of the database (in WAL mode the server's writers are not blocked).
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    std::filesystem::remove(partial);
    throw Unavailable("backup: copying " + source.string() + ": " + sqlite3_errstr(rc));
  }
  const std::size_t plans = live_plans(to, source);
  sqlite3_close(to.db);
  to.db = nullptr;
  if (const int fd = ::open(partial.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::error_code ec;
  std::filesystem::rename(partial, dest, ec);
  if (ec) {
    std::filesystem::remove(partial);
    throw Unavailable("backup: cannot move the copy to " + dest.string() + ": " + ec.message());
  }
  return plans;
}

} // namespace xun::store
