// An occurrence's identity: (activity, period, ordinal within the period).
// The display id `activity#k` is its position in the schedule and shifts when
// a count changes; the key does not, so the UID published for a key is kept
// for good (PLAN.md §6.4).
#pragma once

#include "scheduler/schedule.hpp"

#include <compare>
#include <map>
#include <string>

namespace xun::scheduler {

struct OccurrenceKey {
  std::string activity;
  int period = 0;  // period_number() of the window it was placed in
  int ordinal = 0; // among the activity's occurrences in that period, placed or not
  friend auto operator<=>(const OccurrenceKey &, const OccurrenceKey &) = default;
};

OccurrenceKey key_of(const Occurrence &occurrence);

// A number for the period an occurrence belongs to that does not move when
// other periods come or go: the month for `monthly`, the quarter, the half,
// the week (from the Monday of Jan 1's week) for weekly and biweekly, and the
// day of the year for list entries and rrule dates; 0 without a repeat.
int period_number(const Activity &activity, const calendar::Window &period_window, int year);

// For schedules stored before occurrences had keys: each key derived from
// the occurrence's window, ordinals in index order.
void derive_keys(const Plan &plan, Schedule &schedule);

// Gives each occurrence the UID published for its key, or a new one in the
// form `activity-index@plan.xun` (the next free index when that is taken).
// Returns the keys that got a new UID.
std::map<OccurrenceKey, std::string>
assign_uids(const Plan &plan, Schedule &schedule,
            const std::map<OccurrenceKey, std::string> &published);

} // namespace xun::scheduler
