// The JSON wire format of the API (docs/API.md): use-case results in, JSON
// text out, and the query parameters read back into domain values. Problem
// details (RFC 9457) for every refusal.
#pragma once

#include "http/errors.hpp"
#include "http/links.hpp"
#include "scheduler/plan_import.hpp"
#include "service/service.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace xun::http {

// application/problem+json for `error`, answering the request for `instance`.
std::string problem_json(const ApiError &error, const std::string &instance);

// POST /api/import: the draft plan from a work plan's text, in `year` (a
// query parameter; default the year of `now`, epoch seconds). Text that is not
// UTF-8 is a 422, a bad year a 400 (ApiError).
scheduler::ImportResult import_draft(const std::string &text,
                                     const std::optional<std::string> &year, std::int64_t now);
std::string import_json(const scheduler::ImportResult &draft); // {yaml, items, unread}

// A plan: its status, summary and (when `with_feeds`) the feed URLs.
std::string plan_json(const service::PlanView &view,
                      const std::vector<store::RevisionSummary> &revisions, const Origin &origin,
                      bool with_feeds);
std::string plans_json(const std::vector<service::PlanView> &views, const Origin &origin,
                       bool with_feeds);
// The answer to a submission: the plan (the caller is the admin), or the
// ApiError (422 invalid, 409 unschedulable, 500 solver failure) that still
// names where the draft was kept.
std::string submission_json(const service::Submission &submission, const service::PlanView &view,
                            const Origin &origin); // throws ApiError
// GET …/records; PUT/DELETE …/records/{occ} (throws ApiError: 422, 409).
std::string records_json(const std::string &id, const std::vector<service::RecordEntry> &records);
std::string record_change_json(const service::RecordChange &change);
// POST …/next-year: the new plan (as a submission) and the dates to fix.
std::string next_year_json(const service::Service::NextYearResult &result,
                           const service::PlanView &view, const Origin &origin);
// GET /healthz: {"status": "ok", "version": …, "store": "ok"}; with a
// `store_problem`, status and store "unavailable" and the problem as detail.
std::string health_json(const std::string &version, const std::string &store_problem);
std::string feed_token_json(const std::string &id, const FeedLinks &links);
// POST /api/validate: {ok, status, problems, conflict?, summary?, schedule?}.
std::string validation_json(const service::Validation &validation);
// POST /api/plans/{id}/read-link: {id, read_link: the page's URL with ?read=}.
std::string read_link_json(const std::string &id, const std::string &url);
// PATCH /api/plans/{id}: {"public": true|false}; throws ApiError 422.
bool parse_public_patch(const std::string &body);
std::string reminders_json(const std::string &id, const service::Reminders &reminders,
                           std::int64_t now, const std::string &within_shown);

// The answer to POST /api/holidays/cn: the stored set as holiday-cn JSON, or
// the ApiError (422 with the notice's located problems, 409 a refusal).
std::string holiday_import_json(const service::HolidayImport &imported); // throws ApiError
// ?year=2027 (absent: nullopt); throws ApiError 400.
std::optional<int> parse_notice_year(const std::optional<std::string> &text);

// ?month=2026-03 or 3, inside the plan's year; throws ApiError 400.
unsigned parse_month(const std::string &text, int year);
// "2026-02-20T08:00:00+08:00", "…Z", "2026-02-20T08:00" or "2026-02-20" (the
// last two as wall time in `zone`) → Unix seconds.
std::optional<std::int64_t> parse_instant(const std::string &text, const std::string &zone);
std::string utc_iso(std::int64_t unix_seconds); // "2026-02-20T00:00:00Z"

} // namespace xun::http
