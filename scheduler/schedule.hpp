// Solving a plan: every occurrence on a date and time, or why not.
#pragma once

#include "calendar/zones.hpp"
#include "scheduler/plan.hpp"

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
  std::string published_uid;   // set by publication: the UID kept for the key
  std::string id() const;      // "congress#0"
  // published_uid, else "congress-0@shiba-branch-2026.xun"
  std::string uid(const Plan &plan) const;
  friend bool operator==(const Occurrence &, const Occurrence &) = default;
};

struct Conflict {
  std::string message;                 // in the plan's words and ids
  std::vector<std::string> activities; // ids involved, sorted
};

struct Schedule {
  std::vector<Occurrence> occurrences; // sorted by start, then id
  std::vector<std::string> warnings;   // each names its activity
  std::optional<Conflict> conflict;    // set: the plan cannot be scheduled
  bool feasible() const { return !conflict.has_value(); }
};

struct SolveOptions {
  // When re-planning: keep occurrences where they were when possible (soft).
  const Schedule *previous = nullptr;
};

Schedule solve(const Plan &plan, const SolveOptions &options = {});

} // namespace xun::scheduler
