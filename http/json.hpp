// JSON the service writes and reads back: problem details (RFC 9457), located
// plan problems, and the solved schedule as storage keeps it.
#pragma once

#include "http/errors.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace xun::http {

// application/problem+json for `error`, answering the request for `instance`.
std::string problem_json(const ApiError &error, const std::string &instance);

// [{"file", "line", "column", "message", "text"}] — each problem of the plan.
std::string diagnostics_json(const std::vector<scheduler::Diagnostic> &problems);
// {"message", "activities"}
std::string conflict_json(const scheduler::Conflict &conflict);

// The occurrences and warnings, enough to rebuild the Schedule without
// solving again (a re-plan depends on the previous schedule, so solving the
// same text again need not give the same answer). Windows keep their span only.
std::string schedule_state_json(const scheduler::Schedule &schedule);
scheduler::Schedule schedule_from_state(const std::string &json); // throws std::runtime_error

// "2026-02-20T08:00:00+08:00", "…Z", "2026-02-20T08:00" or "2026-02-20" (the
// last two as wall time in `zone`) → Unix seconds.
std::optional<std::int64_t> parse_instant(const std::string &text, const std::string &zone);
std::string utc_iso(std::int64_t unix_seconds); // "2026-02-20T00:00:00Z"

} // namespace xun::http
