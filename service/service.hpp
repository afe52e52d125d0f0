// The use cases of Xun as a service, without HTTP or JSON: plans submitted as
// text and kept with their revision history, solved, published as feeds;
// feed tokens; reminders; the admin token; seeding. Takes and returns domain
// values; refuses with service::NotFound or a store error. The store is
// passed in and outlives the service.
#pragma once

#include "calendar/holiday_notice.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/reminders.hpp"
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
};

// What became of a submitted text: it is always kept as a revision.
struct Submission {
  store::Revision revision;   // ok, draft (conflict set) or invalid (problems set)
  bool solver_failed = false; // draft because the scheduler threw, not a proof
  store::PlanRecord record;   // the plan after the change
};

// One plan as a reader sees it.
struct PlanView {
  store::PlanRecord record;
  std::optional<store::RevisionStatus> status; // of the current revision
  std::vector<scheduler::Diagnostic> problems; // current revision invalid
  std::optional<scheduler::Conflict> conflict; // current revision a draft
  std::shared_ptr<const Published> published;  // null: nothing scheduled yet
  std::string feed_token;                      // only when asked for; "" when none
};

// What became of a holiday notice sent to the service.
struct HolidayImport {
  std::optional<calendar::HolidayNotice> notice; // stored, when the other two are empty
  std::vector<scheduler::Diagnostic> problems;   // of the notice text, located
  std::string refusal; // it would replace different official data (without force)
};

struct AdminToken {
  SecretDigest digest;   // what a bearer token is checked against
  std::string generated; // a new token to show once; "" when not new
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
  void delete_plan(const std::string &id);

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

  // Reads the State Council's notice (calendar::parse_holiday_notice; `year`
  // when the text has no title) and keeps its holiday set in the store
  // (setting "holidays/cn/YYYY"), so plans loaded from now on, and after a
  // restart, use it in place of the data directory's file for that year.
  // Refused when that file holds different official data, unless `force`.
  HolidayImport import_holidays(const std::string &text, std::optional<int> year, bool force);

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
