// The web pages: a plan's year month by month (a grid on a wide screen, a
// list on a phone, printable), what happened so far and the progress against
// quotas, a form for the owner to record what happened; and the list of
// plans. Server-rendered HTML with inline CSS and one small same-origin
// script (plan_page_script): no front-end build step.
#pragma once

#include "http/links.hpp"
#include "http/page_text.hpp"
#include "scheduler/plan.hpp"
#include "scheduler/schedule.hpp"
#include "service/service.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace xun::http {

struct PageInput {
  std::string api_id;
  Lang lang = Lang::zh;
  int revision = 0;         // the revision shown (the latest schedulable one)
  int current_revision = 0; // the latest revision, whatever its status
  // The latest revision's status when it is not what is shown (invalid or
  // draft), with the conflict's sentence for a draft.
  std::optional<store::RevisionStatus> latest_status;
  std::string conflict_message;
  std::vector<std::string> problems;     // of the latest revision, located
  const scheduler::Plan *plan = nullptr; // null: nothing could be scheduled yet
  const scheduler::Schedule *schedule = nullptr;
  const service::YearSoFar *year = nullptr; // records, progress and the clock
  FeedLinks feed;
  std::vector<std::pair<std::string, FeedLinks>> people; // display name, links
  bool feed_hidden = false; // there are links, but not for this reader: say how to get them
  bool can_record = false;  // the owner's view: the record form
  // The admin's view: who may read the plan (public, read link), changed from
  // the page. Its CSRF token is filled in per request (page_csrf_marker).
  bool can_share = false;
  std::string key;          // the owner's ?key=, kept on the language link
  std::string access_query; // "?read=SECRET" for a read link's holder: kept on the page's links
};

std::string plan_page_html(const PageInput &input);

// What the admin's page carries in place of the session's CSRF token: the
// page is rendered once for every admin, the token put in per request.
inline constexpr const char *page_csrf_marker = "data-csrf=\"-\"";
std::string with_csrf_token(const std::string &page, const std::string &token);

struct PlanListItem {
  std::string id;
  std::string title;
  std::string status; // of the latest revision: "ok", "draft", "invalid"
  int revision = 0;
};

// The plan page's script, served at /assets/plan-page.js (CSP script-src 'self').
const std::string &plan_page_script();

std::string html_escape(const std::string &text);

} // namespace xun::http
