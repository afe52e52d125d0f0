// The use cases of Xun as a service, without HTTP or JSON: plans submitted as
// text and kept with their revision history, solved, published as feeds;
// feed tokens; reminders; the admin token; seeding. Takes and returns domain
// values; refuses with service::NotFound or a store error. The store is
// passed in and outlives the service.
#pragma once

#include "calendar/holiday_notice.hpp"
#include "scheduler/next_year.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/progress.hpp"
#include "scheduler/records.hpp"
#include "scheduler/reminders.hpp"
#include "service/access.hpp"
#include "service/notifications.hpp"
#include "service/publication.hpp"
#include "service/secrets.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace xun::service {

struct Config {
  store::Store *store = nullptr;       // required
  std::filesystem::path data_dir;      // holiday sets
  std::function<std::int64_t()> clock; // Unix seconds; default the system clock
  SealKey seal_key =
      SealKey::generate(); // seals channel secrets; serve passes one kept outside the database
  std::string public_url =
      "http://127.0.0.1:8080"; // links in messages: this server, as people reach it
};

// What became of a submitted text: it is always kept as a revision.
struct Submission {
  store::Revision revision;   // ok, draft (conflict set) or invalid (problems set)
  bool solver_failed = false; // draft because the scheduler threw, not a proof
  store::PlanRecord record;   // the plan after the change
  // Refused, nothing stored (PLAN.md §6.5): the frozen or recorded
  // occurrences the change would move or remove, or records that no longer
  // fit the plan. revision.schedule is empty then.
  std::vector<std::string> refused;
  bool dry_run = false;                     // nothing was stored: what the change would do
  std::shared_ptr<const Published> preview; // dry run that schedules: what it would publish
  std::string timezone;                     // of the plan solved, for the moves' times
};

// One stored record of what happened (PLAN.md §6.4), tied to its occurrence.
struct RecordEntry {
  scheduler::Record record; // `occurrence` is the UID
  std::string uid;
  std::string id; // in the published schedule ("" when it has none now)
  std::int64_t updated_at = 0;
};

// What a PUT or DELETE of a record did: stored and re-planned (`submission`),
// or refused (problems: the record is bad; submission.refused / a conflict:
// the re-plan cannot keep it).
struct RecordChange {
  std::vector<scheduler::Diagnostic> problems;
  std::optional<RecordEntry> entry; // the record as stored (PUT)
  Submission submission;
};

// One plan as a reader sees it.
struct PlanView {
  store::PlanRecord record;
  std::optional<store::RevisionStatus> status; // of the current revision
  std::vector<scheduler::Diagnostic> problems; // current revision invalid
  std::optional<scheduler::Conflict> conflict; // current revision a draft
  std::shared_ptr<const Published> published;  // null: nothing scheduled yet
  std::string feed_token;                      // only when asked for; "" when none
  std::optional<PlanAccess> access;            // with the token: who else may read it
};

// What became of a holiday notice sent to the service.
struct HolidayImport {
  std::optional<calendar::HolidayNotice> notice; // stored, when the other two are empty
  std::vector<scheduler::Diagnostic> problems;   // of the notice text, located
  std::string refusal; // it would replace different official data (without force)
};

// The living year of one published revision as the plan page shows it
// (§6.4–6.6): its stored records tied to its occurrences, its progress as of
// today, and the service's clock in the plan's zone.
struct YearSoFar {
  std::vector<scheduler::ResolvedRecord> records;
  scheduler::Progress progress;
  calendar::LocalTime now{};
};

struct AdminToken {
  SecretDigest digest;   // what a bearer token is checked against
  std::string generated; // a new token to show once; "" when not new
};

// A plan text checked (POST /api/validate): loaded and solved, nothing stored.
struct Validation {
  store::Revision revision;                   // status, problems (invalid), conflict (draft)
  std::shared_ptr<const Published> published; // ok: the plan and its schedule
};

// A plan to start from in the editor: a seed plan of the data directory.
struct PlanTemplate {
  std::string file_name; // "party-branch-2026.yaml"
  std::string text;
};

struct Reminders {
  std::shared_ptr<const Published> published;
  std::vector<scheduler::Reminder> items; // into *published
};

class Service {
public:
  explicit Service(Config config); // loads the published plans from the store
  ~Service();
  Service(const Service &) = delete;
  Service &operator=(const Service &) = delete;

  std::int64_t now() const;
  std::vector<std::string> zones() const; // of the published plans, for preloading
  // "" when the store answers a trivial read; else what failed (GET /healthz).
  std::string store_problem();

  // The id comes from the plan (or, when it does not load, from its text).
  Submission create_plan(const std::string &text, const std::string &file_name);
  Submission update_plan(const std::string &id, const std::string &text,
                         const std::string &file_name);
  // A plan that ever published keeps its id taken (its feeds were handed
  // out); one that never did is removed and its id may be used again.
  void delete_plan(const std::string &id);
  // What update_plan would do (moves, problems, refusals), storing nothing.
  Submission preview_update(const std::string &id, const std::string &text,
                            const std::string &file_name);

  // Records (§6.4), by occurrence UID or id; each change re-plans (§6.5)
  // with the service's clock as as-of and is one new revision of the same text.
  std::vector<RecordEntry> records(const std::string &id);
  RecordChange put_record(const std::string &id, const std::string &occurrence,
                          const std::string &body);
  RecordChange delete_record(const std::string &id, const std::string &occurrence);
  // Progress and the assessment (§6.6) of the published schedule with the
  // stored records, as of `as_of` (default: today in the plan's zone).
  // nullopt when nothing is scheduled yet.
  std::optional<scheduler::Progress> progress(const std::string &id,
                                              std::optional<calendar::Date> as_of);
  // The records, progress (as of today) and clock of `published`, a
  // revision of plan `id` the caller already holds (so all agree).
  YearSoFar year_so_far(const std::string &id, const Published &published);
  // Next year's plan from the published (else latest) text, submitted as a
  // new plan (§6.4 turn of the year); `next` carries the dates to fix.
  struct NextYearResult {
    scheduler::NextYear next;
    std::optional<Submission> submission; // none when this plan's text is invalid
  };
  NextYearResult next_year(const std::string &id);

  // `with_token`: the caller may see the feed token (the owner).
  PlanView plan(const std::string &id, bool with_token);
  std::vector<PlanView> plans(bool with_token);
  std::vector<store::RevisionSummary> revisions(const std::string &id);
  std::string source(const std::string &id, std::optional<int> revision);
  // The published revision; nullptr when none could be scheduled yet.
  std::shared_ptr<const Published> published(const std::string &id);
  // The reminders firing in [now, now + within); `published` null: see above.
  Reminders reminders(const std::string &id, std::int64_t now, long within_minutes);

  std::string rotate_feed_token(const std::string &id); // the new token
  void revoke_feed_token(const std::string &id);
  std::string feed_token_of(const std::string &id) const; // "" when none
  // nullptr when the token (or person) is unknown or revoked.
  std::shared_ptr<const FeedBody> feed(const std::string &token,
                                       const std::optional<std::string> &person) const;

  // Who may read a plan besides the admin (service/access.hpp); each throws
  // NotFound for a plan that does not exist.
  PlanAccess access(const std::string &id);
  bool read_link_matches(const std::string &id, const std::string &secret);
  std::string issue_read_link(const std::string &id); // the new secret, replacing any
  void revoke_read_link(const std::string &id);
  void set_public(const std::string &id, bool is_public);
  // The admin's sessions (the caller checked the admin token).
  std::string open_session();
  bool session_valid(const std::string &session_id);
  void close_session(const std::string &session_id);

  // Loads and solves a text as a new plan would be, storing nothing.
  Validation validate(const std::string &text, const std::string &file_name);
  std::vector<PlanTemplate> templates() const; // DATA_DIR/plans/*.yaml, by name

  // Reads the State Council's notice (calendar::parse_holiday_notice; `year`
  // when the text has no title) and keeps its holiday set in the store
  // (setting "holidays/cn/YYYY"), so plans loaded from now on, and after a
  // restart, use it in place of the data directory's file for that year.
  // Refused when that file holds different official data, unless `force`.
  HolidayImport import_holidays(const std::string &text, std::optional<int> year, bool force);

  // Delivery channels and the outbox (issue 10).
  Notifications &notifications();
  // Which channels the plan's reminders go to; its pending rows are written
  // anew in the same transaction. Unprocessable names an unknown channel.
  store::PlanNotify set_notify(const std::string &id, store::PlanNotify notify);

  // The admin token's digest: of `from_env` if given; else the stored one;
  // else of a new token, whose digest alone is stored and which is returned
  // in `generated` for the caller to print once.
  AdminToken admin_token(const std::string &from_env);
  // Loads the plan file unless a plan was already loaded from it under this
  // key (idempotent across restarts); returns the plan's id.
  std::string ensure_seeded(const std::string &key, const std::filesystem::path &file);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace xun::service
