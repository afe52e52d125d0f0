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

namespace xun::store {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Migration N brings the schema from version N-1 to N. Never edit one that
// has shipped: add the next. The tables are SQLite's (after its migration
// 3), so a database moved between backends means the same; keys compare as
// bytes (COLLATE "C"), as SQLite orders them; the text as received is BYTEA,
// whatever its encoding. Room to grow: the reminder outbox is the next
// migration, `outbox (id BIGSERIAL PRIMARY KEY, plan_id REFERENCES plans,
// due_at, state, lease_until, …)` written in the revision's transaction and
// claimed with FOR UPDATE SKIP LOCKED.
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
};

constexpr int schema_version = static_cast<int>(std::size(migrations));

// pg_advisory_lock key of the migrations: "xun" and the version 1, so other
// applications sharing the database do not collide with it by accident.
constexpr const char *migration_lock = "7867756e0001";

// The channel every committed change is announced on, with its plan id.
constexpr const char *channel = "xun_plan_changed";

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

  void call_back(const std::string &plan_id) {
    std::lock_guard lock(callback_mutex);
    if (!callback)
      return;
    try {
      callback(plan_id);
    } catch (...) { // the cache's own business; the next change calls again
    }
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
            call_back("");
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
        for (const auto &plan_id : c->notifications())
          call_back(plan_id);
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

void PgStore::on_change(ChangeCallback callback) {
  const bool wanted = static_cast<bool>(callback);
  {
    std::lock_guard lock(impl_->callback_mutex);
    impl_->callback = std::move(callback);
  }
  if (!wanted || impl_->listener.joinable())
    return;
  // LISTEN before returning: whatever the caller loads next, a change
  // committed after that is announced to it.
  std::unique_ptr<pg::Connection> c;
  try {
    c = impl_->listening();
  } catch (const Error &) { // the listener keeps trying, and then reports ""
  }
  impl_->listener =
      std::thread([this, first = std::move(c)]() mutable { impl_->listen(std::move(first)); });
}

} // namespace xun::store
