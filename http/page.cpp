#include "http/page.hpp"

#include "calendar/dates.hpp"
#include "calendar/zones.hpp"

#include <date/date.h>

#include <map>
#include <sstream>

namespace xun::http {

std::string html_escape(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

namespace {

constexpr const char *style = R"css(
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --off: #fbe9e7; --makeup: #e8f5e9;
        --weekend: #f6f8fa; --accent: #b71c1c; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", system-ui, sans-serif; color: var(--ink);
       margin: 1.5rem auto; max-width: 78rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.note { border-left: 4px solid var(--accent); background: #fff8f6; padding: .5rem .75rem; }
.subscribe { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .5rem 0 1rem; }
.subscribe a { color: #0550ae; overflow-wrap: anywhere; }
.legend span { display: inline-block; padding: 0 .4rem; margin-right: .5rem; border: 1px solid var(--line); }
.year { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(36rem, 100%), 1fr));
        gap: 1.25rem; }
.month h2 { font-size: 1.1rem; margin: .25rem 0; }
table.grid { border-collapse: collapse; width: 100%; table-layout: fixed; }
.grid th { font-weight: 600; font-size: .8rem; color: var(--muted); padding: .15rem; }
.grid td { border: 1px solid var(--line); vertical-align: top; height: 4.6rem; padding: .15rem .2rem;
           font-size: .72rem; overflow: hidden; }
.grid td.pad { background: transparent; border-color: transparent; }
.grid td.weekend { background: var(--weekend); }
.grid td.holiday, .grid td.closed { background: var(--off); }
.grid td.makeup, .grid td.opened { background: var(--makeup); }
.day { font-weight: 600; }
.tag { font-size: .65rem; color: var(--accent); margin-left: .2rem; }
.makeup .tag, .opened .tag { color: #1b5e20; }
.occ { display: block; margin-top: .1rem; padding: 0 .2rem; border-radius: 3px; background: #ddf4ff;
       overflow-wrap: anywhere; font-size: .68rem; line-height: 1.25; }
.occ.deadline, .occ.dues { background: #fff1c2; }
.occ.meeting { background: #e7dcff; }
.occ.study { background: #dafbe1; }
.occ.inspection, .occ.research { background: #ffe2cc; }
.warnings li, .problems li { margin: .2rem 0; }
footer { color: var(--muted); font-size: .8rem; margin-top: 2rem; }
@media (max-width: 40rem) { /* a phone: one month across, every weekday visible */
  body { margin: .75rem auto; padding: 0 .5rem; }
  .grid th { font-size: .68rem; padding: 0; }
  .grid td { height: 3.8rem; padding: .1rem; font-size: .62rem; }
  .occ { font-size: .6rem; padding: 0 .1rem; }
}
@media print {
  @page { size: A4 portrait; margin: 12mm; }
  body { margin: 0; max-width: none; font-size: 10pt; }
  .subscribe, .noprint, .secret { display: none; }
  .year { display: block; }
  .month { break-inside: avoid; page-break-inside: avoid; margin-bottom: 6mm; }
  .grid td { height: auto; min-height: 3.2rem; }
  .occ { white-space: normal; background: none !important; border-left: 2px solid #888; }
  a { color: inherit; text-decoration: none; }
}
)css";

std::string head(const std::string &title) {
  return "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         html_escape(title) + "</title>\n<style>" + style + "</style>\n</head>\n<body>\n";
}

struct Entry {
  std::string time; // "09:00" or "" for all-day
  std::string title;
  std::string kind;
  std::string id;
};

} // namespace

std::string plan_page_html(const PageInput &in) {
  std::ostringstream out;
  const std::string title = in.plan ? in.plan->title : in.api_id;
  out << head(title + " · Xun");
  out << "<header>\n<h1>" << html_escape(title) << "</h1>\n<p class=\"meta\">";
  if (in.plan)
    out << html_escape(std::to_string(in.plan->year)) << " · " << html_escape(in.plan->timezone)
        << " · ";
  out << "plan <code>" << html_escape(in.api_id) << "</code> · revision " << in.revision;
  if (in.schedule)
    out << " · " << in.schedule->occurrences.size() << " occurrences";
  out << "</p>\n";
  if (!in.status_note.empty())
    out << "<p class=\"note\" id=\"status-note\">" << html_escape(in.status_note) << "</p>\n";
  if (!in.problems.empty()) {
    out << "<ul class=\"problems\">\n";
    for (const auto &p : in.problems)
      out << "<li><code>" << html_escape(p) << "</code></li>\n";
    out << "</ul>\n";
  }
  if (!in.feed.https.empty()) {
    out << "<nav class=\"subscribe\" id=\"subscribe\"><strong>Subscribe 订阅:</strong>"
        << "<a id=\"feed-webcal\" href=\"" << html_escape(in.feed.webcal)
        << "\">webcal (Apple, Outlook, Thunderbird)</a>"
        << "<a id=\"feed-https\" href=\"" << html_escape(in.feed.https) << "\">"
        << html_escape(in.feed.https) << "</a>";
    for (const auto &[name, links] : in.people)
      out << "<a class=\"person-feed\" href=\"" << html_escape(links.webcal) << "\">"
          << html_escape(name) << "</a>";
    out << "</nav>\n";
  } else if (in.feed_hidden) {
    out << "<p class=\"subscribe-note noprint\" id=\"subscribe-note\">Subscribe links are shown "
           "to the plan's owner only: open this page through the link <code>xun serve</code> "
           "prints, or take them from <code>feeds</code> in the API's answer (with the admin "
           "token).</p>\n";
  }
  out << "</header>\n";

  if (in.plan && in.schedule) {
    const auto &plan = *in.plan;
    const auto &warnings = in.schedule->warnings;
    if (!warnings.empty() || !plan.warnings.empty()) {
      out << "<section class=\"warnings\" id=\"warnings\"><h2>Warnings 提示</h2><ul>\n";
      for (const auto &w : plan.warnings)
        out << "<li>" << html_escape(w) << "</li>\n";
      for (const auto &w : warnings)
        out << "<li>" << html_escape(w) << "</li>\n";
      out << "</ul></section>\n";
    }
    out << "<p class=\"legend noprint\"><span class=\"grid-holiday\" "
           "style=\"background:var(--off)\">"
           "休 day off</span><span style=\"background:var(--makeup)\">班 make-up workday</span>"
           "<span style=\"background:var(--weekend)\">weekend</span></p>\n";

    std::map<calendar::Date, std::vector<Entry>> by_day;
    for (const auto &o : in.schedule->occurrences) {
      const auto *a = plan.find_activity(o.activity);
      Entry e{o.all_day ? "" : date::format("%R", o.start), a ? a->title : o.activity,
              a ? a->kind : "other", o.id()};
      const calendar::Date first = calendar::local_date(o.start);
      calendar::Date last = calendar::local_date(o.end);
      // An end at midnight (always so for all-day) belongs to the day before.
      if (o.end > o.start && date::floor<date::days>(o.end) == o.end)
        last -= date::days{1};
      if (last < first)
        last = first;
      for (calendar::Date d = first; d <= last; d += date::days{1})
        by_day[d].push_back(e);
    }

    out << "<main class=\"year\">\n";
    for (unsigned m = 1; m <= 12; ++m) {
      out << "<section class=\"month\" id=\"month-" << m << "\">\n<h2>" << plan.year << " " << m
          << "月 " << calendar::english_month_name(m)
          << "</h2>\n<table class=\"grid\">\n<thead><tr>"
          << "<th>一 Mon</th><th>二 Tue</th><th>三 Wed</th><th>四 Thu</th><th>五 Fri</th>"
             "<th>六 Sat</th><th>日 Sun</th></tr></thead>\n<tbody>\n<tr>";
      const auto range = calendar::month_range(plan.year, m);
      const unsigned lead = (calendar::weekday_index(range.first) + 6) % 7; // Monday first
      for (unsigned i = 0; i < lead; ++i)
        out << "<td class=\"pad\"></td>";
      unsigned column = lead;
      for (const auto d : calendar::days_of(range)) {
        if (column == 7) {
          out << "</tr>\n<tr>";
          column = 0;
        }
        std::string cls;
        std::string tag;
        switch (plan.calendar.classify(d)) {
        case calendar::DayKind::workday:
          break;
        case calendar::DayKind::weekend:
          cls = "weekend";
          break;
        case calendar::DayKind::holiday: {
          cls = "holiday";
          const auto *h = plan.calendar.holidays.find(d);
          tag = (h && !h->name.empty() ? h->name + " " : std::string()) + "休";
          break;
        }
        case calendar::DayKind::makeup_workday: {
          cls = "makeup";
          const auto *h = plan.calendar.holidays.find(d);
          tag = "补班" + (h && !h->name.empty() ? " " + h->name : std::string());
          break;
        }
        case calendar::DayKind::closed:
          cls = "closed";
          tag = "休 closed";
          break;
        case calendar::DayKind::opened:
          cls = "opened";
          tag = "班 open";
          break;
        }
        out << "<td" << (cls.empty() ? "" : " class=\"" + cls + "\"") << " data-date=\""
            << calendar::format_iso_date(d) << "\"><span class=\"day\">" << calendar::day_of(d)
            << "</span>";
        if (!tag.empty())
          out << "<span class=\"tag\">" << html_escape(tag) << "</span>";
        if (auto it = by_day.find(d); it != by_day.end())
          for (const auto &e : it->second)
            out << "<span class=\"occ " << html_escape(e.kind) << "\" data-occurrence=\""
                << html_escape(e.id) << "\" title=\"" << html_escape(e.title) << "\">"
                << (e.time.empty() ? "" : html_escape(e.time) + " ") << html_escape(e.title)
                << "</span>";
        out << "</td>";
        ++column;
      }
      for (; column < 7; ++column)
        out << "<td class=\"pad\"></td>";
      out << "</tr>\n</tbody>\n</table>\n</section>\n";
    }
    out << "</main>\n";
  } else {
    out << "<p id=\"empty\">Nothing is scheduled yet: no revision of this plan could be "
           "scheduled. Fix the problems above and submit it again.</p>\n";
  }
  // Links that carry the read secret are never printed (class secret).
  const std::string id = html_escape(in.api_id), q = html_escape(in.access_query);
  out << "<footer>Xun · <a href=\"/\">all plans</a> · <a class=\"secret\" href=\"/api/plans/" << id
      << "/schedule" << q
      << "\">schedule JSON</a> · <a class=\"secret\" id=\"download-xlsx\" href=\"/plans/" << id
      << "/schedule.xlsx" << q << "\">下载 Excel</a> · <a class=\"secret\" id=\"download-csv\" "
      << "href=\"/plans/" << id << "/schedule.csv" << q
      << "\">CSV</a></footer>\n</body>\n</html>\n";
  return out.str();
}

} // namespace xun::http
