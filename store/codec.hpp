// How a backend turns the domain values of a revision into text and back
// (shared by every backend, so a database moved between them reads the same).
// Internal to store/: callers see only domain values.
#pragma once

#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace xun::store::codec {

// [{"file", "line", "column", "message", "text"}]
std::string encode_problems(const std::vector<scheduler::Diagnostic> &problems);
std::vector<scheduler::Diagnostic> decode_problems(const std::string &text);

// {"message", "activities"}; "" for none
std::string encode_conflict(const std::optional<scheduler::Conflict> &conflict);
std::optional<scheduler::Conflict> decode_conflict(const std::string &text);

// The occurrences (with their keys and UIDs) and warnings, enough to rebuild
// the Schedule without solving again: a re-plan depends on the previous
// schedule, so solving the same text again need not give the same answer.
// Windows keep their span only.
std::string encode_schedule(const scheduler::Schedule &schedule);
// `keyed` is false for a schedule stored before occurrences had keys.
scheduler::Schedule decode_schedule(const std::string &text, bool &keyed); // throws Error

// status_name()'s inverse; anything unknown is invalid.
RevisionStatus decode_status(const std::string &text);

// Fills a revision's problems, conflict and (when ok) schedule from the
// stored columns; a schedule that no longer decodes is Unavailable, naming
// the plan and revision.
void decode_revision_values(Revision &r, const std::string &problems, const std::string &conflict,
                            const std::string &schedule);

// outbox_status_name()'s inverse; throws Unavailable for anything else.
OutboxStatus decode_outbox_status(const std::string &text);

// A plan's notify channel ids as a JSON array, and back ([] when not one).
std::string encode_channel_ids(const std::vector<std::string> &ids);
std::vector<std::string> decode_channel_ids(const std::string &text);

// Of a plan's pending rows (key, kind), the keys `write` supersedes: of its
// replace_kinds and not among its rows' keys.
std::vector<std::string>
superseded_keys(const std::vector<std::pair<std::string, std::string>> &pending,
                const OutboxWrite &write);

// The row as the write inserts it: its plan (or the write's) and
// next_attempt_at (due_at when 0).
OutboxRow row_to_insert(const OutboxRow &row, const OutboxWrite &write);

// SQL both backends share: the columns of an outbox row in the order both
// read them; SELECTs of channels and of live plans' notify settings; the
// FROM … WHERE of the pending rows a worker may claim (their channel there,
// and not stopped but for a test message).
extern const char *const outbox_columns;
extern const char *const channel_columns;
extern const char *const notify_columns;
extern const char *const claimable;

} // namespace xun::store::codec
