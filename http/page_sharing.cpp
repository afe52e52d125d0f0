// The admin's panel of who may read the plan: public or private, and the
// read link (PATCH /api/plans/{id}, POST/DELETE …/read-link, sent by
// /assets/plan-page.js with the session's CSRF token). The state itself is
// fetched by the script: it changes without a new revision, and the page is
// rendered once per revision.
#include "http/page_parts.hpp"

namespace xun::http {

std::string with_csrf_token(const std::string &page, const std::string &token) {
  const std::string marker = page_csrf_marker;
  const auto at = page.find(marker);
  if (at == std::string::npos)
    return page;
  std::string out = page;
  out.replace(at, marker.size(), "data-csrf=\"" + html_escape(token) + "\"");
  return out;
}

namespace page {

void write_sharing(std::ostream &out, const PageInput &in, const Words &w) {
  if (!in.can_share)
    return;
  out << "<section class=\"panel sharing noprint\" id=\"sharing\" data-plan=\""
      << html_escape(in.api_id) << "\" " << page_csrf_marker << "><h2>" << w.sharing
      << "</h2>\n<p class=\"meta\">" << w.sharing_help << "</p>\n"
      << "<p id=\"sharing-state\" role=\"status\"></p>\n<p class=\"actions\">"
      << "<button type=\"button\" id=\"make-public\">" << w.make_public << "</button> "
      << "<button type=\"button\" id=\"make-private\">" << w.make_private << "</button> "
      << "<button type=\"button\" id=\"new-read-link\">" << w.new_read_link << "</button> "
      << "<button type=\"button\" id=\"revoke-read-link\">" << w.revoke_read_link
      << "</button></p>\n<p id=\"read-link-box\" hidden><input type=\"text\" readonly "
         "id=\"read-link\" aria-label=\"read link\"> <button type=\"button\" id=\"copy-read-link\">"
      << w.copy << "</button></p>\n"
      << "<div id=\"sharing-answer\" class=\"answer\" role=\"status\" aria-live=\"polite\"></div>\n"
      << "</section>\n";
}

} // namespace page

} // namespace xun::http
