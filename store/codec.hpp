// How a backend turns the domain values of a revision into text and back
// (shared by every backend, so a database moved between them reads the same).
// Internal to store/: callers see only domain values.
#pragma once

#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
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

// The statements that remove every row of a never-published plan (children
// before the plan itself), each with the plan's id as its one parameter
// written `?`; a backend spells the placeholder its own way.
const std::vector<std::string> &purge_statements();

// status_name()'s inverse; anything unknown is invalid.
RevisionStatus decode_status(const std::string &text);

// Fills a revision's problems, conflict and (when ok) schedule from the
// stored columns; a schedule that no longer decodes is Unavailable, naming
// the plan and revision.
void decode_revision_values(Revision &r, const std::string &problems, const std::string &conflict,
                            const std::string &schedule);

} // namespace xun::store::codec
