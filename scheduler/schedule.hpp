// Solving a plan: every occurrence on a date and time, or why not.
#pragma once

#include "calendar/zones.hpp"
#include "scheduler/plan.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace xun::scheduler {

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
  std::string id() const;    // "congress#0"
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

struct Schedule {
  std::vector<Occurrence> occurrences; // sorted by start, then id
  std::vector<std::string> warnings;   // each names its activity
  std::optional<Conflict> conflict;    // set: the plan cannot be scheduled
  std::optional<SearchStop> stopped;   // set: no schedule found in time, no proof either
  bool feasible() const { return !conflict.has_value() && !stopped.has_value(); }
};

struct SolveOptions {
  // When re-planning: keep occurrences where they were when possible (soft).
  const Schedule *previous = nullptr;
  // After this the best schedule found so far is returned; none found → stopped.
  std::chrono::milliseconds time_limit{10'000};
};

Schedule solve(const Plan &plan, const SolveOptions &options = {});

} // namespace xun::scheduler
