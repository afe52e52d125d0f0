#include "store/pg_store.hpp"

#include "store/codec.hpp"
#include "store/pg.hpp"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <tuple>

namespace xun::store {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Migration N brings the schema from version N-1 to N. Never edit one that
// has shipped: add the next. The tables are SQLite's (after its migration
// 3), so a database moved between backends means the same; keys compare as
// bytes (COLLATE "C"), as SQLite orders them; the text as received is BYTEA,
// whatever its encoding (and so are an outbox row's payload, answer and
// error: a far end may answer anything).
constexpr const char *migrations[] = {
    // 1: plans, revisions, feed tokens, event states, settings, published
    // UIDs and records of what happened.
    R"sql(
CREATE TABLE plans (
  id TEXT COLLATE "C" PRIMARY KEY,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  current_revision INTEGER NOT NULL,
  published_revision INTEGER,
  deleted_at BIGINT
);
CREATE TABLE revisions (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans(id),
  number INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  file_name BYTEA NOT NULL,
  source BYTEA NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'draft', 'invalid')),
  problems_json TEXT NOT NULL,
  conflict_json TEXT NOT NULL,
  schedule_state TEXT NOT NULL,
  ics TEXT NOT NULL,
  PRIMARY KEY (plan_id, number)
);
CREATE TABLE feed_tokens (
  token TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans(id),
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX feed_tokens_by_plan ON feed_tokens (plan_id);
CREATE TABLE event_states (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans(id),
  uid TEXT COLLATE "C" NOT NULL,
  sequence INTEGER NOT NULL,
  last_modified BIGINT NOT NULL,
  start TEXT NOT NULL,
  "end" TEXT NOT NULL,
  digest TEXT NOT NULL,
  PRIMARY KEY (plan_id, uid)
);
CREATE TABLE settings (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE occurrence_uids (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans(id),
  activity TEXT COLLATE "C" NOT NULL,
  period INTEGER NOT NULL,
  ordinal INTEGER NOT NULL,
  uid TEXT COLLATE "C" NOT NULL,
  published_at BIGINT NOT NULL,
  PRIMARY KEY (plan_id, activity, period, ordinal),
  UNIQUE (plan_id, uid)
);
CREATE TABLE occurrence_records (
  plan_id TEXT COLLATE "C" NOT NULL REFERENCES plans(id),
  uid TEXT COLLATE "C" NOT NULL,
  record_json TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (plan_id, uid)
);
)sql",
    // 2: the reminder outbox (SQLite's migration 4).
    R"sql(
CREATE TABLE channels (
  id TEXT COLLATE "C" PRIMARY KEY,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  sealed_secrets BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  health TEXT NOT NULL,
  health_at BIGINT NOT NULL,
  stopped BOOLEAN NOT NULL,
  deleted_at BIGINT
);
CREATE TABLE plan_notify (
  plan_id TEXT COLLATE "C" PRIMARY KEY REFERENCES plans(id),
  channels_json TEXT NOT NULL,
  digest_at TEXT,
  changes BOOLEAN NOT NULL
);
CREATE TABLE outbox (
  key TEXT COLLATE "C" PRIMARY KEY,
  plan_id TEXT COLLATE "C" NOT NULL,
  channel_id TEXT COLLATE "C" NOT NULL REFERENCES channels(id),
  kind TEXT COLLATE "C" NOT NULL,
  uid TEXT COLLATE "C" NOT NULL,
  due_at BIGINT NOT NULL,
  payload BYTEA NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown',
                                         'superseded')),
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL,
  lease_owner TEXT NOT NULL,
  request_started_at BIGINT NOT NULL,
  answered_at BIGINT NOT NULL,
  answer BYTEA NOT NULL,
  last_error BYTEA NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_plan ON outbox (plan_id, due_at);
CREATE INDEX outbox_by_channel ON outbox (channel_id, status);
)sql",
    // 3: each channel's send pace, shared by the replicas (no SQLite twin:
    // one process paces in memory). Not copied by xun migrate: it is only
    // the next few seconds' state.
    R"sql(
CREATE TABLE channel_pace (
  channel_id TEXT COLLATE "C" PRIMARY KEY,
  next_ms BIGINT NOT NULL
);
)sql",
};

constexpr int schema_version = static_cast<int>(std::size(migrations));

// pg_advisory_lock key of the migrations: "xun" and the version 1, so other
// applications sharing the database do not collide with it by accident.
constexpr const char *migration_lock = "7867756e0001";

// The channel every committed change is announced on, with its plan id.
constexpr const char *channel = "xun_plan_changed";
// The channel committed outbox rows (and channel changes) are announced on.
constexpr const char *outbox_channel = "xun_outbox";

constexpr int pool_size = 16;
constexpr milliseconds first_backoff{100};
constexpr milliseconds longest_backoff{5000};
constexpr milliseconds checkout_wait{5000};

milliseconds next_backoff(milliseconds b) {
  return std::min(longest_backoff, b.count() == 0 ? first_backoff : 2 * b);
}

} // namespace

int pg_schema_version() { return schema_version; }

namespace {

// Connections for the worker threads: one is taken for a call and given back
// after it. A failed connect makes the next ones wait (backoff) and fail fast
// with Unavailable meanwhile, so a server that is down is not hammered.
class Pool {
public:
  explicit Pool(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  struct Lease {
    Pool &pool;
    std::unique_ptr<pg::Connection> connection;
    bool reused;
    std::uint64_t generation;
    ~Lease() { pool.give_back(std::move(connection), generation); }
  };

  // Runs `f` on a connection. A connection that turns out dead at the first
  // statement (the server restarted while it was idle) is replaced and `f`
  // run once more: nothing was done on it yet, so that is safe.
  template <class F> auto with(F f) -> decltype(f(std::declval<pg::Connection &>())) {
    for (int attempt = 0;; ++attempt) {
      Lease lease = take();
      const std::uint64_t before = lease.connection->executed();
      try {
        return f(*lease.connection);
      } catch (const Unavailable &) {
        const bool first_statement = lease.connection->executed() == before + 1;
        if (!lease.connection->broken() || !lease.reused || !first_statement || attempt > 0)
          throw;
      }
    }
  }

  std::unique_ptr<pg::Connection> connect() {
    {
      std::lock_guard lock(mutex_);
      if (Clock::now() < retry_at_)
        throw Unavailable("PostgreSQL is unreachable (" + last_error_ + "); trying again shortly");
    }
    try {
      auto c = std::make_unique<pg::Connection>(conninfo_);
      std::lock_guard lock(mutex_);
      backoff_ = milliseconds{0};
      return c;
    } catch (const Unavailable &e) {
      std::lock_guard lock(mutex_);
      backoff_ = next_backoff(backoff_);
      retry_at_ = Clock::now() + backoff_;
      last_error_ = e.what();
      throw;
    }
  }

  // The server went away: idle connections are dead, those out are dropped
  // when given back.
  void drop_all() {
    std::lock_guard lock(mutex_);
    ++generation_;
    open_ -= static_cast<int>(idle_.size());
    idle_.clear();
    available_.notify_all();
  }

private:
  Lease take() {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, checkout_wait,
                             [&] { return !idle_.empty() || open_ < pool_size; }))
      throw Unavailable("every PostgreSQL connection of this process is busy");
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease{*this, std::move(c), true, generation_};
    }
    ++open_;
    const std::uint64_t generation = generation_;
    lock.unlock();
    try {
      return Lease{*this, connect(), false, generation};
    } catch (...) {
      lock.lock();
      --open_;
      available_.notify_one();
      throw;
    }
  }

  void give_back(std::unique_ptr<pg::Connection> c, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    if (generation != generation_) { // from before the server went away
      --open_;
      available_.notify_one();
      return;
    }
    if (c && !c->broken())
      idle_.push_back(std::move(c));
    else
      --open_;
    available_.notify_one();
  }

  std::string conninfo_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pg::Connection>> idle_;
  int open_ = 0; // idle and out
  std::uint64_t generation_ = 0;
  milliseconds backoff_{0};
  Clock::time_point retry_at_{};
  std::string last_error_;
};

// BEGIN … COMMIT on one connection; rolled back unless committed.
class Transaction {
public:
  explicit Transaction(pg::Connection &c) : c_(c) { c_.exec("BEGIN"); }
  void commit() {
    c_.exec("COMMIT");
    done_ = true;
  }
  ~Transaction() {
    if (!done_ && !c_.broken()) {
      try {
        c_.exec("ROLLBACK");
      } catch (const Error &) { // the connection is then broken and dropped
      }
    }
  }
  Transaction(const Transaction &) = delete;
  Transaction &operator=(const Transaction &) = delete;

private:
  pg::Connection &c_;
  bool done_ = false;
};

} // namespace

struct PgStore::Impl {
  std::string conninfo;
  Pool pool;

  std::mutex callback_mutex; // held while a callback runs
  ChangeCallback callback;
  std::function<void()> outbox_callback;
  std::mutex listener_mutex; // guards starting the listener
  std::thread listener;
  std::atomic<bool> stopping{false};

  explicit Impl(std::string c) : conninfo(c), pool(std::move(c)) {}

  ~Impl() {
    stopping = true;
    if (listener.joinable())
      listener.join();
  }

  template <class F> auto with(F f) { return pool.with(std::move(f)); }

  void migrate() {
    pg::Connection c(conninfo);
    c.run(std::string("SELECT pg_advisory_lock(x'") + migration_lock + "'::bigint)");
    struct Unlock { // also when a migration fails; closing the session would too
      pg::Connection &c;
      ~Unlock() {
        try {
          c.run(std::string("SELECT pg_advisory_unlock(x'") + migration_lock + "'::bigint)");
        } catch (const Error &) {
        }
      }
    } unlock{c};
    c.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
           "applied_at BIGINT NOT NULL)");
    auto r = c.exec("SELECT coalesce(max(version), 0) FROM schema_version");
    const auto from = static_cast<int>(r.integer(0, 0));
    if (from > schema_version)
      throw Unavailable("the PostgreSQL database has schema version " + std::to_string(from) +
                        ", newer than this build's " + std::to_string(schema_version) +
                        ": run the newer release");
    for (int v = from; v < schema_version; ++v) {
      Transaction tx(c);
      c.exec_script(migrations[v]);
      c.run("INSERT INTO schema_version (version, applied_at) "
            "VALUES ($1, extract(epoch FROM now())::bigint)",
            v + 1);
      tx.commit();
    }
  }

  void announce(pg::Connection &c, const std::string &plan_id) {
    // Delivered when the transaction commits, and only then.
    c.run("SELECT pg_notify($1, $2)", channel, plan_id);
  }

  void announce_outbox(pg::Connection &c, const std::string &plan_id) {
    c.run("SELECT pg_notify($1, $2)", outbox_channel, plan_id);
  }

  void call_back(const std::string &plan_id) {
    std::lock_guard lock(callback_mutex);
    if (!callback)
      return;
    try {
      callback(plan_id);
    } catch (...) { // the cache's own business; the next change calls again
    }
  }

  void call_outbox_back() {
    std::lock_guard lock(callback_mutex);
    if (!outbox_callback)
      return;
    try {
      outbox_callback();
    } catch (...) { // the worker's own business; the next write calls again
    }
  }

  void dispatch(const pg::Notification &n) {
    if (n.channel == outbox_channel)
      call_outbox_back();
    else
      call_back(n.payload);
  }

  // Missed notifications are lost: everything may have changed.
  void link_regained() {
    call_back("");
    call_outbox_back();
  }

  // The listener, started once by whichever of on_change and on_outbox comes
  // first; it LISTENs before this returns, so whatever the caller loads next,
  // a change committed after that is announced.
  void start_listener() {
    std::lock_guard lock(listener_mutex);
    if (listener.joinable())
      return;
    std::unique_ptr<pg::Connection> c;
    try {
      c = listening();
    } catch (const Error &) { // the listener keeps trying, and then reports ""
    }
    listener = std::thread([this, first = std::move(c)]() mutable { listen(std::move(first)); });
  }

  // Waits up to `d`, waking early when the store closes.
  void pause(milliseconds d) {
    const auto until = Clock::now() + d;
    while (!stopping && Clock::now() < until)
      std::this_thread::sleep_for(std::min(milliseconds{50}, d));
  }

  // LISTENs on a connection of its own; after the link was lost and is back,
  // reports "" (whatever was announced meanwhile is gone).
  // `c` is LISTENing already, or null (then nothing is known: report "" once connected).
  void listen(std::unique_ptr<pg::Connection> c) {
    milliseconds backoff{0};
    bool lost = !c;
    while (!stopping) {
      if (!c) {
        try {
          c = listening();
          backoff = milliseconds{0};
          if (lost)
            link_regained();
          lost = false;
        } catch (const Error &) {
          c.reset();
          backoff = next_backoff(backoff);
          pause(backoff);
          continue;
        }
      }
      pollfd fd{c->socket(), POLLIN, 0};
      const int ready = ::poll(&fd, 1, 200);
      if (ready == 0)
        continue;
      try {
        for (const auto &n : c->notifications())
          dispatch(n);
      } catch (const Error &) {
        c.reset();
        lost = true;
        pool.drop_all();
      }
    }
  }

  std::unique_ptr<pg::Connection> listening() {
    auto c = std::make_unique<pg::Connection>(conninfo);
    c->exec(std::string("LISTEN ") + channel);
    c->exec(std::string("LISTEN ") + outbox_channel);
    return c;
  }

  static PlanRecord plan_row(const pg::Result &r, int row) {
    PlanRecord p;
    p.id = r.text(row, 0);
    p.created_at = r.integer(row, 1);
    p.updated_at = r.integer(row, 2);
    p.current_revision = static_cast<int>(r.integer(row, 3));
    if (!r.null(row, 4))
      p.published_revision = static_cast<int>(r.integer(row, 4));
    return p;
  }

  static bool live(pg::Connection &c, const std::string &id) {
    return c.run("SELECT 1 FROM plans WHERE id = $1 AND deleted_at IS NULL FOR UPDATE", id).rows() >
           0;
  }

  static void revoke_tokens(pg::Connection &c, const std::string &plan_id, std::int64_t now) {
    c.run("UPDATE feed_tokens SET revoked_at = $1 WHERE plan_id = $2 AND revoked_at IS NULL", now,
          plan_id);
  }

  static void insert_token(pg::Connection &c, const std::string &token, const std::string &plan_id,
                           std::int64_t now) {
    c.run("INSERT INTO feed_tokens (token, plan_id, created_at) VALUES ($1, $2, $3)", token,
          plan_id, now);
  }

  // The plan row for revision r (created, or moved on), under its row lock so
  // two replicas adding the same number take turns and the second is refused.
  static void advance_plan(pg::Connection &c, const Revision &r) {
    const bool ok = r.status == RevisionStatus::ok;
    auto existing = c.run("SELECT current_revision FROM plans WHERE id = $1 FOR UPDATE", r.plan_id);
    if (existing.rows() > 0) {
      const auto current = static_cast<int>(existing.integer(0, 0));
      if (r.number != current + 1)
        throw Conflict("plan '" + r.plan_id + "' is at revision " + std::to_string(current) +
                       "; revision " + std::to_string(r.number) + " cannot follow it");
      c.run("UPDATE plans SET updated_at = $1, current_revision = $2, "
            "published_revision = CASE WHEN $3 THEN $2 ELSE published_revision END, "
            "deleted_at = NULL WHERE id = $4",
            r.created_at, r.number, ok ? "true" : "false", r.plan_id);
      return;
    }
    if (r.number != 1)
      throw NotFound("there is no plan '" + r.plan_id + "' to add revision " +
                     std::to_string(r.number) + " to");
    // Two replicas creating the same id: the second meets the key and is a Conflict.
    c.run("INSERT INTO plans (id, created_at, updated_at, current_revision, published_revision) "
          "VALUES ($1, $2, $2, $3, $4)",
          r.plan_id, r.created_at, r.number, ok ? std::optional<int>(r.number) : std::nullopt);
  }

  static void write_changes(pg::Connection &c, const RevisionWrite &w) {
    const Revision &r = w.revision;
    for (const auto &e : w.changed)
      c.run("INSERT INTO event_states (plan_id, uid, sequence, last_modified, start, \"end\", "
            "digest) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (plan_id, uid) DO UPDATE SET "
            "sequence = excluded.sequence, last_modified = excluded.last_modified, "
            "start = excluded.start, \"end\" = excluded.\"end\", digest = excluded.digest",
            r.plan_id, e.uid, e.sequence, e.last_modified, e.start, e.end, e.digest);
    for (const auto &[key, uid] : w.new_uids)
      c.run("INSERT INTO occurrence_uids (plan_id, activity, period, ordinal, uid, published_at) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            r.plan_id, key.activity, key.period, key.ordinal, uid, r.created_at);
    if (w.new_token)
      insert_token(c, *w.new_token, r.plan_id, r.created_at);
    for (const auto &record : w.put_records)
      c.run("INSERT INTO occurrence_records (plan_id, uid, record_json, updated_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (plan_id, uid) DO UPDATE SET "
            "record_json = excluded.record_json, updated_at = excluded.updated_at",
            r.plan_id, record.uid, record.json, record.updated_at);
    for (const auto &uid : w.deleted_records)
      c.run("DELETE FROM occurrence_records WHERE plan_id = $1 AND uid = $2", r.plan_id, uid);
    if (w.outbox)
      write_outbox_rows(c, *w.outbox);
  }

  static OutboxRow outbox_row(const pg::Result &q, int i) {
    OutboxRow r;
    r.key = q.text(i, 0);
    r.plan_id = q.text(i, 1);
    r.channel_id = q.text(i, 2);
    r.kind = q.text(i, 3);
    r.uid = q.text(i, 4);
    r.due_at = q.integer(i, 5);
    r.payload = q.bytes(i, 6);
    r.status = codec::decode_outbox_status(q.text(i, 7));
    r.attempts = static_cast<int>(q.integer(i, 8));
    r.next_attempt_at = q.integer(i, 9);
    r.lease_until = q.integer(i, 10);
    r.lease_owner = q.text(i, 11);
    r.request_started_at = q.integer(i, 12);
    r.answered_at = q.integer(i, 13);
    r.answer = q.bytes(i, 14);
    r.last_error = q.bytes(i, 15);
    return r;
  }

  static StoredChannel channel_row(const pg::Result &q, int i) {
    return {q.text(i, 0),    q.text(i, 1), q.text(i, 2),    q.text(i, 3),   q.bytes(i, 4),
            q.integer(i, 5), q.text(i, 6), q.integer(i, 7), q.boolean(i, 8)};
  }

  static PlanNotify notify_row(const pg::Result &q, int i) {
    PlanNotify n;
    n.plan_id = q.text(i, 0);
    n.channels = codec::decode_channel_ids(q.text(i, 1));
    if (!q.null(i, 2))
      n.digest_at = q.text(i, 2);
    n.changes = q.boolean(i, 3);
    return n;
  }

  // Inside a transaction: inserts the rows whose keys are new, then
  // supersedes the plan's pending rows of replace_kinds that were not
  // written. Rows are locked in key order, so two writers never deadlock.
  static void write_outbox_rows(pg::Connection &c, const OutboxWrite &w) {
    std::vector<OutboxRow> rows;
    for (const auto &given : w.rows)
      rows.push_back(codec::row_to_insert(given, w));
    std::stable_sort(rows.begin(), rows.end(),
                     [](const OutboxRow &a, const OutboxRow &b) { return a.key < b.key; });
    // Many rows a statement (a plan's year of reminders is thousands), each
    // key once (ON CONFLICT may not meet a key twice in one statement).
    rows.erase(std::unique(rows.begin(), rows.end(),
                           [](const OutboxRow &a, const OutboxRow &b) { return a.key == b.key; }),
               rows.end());
    constexpr std::size_t per_statement = 500; // × 16 parameters, under libpq's 65,535
    for (std::size_t from = 0; from < rows.size(); from += per_statement)
      insert_outbox_rows(c, rows, from, std::min(rows.size(), from + per_statement));
    if (w.replace_kinds.empty())
      return;
    auto q = c.run("SELECT key, kind FROM outbox WHERE plan_id = $1 AND status = 'pending' "
                   "ORDER BY key",
                   w.plan_id);
    std::vector<std::pair<std::string, std::string>> pending;
    for (int i = 0; i < q.rows(); ++i)
      pending.emplace_back(q.text(i, 0), q.text(i, 1));
    // A row a worker claimed meanwhile is `sending` by now: left as it is.
    const auto superseded = codec::superseded_keys(pending, w);
    if (!superseded.empty())
      c.run("UPDATE outbox SET status = 'superseded' WHERE key = ANY($1::text[]) "
            "AND status = 'pending'",
            pg::text_array(superseded));
  }

  static void insert_outbox_rows(pg::Connection &c, const std::vector<OutboxRow> &rows,
                                 std::size_t from, std::size_t to) {
    std::string sql = std::string("INSERT INTO outbox (") + codec::outbox_columns + ") VALUES ";
    std::vector<pg::Param> params;
    for (std::size_t i = from; i < to; ++i) {
      const OutboxRow &r = rows[i];
      sql += i == from ? "(" : ", (";
      for (int col = 0; col < 16; ++col)
        sql +=
            (col ? ", $" : "$") + std::to_string(params.size() + static_cast<std::size_t>(col) + 1);
      sql += ")";
      for (auto &p :
           {pg::param(r.key), pg::param(r.plan_id), pg::param(r.channel_id), pg::param(r.kind),
            pg::param(r.uid), pg::param(r.due_at), pg::param(pg::Bytes{r.payload}),
            pg::param(outbox_status_name(r.status)), pg::param(r.attempts),
            pg::param(r.next_attempt_at), pg::param(r.lease_until), pg::param(r.lease_owner),
            pg::param(r.request_started_at), pg::param(r.answered_at),
            pg::param(pg::Bytes{r.answer}), pg::param(pg::Bytes{r.last_error})})
        params.push_back(p);
    }
    c.exec(sql + codec::outbox_on_conflict, params);
  }

  static bool channel_live(pg::Connection &c, const std::string &id, const char *lock) {
    return c.run(std::string("SELECT 1 FROM channels WHERE id = $1 AND deleted_at IS NULL ") + lock,
                 id)
               .rows() > 0;
  }
};

PgStore::PgStore(const std::string &conninfo) : impl_(std::make_unique<Impl>(conninfo)) {
  impl_->migrate();
}

PgStore::~PgStore() = default;

namespace {
constexpr const char *plan_columns =
    "SELECT id, created_at, updated_at, current_revision, published_revision FROM plans ";
}

std::vector<PlanRecord> PgStore::plans() {
  return impl_->with([](pg::Connection &c) {
    auto r = c.exec(std::string(plan_columns) + "WHERE deleted_at IS NULL ORDER BY id");
    std::vector<PlanRecord> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(Impl::plan_row(r, i));
    return out;
  });
}

std::optional<PlanRecord> PgStore::find_plan(const std::string &id) {
  return impl_->with([&](pg::Connection &c) -> std::optional<PlanRecord> {
    auto r = c.run(std::string(plan_columns) + "WHERE id = $1 AND deleted_at IS NULL", id);
    if (r.rows() == 0)
      return std::nullopt;
    return Impl::plan_row(r, 0);
  });
}

bool PgStore::plan_id_taken(const std::string &id) {
  return impl_->with(
      [&](pg::Connection &c) { return c.run("SELECT 1 FROM plans WHERE id = $1", id).rows() > 0; });
}

std::optional<Revision> PgStore::revision(const std::string &plan_id, int number) {
  return impl_->with([&](pg::Connection &c) -> std::optional<Revision> {
    auto q = c.run("SELECT created_at, file_name, source, status, problems_json, conflict_json, "
                   "schedule_state, ics FROM revisions WHERE plan_id = $1 AND number = $2",
                   plan_id, number);
    if (q.rows() == 0)
      return std::nullopt;
    Revision r;
    r.plan_id = plan_id;
    r.number = number;
    r.created_at = q.integer(0, 0);
    r.file_name = q.bytes(0, 1);
    r.source = q.bytes(0, 2);
    r.status = codec::decode_status(q.text(0, 3));
    r.ics = q.text(0, 7);
    codec::decode_revision_values(r, q.text(0, 4), q.text(0, 5), q.text(0, 6));
    return r;
  });
}

std::vector<RevisionSummary> PgStore::revisions(const std::string &plan_id) {
  return impl_->with([&](pg::Connection &c) {
    auto q = c.run("SELECT number, created_at, file_name, status FROM revisions "
                   "WHERE plan_id = $1 ORDER BY number",
                   plan_id);
    std::vector<RevisionSummary> out;
    for (int i = 0; i < q.rows(); ++i)
      out.push_back({static_cast<int>(q.integer(i, 0)), q.integer(i, 1), q.bytes(i, 2),
                     codec::decode_status(q.text(i, 3))});
    return out;
  });
}

std::map<std::string, EventState> PgStore::event_states(const std::string &plan_id) {
  return impl_->with([&](pg::Connection &c) {
    auto q = c.run("SELECT uid, sequence, last_modified, start, \"end\", digest FROM event_states "
                   "WHERE plan_id = $1",
                   plan_id);
    std::map<std::string, EventState> out;
    for (int i = 0; i < q.rows(); ++i) {
      EventState e{q.text(i, 0),    static_cast<int>(q.integer(i, 1)),
                   q.integer(i, 2), q.text(i, 3),
                   q.text(i, 4),    q.text(i, 5)};
      out.emplace(e.uid, e);
    }
    return out;
  });
}

UidMap PgStore::published_uids(const std::string &plan_id) {
  return impl_->with([&](pg::Connection &c) {
    auto q = c.run("SELECT activity, period, ordinal, uid FROM occurrence_uids WHERE plan_id = $1",
                   plan_id);
    UidMap out;
    for (int i = 0; i < q.rows(); ++i)
      out.emplace(scheduler::OccurrenceKey{q.text(i, 0), static_cast<int>(q.integer(i, 1)),
                                           static_cast<int>(q.integer(i, 2))},
                  q.text(i, 3));
    return out;
  });
}

std::vector<StoredRecord> PgStore::records(const std::string &plan_id) {
  return impl_->with([&](pg::Connection &c) {
    auto q = c.run("SELECT uid, record_json, updated_at FROM occurrence_records "
                   "WHERE plan_id = $1 ORDER BY uid",
                   plan_id);
    std::vector<StoredRecord> out;
    for (int i = 0; i < q.rows(); ++i)
      out.push_back({q.text(i, 0), q.text(i, 1), q.integer(i, 2)});
    return out;
  });
}

void PgStore::save_revision(const RevisionWrite &w) {
  const Revision &r = w.revision;
  const bool ok = r.status == RevisionStatus::ok;
  impl_->with([&](pg::Connection &c) {
    Transaction tx(c);
    Impl::advance_plan(c, r);
    c.run("INSERT INTO revisions (plan_id, number, created_at, file_name, source, status, "
          "problems_json, conflict_json, schedule_state, ics) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
          r.plan_id, r.number, r.created_at, pg::Bytes{r.file_name}, pg::Bytes{r.source},
          status_name(r.status), codec::encode_problems(r.problems),
          codec::encode_conflict(r.conflict),
          ok ? codec::encode_schedule(r.schedule) : std::string(), r.ics);
    Impl::write_changes(c, w);
    impl_->announce(c, r.plan_id);
    if (w.outbox)
      impl_->announce_outbox(c, r.plan_id);
    tx.commit();
  });
}

void PgStore::delete_plan(const std::string &id, std::int64_t now) {
  impl_->with([&](pg::Connection &c) {
    Transaction tx(c);
    if (!Impl::live(c, id))
      throw NotFound("there is no plan '" + id + "'");
    auto published = c.run("SELECT published_revision FROM plans WHERE id = $1", id);
    if (published.null(0, 0)) {
      for (std::string statement : codec::purge_statements())
        c.run(statement.replace(statement.find('?'), 1, "$1"), id);
    } else {
      c.run("UPDATE plans SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL", now, id);
      Impl::revoke_tokens(c, id, now);
      // Nothing more is sent for a deleted plan.
      c.run("UPDATE outbox SET status = 'superseded' WHERE plan_id = $1 AND status = 'pending'",
            id);
    }
    impl_->announce(c, id);
    tx.commit();
  });
}

void PgStore::replace_tokens(const std::string &plan_id, std::int64_t now,
                             const std::optional<std::string> &replacement) {
  impl_->with([&](pg::Connection &c) {
    Transaction tx(c);
    if (!Impl::live(c, plan_id))
      throw NotFound("there is no plan '" + plan_id + "'");
    Impl::revoke_tokens(c, plan_id, now);
    if (replacement)
      Impl::insert_token(c, *replacement, plan_id, now);
    impl_->announce(c, plan_id);
    tx.commit();
  });
}

std::vector<FeedToken> PgStore::active_tokens() {
  return impl_->with([](pg::Connection &c) {
    auto q = c.exec("SELECT t.token, t.plan_id FROM feed_tokens t JOIN plans p ON p.id = t.plan_id "
                    "WHERE t.revoked_at IS NULL AND p.deleted_at IS NULL ORDER BY t.token");
    std::vector<FeedToken> out;
    for (int i = 0; i < q.rows(); ++i)
      out.push_back({q.text(i, 0), q.text(i, 1)});
    return out;
  });
}

std::optional<std::string> PgStore::setting(const std::string &key) {
  return impl_->with([&](pg::Connection &c) -> std::optional<std::string> {
    auto q = c.run("SELECT value FROM settings WHERE key = $1", key);
    if (q.rows() == 0)
      return std::nullopt;
    return q.text(0, 0);
  });
}

void PgStore::set_setting(const std::string &key, const std::string &value) {
  impl_->with([&](pg::Connection &c) {
    c.run("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET "
          "value = excluded.value",
          key, value);
  });
}

using codec::channel_columns;
using codec::claimable;
using codec::notify_columns;

std::vector<StoredChannel> PgStore::channels() {
  return impl_->with([](pg::Connection &c) {
    auto q = c.exec(std::string(channel_columns) + "WHERE deleted_at IS NULL ORDER BY id");
    std::vector<StoredChannel> out;
    for (int i = 0; i < q.rows(); ++i)
      out.push_back(Impl::channel_row(q, i));
    return out;
  });
}

std::optional<StoredChannel> PgStore::find_channel(const std::string &id) {
  return impl_->with([&](pg::Connection &c) -> std::optional<StoredChannel> {
    auto q = c.run(std::string(channel_columns) + "WHERE id = $1 AND deleted_at IS NULL", id);
    if (q.rows() == 0)
      return std::nullopt;
    return Impl::channel_row(q, 0);
  });
}

void PgStore::put_channel(const StoredChannel &ch) {
  impl_->with([&](pg::Connection &c) {
    Transaction tx(c);
    c.run("INSERT INTO channels (id, type, name, settings_json, sealed_secrets, created_at, "
          "health, health_at, stopped) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, "
          "settings_json = excluded.settings_json, sealed_secrets = excluded.sealed_secrets, "
          "created_at = excluded.created_at, health = excluded.health, "
          "health_at = excluded.health_at, stopped = excluded.stopped, deleted_at = NULL",
          ch.id, ch.type, ch.name, ch.settings_json, pg::Bytes{ch.sealed_secrets}, ch.created_at,
          ch.health, ch.health_at, ch.stopped);
    impl_->announce_outbox(c, ""); // its rows may be claimable again
    tx.commit();
  });
}

void PgStore::delete_channel(const std::string &id, std::int64_t now) {
  impl_->with([&](pg::Connection &c) {
    Transaction tx(c);
    if (!Impl::channel_live(c, id, "FOR UPDATE"))
      throw NotFound("there is no channel '" + id + "'");
    c.run("UPDATE channels SET deleted_at = $1 WHERE id = $2", now, id);
    c.run("UPDATE outbox SET status = 'superseded' WHERE channel_id = $1 AND status = 'pending'",
          id);
    auto q = c.exec("SELECT plan_id, channels_json, digest_at, changes FROM plan_notify "
                    "ORDER BY plan_id FOR UPDATE");
    for (int i = 0; i < q.rows(); ++i) {
      auto list = Impl::notify_row(q, i);
      if (std::erase(list.channels, id) > 0)
        c.run("UPDATE plan_notify SET channels_json = $1 WHERE plan_id = $2",
              codec::encode_channel_ids(list.channels), list.plan_id);
    }
    tx.commit();
  });
}

void PgStore::set_channel_health(const std::string &id, const std::string &health, std::int64_t at,
                                 bool stopped) {
  impl_->with([&](pg::Connection &c) {
    Transaction tx(c);
    c.run("UPDATE channels SET health = $1, health_at = $2, stopped = $3 "
          "WHERE id = $4 AND deleted_at IS NULL",
          health, at, stopped, id);
    if (!stopped)
      impl_->announce_outbox(c, "");
    tx.commit();
  });
}

std::optional<std::int64_t> PgStore::take_send_slot(const std::string &channel_id,
                                                    std::int64_t now_ms, std::int64_t interval_ms,
                                                    std::int64_t burst) {
  return impl_->with([&](pg::Connection &c) -> std::optional<std::int64_t> {
    Transaction tx(c);
    // The row lock orders the replicas sending to one channel.
    c.run("INSERT INTO channel_pace (channel_id, next_ms) VALUES ($1, $2) "
          "ON CONFLICT (channel_id) DO NOTHING",
          channel_id, now_ms);
    auto q = c.run("SELECT next_ms FROM channel_pace WHERE channel_id = $1 FOR UPDATE", channel_id);
    const std::int64_t due = std::max(q.integer(0, 0), now_ms);
    const std::int64_t allowed_ahead = (burst - 1) * interval_ms;
    if (due - now_ms > allowed_ahead) {
      tx.commit();
      return due - now_ms - allowed_ahead;
    }
    c.run("UPDATE channel_pace SET next_ms = $2 WHERE channel_id = $1", channel_id,
          due + interval_ms);
    tx.commit();
    return 0;
  });
}

std::optional<PlanNotify> PgStore::plan_notify(const std::string &plan_id) {
  return impl_->with([&](pg::Connection &c) -> std::optional<PlanNotify> {
    auto q = c.run(std::string(notify_columns) + "AND n.plan_id = $1", plan_id);
    if (q.rows() == 0)
      return std::nullopt;
    return Impl::notify_row(q, 0);
  });
}

std::vector<PlanNotify> PgStore::all_plan_notify() {
  return impl_->with([](pg::Connection &c) {
    auto q = c.exec(std::string(notify_columns) + "ORDER BY n.plan_id");
    std::vector<PlanNotify> out;
    for (int i = 0; i < q.rows(); ++i)
      out.push_back(Impl::notify_row(q, i));
    return out;
  });
}

void PgStore::set_plan_notify(const PlanNotify &n, const OutboxWrite &rows) {
  impl_->with([&](pg::Connection &c) {
    Transaction tx(c);
    if (!Impl::live(c, n.plan_id))
      throw NotFound("there is no plan '" + n.plan_id + "'");
    for (const auto &id : n.channels) // a delete_channel takes its turn before or after
      if (!Impl::channel_live(c, id, "FOR SHARE"))
        throw NotFound("there is no channel '" + id + "'");
    c.run("INSERT INTO plan_notify (plan_id, channels_json, digest_at, changes) "
          "VALUES ($1, $2, $3, $4) ON CONFLICT (plan_id) DO UPDATE SET "
          "channels_json = excluded.channels_json, digest_at = excluded.digest_at, "
          "changes = excluded.changes",
          n.plan_id, codec::encode_channel_ids(n.channels), n.digest_at, n.changes);
    OutboxWrite w = rows;
    if (w.plan_id.empty())
      w.plan_id = n.plan_id;
    Impl::write_outbox_rows(c, w);
    impl_->announce_outbox(c, n.plan_id);
    tx.commit();
  });
}

void PgStore::write_outbox(const OutboxWrite &w) {
  impl_->with([&](pg::Connection &c) {
    Transaction tx(c);
    Impl::write_outbox_rows(c, w);
    impl_->announce_outbox(c, w.plan_id);
    tx.commit();
  });
}

std::vector<OutboxRow> PgStore::claim_due(std::int64_t now, int lease_seconds, int limit,
                                          const std::string &owner) {
  return impl_->with([&](pg::Connection &c) {
    Transaction tx(c);
    // Rows another replica is changing right now are its business (SKIP LOCKED).
    // Cut off mid-request: whether it arrived is unknown, so it is not sent again.
    c.run("UPDATE outbox SET status = 'unknown' WHERE key IN (SELECT key FROM outbox "
          "WHERE status = 'sending' AND lease_until <= $1 AND request_started_at <> 0 "
          "AND answered_at = 0 FOR UPDATE SKIP LOCKED)",
          now);
    c.run("UPDATE outbox SET status = 'pending', lease_until = 0, lease_owner = '', "
          "request_started_at = 0 WHERE key IN (SELECT key FROM outbox "
          "WHERE status = 'sending' AND lease_until <= $1 FOR UPDATE SKIP LOCKED)",
          now);
    auto q = c.run(std::string("WITH picked AS (SELECT o.key ") + claimable +
                       "AND o.next_attempt_at <= $1 AND o.due_at <= $1 "
                       "ORDER BY o.next_attempt_at, o.key LIMIT $2 FOR UPDATE OF o SKIP LOCKED) "
                       "UPDATE outbox SET status = 'sending', lease_until = $3, lease_owner = $4, "
                       "attempts = attempts + 1, request_started_at = 0, answered_at = 0 "
                       "WHERE key IN (SELECT key FROM picked) RETURNING " +
                       codec::outbox_columns,
                   now, limit, now + lease_seconds, owner);
    std::vector<OutboxRow> out;
    for (int i = 0; i < q.rows(); ++i)
      out.push_back(Impl::outbox_row(q, i));
    tx.commit();
    std::sort(out.begin(), out.end(), [](const OutboxRow &a, const OutboxRow &b) {
      return std::tie(a.next_attempt_at, a.key) < std::tie(b.next_attempt_at, b.key);
    });
    return out;
  });
}

bool PgStore::mark_request_started(const std::string &key, const std::string &owner,
                                   std::int64_t at) {
  return impl_->with([&](pg::Connection &c) {
    return c.run("UPDATE outbox SET request_started_at = $1 WHERE key = $2 AND "
                 "status = 'sending' AND lease_owner = $3 AND lease_until > $1 RETURNING 1",
                 at, key, owner)
               .rows() > 0;
  });
}

bool PgStore::finish_send(const std::string &key, const std::string &owner, const SendAnswer &a) {
  const OutboxStatus next = a.outcome == SendOutcome::sent    ? OutboxStatus::sent
                            : a.outcome == SendOutcome::retry ? OutboxStatus::pending
                                                              : OutboxStatus::failed;
  return impl_->with([&](pg::Connection &c) {
    Transaction tx(c);
    const bool ours =
        c.run("UPDATE outbox SET status = $1, answered_at = $2, answer = $3, last_error = $4, "
              "lease_until = 0, next_attempt_at = CASE WHEN $5 THEN $6 ELSE next_attempt_at END "
              "WHERE key = $7 AND status = 'sending' AND lease_owner = $8 RETURNING 1",
              outbox_status_name(next), a.at, pg::Bytes{a.answer}, pg::Bytes{a.error},
              a.outcome == SendOutcome::retry, a.retry_at, key, owner)
            .rows() > 0;
    if (ours && next == OutboxStatus::pending) // another replica may take the retry
      impl_->announce_outbox(c, "");
    tx.commit();
    return ours;
  });
}

std::vector<OutboxRow> PgStore::outbox(const std::string &plan_id) {
  return impl_->with([&](pg::Connection &c) {
    auto q = c.run(std::string("SELECT ") + codec::outbox_columns +
                       " FROM outbox WHERE plan_id = $1 ORDER BY due_at, key",
                   plan_id);
    std::vector<OutboxRow> out;
    for (int i = 0; i < q.rows(); ++i)
      out.push_back(Impl::outbox_row(q, i));
    return out;
  });
}

std::optional<std::int64_t> PgStore::next_due(std::int64_t now) {
  return impl_->with([&](pg::Connection &c) -> std::optional<std::int64_t> {
    auto q = c.exec(std::string("SELECT min(t) FROM (SELECT greatest(o.next_attempt_at, o.due_at) "
                                "AS t ") +
                    claimable +
                    "UNION ALL SELECT lease_until FROM outbox WHERE status = 'sending') AS due");
    if (q.rows() == 0 || q.null(0, 0))
      return std::nullopt;
    return std::max(now, q.integer(0, 0));
  });
}

bool PgStore::run_singleton(const std::string &name, const std::function<void()> &fn) {
  // A session lock on a connection of its own, held while fn runs (fn uses
  // the pool): closing the connection releases it, however fn ends. Should
  // the server go away meanwhile, the lock goes with it.
  auto c = impl_->pool.connect();
  const std::string key = "xun/singleton/" + name;
  if (!c->run("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", key).boolean(0, 0))
    return false;
  fn();
  return true;
}

void PgStore::on_change(ChangeCallback callback) {
  const bool wanted = static_cast<bool>(callback);
  {
    std::lock_guard lock(impl_->callback_mutex);
    impl_->callback = std::move(callback);
  }
  if (wanted)
    impl_->start_listener();
}

void PgStore::on_outbox(std::function<void()> callback) {
  const bool wanted = static_cast<bool>(callback);
  {
    std::lock_guard lock(impl_->callback_mutex);
    impl_->outbox_callback = std::move(callback);
  }
  if (wanted)
    impl_->start_listener();
}

} // namespace xun::store
