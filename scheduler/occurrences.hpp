// The solver's model of a plan: occurrences expanded from activities
// (PLAN.md §3 "Repetition"), their feasible starts, and the difference
// constraints between them, each labelled with the plan rule it comes from.
// Internal to the scheduler; no Boost or libical here.
#pragma once

#include "scheduler/schedule.hpp"

#include <array>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace xun::scheduler::detail {

// Time is minutes of local wall time from Jan 1 00:00 of the plan year; DST is
// ignored for placement (a working day always has 1440 minutes).
constexpr long minutes_per_day = 1440;

// A rule the explanation may drop to find a small conflicting set.
struct RuleGroup {
  enum class Kind { window, order, min_gap, person, room };
  Kind kind = Kind::window;
  int activity = -1;    // window, order, min_gap
  int rule = -1;        // order: index into Activity::order
  std::string resource; // person or room id
  friend auto operator<=>(const RuleGroup &, const RuleGroup &) = default;
};

// What to leave out when building a model (the explanation's oracle).
struct Disabled {
  std::set<int> activities;
  std::set<RuleGroup> groups;
  // Not left out: the re-plan the model was built for, so the explanation's
  // models keep the same facts.
  const Schedule *previous = nullptr;
  const Replan *replan = nullptr;
  bool drops(const RuleGroup &g) const { return groups.contains(g); }
};

struct OccSpec {
  int activity = 0;
  int index = 0;  // within the activity, before optional ones are dropped
  int period = 0; // which repeat period (for messages)
  bool fixed = false;
  bool optional = false; // count 2-3: the third is soft
  bool all_day = false;
  bool busy = true;
  long duration = 0; // minutes; all-day: days * 1440
  int days = 0;      // all-day length
  calendar::Window window;
  std::vector<int> start_days;            // allowed start days (day index)
  std::vector<std::pair<int, int>> slots; // timed: start minutes in a day, inclusive
  long fixed_start = 0;
  std::vector<int> resources; // indices into Model::resource_ids
  // Soft preferences.
  int target_day = 0;
  std::optional<calendar::TimeRange> prefer_time;
  std::optional<std::array<bool, 7>> prefer_weekdays;
  std::optional<long> previous_start;
  // The stable key's period and ordinal (occurrence_key.hpp), set by the builder.
  int key_period = 0;
  int ordinal = 0;
  // Re-planning: a fact (recorded done/moved) or kept where it was (frozen,
  // not recorded) — fixed, and exempt from the rules among facts.
  bool pinned = false;
  bool kept = false; // fixed by keep_previous at its previous start (not a fact)
  OccurrenceState state = OccurrenceState::planned;

  long earliest() const;
  long latest() const;
};

// s[to] >= s[from] + c; node occs.size() is the origin (time 0).
struct Constraint {
  enum class Kind { window_lower, window_upper, order_min, order_max, index_order };
  int from = 0;
  int to = 0;
  long c = 0;
  Kind kind = Kind::window_lower;
  int rule = -1;                  // order: index into the activity's order rules
  std::optional<RuleGroup> group; // nullopt: not droppable (facts, calendar)
};

struct Model {
  int year = 0;
  calendar::Date jan1{};
  int days_in_year = 365;
  std::vector<char> working; // per day index
  // Per day: 1 a make-up workday (调休), 2 next to a block of 3+ days off,
  // 3 a likely festival day off of a year without official data, 0
  // otherwise — the days soft rule 2 of §6.3 avoids.
  std::vector<char> avoid;
  std::vector<std::pair<int, int>> hours; // working-hours ranges, minutes of the day
  std::vector<OccSpec> occs;
  std::vector<Constraint> constraints;
  std::vector<std::string> resource_ids; // "person:zhang", "room:hall"
  std::vector<std::string> warnings;
  long granularity = 5;
  std::optional<Conflict> conflict; // found while building (empty domains, order cycles)
  // Re-planning: recorded cancelled (left out, at their previous place), and
  // the frozen or recorded occurrences the plan no longer lets stay.
  std::vector<OccSpec> cancelled;
  std::vector<std::string> would_move; // "study#0 …" sentences
  const Schedule *previous = nullptr;  // as built, so the explanation rebuilds alike
  const Replan *replan = nullptr;

  int origin() const { return static_cast<int>(occs.size()); }
  std::string occ_id(const Plan &plan, int i) const;
};

// `previous` and `replan` as in SolveOptions; `keep_previous` also pins every
// occurrence whose previous start its rules still allow (the re-plan's first,
// fewest-moves attempt).
Model build_model(const Plan &plan, const Disabled &disabled, const Schedule *previous,
                  const Replan *replan = nullptr, bool keep_previous = false);

// Message helpers shared with the explanations.
std::string format_day(calendar::Date d);                    // "Feb 24"
std::string format_days(calendar::Date a, calendar::Date b); // "Feb 24–28"
std::string format_gap(long minutes);                        // "7d", "2h", "1h30m"
std::string
describe_window(const Model &model, const OccSpec &occ,
                const Activity &activity); // "2月下旬: Feb 24–28 are the only working days"

} // namespace xun::scheduler::detail
