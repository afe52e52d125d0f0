// The living year on the plan page (PLAN.md §6.4–6.6): how each occurrence
// stands, the last re-plan's moves, the progress panel and the owner's form
// to record what happened (sent by plan_page_script as PUT …/records/{occ}).
#include "http/page_parts.hpp"

#include "calendar/zones.hpp"
#include "scheduler/points.hpp"

#include <date/date.h>

#include <algorithm>

namespace xun::http::page {

namespace {

// A record says who came when it lists `present` (even `present: []`:
// nobody came, ✓ 0/3); without it attendance was not taken, and no ratio is shown.
std::optional<std::pair<long, long>> attendance_of(const scheduler::ResolvedRecord &r) {
  if (!r.lists_present() || r.expected.empty())
    return std::nullopt;
  long present = 0;
  for (const auto &p : r.present)
    present += std::binary_search(r.expected.begin(), r.expected.end(), p) ? 1 : 0;
  return std::pair{present, static_cast<long>(r.expected.size())};
}

std::string moment(const Context &c, calendar::LocalTime t, bool all_day) {
  const std::string day = day_label(c.in.lang, calendar::local_date(t));
  return all_day ? day : day + " " + date::format("%R", t);
}

// The strictest attendance an assessment item asks of the activity's occurrences.
std::optional<int> required_attendance(const scheduler::Plan &plan, const std::string &activity) {
  std::optional<int> out;
  for (const auto &item : plan.assessment)
    if (item.attendance && std::find(item.activities.begin(), item.activities.end(), activity) !=
                               item.activities.end())
      out = std::max(out.value_or(0), *item.attendance);
  return out;
}

std::string quota_text(const scheduler::Quota &q) {
  return q.min == q.max ? std::to_string(q.min)
                        : std::to_string(q.min) + "–" + std::to_string(q.max);
}

int percent_of(int part, int whole) { return whole <= 0 ? 0 : std::min(100, part * 100 / whole); }

void write_quota(std::ostream &out, const Context &c, const scheduler::ActivityProgress &a) {
  const std::string dot = " · ";
  const int whole = std::max(a.quota.min, 1);
  const int done = percent_of(a.done, whole);
  const int upcoming = std::min(100 - done, percent_of(a.upcoming, whole));
  out << "<li class=\"quota" << (a.at_risk ? " at-risk" : "") << "\" data-activity=\""
      << html_escape(a.activity) << "\"><div class=\"q-head\"><span class=\"q-title\">"
      << html_escape(a.title);
  // Short only because past ones are not recorded: recording them is the remedy.
  const bool unrecorded = a.done + a.upcoming + a.not_recorded >= a.quota.min;
  if (a.at_risk)
    out << "<span class=\"risk\">" << (unrecorded ? c.w.records_missing : c.w.at_risk) << "</span>";
  out << "</span><span class=\"q-count\">" << c.w.done_of << " <b class=\"q-done\">" << a.done
      << "</b>/<span class=\"q-quota\">" << quota_text(a.quota) << "</span></span></div>"
      << "<div class=\"bar\"><span class=\"b-done\" style=\"width:" << done
      << "%\"></span><span class=\"b-upcoming\" style=\"width:" << upcoming
      << "%\"></span></div><p class=\"q-detail\">" << c.w.upcoming << " " << a.upcoming;
  if (a.cancelled)
    out << dot << c.w.cancelled << " " << a.cancelled;
  if (a.not_recorded)
    out << dot << "<span class=\"low\">" << c.w.not_recorded << " " << a.not_recorded << "</span>";
  const auto required = required_attendance(c.plan, a.activity);
  if (a.attendance) {
    const bool low = required && *a.attendance < *required;
    out << dot << "<span class=\"q-attendance" << (low ? " low" : "") << "\">" << c.w.attendance
        << " " << *a.attendance << "%</span>";
  }
  if (a.attendance_not_recorded > 0 && (a.attendance || required))
    out << dot << "<span class=\"q-no-attendance\">" << c.w.no_attendance << " "
        << a.attendance_not_recorded << "</span>";
  if (required)
    out << (c.in.lang == Lang::zh ? "（" : " (") << c.w.required << *required << "%"
        << (c.in.lang == Lang::zh ? "）" : ")");
  out << "</p></li>\n";
}

// A progress reason is written "中文 / English": the page's half of it.
std::string one_language(const std::string &why, Lang lang) {
  const auto slash = why.find(" / ");
  if (slash == std::string::npos)
    return why;
  return lang == Lang::zh ? why.substr(0, slash) : why.substr(slash + 3);
}

void write_items(std::ostream &out, const Context &c, const scheduler::Progress &p) {
  out << "<table class=\"items\" id=\"assessment\"><thead><tr><th>" << c.w.item << "</th><th>"
      << c.w.earned << "</th><th>" << c.w.why << "</th></tr></thead><tbody>\n";
  for (const auto &item : p.items) {
    out << "<tr><td>" << html_escape(item.item) << "</td><td class=\"num\">"
        << scheduler::points_text(item.earned);
    if (item.points > 0)
      out << " / " << scheduler::points_text(item.points);
    out << "</td><td>" << html_escape(one_language(item.why, c.in.lang)) << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
}

std::string occurrence_option(const Context &c, const scheduler::Occurrence &o, bool cancelled) {
  const Standing s = standing_of(c, o, cancelled);
  std::string text = day_label(c.in.lang, calendar::local_date(o.start)) + " " + title_of(c, o);
  switch (s.kind) {
  case Standing::Kind::done:
    text += " · ✓";
    break;
  case Standing::Kind::cancelled:
    text += std::string(" · ") + c.w.mark_cancelled;
    break;
  case Standing::Kind::moved:
    text += std::string(" · ") + c.w.mark_moved;
    break;
  case Standing::Kind::not_recorded:
    text += std::string(" · ") + c.w.mark_not_recorded;
    break;
  case Standing::Kind::upcoming:
    break;
  }
  const auto *a = c.plan.find_activity(o.activity);
  std::string people;
  for (const auto &id : a ? a->people : std::vector<std::string>{})
    people += (people.empty() ? "" : " ") + id;
  return "<option value=\"" + html_escape(o.uid(c.plan)) + "\" data-id=\"" + html_escape(o.id()) +
         "\" data-people=\"" + html_escape(people) + "\">" + html_escape(text) + "</option>\n";
}

struct Choice {
  const scheduler::Occurrence *occurrence;
  bool cancelled;
};

// Every occurrence by start; the first choice is the latest one not recorded
// (what a secretary comes to record), else the next one.
std::vector<Choice> choices(const Context &c, std::size_t &selected) {
  std::vector<Choice> out;
  for (const auto &o : c.schedule.occurrences)
    out.push_back({&o, false});
  for (const auto &o : c.schedule.cancelled)
    out.push_back({&o, true});
  std::stable_sort(out.begin(), out.end(), [](const Choice &a, const Choice &b) {
    return a.occurrence->start < b.occurrence->start;
  });
  selected = 0;
  bool found = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto kind = standing_of(c, *out[i].occurrence, out[i].cancelled).kind;
    if (kind == Standing::Kind::not_recorded) {
      selected = i;
      found = true;
    } else if (!found && kind == Standing::Kind::upcoming) {
      selected = i;
      found = true;
    }
  }
  return out;
}

void write_people_rows(std::ostream &out, const Context &c) {
  out << "<fieldset id=\"record-people\"><legend>" << c.w.who_came
      << "</legend><table class=\"people-table\"><tbody>\n";
  for (const auto &p : c.plan.people)
    out << "<tr data-person=\"" << html_escape(p.id) << "\"><td>"
        << html_escape(p.name.empty() ? p.id : p.name) << "</td><td><select name=\"person-"
        << html_escape(p.id) << "\"><option value=\"present\">" << c.w.present
        << "</option><option value=\"leave\">" << c.w.on_leave
        << "</option><option value=\"absent\">" << c.w.absent << "</option></select></td></tr>\n";
  out << "</tbody></table></fieldset>\n";
}

} // namespace

std::string replace_n(std::string text, long n) {
  if (const auto at = text.find("{n}"); at != std::string::npos)
    text.replace(at, 3, std::to_string(n));
  return text;
}

Standing standing_of(const Context &c, const scheduler::Occurrence &o, bool cancelled) {
  using K = Standing::Kind;
  Standing s;
  if (const auto it = c.records.find(o.uid(c.plan)); it != c.records.end())
    s.record = it->second;
  const calendar::LocalTime midnight{c.today.time_since_epoch()};
  s.past = o.end <= midnight;
  const auto status = s.record ? std::optional(s.record->record.status) : std::nullopt;
  if (cancelled || status == scheduler::RecordStatus::cancelled)
    s.kind = K::cancelled;
  else if (status == scheduler::RecordStatus::done || o.state == scheduler::OccurrenceState::done) {
    s.kind = K::done;
    if (s.record)
      s.attendance = attendance_of(*s.record);
  } else if (status == scheduler::RecordStatus::moved)
    s.kind = K::moved;
  else
    s.kind = s.past ? K::not_recorded : K::upcoming;
  return s;
}

void write_moves(std::ostream &out, const Context &c) {
  if (!c.schedule.replanned)
    return;
  out << "<section class=\"panel moves\" id=\"moves\"><h2>" << c.w.moves << "</h2>\n";
  if (c.schedule.moved.empty()) {
    out << "<p>" << c.w.moves_none << "</p></section>\n";
    return;
  }
  out << "<ul>\n";
  for (const auto &m : c.schedule.moved) {
    const auto hash = m.id.find('#');
    const auto *a = c.plan.find_activity(m.id.substr(0, hash));
    out << "<li data-occurrence=\"" << html_escape(m.id) << "\">"
        << html_escape(a ? a->title : m.id) << " <code>" << html_escape(m.id) << "</code>"
        << (c.in.lang == Lang::zh ? "：" : ": ") << html_escape(moment(c, m.from, m.all_day))
        << " → " << html_escape(moment(c, m.to, m.all_day)) << "</li>\n";
  }
  out << "</ul></section>\n";
}

void write_progress(std::ostream &out, const Context &c) {
  if (!c.in.year)
    return;
  const auto &p = c.in.year->progress;
  out << "<section class=\"panel progress\" id=\"progress\"><h2>" << c.w.progress
      << " <small class=\"meta\">" << c.w.as_of << html_escape(long_date(c.in.lang, p.as_of))
      << "</small></h2>\n";
  if (p.possible > 0)
    out << "<p class=\"score\">" << c.w.points << " <strong id=\"points-earned\">"
        << scheduler::points_text(p.earned) << "</strong> / <span id=\"points-possible\">"
        << scheduler::points_text(p.possible) << "</span></p>\n";
  // At-risk activities first and open; those on track folded below them.
  const auto on_track = static_cast<long>(std::count_if(p.activities.begin(), p.activities.end(),
                                                        [](const auto &a) { return !a.at_risk; }));
  out << "<ul class=\"quotas\" id=\"at-risk\">\n";
  for (const auto &a : p.activities)
    if (a.at_risk)
      write_quota(out, c, a);
  out << "</ul>\n";
  if (on_track > 0) {
    out << "<details class=\"on-track\""
        << (on_track == static_cast<long>(p.activities.size()) ? " open" : "") << "><summary>"
        << replace_n(c.w.on_track, on_track) << "</summary><ul class=\"quotas\">\n";
    for (const auto &a : p.activities)
      if (!a.at_risk)
        write_quota(out, c, a);
    out << "</ul></details>\n";
  }
  if (!p.items.empty())
    write_items(out, c, p);
  out << "</section>\n";
}

void write_record_form(std::ostream &out, const Context &c) {
  if (!c.in.can_record)
    return;
  const auto &w = c.w;
  out << "<section class=\"panel record noprint\" id=\"record\"><h2>" << w.record
      << "</h2>\n<p class=\"meta\">" << w.record_help << "</p>\n"
      << "<form id=\"record-form\" data-plan=\"" << html_escape(c.in.api_id) << "\" novalidate>\n"
      << "<label>" << w.occurrence << "<select name=\"occurrence\" id=\"record-occurrence\">\n";
  std::size_t selected = 0;
  const auto list = choices(c, selected);
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string option = occurrence_option(c, *list[i].occurrence, list[i].cancelled);
    if (i == selected)
      option.insert(7, " selected");
    out << option;
  }
  out << "</select></label>\n<fieldset><legend>" << w.status << "</legend><div class=\"choices\">";
  for (const auto &[value, label] : {std::pair{"done", w.status_done},
                                     {"cancelled", w.status_cancelled},
                                     {"moved", w.status_moved},
                                     {"clear", w.status_clear}})
    out << "<label><input type=\"radio\" name=\"status\" value=\"" << value << "\""
        << (std::string(value) == "done" ? " checked" : "") << ">" << label << "</label>";
  out << "</div></fieldset>\n";
  write_people_rows(out, c);
  out << "<div id=\"record-times\" hidden><label>" << w.new_start
      << "<input type=\"datetime-local\" name=\"start\"></label><label>" << w.new_end
      << "<input type=\"datetime-local\" name=\"end\"></label></div>\n"
      << "<label>" << w.note_field
      << "<input type=\"text\" name=\"note\" maxlength=\"500\"></label>\n"
      << "<label id=\"record-token\">" << w.token
      << "<input type=\"password\" name=\"token\" autocomplete=\"off\"><small class=\"meta\">"
      << w.token_help << "</small></label>\n<p><button type=\"submit\">" << w.save
      << "</button> <button type=\"button\" id=\"record-reload\" hidden>" << w.reload
      << "</button></p>\n</form>\n"
      << "<div id=\"record-answer\" class=\"answer\" role=\"status\" aria-live=\"polite\"></div>\n"
      << "</section>\n";
}

} // namespace xun::http::page
