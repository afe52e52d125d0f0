// The plan as loaded (PLAN.md §1, §3): plain values, every rule remembering
// where it was written and how, so explanations can quote the plan's words.
#pragma once

#include "calendar/time_of_day.hpp"
#include "calendar/windows.hpp"
#include "calendar/working_calendar.hpp"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace xun::scheduler {

struct SourcePos {
  int line = 0;   // 1-based; 0 = not from a file
  int column = 0; // 1-based, in characters
  friend bool operator==(const SourcePos &, const SourcePos &) = default;
};

struct Person {
  std::string id;
  std::string name;
  // Contact details (docs/EXTENSIONS.md): kept in the plan, never written to
  // a schedule, feed or page.
  std::string email;  // an e-mail shape: x@y.z
  std::string mobile; // 11 digits starting with 1, optionally after +86
};

struct Room {
  std::string id;
  std::string name;
};

using WindowValue = std::variant<calendar::Window, calendar::RelativeWindow>;

struct Repeat {
  enum class Kind { none, weekly, biweekly, monthly, quarterly, half_yearly, list };
  Kind kind = Kind::none;
  std::vector<calendar::Window> windows; // Kind::list, in date order
  std::vector<std::string> texts;        // Kind::list: how each was written
  std::string text;                      // how `repeat` was written
  SourcePos pos;
};

// `after: X` on activity A (A follows X), or `before: X` (A precedes X).
struct OrderRule {
  std::string other;
  bool is_before = false;
  long min_gap_minutes = 0;
  std::optional<long> max_gap_minutes;
  SourcePos pos;
};

struct Preference {
  std::optional<std::array<bool, 7>> weekdays; // Sun..Sat
  std::optional<calendar::TimeRange> time;
};

struct Activity {
  std::string id;
  std::string title;
  std::string description;
  std::string kind = "other";
  std::string when_text = "全年"; // as written (or the default)
  SourcePos when_pos;
  WindowValue when;
  Repeat repeat;
  bool has_count = false;
  int count_min = 1;
  int count_max = 1; // count: 2-3 → 2, 3
  std::string rrule; // empty = none
  calendar::Duration duration{60, false};
  bool all_day = false;
  std::optional<calendar::TimeRange> at; // time-of-day window
  bool at_exact = false;                 // at: "09:30" fixes the start (at->from)
  std::vector<std::string> attendees;    // as written: people and groups
  std::vector<std::string> people;       // expanded, sorted, unique
  std::optional<std::string> room;
  // Before the start, in the plan's order; in_days (1d, 2w) fire on a working
  // day at a time of day, others (2h, 30m) exactly that long before (§6.2).
  std::vector<calendar::Duration> reminders;
  bool busy = true;
  std::optional<long> min_gap_minutes;
  std::optional<long> max_gap_minutes; // between consecutive occurrences
  std::vector<OrderRule> order;
  Preference prefer;
  SourcePos pos;
};

// Points are kept in hundredths (10 points = 1000), so sums and rounding are
// exact and the same on every machine.
using Centipoints = long;

// One line of a 百分考核 table (PLAN.md §6.6, docs/EXTENSIONS.md): a scoring
// item (points with target or each) or a deduction item (people and deduct).
struct AssessmentItem {
  std::string item;                    // its name, as written: 学习培训
  Centipoints points = 0;              // the most it gives; 0 for a deduction item
  std::vector<std::string> activities; // whose done occurrences count
  std::optional<int> target;           // full points at this many counted occurrences
  std::optional<Centipoints> each;     // points per counted occurrence, up to points
  std::optional<int> attendance;       // percent: counts only if present/expected >= it
  std::vector<std::string> people;     // deduction: these people (groups expanded), sorted
  struct Deduct {
    Centipoints absent = 0; // per absence (expected, not present, not on leave)
    Centipoints leave = 0;  // per excused absence (请假)
  };
  std::optional<Deduct> deduct;
  SourcePos pos;
};

struct Plan {
  std::string file; // as given to the loader, for messages
  std::string id;
  std::string title;
  int year = 0;
  std::string timezone = "Asia/Shanghai";
  calendar::WorkingCalendar calendar;
  std::vector<Person> people;
  std::map<std::string, std::vector<std::string>> groups; // as written
  std::vector<Room> rooms;
  int remind_at = 9 * 60; // defaults.remind_at: when day reminders of all-day occurrences fire
  long replan_freeze_minutes = 2 * 1440;  // replan.freeze (§6.5): nothing starting sooner moves
  std::vector<Activity> activities;       // in file order
  std::vector<AssessmentItem> assessment; // in file order (§6.6)
  std::vector<std::string> warnings;      // e.g. no holiday data for the year

  // id → position in `activities`, made by index_activities() (the loader
  // calls it); find_activity checks each hit, so a stale index is harmless.
  std::map<std::string, std::size_t> activity_index;
  void index_activities();

  const Activity *find_activity(const std::string &id) const;
  const Person *find_person(const std::string &id) const;
  const Room *find_room(const std::string &id) const;
};

} // namespace xun::scheduler
