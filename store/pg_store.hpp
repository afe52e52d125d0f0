// The Store on PostgreSQL, for several `xun serve` replicas on one database.
// The schema is brought up to date by numbered migrations embedded here,
// recorded in schema_version and run once, each in its transaction, under an
// advisory lock (however many replicas start together). Connections are
// pooled (one per worker thread in steady state) and reopened with backoff
// after the server went away; meanwhile calls throw Unavailable (HTTP 503).
// Every committed change NOTIFYs its plan id, and on_change() LISTENs on a
// connection of its own.
#pragma once

#include "store/store.hpp"

#include <memory>
#include <string>

namespace xun::store {

// The schema version this build writes; a newer database is refused.
int pg_schema_version();

class PgStore final : public Store {
public:
  // Any libpq connection string or URI (postgresql://user@host:port/db?…).
  explicit PgStore(const std::string &conninfo); // throws Unavailable
  ~PgStore() override;
  PgStore(const PgStore &) = delete;
  PgStore &operator=(const PgStore &) = delete;

  std::vector<PlanRecord> plans() override;
  std::optional<PlanRecord> find_plan(const std::string &id) override;
  bool plan_id_taken(const std::string &id) override;
  std::optional<Revision> revision(const std::string &plan_id, int number) override;
  std::vector<RevisionSummary> revisions(const std::string &plan_id) override;
  std::map<std::string, EventState> event_states(const std::string &plan_id) override;
  UidMap published_uids(const std::string &plan_id) override;
  std::vector<StoredRecord> records(const std::string &plan_id) override;
  void save_revision(const RevisionWrite &write) override;
  void delete_plan(const std::string &id, std::int64_t now) override;
  void replace_tokens(const std::string &plan_id, std::int64_t now,
                      const std::optional<std::string> &replacement) override;
  std::vector<FeedToken> active_tokens() override;
  std::optional<std::string> setting(const std::string &key) override;
  void set_setting(const std::string &key, const std::string &value) override;
  void on_change(ChangeCallback callback) override;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace xun::store
