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
//
// Pushed reminders go through an outbox: delivery channels, which channels
// each plan's reminders go to, and one row per message, written in the same
// transaction as the change that causes it and claimed by the sender with a
// lease (docs/DEPLOY.md "Outbox"), so a crash never loses a message and never
// silently sends one twice.
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

// A delivery channel (a WeCom/DingTalk/Feishu group robot, a webhook, e-mail).
struct StoredChannel {
  std::string id;   // assigned by the service ("ch-…"), unique
  std::string type; // wecom|dingtalk|feishu|webhook|email (the store does not look in)
  std::string name;
  std::string settings_json;  // non-secret settings, JSON text
  std::string sealed_secrets; // sealed by the service; opaque bytes
  std::int64_t created_at = 0;
  std::string health = "ok"; // shown on the page: "ok" or the last permanent error
  std::int64_t health_at = 0;
  bool stopped = false; // a permanent error stopped its messages until settings change or a test
                        // succeeds (its `test` rows are still claimed)
  friend bool operator==(const StoredChannel &, const StoredChannel &) = default;
};

// Which channels a plan's reminders go to, and how.
struct PlanNotify {
  std::string plan_id;
  std::vector<std::string> channels;    // channel ids, in the order given
  std::optional<std::string> digest_at; // "08:30": one digest a day instead of each reminder
  bool changes = true;                  // change notices too
  friend bool operator==(const PlanNotify &, const PlanNotify &) = default;
};

// pending → sending → sent | failed | unknown (cut off mid-request), or back
// to pending (retry, or a lease that expired before the request started);
// pending → superseded (a re-plan moved it, its channel was deleted).
enum class OutboxStatus { pending, sending, sent, failed, unknown, superseded };
std::string outbox_status_name(OutboxStatus s); // "pending" …

// One message to send.
struct OutboxRow {
  std::string key;         // dedup key (UID + alarm time + channel + kind), unique across the store
  std::string plan_id;     // "" for a channel's test message
  std::string channel_id;  // a channel of the store (else the write is a Conflict)
  std::string kind;        // reminder|change|deadline|digest|test
  std::string uid;         // occurrence UID, "" for a digest/test
  std::int64_t due_at = 0; // Unix seconds
  std::string payload;     // JSON the service composes; the store does not look in
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  std::int64_t next_attempt_at = 0;    // when pending: not before (0 when written: due_at)
  std::int64_t lease_until = 0;        // when sending
  std::string lease_owner;             // which worker holds (or last held) the lease
  std::int64_t request_started_at = 0; // this attempt's request was started; 0 = not
  std::int64_t answered_at = 0;        // this attempt's answer was recorded; 0 = not
  std::string answer, last_error;
  friend bool operator==(const OutboxRow &, const OutboxRow &) = default;
};

// The outbox rows a change brings, written in the same transaction as the change.
struct OutboxWrite {
  std::string plan_id; // rows without a plan_id get this one
  // Inserted as given unless their key exists (ON CONFLICT DO NOTHING), but
  // a superseded row is written over: an occurrence moved and moved back is
  // reminded of again. Rows pending, sending, sent, failed, unknown stay.
  std::vector<OutboxRow> rows;
  // e.g. {"reminder", "deadline", "digest"}: this plan's PENDING rows of these
  // kinds whose key is not in `rows` become superseded (a re-plan replaces the
  // pending rows of what moved); rows sending/sent/failed/unknown are never touched.
  std::vector<std::string> replace_kinds;
};

enum class SendOutcome { sent, retry, failed };
// What became of one attempt, as the sender records it.
struct SendAnswer {
  SendOutcome outcome = SendOutcome::failed;
  std::int64_t at = 0; // when the answer (or the error) came
  std::string answer, error;
  std::int64_t retry_at = 0; // for retry: the next attempt not before
};

// One new revision and what publishing it changed, written together.
struct RevisionWrite {
  Revision revision;                        // number must be the plan's next (else Conflict)
  std::vector<EventState> changed;          // event states to insert or replace
  UidMap new_uids;                          // keys published for the first time
  std::optional<std::string> new_token;     // a first feed token for a new plan
  std::vector<StoredRecord> put_records;    // inserted or replaced, by uid
  std::vector<std::string> deleted_records; // uids; absent ones are ignored
  std::optional<OutboxWrite> outbox;        // the messages the change brings
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
  // id stays taken; its pending outbox rows are superseded (nothing more is
  // sent for it). A plan never published (no `ok` revision: no feed ever
  // served) is removed with every row, and its id is free again.
  virtual void delete_plan(const std::string &id, std::int64_t now) = 0; // NotFound
  // Revokes every token of the plan and, when given, issues `replacement`.
  virtual void replace_tokens(const std::string &plan_id, std::int64_t now,
                              const std::optional<std::string> &replacement) = 0; // NotFound
  virtual std::vector<FeedToken> active_tokens() = 0; // of live plans, by token

  virtual std::optional<std::string> setting(const std::string &key) = 0;
  virtual void set_setting(const std::string &key, const std::string &value) = 0;

  // Delivery channels. channels(): those not deleted, by id; find_channel
  // likewise. put_channel inserts or replaces (a deleted id comes back).
  virtual std::vector<StoredChannel> channels() = 0;
  virtual std::optional<StoredChannel> find_channel(const std::string &id) = 0;
  virtual void put_channel(const StoredChannel &channel) = 0;
  // NotFound; its pending rows become superseded, plans' notify lists drop it.
  virtual void delete_channel(const std::string &id, std::int64_t now) = 0;
  // Of a channel not deleted; one deleted meanwhile is left as it is.
  virtual void set_channel_health(const std::string &id, const std::string &health, std::int64_t at,
                                  bool stopped) = 0;

  // Which channels a live plan's reminders go to (nullopt: none set).
  virtual std::optional<PlanNotify> plan_notify(const std::string &plan_id) = 0;
  virtual std::vector<PlanNotify> all_plan_notify() = 0; // of live plans, by plan id
  // The setting and the rows it brings, in one transaction. NotFound when the
  // plan is not live or a channel is not there (deleted).
  virtual void set_plan_notify(const PlanNotify &notify, const OutboxWrite &rows) = 0;
  // Rows alone (a test message, the day's regeneration), in one transaction.
  virtual void write_outbox(const OutboxWrite &write) = 0;

  // The sender's protocol. claim_due, in one transaction: first the rows
  // `sending` whose lease expired (lease_until <= now) become `unknown` when
  // their request was started and not answered (cut off mid-request: never
  // sent again silently), else `pending` again; then up to `limit` rows
  // `pending` with next_attempt_at <= now and due_at <= now whose channel is
  // not deleted and not stopped (a `test` row is claimed from a stopped
  // channel too), by (next_attempt_at, key), become `sending` (lease_until =
  // now + lease_seconds, lease_owner = owner, attempts + 1, request_started_at
  // = answered_at = 0) and are returned in that order. Replicas on one
  // PostgreSQL never claim the same row (FOR UPDATE SKIP LOCKED).
  virtual std::vector<OutboxRow> claim_due(std::int64_t now, int lease_seconds, int limit,
                                           const std::string &owner) = 0;
  // Commit this before the network call; false when the row is no longer
  // `sending` under this owner's unexpired lease: then do not send.
  virtual bool mark_request_started(const std::string &key, const std::string &owner,
                                    std::int64_t at) = 0;
  // sent → `sent`; retry → `pending` with next_attempt_at = retry_at; failed →
  // `failed`; answered_at = at, answer and last_error kept. False when the row
  // is no longer `sending` under this owner (another took it over).
  virtual bool finish_send(const std::string &key, const std::string &owner,
                           const SendAnswer &answer) = 0;
  virtual std::vector<OutboxRow> outbox(const std::string &plan_id) = 0; // by (due_at, key)
  // When the worker should next claim: the earliest next_attempt_at (or due_at,
  // if later) of a claimable pending row, or lease_until of a row `sending`
  // (its lease expiring frees it); never before `now`. nullopt: nothing waits.
  virtual std::optional<std::int64_t> next_due(std::int64_t now) = 0;
  // A job only one process may run at a time (the daily digest tick):
  // PostgreSQL holds a session advisory lock on a key derived from `name`
  // while fn runs; SQLite a lock of this store object. False (fn not run)
  // when another holds it. What fn throws is thrown on, the lock released.
  virtual bool run_singleton(const std::string &name, const std::function<void()> &fn) = 0;
  // A channel's send rate shared by every process that sends to it (GCRA: the
  // theoretical arrival time of the next message, `burst` messages allowed
  // ahead, one per `interval_ms`): 0 when one may be sent at `now_ms` (the
  // slot is taken), else the milliseconds until one may. nullopt: this store
  // has one process only (SQLite); the caller paces in memory. PostgreSQL:
  // replicas share the pace, so two of them keep a robot under its limit
  // together rather than each.
  virtual std::optional<std::int64_t> take_send_slot(const std::string &channel_id,
                                                     std::int64_t now_ms, std::int64_t interval_ms,
                                                     std::int64_t burst) {
    (void)channel_id, (void)now_ms, (void)interval_ms, (void)burst;
    return std::nullopt;
  }
  // Called when outbox rows were written or a channel changed, so a sleeping
  // worker can claim early. PostgreSQL: for rows committed by any replica
  // (NOTIFY xun_outbox, on the listener's thread; also after the listener
  // reconnected); SQLite: on the writing thread, after the commit. It must
  // not block; nullptr stops the calls.
  virtual void on_outbox(std::function<void()> callback) { (void)callback; }

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
