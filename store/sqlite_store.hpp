// The Store on SQLite: one file, WAL, synchronous=FULL (an acknowledged write
// survives power loss), the schema brought up to date by numbered migrations
// recorded in PRAGMA user_version. Opens databases of earlier releases.
#pragma once

#include "store/store.hpp"

#include <filesystem>
#include <memory>

namespace xun::store {

// The schema version this build writes; a newer database is refused.
int sqlite_schema_version();

// A consistent copy of the database at `source` in `dest` (0600), through
// SQLite's online backup while other connections (a serving xun) read and
// write; written beside `dest` and renamed over it. Returns the plans copied.
// Throws Unavailable saying what failed.
std::size_t backup_sqlite(const std::filesystem::path &source, const std::filesystem::path &dest);

class SqliteStore final : public Store {
public:
  explicit SqliteStore(const std::filesystem::path &file); // throws Unavailable
  ~SqliteStore() override;
  SqliteStore(const SqliteStore &) = delete;
  SqliteStore &operator=(const SqliteStore &) = delete;

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
  // Also fails when the file opened was removed or replaced: writes would
  // go to a file no restart will find.
  void check_health() override;
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
  // Called on the writing thread once the write has committed.
  void on_outbox(std::function<void()> callback) override;

private:
  void write_revision(const RevisionWrite &write); // under the lock
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace xun::store
