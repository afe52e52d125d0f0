// Records files (PLAN.md §6.4): read strictly, then tied to a schedule.
#include "scheduler/records.hpp"

#include "calendar/dates.hpp"
#include "calendar/time_of_day.hpp"
#include "calendar/zones.hpp"
#include "scheduler/occurrences.hpp"
#include "scheduler/yaml_document.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace xun::scheduler {

std::string record_status_name(RecordStatus s) {
  switch (s) {
  case RecordStatus::done:
    return "done";
  case RecordStatus::cancelled:
    return "cancelled";
  case RecordStatus::moved:
    return "moved";
  }
  return "done";
}

namespace {

using namespace detail;
namespace cal = xun::calendar;

const std::vector<std::string> record_keys = {"occurrence", "status", "start", "end",
                                              "present",    "leave",  "note"};
const std::vector<std::string> status_words = {"done", "cancelled", "moved"};
constexpr std::size_t max_records = 100000; // the most occurrences a plan may have

// "2026-03-10T14:30", "2026-03-10 14:30[:00]", optionally "+08:00" (which
// must be the plan zone's offset, checked on resolving), or a date alone.
struct ParsedTime {
  cal::LocalTime time{};
  bool date_only = false;
  std::optional<long> offset_minutes;
};

std::optional<ParsedTime> parse_local_time(std::string_view s) {
  if (s.size() < 10)
    return std::nullopt;
  const auto day = cal::parse_iso_date(s.substr(0, 10));
  if (!day)
    return std::nullopt;
  ParsedTime out;
  out.time = cal::LocalTime{date::local_days{day->time_since_epoch()}};
  if (s.size() == 10) {
    out.date_only = true;
    return out;
  }
  if (s[10] != 'T' && s[10] != ' ')
    return std::nullopt;
  std::string_view rest = s.substr(11);
  if (rest.size() > 6 && (rest[rest.size() - 6] == '+' || rest[rest.size() - 6] == '-') &&
      rest[rest.size() - 3] == ':') {
    const std::string_view off = rest.substr(rest.size() - 6);
    const auto digits = [](std::string_view d) {
      return d.size() == 2 && std::isdigit(static_cast<unsigned char>(d[0])) &&
             std::isdigit(static_cast<unsigned char>(d[1]));
    };
    if (!digits(off.substr(1, 2)) || !digits(off.substr(4, 2)))
      return std::nullopt;
    const long minutes =
        std::stol(std::string(off.substr(1, 2))) * 60 + std::stol(std::string(off.substr(4, 2)));
    out.offset_minutes = off[0] == '-' ? -minutes : minutes;
    rest = rest.substr(0, rest.size() - 6);
  } else if (!rest.empty() && rest.back() == 'Z') {
    out.offset_minutes = 0;
    rest.remove_suffix(1);
  }
  if (rest.size() == 8 && rest.substr(5) == ":00")
    rest = rest.substr(0, 5);
  if (rest.size() != 5)
    return std::nullopt;
  const auto minutes = cal::parse_time_of_day(rest);
  if (!std::holds_alternative<int>(minutes))
    return std::nullopt;
  out.time += std::chrono::minutes{std::get<int>(minutes)};
  return out;
}

class RecordsReader : public YamlDocument {
public:
  using YamlDocument::YamlDocument;

  RecordsLoad run_one() {
    RecordsLoad out;
    const auto root = parse_root("a record needs no more than 2", "一条记录最多需要 2 层");
    if (root) {
      if (!root->IsMap())
        error(
            *root,
            both("一条记录应为对象，例如 {\"status\": \"done\", \"present\": [\"zhang\"]}，实为 " +
                     describe_type_zh(*root),
                 "a record is an object: {\"status\": \"done\", \"present\": [\"zhang\"]}, "
                 "found " +
                     describe_type(*root)));
      else if (auto r = record(*root, true))
        out.records.push_back(std::move(*r));
    }
    out.problems = std::move(errors_);
    if (!out.problems.empty())
      out.records.clear();
    return out;
  }

  RecordsLoad run() {
    RecordsLoad out;
    const auto root = parse_root("a records file needs no more than 3", "记录文件最多需要 3 层");
    if (root && !root->IsNull()) {
      if (!root->IsSequence())
        error(*root, both("记录文件应为记录的列表（- occurrence: study#0 …），实为 " +
                              describe_type_zh(*root),
                          "a records file is a list of records (- occurrence: study#0 …), found " +
                              describe_type(*root)));
      else if (root->size() > max_records)
        error(*root, both("记录超过 " + std::to_string(max_records) +
                              " 条（上限）：一个计划没有这么多次活动",
                          "more than " + std::to_string(max_records) +
                              " records (the limit): a plan has no more occurrences"));
      else
        for (const auto &item : *root)
          if (auto r = record(item))
            out.records.push_back(std::move(*r));
    }
    out.problems = std::move(errors_);
    if (!out.problems.empty())
      out.records.clear();
    return out;
  }

private:
  std::optional<Record> record(const YAML::Node &node, bool occurrence_optional = false) {
    const std::size_t errors_before = errors_.size();
    const Fields f = fields(node, record_keys, "in a record");
    if (!node.IsMap())
      return std::nullopt;
    Record r;
    r.pos = pos_of(node);
    for (const auto &[name, field] : f)
      r.field_pos[name] = pos_of(field);
    if (const Field *o = get(f, "occurrence")) {
      if (const auto s = text(*o, "occurrence"); s && s->empty())
        error(*o, both("occurrence 是空的：请写活动次序的 id（study#0）或 UID",
                       "occurrence is empty: name it by id (study#0) or UID"));
      else if (s)
        r.occurrence = *s;
    } else if (!occurrence_optional) {
      error(node, both("缺少键 'occurrence'：记的是哪一次活动，写 id（study#0）或 UID",
                       "missing key 'occurrence': which occurrence, by id (study#0) or UID"));
    }
    if (const Field *st = get(f, "status")) {
      if (const auto s = text(*st, "status")) {
        const auto it = std::find(status_words.begin(), status_words.end(), *s);
        if (it == status_words.end())
          error(*st, both("status '" + *s +
                              "' 应为 done（已完成）、cancelled（已取消）或 "
                              "moved（已改期）" +
                              suggestion_zh(*s, status_words),
                          "status '" + *s + "' is not done, cancelled or moved" +
                              suggestion(*s, status_words)));
        else
          r.status = static_cast<RecordStatus>(it - status_words.begin());
      }
    } else {
      error(node, both("缺少键 'status'：done（已完成）、cancelled（已取消）或 moved（已改期）",
                       "missing key 'status': done, cancelled or moved"));
    }
    time(f, "start", r.start, r);
    time(f, "end", r.end, r);
    people(f, "present", r.present);
    people(f, "leave", r.leave);
    if (const Field *n = get(f, "note"); n && !n->value.IsNull())
      if (const auto s = text(*n, "note"))
        r.note = *s;
    if (errors_.size() != errors_before)
      return std::nullopt;
    if (r.status == RecordStatus::moved && !r.start)
      error(node, both("改期（moved）的记录需要 start：新的时间（start: 2026-03-12T14:30）",
                       "a moved record needs start: the new time (start: 2026-03-12T14:30)"));
    if (r.status != RecordStatus::done)
      for (const char *key : {"present", "leave"})
        if (const Field *p = get(f, key))
          error(p->key, both(std::string(key) + " 只用于已完成（done）的记录（谁来了），不用于 " +
                                 record_status_name(r.status) + " 的记录",
                             std::string(key) + " is only for a done record (who came), not a " +
                                 record_status_name(r.status) + " one"));
    if (r.status == RecordStatus::cancelled)
      for (const char *key : {"start", "end"})
        if (const Field *p = get(f, key))
          error(p->key,
                both(std::string(key) + " 不用于已取消（cancelled）的记录：活动没有举行",
                     std::string(key) + " is not for a cancelled record: it did not happen"));
    if (errors_.size() != errors_before)
      return std::nullopt;
    return r;
  }

  void time(const Fields &f, const std::string &key, std::optional<cal::LocalTime> &into,
            Record &r) {
    const Field *field = get(f, key);
    if (!field)
      return;
    const auto s = text(*field, key);
    if (!s)
      return;
    const auto parsed = parse_local_time(*s);
    if (!parsed) {
      error(text_pos(field->value),
            both(key + " '" + *s +
                     "' 不是时间：请写 2026-03-10T14:30（全天活动可只写日期 2026-03-10）",
                 key + " '" + *s +
                     "' is not a time: write 2026-03-10T14:30 "
                     "(or a date, 2026-03-10, for an all-day occurrence)"));
      return;
    }
    into = parsed->time;
    if (key == "start")
      r.all_day = parsed->date_only;
    if (parsed->offset_minutes)
      r.offsets[key] = *parsed->offset_minutes;
  }

  // A missing or null list stays absent: "not said", unlike [] ("nobody").
  void people(const Fields &f, const std::string &key,
              std::optional<std::vector<std::string>> &into) {
    const Field *field = get(f, key);
    if (!field || field->value.IsNull())
      return;
    if (!field->value.IsSequence()) {
      error(*field, both(key + " 应为人员或小组的列表，例如 [zhang, li]",
                         key + " must be a list of people or groups, e.g. [zhang, li]"));
      return;
    }
    into.emplace();
    for (const auto &item : field->value)
      if (const auto s = text(item, "a person in " + key))
        into->push_back(*s);
  }
};

// Each group's members, recursively; the loader has refused cycles.
void expand_into(const Plan &plan, const std::string &name, std::set<std::string> &out,
                 int depth = 0) {
  const auto g = plan.groups.find(name);
  if (g == plan.groups.end() || depth > 64) {
    out.insert(name);
    return;
  }
  for (const auto &member : g->second)
    expand_into(plan, member, out, depth + 1);
}

class Resolver {
public:
  Resolver(const Plan &plan, const Schedule &reference, const std::string &file)
      : plan_(plan), file_(file) {
    for (const auto *list : {&reference.occurrences, &reference.cancelled})
      for (const Occurrence &o : *list) {
        by_name_.emplace(o.id(), &o);
        by_name_.emplace(o.uid(plan), &o);
      }
    for (const auto &p : plan.people)
      names_.push_back(p.id);
    for (const auto &[g, members] : plan.groups)
      names_.push_back(g);
  }

  RecordsResolution run(const std::vector<Record> &records) {
    RecordsResolution out;
    std::map<OccurrenceKey, SourcePos> seen;
    for (const Record &r : records) {
      const std::size_t before = problems_.size();
      auto resolved = resolve(r);
      if (!resolved || problems_.size() != before)
        continue;
      if (const auto [it, fresh] = seen.emplace(resolved->key, r.pos); !fresh) {
        const std::string first = std::to_string(it->second.line);
        problem(r, "occurrence",
                both(resolved->id + " 有第二条记录（第一条在第 " + first +
                         " 行）：每次活动只保留一条记录",
                     "a second record for " + resolved->id + " (the first is at line " + first +
                         "); keep one record per occurrence"));
        continue;
      }
      out.records.push_back(std::move(*resolved));
    }
    out.problems = std::move(problems_);
    if (!out.problems.empty())
      out.records.clear();
    return out;
  }

private:
  void problem(const Record &r, const std::string &field, std::string message) {
    const auto it = r.field_pos.find(field);
    const SourcePos p = it != r.field_pos.end() ? it->second : r.pos;
    problems_.push_back({file_, p.line, p.column, std::move(message)});
  }

  std::optional<ResolvedRecord> resolve(const Record &r) {
    const auto it = by_name_.find(r.occurrence);
    if (it == by_name_.end()) {
      std::vector<std::string> candidates;
      const std::string activity = r.occurrence.substr(0, r.occurrence.find('#'));
      for (const auto &[name, occ] : by_name_)
        if (occ->activity == activity && name.find('#') != std::string::npos)
          candidates.push_back(name);
      const std::string range =
          candidates.empty()
              ? ""
              : candidates.front() + (candidates.size() > 1 ? " … " + candidates.back() : "");
      std::string hint = candidates.empty() ? " (name it by id, e.g. study#0, or by its UID)"
                                            : "; " + activity + " has " + range;
      std::string hint_zh = candidates.empty() ? "（请写 id，例如 study#0，或它的 UID）"
                                               : "；" + activity + " 有 " + range;
      problem(r, "occurrence",
              both("日程中没有 '" + r.occurrence + "' 这一次活动" + hint_zh,
                   "no occurrence '" + r.occurrence + "' in the schedule" + hint));
      return std::nullopt;
    }
    const Occurrence &occ = *it->second;
    const Activity *activity = plan_.find_activity(occ.activity);
    ResolvedRecord out;
    out.record = r;
    out.key = key_of(occ);
    out.uid = occ.uid(plan_);
    out.id = occ.id();
    out.start = occ.start;
    out.end = occ.end;
    if (activity)
      out.expected = activity->people;
    times(r, occ, out);
    out.present = people(r, "present", r.present.value_or(std::vector<std::string>{}));
    out.leave = people(r, "leave", r.leave.value_or(std::vector<std::string>{}));
    for (const auto &p : out.present)
      if (std::binary_search(out.leave.begin(), out.leave.end(), p))
        problem(r, "leave",
                both(p + " 同时出现在 present（出席）和 leave（请假）中",
                     p + " is both present and on leave"));
    return out;
  }

  void times(const Record &r, const Occurrence &occ, ResolvedRecord &out) {
    if (!r.start)
      return;
    if (r.all_day != occ.all_day) {
      problem(r, "start",
              occ.all_day
                  ? both(occ.id() + " 是全天活动：start 请只写日期（2026-05-06）",
                         occ.id() + " is all-day: give start as a date (2026-05-06)")
                  : both(occ.id() + " 有具体时刻：start 请写成 2026-03-10T14:30，不要只写日期",
                         occ.id() + " has a time: give start as 2026-03-10T14:30, not a date"));
      return;
    }
    if (!offset_ok(r, "start", *r.start) || (r.end && !offset_ok(r, "end", *r.end)))
      return;
    const auto length = occ.end - occ.start;
    out.start = *r.start;
    out.end = r.end ? *r.end : *r.start + length;
    if (r.end && r.all_day)
      out.end = *r.end + date::days{1}; // a written end date is the last day, inclusive
    if (out.end <= out.start)
      problem(r, "end", both("end 不晚于 start：结束应在开始之后", "end is not after start"));
    const int year = cal::year_of(cal::local_date(out.start));
    if (year != plan_.year)
      problem(r, "start",
              both("start 在 " + std::to_string(year) + " 年，不在计划的年度 " +
                       std::to_string(plan_.year) + " 年内",
                   "start is in " + std::to_string(year) + ", outside the plan's year " +
                       std::to_string(plan_.year)));
  }

  bool offset_ok(const Record &r, const std::string &key, cal::LocalTime t) {
    const auto it = r.offsets.find(key);
    if (it == r.offsets.end())
      return true;
    const long zone =
        std::chrono::duration_cast<std::chrono::minutes>(cal::utc_offset(plan_.timezone, t))
            .count();
    if (it->second == zone)
      return true;
    problem(r, key,
            both(key + " 的 UTC 偏移与 " + plan_.timezone +
                     " 当时的不同：请写计划所在地的当地时间，不带偏移",
                 key + "'s UTC offset is not " + plan_.timezone +
                     "'s at that time: write the plan's local time, without an offset"));
    return false;
  }

  std::vector<std::string> people(const Record &r, const std::string &key,
                                  const std::vector<std::string> &names) {
    std::set<std::string> out;
    for (const auto &n : names) {
      if (!plan_.find_person(n) && !plan_.groups.contains(n)) {
        problem(r, key,
                both(key + " 中未知的人员或小组 '" + n + "'" + suggestion_zh(n, names_),
                     "unknown person or group '" + n + "' in " + key + suggestion(n, names_)));
        continue;
      }
      expand_into(plan_, n, out);
    }
    return {out.begin(), out.end()};
  }

  const Plan &plan_;
  std::string file_;
  std::map<std::string, const Occurrence *> by_name_; // id and UID
  std::vector<std::string> names_;                    // people and groups, for suggestions
  std::vector<Diagnostic> problems_;
};

// A person's or room's name for a message ("person:zhang" → 张青).
std::string resource_name(const Plan &plan, const std::string &resource) {
  const std::string id = resource.substr(resource.find(':') + 1);
  if (resource.starts_with("person:"))
    if (const Person *p = plan.find_person(id); p && !p->name.empty())
      return p->name;
  if (resource.starts_with("room:"))
    if (const Room *r = plan.find_room(id); r && !r->name.empty())
      return r->name;
  return id;
}

// Why an occurrence of the model stays where it is, in two languages.
std::pair<std::string, std::string> why_fixed(const detail::OccSpec &o) {
  switch (o.state) {
  case OccurrenceState::done:
  case OccurrenceState::moved:
    return {"已记录", "recorded"};
  case OccurrenceState::frozen:
    return {"已冻结", "frozen"};
  case OccurrenceState::not_recorded:
    return {"已过去", "past"};
  case OccurrenceState::planned:
    break;
  }
  return {"计划定下的时间", "fixed by the plan"};
}

class ClashFinder {
public:
  ClashFinder(const Plan &plan, const Schedule &previous, const Replan &replan)
      : plan_(plan), model_(detail::build_model(plan, detail::Disabled{}, &previous, &replan)) {
    for (const auto *list : {&previous.occurrences, &previous.cancelled})
      for (const Occurrence &o : *list)
        ids_.emplace(key_of(o), o.id());
  }

  void run(const ResolvedRecord &record, const std::string &file, std::vector<RecordClash> &out) {
    for (const detail::OccSpec &o : model_.occs)
      if (o.state == OccurrenceState::moved && o.busy && key(o) == record.key)
        for (const detail::OccSpec &other : model_.occs)
          if (&other != &o && other.fixed && other.busy && overlap(o, other))
            if (const auto shared = shared_names(o, other); !shared.first.empty())
              out.push_back({record.uid, problem(record, other, shared, file)});
  }

private:
  OccurrenceKey key(const detail::OccSpec &o) const {
    return {plan_.activities[static_cast<std::size_t>(o.activity)].id, o.key_period, o.ordinal};
  }

  static bool overlap(const detail::OccSpec &a, const detail::OccSpec &b) {
    return a.fixed_start < b.fixed_start + b.duration && b.fixed_start < a.fixed_start + a.duration;
  }

  // The people and rooms both need: "张青、李明" and "张青, 李明".
  std::pair<std::string, std::string> shared_names(const detail::OccSpec &a,
                                                   const detail::OccSpec &b) const {
    std::string zh, en;
    for (int r : a.resources)
      if (std::find(b.resources.begin(), b.resources.end(), r) != b.resources.end()) {
        const std::string name =
            resource_name(plan_, model_.resource_ids[static_cast<std::size_t>(r)]);
        zh += (zh.empty() ? "" : "、") + name;
        en += (en.empty() ? "" : ", ") + name;
      }
    return {zh, en};
  }

  std::string when(const detail::OccSpec &o) const {
    const calendar::LocalTime jan1{date::local_days{model_.jan1.time_since_epoch()}};
    const auto text = [&](long minutes) {
      const calendar::LocalTime t = jan1 + std::chrono::minutes{minutes};
      const calendar::Date d = calendar::local_date(t);
      const auto of_day = static_cast<int>(minutes % detail::minutes_per_day);
      return std::pair{cal::format_iso_date(d), cal::format_time_of_day(of_day)};
    };
    const auto [day, from] = text(o.fixed_start);
    if (o.all_day)
      return day;
    return day + " " + from + "–" + text(o.fixed_start + o.duration).second;
  }

  Diagnostic problem(const ResolvedRecord &record, const detail::OccSpec &other,
                     const std::pair<std::string, std::string> &shared,
                     const std::string &file) const {
    const auto id_it = ids_.find(key(other));
    const std::string id =
        id_it != ids_.end() ? id_it->second
                            : model_.occ_id(plan_, static_cast<int>(&other - model_.occs.data()));
    const auto [why_zh, why_en] = why_fixed(other);
    const auto pos_it = record.record.field_pos.find("start");
    const SourcePos pos =
        pos_it != record.record.field_pos.end() ? pos_it->second : record.record.pos;
    return {file, pos.line, pos.column,
            "改期后的时间与 " + id + "（" + when(other) + "，" + why_zh + "）重叠，两者都需要 " +
                shared.first + "：请换一个时间 / start overlaps " + id + " (" + when(other) + ", " +
                why_en + "), which also needs " + shared.second + ": choose another time"};
  }

  const Plan &plan_;
  detail::Model model_;
  std::map<OccurrenceKey, std::string> ids_; // the reference schedule's ids
};

} // namespace

std::vector<RecordClash> moved_record_clashes(const Plan &plan, const Schedule &previous,
                                              const Replan &replan, const std::string &file) {
  std::vector<RecordClash> out;
  const auto is_moved = [](const ResolvedRecord &r) {
    return r.record.status == RecordStatus::moved;
  };
  if (std::none_of(replan.records.begin(), replan.records.end(), is_moved))
    return out;
  ClashFinder finder(plan, previous, replan);
  for (const ResolvedRecord &r : replan.records)
    if (is_moved(r))
      finder.run(r, file, out);
  return out;
}

RecordsLoad load_record(std::string_view text, const std::string &file) {
  return RecordsReader(text, file).run_one();
}

std::string record_json(const ResolvedRecord &r) {
  const auto wall = [&](calendar::LocalTime t) {
    const calendar::Date d = calendar::local_date(t);
    std::string out = calendar::format_iso_date(d);
    if (!r.record.all_day)
      out += "T" + calendar::format_time_of_day(static_cast<int>(
                       (t - calendar::LocalTime{date::local_days{d.time_since_epoch()}}).count()));
    return out;
  };
  nlohmann::ordered_json j;
  j["occurrence"] = r.uid;
  j["status"] = record_status_name(r.record.status);
  if (r.record.start)
    j["start"] = wall(*r.record.start);
  if (r.record.end)
    j["end"] = wall(*r.record.end);
  // Only what was given: a record without `present` must read back without it.
  if (r.record.present)
    j["present"] = *r.record.present;
  if (r.record.leave)
    j["leave"] = *r.record.leave;
  if (r.record.note)
    j["note"] = *r.record.note;
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

RecordsLoad load_records(std::string_view text, const std::string &file) {
  return RecordsReader(text, file).run();
}

RecordsResolution resolve_records(const Plan &plan, const Schedule &reference,
                                  const std::vector<Record> &records, const std::string &file) {
  return Resolver(plan, reference, file).run(records);
}

} // namespace xun::scheduler
