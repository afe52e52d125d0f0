// What the service keeps, behind one small interface: plans and their
// revisions (the text as written, its status and the domain values it led to),
// feed tokens, the per-UID state that keeps feeds stable across re-plans, and
// the UID once published for each occurrence key. Every change is one
// transaction: a call that returns has committed, one that throws changed
// nothing. Backends are chosen by URL (store/open.hpp); each must pass the
// contract suite in tests/store/.
//
// Records of what happened (PLAN.md §6.4) are kept by occurrence UID and
// written in the same transaction as the revision their re-plan made.
// Room to grow: pushed reminders an outbox (`enqueue` inside the change that causes them,
// `claim`/`ack` for the sender), so a crash never loses or doubles a message.
#pragma once

#include "scheduler/occurrence_key.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace xun::store {

// Every failure of a store is one of these three; the message names the
// object ("plan 'x' has no revision 3").
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct NotFound : Error { // the plan (or revision) does not exist
  using Error::Error;
};
struct Conflict : Error { // someone else changed it first (e.g. revision taken)
  using Error::Error;
};
struct Unavailable : Error { // the backend cannot be reached or written
  using Error::Error;
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
  std::vector<scheduler::Diagnostic> problems; // invalid: every problem, located
  std::optional<scheduler::Conflict> conflict; // draft: why it cannot be scheduled
  scheduler::Schedule schedule;                // ok: as solved (UIDs assigned)
  bool keyed = true; // false: stored before occurrences had keys (derive_keys)
  std::string ics;   // ok: the rendered whole-plan feed
};

struct RevisionSummary {
  int number = 0;
  std::int64_t created_at = 0;
  std::string file_name;
  RevisionStatus status = RevisionStatus::invalid;
};

struct PlanRecord {
  std::string id;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  int current_revision = 0;              // the latest revision, whatever its status
  std::optional<int> published_revision; // the latest `ok` one: what feeds serve
  friend bool operator==(const PlanRecord &, const PlanRecord &) = default;
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
  friend bool operator==(const FeedToken &, const FeedToken &) = default;
};

using UidMap = std::map<scheduler::OccurrenceKey, std::string>;

// One record of what became of an occurrence (PLAN.md §6.4), by its UID; the
// record itself is JSON the service writes and reads (the store does not look in).
struct StoredRecord {
  std::string uid;
  std::string json;
  std::int64_t updated_at = 0; // Unix seconds
  friend bool operator==(const StoredRecord &, const StoredRecord &) = default;
};

// One new revision and what publishing it changed, written together.
struct RevisionWrite {
  Revision revision;                        // number must be the plan's next (else Conflict)
  std::vector<EventState> changed;          // event states to insert or replace
  UidMap new_uids;                          // keys published for the first time
  std::optional<std::string> new_token;     // a first feed token for a new plan
  std::vector<StoredRecord> put_records;    // inserted or replaced, by uid
  std::vector<std::string> deleted_records; // uids; absent ones are ignored
};

class Store {
public:
  virtual ~Store() = default;

  virtual std::vector<PlanRecord> plans() = 0; // live ones, by id
  virtual std::optional<PlanRecord> find_plan(const std::string &id) = 0;
  virtual bool plan_id_taken(const std::string &id) = 0; // also by a deleted, published plan
  virtual std::optional<Revision> revision(const std::string &plan_id, int number) = 0;
  virtual std::vector<RevisionSummary> revisions(const std::string &plan_id) = 0;
  virtual std::map<std::string, EventState> event_states(const std::string &plan_id) = 0;
  virtual UidMap published_uids(const std::string &plan_id) = 0;
  virtual std::vector<StoredRecord> records(const std::string &plan_id) = 0; // by uid

  // Creates the plan with revision 1, or adds the next revision; an `ok`
  // revision becomes the published one. Conflict when the number is taken.
  virtual void save_revision(const RevisionWrite &write) = 0;
  // Marks the plan deleted and revokes its tokens; its revisions stay and its
  // id stays taken. A plan never published (no `ok` revision: no feed ever
  // served) is removed with every row, and its id is free again.
  virtual void delete_plan(const std::string &id, std::int64_t now) = 0; // NotFound
  // Revokes every token of the plan and, when given, issues `replacement`.
  virtual void replace_tokens(const std::string &plan_id, std::int64_t now,
                              const std::optional<std::string> &replacement) = 0; // NotFound
  virtual std::vector<FeedToken> active_tokens() = 0; // of live plans, by token

  virtual std::optional<std::string> setting(const std::string &key) = 0;
  virtual void set_setting(const std::string &key, const std::string &value) = 0;

  // Changes committed by other processes on the same database (replicas of
  // `xun serve` on one PostgreSQL), so a cache can drop what went stale. The
  // callback runs on a thread of the store's own with the id of a plan whose
  // revisions, tokens or deletion were committed (perhaps by this process),
  // or with "" when changes may have been missed (the link was lost and is
  // back): then everything cached is stale. Every change committed after
  // on_change returns is reported: set it before loading what is cached.
  // nullptr stops the calls; when on_change returns, no earlier callback is
  // still running. A store only
  // one process uses (SQLite) never calls it.
  using ChangeCallback = std::function<void(const std::string &plan_id)>;
  virtual void on_change(ChangeCallback callback) { (void)callback; }
  // A trivial read, for GET /healthz; throws Unavailable saying what failed.
  virtual void check_health() { (void)setting("xun/health"); }
};

} // namespace xun::store
