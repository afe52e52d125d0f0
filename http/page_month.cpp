// The year month by month: one table per month, a grid on a wide screen and
// a list of the busy days on a phone (page_style.cpp); each occurrence a
// <details> that opens on its time, room, people, description and record.
#include "http/page_parts.hpp"

#include "calendar/zones.hpp"

#include <date/date.h>

#include <algorithm>
#include <array>
#include <map>

namespace xun::http::page {

namespace {

struct Placed {
  const scheduler::Occurrence *occurrence;
  bool cancelled;
};

// Each occurrence on every day it covers; cancelled ones at their planned days.
std::map<calendar::Date, std::vector<Placed>> by_day(const scheduler::Schedule &schedule) {
  std::map<calendar::Date, std::vector<Placed>> out;
  const auto add = [&](const scheduler::Occurrence &o, bool cancelled) {
    const calendar::Date first = calendar::local_date(o.start);
    calendar::Date last = calendar::local_date(o.end);
    // An end at midnight (always so for all-day) belongs to the day before.
    if (o.end > o.start && date::floor<date::days>(o.end) == o.end)
      last -= date::days{1};
    if (last < first)
      last = first;
    for (calendar::Date d = first; d <= last; d += date::days{1})
      out[d].push_back({&o, cancelled});
  };
  for (const auto &o : schedule.occurrences)
    add(o, false);
  for (const auto &o : schedule.cancelled)
    add(o, true);
  for (auto &[day, list] : out)
    std::stable_sort(list.begin(), list.end(), [](const Placed &a, const Placed &b) {
      return a.occurrence->start < b.occurrence->start;
    });
  return out;
}

std::string kind_name(const Words &w, const std::string &kind) {
  const std::map<std::string, const char *> names = {
      {"meeting", w.kind_meeting},   {"inspection", w.kind_inspection},
      {"study", w.kind_study},       {"research", w.kind_research},
      {"dues", w.kind_dues},         {"report", w.kind_report},
      {"deadline", w.kind_deadline}, {"other", w.kind_other}};
  const auto it = names.find(kind);
  return it == names.end() ? kind : it->second;
}

const std::array<std::string, 8> kinds = {"meeting", "study",  "inspection", "research",
                                          "dues",    "report", "deadline",   "other"};

// Names of the activity's people in the plan's order (the order of rank a
// secretary wrote them in); past a dozen, "等 N 人".
std::string attendee_names(const Context &c, const scheduler::Activity &a) {
  const bool zh = c.in.lang == Lang::zh;
  std::string out;
  std::size_t shown = 0;
  for (const auto &p : c.plan.people) {
    if (!std::binary_search(a.people.begin(), a.people.end(), p.id))
      continue;
    if (shown == 12)
      return out + (zh ? "" : " ") + replace_n(c.w.people_more, static_cast<long>(a.people.size()));
    out += (shown ? (zh ? "、" : ", ") : "") + (p.name.empty() ? p.id : p.name);
    ++shown;
  }
  return out;
}

std::string mark_html(const Context &c, const Standing &s) {
  using K = Standing::Kind;
  const auto mark = [](const char *cls, const std::string &text) {
    return std::string("<span class=\"mark ") + cls + "\">" + html_escape(text) + "</span>";
  };
  std::string out;
  switch (s.kind) {
  case K::done:
    out = mark("done", s.attendance ? "✓ " + std::to_string(s.attendance->first) + "/" +
                                          std::to_string(s.attendance->second)
                                    : "✓");
    break;
  case K::cancelled:
    out = mark("cancelled", c.w.mark_cancelled);
    break;
  case K::moved:
    out = mark("moved", c.w.mark_moved);
    if (s.past)
      out += mark("not-recorded", c.w.mark_not_recorded);
    break;
  case K::not_recorded:
    out = mark("not-recorded", c.w.mark_not_recorded);
    break;
  case K::upcoming:
    break;
  }
  return out;
}

// The line of the details that says what became of it.
std::string standing_line(const Context &c, const Standing &s) {
  using K = Standing::Kind;
  const bool zh = c.in.lang == Lang::zh;
  std::string out;
  switch (s.kind) {
  case K::done:
    out = std::string("✓ ") + c.w.status_done;
    if (s.attendance)
      out += std::string(zh ? "，" : ", ") + c.w.present + " " +
             std::to_string(s.attendance->first) + "/" + std::to_string(s.attendance->second);
    else if (s.record && !s.record->expected.empty())
      out += std::string(zh ? "，" : ", ") + c.w.no_attendance;
    if (s.record && !s.record->leave.empty())
      out += std::string(zh ? "，" : ", ") + c.w.on_leave + " " +
             std::to_string(s.record->leave.size());
    break;
  case K::cancelled:
    out = c.w.mark_cancelled;
    break;
  case K::moved:
    out = std::string(c.w.mark_moved) +
          (s.past ? std::string(zh ? "，" : ", ") + c.w.mark_not_recorded : "");
    break;
  case K::not_recorded:
    out = c.w.mark_not_recorded;
    break;
  case K::upcoming:
    break;
  }
  if (s.record && s.record->record.note && !s.record->record.note->empty())
    out += (out.empty() ? "" : (zh ? "。" : ". ")) + std::string(c.w.note) + *s.record->record.note;
  return out;
}

void write_occurrence(std::ostream &out, const Context &c, const Placed &p) {
  const auto &o = *p.occurrence;
  const auto *a = c.plan.find_activity(o.activity);
  const Standing s = standing_of(c, o, p.cancelled);
  const std::string kind = a ? a->kind : "other";
  static const std::map<Standing::Kind, const char *> state_class = {
      {Standing::Kind::upcoming, ""},
      {Standing::Kind::done, " done"},
      {Standing::Kind::cancelled, " cancelled"},
      {Standing::Kind::moved, " moved"},
      {Standing::Kind::not_recorded, " not-recorded"}};
  const std::string title = html_escape(title_of(c, o));
  out << "<details class=\"occ k-" << html_escape(kind) << state_class.at(s.kind)
      << "\" data-occurrence=\"" << html_escape(o.id()) << "\" data-uid=\""
      << html_escape(o.uid(c.plan)) << "\"><summary title=\"" << title
      << "\"><span class=\"name\">";
  if (o.all_day)
    out << "<span class=\"all-day\">" << c.w.all_day << "</span> ";
  else
    out << date::format("%R", o.start) << " ";
  // The mark stays outside the name, which a grid cell cuts to three lines.
  out << (p.cancelled ? "<s>" + title + "</s>" : title) << "</span>" << mark_html(c, s)
      << "</summary>"
      << "<div class=\"more\"><p class=\"title\">" << title << "</p><p class=\"when\">"
      << html_escape(time_range(c, o)) << "</p>";
  if (a && a->room)
    out << "<p class=\"room\">" << c.w.room << html_escape(room_name(c, *a)) << "</p>";
  if (a && !a->people.empty())
    out << "<p class=\"attendees\">" << c.w.attendees << html_escape(attendee_names(c, *a))
        << "</p>";
  if (a && !a->description.empty())
    out << "<p class=\"desc\">" << html_escape(a->description) << "</p>";
  if (const std::string line = standing_line(c, s); !line.empty())
    out << "<p class=\"standing\">" << html_escape(line) << "</p>";
  if (c.in.can_record)
    out << "<p class=\"noprint\"><button type=\"button\" class=\"record-this\" data-uid=\""
        << html_escape(o.uid(c.plan)) << "\">" << c.w.record_this << "</button></p>";
  out << "</div></details>";
}

// The class and the tag ("春节 休", "补班") of a day.
std::pair<std::string, std::string> day_class(const Context &c, calendar::Date d) {
  const auto &cal = c.plan.calendar;
  const auto *h = cal.holidays.find(d);
  const std::string name = h && !h->name.empty() ? h->name : "";
  switch (cal.classify(d)) {
  case calendar::DayKind::workday:
    return {"", ""};
  case calendar::DayKind::weekend:
    return {"weekend", ""};
  case calendar::DayKind::holiday:
    return {"holiday", (name.empty() ? "" : name + " ") + c.w.holiday_tag};
  case calendar::DayKind::makeup_workday:
    return {"makeup", c.w.makeup_tag + (name.empty() ? "" : " " + name)};
  case calendar::DayKind::closed:
    return {"closed", c.w.closed_tag};
  case calendar::DayKind::opened:
    return {"opened", c.w.opened_tag};
  }
  return {"", ""};
}

void write_day(std::ostream &out, const Context &c, calendar::Date d,
               const std::vector<Placed> *placed) {
  auto [cls, tag] = day_class(c, d);
  // The phone's list shows the first day of each run of days off.
  if (cls == "holiday" && day_class(c, d - date::days{1}).first != "holiday")
    cls += " first-off";
  if (placed)
    cls += cls.empty() ? "busy" : " busy";
  if (d == c.today)
    cls += cls.empty() ? "today" : " today";
  out << "<td" << (cls.empty() ? "" : " class=\"" + cls + "\"")
      << (d == c.today ? " aria-current=\"date\"" : "") << " data-date=\""
      << calendar::format_iso_date(d) << "\"><div class=\"label\"><span class=\"day\">"
      << calendar::day_of(d) << "</span><span class=\"wd\">"
      << weekday_short(c.in.lang, calendar::weekday_index(d)) << "</span>";
  if (!tag.empty())
    out << "<span class=\"tag\">" << html_escape(tag) << "</span>";
  if (d == c.today)
    out << "<span class=\"today-label\">" << c.w.today << "</span>";
  out << "</div>";
  if (placed) {
    out << "<div class=\"items\">";
    for (const auto &p : *placed)
      write_occurrence(out, c, p);
    out << "</div>";
  }
  out << "</td>";
}

void write_month(std::ostream &out, const Context &c, unsigned m,
                 const std::map<calendar::Date, std::vector<Placed>> &days) {
  const int year = c.plan.year;
  out << "<section class=\"month\" id=\"month-" << m << "\">\n<h2>"
      << html_escape(month_heading(c.in.lang, year, m))
      << "</h2>\n<table class=\"grid\">\n<thead><tr>";
  for (unsigned w : {1u, 2u, 3u, 4u, 5u, 6u, 0u})
    out << "<th>" << html_escape(weekday_short(c.in.lang, w)) << "</th>";
  out << "</tr></thead>\n<tbody>\n<tr>";
  const auto range = calendar::month_range(year, m);
  const unsigned lead = (calendar::weekday_index(range.first) + 6) % 7; // Monday first
  for (unsigned i = 0; i < lead; ++i)
    out << "<td class=\"pad\"></td>";
  unsigned column = lead;
  bool any = false;
  for (const auto d : calendar::days_of(range)) {
    if (column == 7) {
      out << "</tr>\n<tr>";
      column = 0;
    }
    const auto it = days.find(d);
    any = any || it != days.end();
    write_day(out, c, d, it == days.end() ? nullptr : &it->second);
    ++column;
  }
  for (; column < 7; ++column)
    out << "<td class=\"pad\"></td>";
  out << "</tr>\n</tbody>\n</table>\n";
  if (!any)
    out << "<p class=\"none-month\">" << c.w.nothing_this_month << "</p>\n";
  out << "</section>\n";
}

} // namespace

std::string title_of(const Context &c, const scheduler::Occurrence &o) {
  const auto *a = c.plan.find_activity(o.activity);
  return a ? a->title : o.activity;
}

std::string room_name(const Context &c, const scheduler::Activity &a) {
  if (!a.room)
    return "";
  const auto *room = c.plan.find_room(*a.room);
  return room && !room->name.empty() ? room->name : *a.room;
}

std::string time_range(const Context &c, const scheduler::Occurrence &o) {
  const bool zh = c.in.lang == Lang::zh;
  const std::string sep = zh ? "" : " ";
  const calendar::Date first = calendar::local_date(o.start);
  if (o.all_day) {
    calendar::Date last = calendar::local_date(o.end);
    if (o.end > o.start)
      last -= date::days{1};
    std::string out = day_label(c.in.lang, first);
    if (last > first)
      out += sep + c.w.to + sep + day_label(c.in.lang, last);
    return out + (zh ? "" : ", ") + c.w.all_day;
  }
  const calendar::Date last = calendar::local_date(o.end);
  if (last == first)
    return day_label(c.in.lang, first) + " " + date::format("%R", o.start) + "–" +
           date::format("%R", o.end);
  return day_label(c.in.lang, first) + " " + date::format("%R", o.start) + sep + c.w.to + sep +
         day_label(c.in.lang, last) + " " + date::format("%R", o.end);
}

void write_legend(std::ostream &out, const Context &c) {
  out << "<p class=\"legend noprint\" id=\"legend\"><strong>" << c.w.legend << "</strong>"
      << "<span style=\"background:var(--off)\">" << c.w.day_off << "</span>"
      << "<span style=\"background:var(--makeup)\">" << c.w.makeup_day << "</span>"
      << "<span style=\"background:var(--weekend)\">" << c.w.weekend << "</span>"
      << "<span class=\"today-key\">" << c.w.today << "</span>";
  for (const auto &kind : kinds) {
    const bool used = std::any_of(c.plan.activities.begin(), c.plan.activities.end(),
                                  [&](const auto &a) { return a.kind == kind; });
    if (used)
      out << "<span class=\"k-" << kind << "\">" << html_escape(kind_name(c.w, kind)) << "</span>";
  }
  out << "<span class=\"mark done\">" << c.w.mark_done << "</span>"
      << "<span class=\"mark cancelled\"><s>" << c.w.mark_cancelled << "</s></span>"
      << "<span class=\"mark not-recorded\">" << c.w.mark_not_recorded << "</span>"
      << "<span class=\"mark moved\">" << c.w.mark_moved << "</span></p>\n";
}

void write_year(std::ostream &out, const Context &c) {
  const auto days = by_day(c.schedule);
  out << "<main class=\"year\">\n";
  for (unsigned m = 1; m <= 12; ++m)
    write_month(out, c, m, days);
  out << "</main>\n";
}

} // namespace xun::http::page
