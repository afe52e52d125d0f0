#include "scheduler/output.hpp"

#include "scheduler/objective.hpp"

#include "calendar/dates.hpp"
#include "calendar/time_of_day.hpp"
#include "calendar/zones.hpp"
#include "scheduler/alarms.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <sstream>
#include <string_view>
#include <vector>

namespace xun::scheduler {
namespace {

using calendar::Date;
using calendar::LocalTime;

const Activity *activity_of(const Plan &plan, const std::string &id) {
  return plan.find_activity(id);
}

std::string person_name(const Plan &plan, const std::string &id) {
  for (const auto &p : plan.people)
    if (p.id == id)
      return p.name.empty() ? p.id : p.name;
  return id;
}

// An attendee as people read it: a person's name, a group's display name,
// or, for a group without one, its members' names (never an internal id).
void attendee_names(const Plan &plan, const std::string &id, std::vector<std::string> &out,
                    int depth = 0) {
  const auto add = [&](std::string name) {
    if (std::find(out.begin(), out.end(), name) == out.end())
      out.push_back(std::move(name));
  };
  const auto group = plan.groups.find(id);
  if (group == plan.groups.end() || depth > 64) {
    add(person_name(plan, id));
    return;
  }
  if (const auto named = plan.group_names.find(id); named != plan.group_names.end()) {
    add(named->second);
    return;
  }
  for (const auto &member : group->second)
    attendee_names(plan, member, out, depth + 1);
}

std::string room_name(const Plan &plan, const std::string &id) {
  for (const auto &r : plan.rooms)
    if (r.id == id)
      return r.name.empty() ? r.id : r.name;
  return id;
}

using calendar::local_date;

int minutes_of_day(LocalTime t) {
  return static_cast<int>((t - date::floor<date::days>(t)).count());
}

std::vector<std::string> sorted_people(const Activity *activity) {
  std::vector<std::string> people;
  if (activity)
    people = activity->people;
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  return people;
}

// §5 order: by start (all-day from local midnight, which is its start), then id.
std::vector<const Occurrence *>
ordered(const Plan &plan, const std::vector<Occurrence> &occurrences, const OutputFilter &filter) {
  std::vector<const Occurrence *> out;
  for (const auto &occ : occurrences) {
    if (filter.month && calendar::month_of(local_date(occ.start)) != *filter.month)
      continue;
    if (filter.person) {
      const auto people = sorted_people(activity_of(plan, occ.activity));
      if (!std::binary_search(people.begin(), people.end(), *filter.person))
        continue;
    }
    out.push_back(&occ);
  }
  std::stable_sort(out.begin(), out.end(), [](const Occurrence *a, const Occurrence *b) {
    if (a->start != b->start)
      return a->start < b->start;
    return a->id() < b->id();
  });
  return out;
}

std::vector<const Occurrence *> ordered(const Plan &plan, const Schedule &schedule,
                                        const OutputFilter &filter) {
  return ordered(plan, schedule.occurrences, filter);
}

std::vector<std::string> all_warnings(const Plan &plan, const Schedule &schedule) {
  std::vector<std::string> w = plan.warnings;
  w.insert(w.end(), schedule.warnings.begin(), schedule.warnings.end());
  return w;
}

std::string dump(const nlohmann::ordered_json &j) {
  // replace, not throw: a stray byte must not turn a schedule into a crash.
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

// A start as the JSON writes it: a date (all-day) or a local time with offset.
std::string start_text(const Plan &plan, calendar::LocalTime t, bool all_day) {
  return all_day ? calendar::format_iso_date(local_date(t))
                 : calendar::format_local_iso(plan.timezone, t);
}

// "2026-03-10 14:30" (or the date alone), for people.
std::string wall_text(calendar::LocalTime t, bool all_day) {
  const calendar::Date d = local_date(t);
  std::string out = calendar::format_iso_date(d);
  if (!all_day)
    out += " " + calendar::format_time_of_day(static_cast<int>(
                     (t - calendar::LocalTime{date::local_days{d.time_since_epoch()}}).count()));
  return out;
}

nlohmann::ordered_json moved_json(const Plan &plan, const Schedule &schedule) {
  auto moved = nlohmann::ordered_json::array();
  for (const Move &m : schedule.moved)
    moved.push_back({{"id", m.id},
                     {"uid", m.uid},
                     {"from", start_text(plan, m.from, m.all_day)},
                     {"to", start_text(plan, m.to, m.all_day)}});
  return moved;
}

nlohmann::ordered_json occurrence_json(const Plan &plan, const Occurrence &occ) {
  const Activity *activity = activity_of(plan, occ.activity);
  nlohmann::ordered_json j;
  j["id"] = occ.id();
  j["activity"] = occ.activity;
  j["index"] = occ.index;
  j["title"] = activity ? activity->title : occ.activity;
  j["kind"] = activity ? activity->kind : std::string("other");
  j["uid"] = occ.uid(plan);
  j["busy"] = activity ? activity->busy : true;
  j["all_day"] = occ.all_day;
  if (occ.all_day) {
    j["start"] = calendar::format_iso_date(local_date(occ.start));
    j["end"] = calendar::format_iso_date(local_date(occ.end));
  } else {
    j["start"] = calendar::format_local_iso(plan.timezone, occ.start);
    j["end"] = calendar::format_local_iso(plan.timezone, occ.end);
  }
  // A window is never empty for a placed occurrence; fall back to its own day.
  const calendar::DateRange span =
      occ.window.empty() ? calendar::DateRange{local_date(occ.start), local_date(occ.start)}
                         : occ.window.span();
  j["window"] = {{"from", calendar::format_iso_date(span.first)},
                 {"to", calendar::format_iso_date(span.last)}};
  j["attendees"] = sorted_people(activity);
  if (activity && activity->room)
    j["room"] = *activity->room;
  else
    j["room"] = nullptr;
  auto reminders = nlohmann::ordered_json::array();
  if (activity)
    for (const auto &reminder : activity->reminders)
      reminders.push_back(calendar::format_iso_duration(reminder.minutes));
  j["reminders"] = std::move(reminders);
  auto alarms = nlohmann::ordered_json::array();
  for (const auto fires : alarm_times(plan, occ))
    alarms.push_back(calendar::format_local_iso(plan.timezone, fires));
  j["alarms"] = std::move(alarms);
  return j;
}

// --- agenda (text and Markdown) -------------------------------------------

struct AgendaLine {
  std::string date; // "2月24日 周二" or a range of days
  std::string time; // "09:00-11:00" or "全天"
  std::string title;
  std::string id;        // "congress#0"
  std::string of;        // "1/2" for a count/repeat, else empty
  std::string attendees; // as written: people and groups by the names people read
  std::string room;
};

// A make-up working day (调休) is marked, or a Sunday meeting would look like a mistake.
std::string day_text(const Plan &plan, Date d) {
  std::string text = std::to_string(calendar::month_of(d)) + "月" +
                     std::to_string(calendar::day_of(d)) + "日 " +
                     std::string(calendar::chinese_weekday_name(calendar::weekday_index(d)));
  if (plan.calendar.classify(d) == calendar::DayKind::makeup_workday)
    text += "(补班)";
  return text;
}

std::string month_heading(int year, unsigned month) {
  return std::to_string(year) + "年" + std::to_string(month) + "月 / " +
         std::string(calendar::english_month_name(month)) + " " + std::to_string(year);
}

std::string join(const std::vector<std::string> &parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i)
      out += sep;
    out += parts[i];
  }
  return out;
}

bool is_series(const Activity *activity) {
  return activity && (activity->has_count || activity->repeat.kind != Repeat::Kind::none ||
                      !activity->rrule.empty());
}

AgendaLine agenda_line(const Plan &plan, const Occurrence &occ,
                       const std::map<std::string, int> &counts) {
  const Activity *activity = activity_of(plan, occ.activity);
  AgendaLine line;
  const Date first = local_date(occ.start);
  if (occ.all_day) {
    // The exclusive end's previous day is the last day taken.
    const Date last = std::max(first, local_date(occ.end) - date::days{1});
    line.date = day_text(plan, first);
    if (last != first)
      line.date += " – " + day_text(plan, last);
    line.time = "全天";
  } else {
    line.date = day_text(plan, first);
    line.time = calendar::format_time_of_day(minutes_of_day(occ.start)) + "-";
    if (local_date(occ.end) != first)
      line.time += day_text(plan, local_date(occ.end)) + " ";
    line.time += calendar::format_time_of_day(minutes_of_day(occ.end));
  }
  line.title = activity ? activity->title : occ.activity;
  line.id = occ.id();
  const auto n = counts.find(occ.activity);
  if (n != counts.end() && (is_series(activity) || n->second > 1))
    line.of = std::to_string(occ.index + 1) + "/" + std::to_string(n->second);
  if (activity) {
    std::vector<std::string> who;
    for (const auto &a : activity->attendees)
      attendee_names(plan, a, who);
    line.attendees = join(who, "、");
    if (activity->room)
      line.room = room_name(plan, *activity->room);
  }
  return line;
}

// Occurrences grouped by the month they start in, in §5 order.
std::vector<std::pair<unsigned, std::vector<AgendaLine>>> agenda(const Plan &plan,
                                                                 const Schedule &schedule) {
  std::map<std::string, int> counts;
  for (const auto &occ : schedule.occurrences)
    ++counts[occ.activity];
  std::vector<std::pair<unsigned, std::vector<AgendaLine>>> months;
  for (const Occurrence *occ : ordered(plan, schedule, {})) {
    const Date d = local_date(occ->start);
    const unsigned m = calendar::month_of(d);
    if (months.empty() || months.back().first != m)
      months.push_back({m, {}});
    months.back().second.push_back(agenda_line(plan, *occ, counts));
  }
  return months;
}

std::string summary_line(const Plan &plan, const Schedule &schedule) {
  return std::to_string(plan.year) + "年 · " + plan.timezone + " · 共 " +
         std::to_string(schedule.occurrences.size()) + " 项 / " +
         std::to_string(schedule.occurrences.size()) + " occurrences";
}

std::string md_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

} // namespace

std::string schedule_json(const Plan &plan, const Schedule &schedule, const OutputFilter &filter) {
  nlohmann::ordered_json j;
  j["plan"] = plan.id;
  j["title"] = plan.title;
  j["year"] = plan.year;
  j["timezone"] = plan.timezone;
  // §5: exactly message and activities; the rules with their positions go
  // to stderr and the text agenda.
  if (schedule.conflict) {
    j["error"] = {{"message", schedule.conflict->message},
                  {"activities", schedule.conflict->activities}};
  } else if (schedule.stopped) {
    j["error"] = {{"message", schedule.stopped->message},
                  {"activities", nlohmann::ordered_json::array()}};
  } else {
    auto occurrences = nlohmann::ordered_json::array();
    for (const Occurrence *occ : ordered(plan, schedule, filter))
      occurrences.push_back(occurrence_json(plan, *occ));
    j["occurrences"] = std::move(occurrences);
    if (schedule.replanned)
      j["moved"] = moved_json(plan, schedule); // §6.5
    if (!schedule.cancelled.empty()) {         // recorded cancelled (EXTENSIONS.md)
      auto cancelled = nlohmann::ordered_json::array();
      for (const Occurrence &occ : schedule.cancelled)
        cancelled.push_back(occurrence_json(plan, occ));
      j["cancelled"] = std::move(cancelled);
    }
  }
  j["warnings"] = all_warnings(plan, schedule);
  return dump(j);
}

std::string schedule_text(const Plan &plan, const Schedule &schedule) {
  std::ostringstream out;
  out << plan.title << "\n" << summary_line(plan, schedule) << "\n";
  if (schedule.conflict) {
    out << "\n无法排期 / cannot be scheduled: " << schedule.conflict->message << "\n";
    for (const RuleRef &r : schedule.conflict->rules)
      out << "  " << plan.file << ":" << r.pos.line << ":" << r.pos.column << ": " << r.activity
          << ": " << r.key << ": " << r.text << "\n";
    if (!schedule.conflict->fix.empty())
      out << "修改建议 / to fix: " << schedule.conflict->fix << "\n";
    if (!schedule.conflict->activities.empty())
      out << "涉及活动 / activities: " << join(schedule.conflict->activities, ", ") << "\n";
  } else if (schedule.stopped) {
    out << "\n未找到排期 / no schedule found: " << schedule.stopped->message << "\n";
  } else if (schedule.occurrences.empty()) {
    out << "\n（无活动 / no occurrences）\n";
  }
  if (schedule.feasible()) {
    for (const auto &[month, lines] : agenda(plan, schedule)) {
      out << "\n" << month_heading(plan.year, month) << "\n";
      for (const auto &l : lines) {
        // No ids here: this is what gets printed and handed round (issue 11).
        out << "  " << l.date << "  " << l.time << "  " << l.title;
        if (!l.of.empty())
          out << "  (" << l.of << ")";
        if (!l.attendees.empty())
          out << "  参加: " << l.attendees;
        if (!l.room.empty())
          out << "  地点: " << l.room;
        out << "\n";
      }
    }
  }
  if (!schedule.moved.empty()) {
    out << "\n调整 / Moved (" << schedule.moved.size() << ")\n";
    for (const Move &m : schedule.moved)
      out << "  " << m.id << ": " << wall_text(m.from, m.all_day) << " → "
          << wall_text(m.to, m.all_day) << "\n";
  }
  const auto warnings = all_warnings(plan, schedule);
  if (!warnings.empty()) {
    out << "\n提示 / Warnings\n";
    for (const auto &w : warnings)
      out << "  - " << w << "\n";
  }
  if (schedule.feasible()) {
    // The price of the schedule: how often each soft rule of §6.3 gave way.
    const SoftScore score = evaluate(plan, schedule);
    out << "\n软规则 / Soft rules given up\n";
    for (const SoftRuleInfo &rule : soft_rules) {
      if (rule.rule == SoftRule::keep_place)
        continue; // only meaningful against a previous schedule
      out << "  " << rule.zh << " / " << rule.name << ": "
          << score.counts[static_cast<std::size_t>(rule.rule)] << "\n";
    }
  }
  return out.str();
}

std::string schedule_markdown(const Plan &plan, const Schedule &schedule) {
  std::ostringstream out;
  out << "# " << md_cell(plan.title) << "\n\n" << summary_line(plan, schedule) << "\n";
  if (schedule.conflict) {
    out << "\n**无法排期 / cannot be scheduled:** " << md_cell(schedule.conflict->message) << "\n";
    if (!schedule.conflict->activities.empty())
      out << "\n涉及活动 / activities: `" << join(schedule.conflict->activities, "`, `") << "`\n";
  } else if (schedule.occurrences.empty()) {
    out << "\n（无活动 / no occurrences）\n";
  }
  if (!schedule.conflict) {
    for (const auto &[month, lines] : agenda(plan, schedule)) {
      out << "\n## " << month_heading(plan.year, month) << "\n\n";
      out << "| 日期 Date | 时间 Time | 活动 Activity | 编号 ID | 参加 Attendees | 地点 Room |\n"
          << "| --- | --- | --- | --- | --- | --- |\n";
      for (const auto &l : lines) {
        out << "| " << md_cell(l.date) << " | " << md_cell(l.time) << " | " << md_cell(l.title)
            << " | `" << l.id << "`";
        if (!l.of.empty())
          out << " " << l.of;
        out << " | " << md_cell(l.attendees) << " | " << md_cell(l.room) << " |\n";
      }
    }
  }
  const auto warnings = all_warnings(plan, schedule);
  if (!warnings.empty()) {
    out << "\n## 提示 / Warnings\n\n";
    for (const auto &w : warnings)
      out << "- " << md_cell(w) << "\n";
  }
  return out.str();
}

std::string occurrence_json_text(const Plan &plan, const Occurrence &occurrence) {
  return occurrence_json(plan, occurrence)
      .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string wall_time_text(calendar::LocalTime t, bool all_day) { return wall_text(t, all_day); }

calendar::CalendarFile schedule_calendar(const Plan &plan, const Schedule &schedule,
                                         date::sys_seconds dtstamp, const OutputFilter &filter) {
  calendar::CalendarFile file;
  file.name = plan.title;
  file.zone = plan.timezone;
  file.dtstamp = dtstamp;
  // Recorded cancelled ones stay, marked, so subscribed clients drop them.
  std::vector<std::pair<const Occurrence *, bool>> events;
  for (const Occurrence *occ : ordered(plan, schedule, filter))
    events.emplace_back(occ, false);
  for (const Occurrence *occ : ordered(plan, schedule.cancelled, filter))
    events.emplace_back(occ, true);
  for (const auto &[occ, cancelled] : events) {
    const Activity *activity = activity_of(plan, occ->activity);
    calendar::Event event;
    event.cancelled = cancelled;
    event.uid = occ->uid(plan);
    event.title = activity ? activity->title : occ->activity;
    std::vector<std::string> description;
    if (activity && !activity->description.empty())
      description.push_back(activity->description);
    const auto people = sorted_people(activity);
    if (!people.empty()) {
      std::vector<std::string> names;
      for (const auto &p : people)
        names.push_back(person_name(plan, p));
      description.push_back("参加 / attendees: " + join(names, "、"));
    }
    if (!occ->window.empty()) {
      const auto span = occ->window.span();
      std::string window = "时间窗口 / window: " + calendar::format_iso_date(span.first) + " – " +
                           calendar::format_iso_date(span.last);
      if (activity) {
        std::vector<std::string> written;
        if (activity->repeat.kind != Repeat::Kind::none && !activity->repeat.text.empty())
          written.push_back(activity->repeat.text);
        // `每月初` already says `月初`: don't repeat what the repeat text holds.
        if (!activity->when_text.empty() &&
            (written.empty() || written[0].find(activity->when_text) == std::string::npos))
          written.push_back(activity->when_text);
        if (!written.empty())
          window += " (" + join(written, ", ") + ")";
      }
      description.push_back(window);
    }
    event.description = join(description, "\n");
    if (activity && activity->room)
      event.location = room_name(plan, *activity->room);
    event.categories = {activity ? activity->kind : std::string("other")};
    event.all_day = occ->all_day;
    event.zone = plan.timezone;
    if (occ->all_day) {
      event.first_day = local_date(occ->start);
      event.end_day = local_date(occ->end);
    } else {
      event.start = occ->start;
      event.end = occ->end;
    }
    event.sequence = 0;
    event.busy = activity ? activity->busy : true;
    // A trigger relative to the start that lands on the §6.2 moment: timed
    // events count elapsed time, all-day ones (floating dates) wall time.
    for (const auto fires : alarm_times(plan, *occ)) {
      const auto before = occ->all_day ? occ->start - fires
                                       : std::chrono::duration_cast<std::chrono::minutes>(
                                             calendar::to_utc(plan.timezone, occ->start) -
                                             calendar::to_utc(plan.timezone, fires));
      event.alarms.push_back({before.count(), {}}); // the writer shows the title
    }
    file.events.push_back(std::move(event));
  }
  return file;
}

} // namespace xun::scheduler
