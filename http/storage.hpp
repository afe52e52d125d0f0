// The service's storage: plans, their revisions (the text as written, its
// status, the solved schedule and rendered feed), feed tokens and the
// per-UID state that keeps feeds stable across re-plans. SQLite underneath
// (WAL, synchronous=FULL): a call that returns has committed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace xun::http {

struct StorageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class RevisionStatus { ok, draft, invalid };
std::string status_name(RevisionStatus s); // "ok" | "draft" | "invalid"

struct Revision {
  std::string plan_id;
  int number = 0;
  std::int64_t created_at = 0; // Unix seconds
  std::string file_name;       // as the text was named when submitted
  std::string source;          // YAML or JSON, exactly as received
  RevisionStatus status = RevisionStatus::invalid;
  std::string problems_json = "[]"; // invalid: every problem, located
  std::string conflict_json;        // draft: {message, activities}
  std::string schedule_json;        // ok: PLAN.md §5 JSON
  std::string schedule_state;       // ok: occurrences as the service reloads them
  std::string ics;                  // ok: the rendered whole-plan feed
};

struct PlanRecord {
  std::string id;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  int current_revision = 0;              // the latest revision, whatever its status
  std::optional<int> published_revision; // the latest `ok` one: what feeds serve
};

struct EventState {
  std::string uid;
  int sequence = 0;
  std::int64_t last_modified = 0; // Unix seconds
  std::string start;
  std::string end;
  std::string digest; // of everything else a client shows
  friend bool operator==(const EventState &, const EventState &) = default;
};

struct FeedToken {
  std::string token;
  std::string plan_id;
};

class Storage {
public:
  explicit Storage(const std::filesystem::path &db); // throws StorageError
  ~Storage();
  Storage(const Storage &) = delete;
  Storage &operator=(const Storage &) = delete;

  std::vector<PlanRecord> plans(); // live ones, by id
  std::optional<PlanRecord> find_plan(const std::string &id);
  bool plan_id_taken(const std::string &id); // also by a deleted plan
  std::optional<Revision> revision(const std::string &plan_id, int number);
  std::vector<Revision> revision_summaries(const std::string &plan_id); // no texts
  std::map<std::string, EventState> event_states(const std::string &plan_id);

  // In one transaction: the plan row (created when new), the revision, the
  // changed event states and, when given, a new feed token.
  void save_revision(const Revision &revision, const std::vector<EventState> &changed,
                     const std::optional<std::string> &new_token);
  // Marks the plan deleted and revokes its tokens; its revisions stay.
  bool delete_plan(const std::string &id, std::int64_t now);
  // Revokes every token of the plan and, when given, issues `replacement`.
  void revoke_tokens(const std::string &plan_id, std::int64_t now,
                     const std::optional<std::string> &replacement);
  std::vector<FeedToken> active_tokens();

  std::optional<std::string> setting(const std::string &key);
  void set_setting(const std::string &key, const std::string &value);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace xun::http
