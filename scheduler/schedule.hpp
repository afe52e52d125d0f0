// Solving a plan: every occurrence on a date and time, or why not.
#pragma once

#include "calendar/zones.hpp"
#include "scheduler/plan.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace xun::scheduler {

// What a re-plan (PLAN.md §6.5) made of an occurrence.
enum class OccurrenceState {
  planned,      // placed by this solve
  done,         // recorded held (§6.4): a fact at the held time
  moved,        // recorded moved by hand: a fact at the new time
  frozen,       // started before as-of + replan.freeze: kept where it was
  not_recorded, // ended before as-of without a record: kept, reported
};
std::string state_name(OccurrenceState s); // "planned", "done", "moved", "frozen", "not_recorded"

struct Occurrence {
  std::string activity;
  int index = 0;
  bool all_day = false;
  calendar::LocalTime start{}; // wall time in the plan's zone; all-day: midnight
  calendar::LocalTime end{};   // all-day: midnight after the last day
  calendar::Window window;     // the dates this occurrence was allowed
  bool fixed = false;          // a fact (rrule, exact single-day `at`), not placed
  int period = 0;              // with `ordinal`, the stable key (occurrence_key.hpp)
  int ordinal = 0;
  std::string published_uid; // set by publication: the UID kept for the key
  OccurrenceState state = OccurrenceState::planned;
  std::string id() const; // "congress#0"
  // published_uid, else "congress-0@shiba-branch-2026.xun"
  std::string uid(const Plan &plan) const;
  friend bool operator==(const Occurrence &, const Occurrence &) = default;
};

// One rule of the plan a conflict rests on, where it was written.
struct RuleRef {
  std::string activity; // the activity it belongs to
  std::string key;      // "when", "after", "before", "attendees", "room", "at", "min_gap", …
  std::string text;     // as written: "2月下旬", "after: selection (min_gap 2d)"
  SourcePos pos;
  friend bool operator==(const RuleRef &, const RuleRef &) = default;
};

// Why no schedule exists: a proof (exit 1).
struct Conflict {
  std::string message;                 // in the plan's words and ids
  std::vector<std::string> activities; // ids involved, sorted
  std::vector<RuleRef> rules;          // the rules it rests on, in plan order
  std::string fix;                     // what would fix it, when that is clear
};

// The search stopped without a schedule and without a proof (exit 3).
struct SearchStop {
  std::string message;                // an honest sentence, no claim of a clash
  std::vector<std::string> contended; // the most contended people, rooms and weeks
};

// An occurrence of the previous schedule that starts elsewhere now (§6.5).
struct Move {
  std::string id;  // in this schedule
  std::string uid; // the published UID, else the default form
  calendar::LocalTime from{}, to{};
  bool all_day = false;
  friend bool operator==(const Move &, const Move &) = default;
};

struct Schedule {
  std::vector<Occurrence> occurrences; // sorted by start, then id
  // Recorded cancelled (§6.4): left out of `occurrences` and free their slot,
  // kept here (as planned, ids numbered with the rest) for feeds and progress.
  std::vector<Occurrence> cancelled;
  std::vector<Move> moved; // against SolveOptions::previous, in schedule order
  bool replanned = false;  // solved against a previous schedule (JSON gains `moved`)
  // With `conflict`: the frozen or recorded occurrences the change would move
  // or remove (§6.5); a service refuses such a change instead of keeping a draft.
  std::vector<std::string> would_move;
  std::vector<std::string> warnings; // each names its activity
  std::optional<Conflict> conflict;  // set: the plan cannot be scheduled
  std::optional<SearchStop> stopped; // set: no schedule found in time, no proof either
  bool feasible() const { return !conflict.has_value() && !stopped.has_value(); }
};

struct Replan; // records.hpp

struct SolveOptions {
  // When re-planning: keep occurrences where they were when possible (soft).
  const Schedule *previous = nullptr;
  // Re-planning (§6.5): records are facts, cancelled ones left out, and what
  // starts before as-of + freeze stays as `previous` had it.
  const Replan *replan = nullptr;
  // After this the best schedule found so far is returned; none found → stopped.
  std::chrono::milliseconds time_limit{10'000};
};

Schedule solve(const Plan &plan, const SolveOptions &options = {});

} // namespace xun::scheduler
