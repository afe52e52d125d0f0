// The web pages: a plan's year month by month (printable) and the list of
// plans. Plain HTML with inline CSS: no front-end build step.
#pragma once

#include "http/links.hpp"
#include "scheduler/plan.hpp"
#include "scheduler/schedule.hpp"

#include <string>
#include <utility>
#include <vector>

namespace xun::http {

struct PageInput {
  std::string api_id;
  int revision = 0;                      // the revision shown (the latest schedulable one)
  int current_revision = 0;              // the latest revision, whatever its status
  std::string status_note;               // a sentence when the latest edit is not what is shown
  std::vector<std::string> problems;     // of the latest revision, located
  const scheduler::Plan *plan = nullptr; // null: nothing could be scheduled yet
  const scheduler::Schedule *schedule = nullptr;
  FeedLinks feed;
  std::vector<std::pair<std::string, FeedLinks>> people; // display name, links
  bool feed_hidden = false; // there are links, but not for this reader: say how to get them
  std::string access_query; // "?read=SECRET" for a read link's holder: kept on the page's links
};

std::string plan_page_html(const PageInput &input);

struct PlanListItem {
  std::string id;
  std::string title;
  std::string status; // of the latest revision
  int revision = 0;
};

std::string html_escape(const std::string &text);

} // namespace xun::http
