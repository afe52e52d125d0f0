#include "scheduler/progress.hpp"

#include "calendar/zones.hpp"
#include "scheduler/points.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace xun::scheduler {

namespace {

enum class Outcome { done, cancelled, not_recorded, upcoming };

// One occurrence of the schedule with what became of it.
struct Tally {
  const Occurrence *occurrence = nullptr;
  const ResolvedRecord *record = nullptr; // null: no record
  Outcome outcome = Outcome::upcoming;
};

long count_present(const ResolvedRecord &r) {
  long n = 0;
  for (const auto &p : r.present)
    n += std::binary_search(r.expected.begin(), r.expected.end(), p) ? 1 : 0;
  return n;
}

Outcome outcome_of(const Occurrence &occ, const ResolvedRecord *record, bool in_cancelled,
                   calendar::LocalTime as_of) {
  if (in_cancelled || (record && record->record.status == RecordStatus::cancelled))
    return Outcome::cancelled;
  if ((record && record->record.status == RecordStatus::done) || occ.state == OccurrenceState::done)
    return Outcome::done;
  // A moved occurrence is owed at its new time, like any other.
  return occ.end <= as_of ? Outcome::not_recorded : Outcome::upcoming;
}

// Every occurrence, by activity, in schedule order (cancelled ones last).
std::map<std::string, std::vector<Tally>> tallies(const Plan &plan, const Schedule &schedule,
                                                  const std::vector<ResolvedRecord> &records,
                                                  calendar::LocalTime as_of,
                                                  std::vector<std::string> &warnings) {
  std::map<std::string, const ResolvedRecord *> by_uid;
  for (const auto &r : records)
    by_uid[r.uid] = &r; // the loader refuses two records for one occurrence
  std::set<std::string> used;
  std::map<std::string, std::vector<Tally>> out;
  const auto add = [&](const Occurrence &occ, bool in_cancelled) {
    const std::string uid = occ.uid(plan);
    const auto it = by_uid.find(uid);
    const ResolvedRecord *record = it == by_uid.end() ? nullptr : it->second;
    if (record)
      used.insert(uid);
    out[occ.activity].push_back({&occ, record, outcome_of(occ, record, in_cancelled, as_of)});
  };
  for (const auto &occ : schedule.occurrences)
    add(occ, false);
  for (const auto &occ : schedule.cancelled)
    add(occ, true);
  for (const auto &r : records)
    if (!used.contains(r.uid))
      warnings.push_back(r.id + " (" + r.uid + "): 记录的场次不在排期中，未计入 / " +
                         "recorded, but not in the schedule; not counted");
  return out;
}

Quota quota_of(const Activity &a, const std::vector<Tally> &occurrences) {
  if (!a.rrule.empty()) {
    const int n = static_cast<int>(occurrences.size());
    return {n, n};
  }
  if (a.repeat.kind == Repeat::Kind::none)
    return {a.count_min, a.count_max};
  std::set<int> periods;
  for (const auto &t : occurrences)
    periods.insert(t.occurrence->period);
  const int n = static_cast<int>(periods.size());
  return {n * a.count_min, n * a.count_max};
}

ActivityProgress activity_progress(const Activity &a, const std::vector<Tally> &occurrences) {
  ActivityProgress p;
  p.activity = a.id;
  p.title = a.title;
  p.quota = quota_of(a, occurrences);
  bool any_attendance = false;
  for (const auto &t : occurrences) {
    ++p.planned;
    switch (t.outcome) {
    case Outcome::done:
      ++p.done;
      if (t.record && t.record->lists_present() && !t.record->expected.empty()) {
        any_attendance = true;
        p.present += count_present(*t.record);
        p.expected += static_cast<long>(t.record->expected.size());
      } else if (!a.people.empty()) {
        ++p.attendance_not_recorded; // held, but not 0%: left out of the rate
      }
      break;
    case Outcome::cancelled:
      ++p.cancelled;
      break;
    case Outcome::not_recorded:
      ++p.not_recorded;
      break;
    case Outcome::upcoming:
      ++p.upcoming;
      break;
    }
  }
  if (any_attendance)
    p.attendance = divide_rounded(100 * p.present, p.expected);
  p.at_risk = p.done + p.upcoming < p.quota.min;
  return p;
}

std::string person_name(const Plan &plan, const std::string &id) {
  const Person *p = plan.find_person(id);
  return p && !p->name.empty() ? p->name : id;
}

// What the done occurrences of a scoring item's activities give.
struct Counted {
  int counted = 0;
  int below = 0;      // attendance recorded, under the threshold
  int unrecorded = 0; // attendance needed, not recorded
};

Counted count_item(const AssessmentItem &item,
                   const std::map<std::string, std::vector<Tally>> &by_activity) {
  Counted c;
  for (const auto &activity : item.activities) {
    const auto it = by_activity.find(activity);
    if (it == by_activity.end())
      continue;
    for (const auto &t : it->second) {
      if (t.outcome != Outcome::done)
        continue;
      if (!item.attendance) {
        ++c.counted;
        continue;
      }
      if (!t.record || !t.record->lists_present()) {
        ++c.unrecorded;
        continue;
      }
      const long expected = static_cast<long>(t.record->expected.size());
      if (expected == 0 || 100 * count_present(*t.record) >= *item.attendance * expected)
        ++c.counted;
      else
        ++c.below;
    }
  }
  return c;
}

std::string counted_notes(const AssessmentItem &item, const Counted &c, bool chinese) {
  std::string out;
  if (item.attendance)
    out += chinese ? "（出勤率 ≥ " + std::to_string(*item.attendance) + "%）"
                   : " (≥ " + std::to_string(*item.attendance) + "% present)";
  if (c.below > 0)
    out += chinese ? "，" + std::to_string(c.below) + " 次出勤不足"
                   : ", " + std::to_string(c.below) + " below attendance";
  if (c.unrecorded > 0)
    out += chinese ? "，" + std::to_string(c.unrecorded) + " 次未记出勤"
                   : ", " + std::to_string(c.unrecorded) + " without attendance recorded";
  return out;
}

ItemProgress scoring_item(const AssessmentItem &item,
                          const std::map<std::string, std::vector<Tally>> &by_activity) {
  ItemProgress p{item.item, item.points, 0, ""};
  const Counted c = count_item(item, by_activity);
  const std::string n = std::to_string(c.counted);
  if (item.target) {
    const int target = *item.target;
    p.earned = divide_rounded(item.points * std::min(c.counted, target), target);
    const std::string t = std::to_string(target);
    p.why = "计入 " + n + " 次，满 " + t + " 次得满分" + counted_notes(item, c, true) + " / " + n +
            " of " + t + " counted" + counted_notes(item, c, false);
  } else {
    const Centipoints each = item.each.value_or(0);
    p.earned = std::min(item.points, each * c.counted);
    const bool capped = each * c.counted > item.points;
    const std::string e = points_text(each);
    p.why = "计入 " + n + " 次 × " + e + " 分" +
            (capped ? "，封顶 " + points_text(item.points) + " 分" : "") +
            counted_notes(item, c, true) + " / " + n + " counted × " + e +
            (capped ? ", capped at " + points_text(item.points) : "") +
            counted_notes(item, c, false);
  }
  return p;
}

// Absences of the item's people from the done occurrences of its activities:
// expected, not present, not on leave; or on leave. Without present, unknown.
ItemProgress deduction_item(const Plan &plan, const AssessmentItem &item,
                            const std::map<std::string, std::vector<Tally>> &by_activity) {
  const AssessmentItem::Deduct deduct = item.deduct.value_or(AssessmentItem::Deduct{});
  std::map<std::string, std::pair<int, int>> missed; // person → (absent, leave)
  for (const auto &activity : item.activities) {
    const auto it = by_activity.find(activity);
    if (it == by_activity.end())
      continue;
    for (const auto &t : it->second) {
      if (t.outcome != Outcome::done || !t.record || !t.record->lists_present())
        continue;
      const ResolvedRecord &r = *t.record;
      for (const auto &person : item.people) {
        if (!std::binary_search(r.expected.begin(), r.expected.end(), person))
          continue;
        if (std::find(r.leave.begin(), r.leave.end(), person) != r.leave.end())
          ++missed[person].second;
        else if (std::find(r.present.begin(), r.present.end(), person) == r.present.end())
          ++missed[person].first;
      }
    }
  }
  ItemProgress p{item.item, 0, 0, ""};
  std::string zh, en;
  for (const auto &[person, counts] : missed) {
    const auto [absent, leave] = counts;
    const Centipoints off = absent * deduct.absent + leave * deduct.leave;
    if (absent + leave == 0)
      continue;
    p.earned -= off;
    zh += (zh.empty() ? "" : "；") + person_name(plan, person) + " 缺席 " + std::to_string(absent) +
          " 次、请假 " + std::to_string(leave) + " 次（−" + points_text(off) + "）";
    en += (en.empty() ? "" : "; ") + person + ": " + std::to_string(absent) + " absent, " +
          std::to_string(leave) + " on leave (−" + points_text(off) + ")";
  }
  p.why = zh.empty() ? "无缺席 / no absences" : zh + " / " + en;
  return p;
}

} // namespace

Progress progress(const Plan &plan, const Schedule &replanned,
                  const std::vector<ResolvedRecord> &records, calendar::Date as_of) {
  Progress out;
  out.plan = plan.id;
  out.as_of = as_of;
  const calendar::LocalTime midnight{as_of.time_since_epoch()};
  const auto by_activity = tallies(plan, replanned, records, midnight, out.warnings);
  static const std::vector<Tally> none;
  for (const auto &a : plan.activities) {
    const auto it = by_activity.find(a.id);
    out.activities.push_back(activity_progress(a, it == by_activity.end() ? none : it->second));
  }
  Centipoints sum = 0;
  for (const auto &item : plan.assessment) {
    out.items.push_back(item.deduct ? deduction_item(plan, item, by_activity)
                                    : scoring_item(item, by_activity));
    out.possible += item.points;
    sum += out.items.back().earned;
  }
  out.earned = std::max<Centipoints>(0, sum);
  return out;
}

} // namespace xun::scheduler
