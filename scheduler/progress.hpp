// Progress against quotas and the 100-point assessment (PLAN.md §6.6): what a
// re-planned schedule and its records say about the year so far.
#pragma once

#include "calendar/dates.hpp"
#include "scheduler/records.hpp"
#include "scheduler/schedule.hpp"

#include <optional>
#include <string>
#include <vector>

namespace xun::scheduler {

// How many occurrences an activity owes (docs/EXTENSIONS.md): count min/max;
// with repeat, periods × count; for an rrule, the dates the rule gives.
struct Quota {
  int min = 1;
  int max = 1;
  friend bool operator==(const Quota &, const Quota &) = default;
};

struct ActivityProgress {
  std::string activity;
  std::string title;
  Quota quota;
  int planned = 0;      // done + cancelled + not_recorded + upcoming
  int done = 0;         // recorded held
  int cancelled = 0;    // recorded cancelled
  int not_recorded = 0; // ended before as-of without a done record
  int upcoming = 0;     // ends on or after as-of, not cancelled
  // Σ present / Σ expected over done occurrences whose record lists present,
  // in hundredths, rounded half up; empty when there are none.
  std::optional<long> attendance;
  long present = 0, expected = 0; // the sums the rate is made of
  // Done occurrences expecting someone whose record does not say who came:
  // held (counted in `done`), but left out of the rate rather than taken as 0%.
  int attendance_not_recorded = 0;
  bool at_risk = false; // done + upcoming < quota.min
};

struct ItemProgress {
  std::string item;
  Centipoints points = 0; // 0 for a deduction item
  Centipoints earned = 0; // negative for a deduction item
  std::string why;        // one line, Chinese / English
};

struct Progress {
  std::string plan; // the plan's id
  calendar::Date as_of{};
  std::vector<ActivityProgress> activities; // in plan order
  std::vector<ItemProgress> items;          // in plan order
  Centipoints possible = 0;                 // Σ points
  Centipoints earned = 0;                   // Σ earned, never below 0
  std::vector<std::string> warnings;        // each names its occurrence or activity
};

// `replanned` holds every occurrence (cancelled ones in Schedule::cancelled);
// each record is tied to its occurrence by UID. An occurrence that ends
// before local midnight of `as_of` without a done record is not recorded.
Progress progress(const Plan &plan, const Schedule &replanned,
                  const std::vector<ResolvedRecord> &records, calendar::Date as_of);

} // namespace xun::scheduler
