// The Store on PostgreSQL, for several `xun serve` replicas on one database.
// The schema is brought up to date by numbered migrations embedded here,
// recorded in schema_version and run once, each in its transaction, under an
// advisory lock (however many replicas start together). Connections are
// pooled (one per worker thread in steady state) and reopened with backoff
// after the server went away; meanwhile calls throw Unavailable (HTTP 503).
// Every committed change NOTIFYs its plan id (outbox rows and channel
// changes NOTIFY xun_outbox), and on_change()/on_outbox() LISTEN on a
// connection of their own. Outbox rows are claimed FOR UPDATE SKIP LOCKED.
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
  std::vector<StoredChannel> channels() override;
  std::optional<StoredChannel> find_channel(const std::string &id) override;
  void put_channel(const StoredChannel &channel) override;
  void delete_channel(const std::string &id, std::int64_t now) override;
  void set_channel_health(const std::string &id, const std::string &health, std::int64_t at,
                          bool stopped) override;
  std::optional<PlanNotify> plan_notify(const std::string &plan_id) override;
  std::vector<PlanNotify> all_plan_notify() override;
  void set_plan_notify(const PlanNotify &notify, const OutboxWrite &rows) override;
  void write_outbox(const OutboxWrite &write) override;
  std::vector<OutboxRow> claim_due(std::int64_t now, int lease_seconds, int limit,
                                   const std::string &owner) override;
  bool mark_request_started(const std::string &key, const std::string &owner,
                            std::int64_t at) override;
  bool finish_send(const std::string &key, const std::string &owner,
                   const SendAnswer &answer) override;
  std::vector<OutboxRow> outbox(const std::string &plan_id) override;
  std::optional<std::int64_t> next_due(std::int64_t now) override;
  bool run_singleton(const std::string &name, const std::function<void()> &fn) override;
  std::optional<std::int64_t> take_send_slot(const std::string &channel_id, std::int64_t now_ms,
                                             std::int64_t interval_ms, std::int64_t burst) override;
  void on_change(ChangeCallback callback) override;
  // NOTIFY xun_outbox, from any replica, on the listener's thread.
  void on_outbox(std::function<void()> callback) override;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace xun::store
