// Records of what actually happened to occurrences (PLAN.md §6.4, 台账), and
// what a re-plan (§6.5) needs besides the plan: the records, the day it is
// planned from, and how long before it nothing moves.
#pragma once

#include "scheduler/occurrence_key.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xun::scheduler {

enum class RecordStatus { done, cancelled, moved };
std::string record_status_name(RecordStatus s); // "done" | "cancelled" | "moved"

// One item of a records file, as written.
struct Record {
  std::string occurrence; // "study#0" or a UID
  RecordStatus status = RecordStatus::done;
  std::optional<calendar::LocalTime> start; // done: when held; moved: the new time
  std::optional<calendar::LocalTime> end;   // default start + the activity's duration
  bool all_day = false;                     // start/end written as dates
  // Absent is not empty: no `present` means attendance was not taken, while
  // `present: []` means nobody came (docs/EXTENSIONS.md "Records").
  std::optional<std::vector<std::string>> present; // done: people or groups, as written
  std::optional<std::vector<std::string>> leave;   // done: excused (请假)
  std::optional<std::string> note;
  SourcePos pos; // of the item; fields' own positions are in the problems
  std::map<std::string, SourcePos> field_pos; // "occurrence", "start", "present", …
  std::map<std::string, long> offsets;        // "start"/"end" written with a UTC offset (minutes)
};

struct RecordsLoad {
  std::vector<Record> records;      // valid only when problems is empty
  std::vector<Diagnostic> problems; // every problem, located, in file order
};

// A YAML or JSON list of records; syntax and shape only (ids are resolved
// against a plan by resolve_records).
RecordsLoad load_records(std::string_view text, const std::string &file);

// One record object, as the body of PUT …/records/{occ} (its `occurrence`
// may be left out: the path names it).
RecordsLoad load_record(std::string_view text, const std::string &file);

// A record tied to the occurrence it names.
struct ResolvedRecord {
  Record record;
  OccurrenceKey key;
  std::string uid;                    // the occurrence's UID
  std::string id;                     // its id in the reference schedule ("study#0")
  calendar::LocalTime start{}, end{}; // done/moved: the times it took; cancelled: as planned
  std::vector<std::string> present;   // people, groups expanded, sorted
  std::vector<std::string> leave;     // people, sorted
  std::vector<std::string> expected;  // the occurrence's attendees (people), sorted
  // Whether the record says who came (`present` given, even empty).
  bool lists_present() const { return record.present.has_value(); }
};

// Ties each record to an occurrence of `reference` (by id or UID) and checks
// people and times against the plan; every problem located in `file`.
// Two records for one occurrence are an error. An all-day record's `end` is
// its last day (inclusive, as a secretary writes it); ResolvedRecord::end is
// exclusive, as everywhere else.
struct RecordsResolution {
  std::vector<ResolvedRecord> records; // in file order
  std::vector<Diagnostic> problems;
};
RecordsResolution resolve_records(const Plan &plan, const Schedule &reference,
                                  const std::vector<Record> &records, const std::string &file);

// The record as one JSON object, `occurrence` its UID, times as written
// (local, without offset); load_record reads it back.
std::string record_json(const ResolvedRecord &record);

// Everything a re-plan needs besides the plan and the previous schedule.
struct Replan {
  std::vector<ResolvedRecord> records;
  std::optional<calendar::LocalTime> as_of; // local midnight of the as-of day, or a time
  long freeze_minutes = 2 * 1440;           // plan key replan.freeze, default 2d
};

// A moved record's new time overlapping an occurrence the re-plan will not
// move (another record, a frozen or past one, one the plan fixes) that needs
// one of its people or rooms: a move is a choice, so unlike facts that
// overlap (what happened, happened) it is refused. Located at the record's
// `start` in `file`; `uid` says which record.
struct RecordClash {
  std::string uid;
  Diagnostic problem;
};
std::vector<RecordClash> moved_record_clashes(const Plan &plan, const Schedule &previous,
                                              const Replan &replan, const std::string &file);

} // namespace xun::scheduler
