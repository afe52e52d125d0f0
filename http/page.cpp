#include "http/page.hpp"

#include "http/page_parts.hpp"

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

using page::replace_n;

// The other language's link, keeping the owner's ?key=.
std::string language_link(const PageInput &in, const Words &w) {
  return "<nav class=\"lang noprint\"><a id=\"lang-switch\" href=\"/plans/" +
         html_escape(in.api_id) + "?" +
         (in.key.empty() ? "" : "key=" + html_escape(in.key) + "&amp;") +
         "lang=" + w.switch_language + "\" hreflang=\"" + w.switch_language + "\">" +
         w.switch_label + "</a></nav>\n";
}

std::string status_note(const PageInput &in, const Words &w) {
  if (!in.latest_status || *in.latest_status == store::RevisionStatus::ok)
    return "";
  std::string note = *in.latest_status == store::RevisionStatus::invalid
                         ? replace_n(w.latest_invalid, in.current_revision)
                         : replace_n(w.latest_draft, in.current_revision) + in.conflict_message;
  if (in.plan)
    note += (in.lang == Lang::zh ? "" : " ") + replace_n(w.shown_revision, in.revision);
  return note;
}

void write_header(std::ostream &out, const PageInput &in, const Words &w) {
  const std::string title = in.plan ? in.plan->title : in.api_id;
  out << "<header>\n"
      << language_link(in, w) << "<h1>" << html_escape(title) << "</h1>\n<p class=\"meta\">";
  if (in.plan)
    out << in.plan->year << " · " << html_escape(in.plan->timezone) << " · ";
  out << w.plan << " <code>" << html_escape(in.api_id) << "</code> · " << w.revision_before
      << in.revision << w.revision_after;
  if (in.schedule)
    out << " · " << in.schedule->occurrences.size() << w.occurrences_after;
  if (in.can_share) // the panel is at the end of the page
    out << " · <a href=\"#sharing\" class=\"noprint\" id=\"sharing-link\">" << w.sharing << "</a>";
  out << "</p>\n";
  if (const std::string note = status_note(in, w); !note.empty())
    out << "<p class=\"note\" id=\"status-note\">" << html_escape(note) << "</p>\n";
  if (!in.problems.empty()) {
    out << "<ul class=\"problems\">\n";
    for (const auto &p : in.problems)
      out << "<li><code>" << html_escape(p) << "</code></li>\n";
    out << "</ul>\n";
  }
  if (!in.feed.https.empty()) {
    out << "<nav class=\"subscribe\" id=\"subscribe\"><strong>" << w.subscribe << "</strong>"
        << "<a id=\"feed-webcal\" href=\"" << html_escape(in.feed.webcal) << "\">" << w.webcal_label
        << "</a>"
        << "<a id=\"feed-https\" href=\"" << html_escape(in.feed.https) << "\">"
        << html_escape(in.feed.https) << "</a>";
    for (const auto &[name, links] : in.people)
      out << "<a class=\"person-feed\" href=\"" << html_escape(links.webcal) << "\">"
          << html_escape(name) << "</a>";
    out << "</nav>\n";
  } else if (in.feed_hidden) {
    out << "<p class=\"subscribe-note noprint\" id=\"subscribe-note\">" << w.feed_hidden
        << "</p>\n";
  }
  out << "</header>\n";
}

void write_warnings(std::ostream &out, const page::Context &c) {
  if (c.schedule.warnings.empty() && c.plan.warnings.empty())
    return;
  // Past occurrences not recorded are one warning each: a long year folds them away.
  const std::size_t n = c.plan.warnings.size() + c.schedule.warnings.size();
  out << "<details class=\"warnings\" id=\"warnings\"" << (n <= 3 ? " open" : "") << "><summary>"
      << c.w.warnings << (c.in.lang == Lang::zh ? "（" : " (") << n
      << (c.in.lang == Lang::zh ? "）" : ")") << "</summary><ul>\n";
  for (const auto *list : {&c.plan.warnings, &c.schedule.warnings})
    for (const auto &warning : *list)
      out << "<li>" << html_escape(warning) << "</li>\n";
  out << "</ul></details>\n";
}

page::Context context_of(const PageInput &in, const Words &w) {
  page::Context c{in, w, *in.plan, *in.schedule, {}, {}, {}};
  if (in.year) {
    for (const auto &r : in.year->records)
      c.records[r.uid] = &r;
    c.now = in.year->now;
    c.today = calendar::local_date(c.now);
  }
  return c;
}

} // namespace

std::string plan_page_html(const PageInput &in) {
  const Words &w = words(in.lang);
  std::ostringstream out;
  out << page::head((in.plan ? in.plan->title : in.api_id) + " · Xun", w);
  write_header(out, in, w);
  if (in.plan && in.schedule) {
    const page::Context c = context_of(in, w);
    write_warnings(out, c);
    page::write_progress(out, c);
    page::write_moves(out, c);
    page::write_record_form(out, c);
    page::write_legend(out, c);
    out << "<p class=\"doc-links noprint\"><a href=\"#document\" id=\"document-link\">"
        << w.document_link << "</a> <button type=\"button\" id=\"print-plan\">" << w.print_plan
        << "</button></p>\n";
    page::write_year(out, c);
    page::write_document(out, c);
  } else {
    out << "<p id=\"empty\">" << w.nothing_scheduled << "</p>\n";
    // Paper shows only the document: say the same there, not a blank page.
    out << "<article class=\"document\" id=\"document\"><h1>" << html_escape(in.api_id)
        << "</h1>\n<p>" << w.nothing_scheduled << "</p></article>\n";
  }
  page::write_sharing(out, in, w);
  // Links that carry the read secret are never printed (class secret).
  const std::string id = html_escape(in.api_id), q = html_escape(in.access_query);
  out << "<footer>Xun 旬 · <a href=\"/\">" << w.all_plans
      << "</a> · <a class=\"secret\" href=\"/api/plans/" << id << "/schedule" << q << "\">"
      << w.schedule_json << "</a> · <a class=\"secret\" id=\"download-xlsx\" href=\"/plans/" << id
      << "/schedule.xlsx" << q
      << "\">下载 Excel</a> · <a class=\"secret\" id=\"download-csv\" href=\"/plans/" << id
      << "/schedule.csv" << q << "\">CSV</a></footer>\n"
      << "<script src=\"/assets/plan-page.js\" defer></script>\n</body>\n</html>\n";
  return out.str();
}

} // namespace xun::http
