// The plan printed as its own document (http/page_document.cpp): by quarter
// and month, items numbered within each quarter, dates as plans write them,
// cancelled items marked, and no ids anywhere on paper.
#include "http/page.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <string>

using namespace xun;

namespace {

const char *plan_text = R"(plan: 支部年度计划
id: doc-plan
year: 2026
calendar: {holidays: cn}
rooms: [{id: hall, name: 党员活动室}]
activities:
  - id: congress
    title: 党员大会
    when: 2026-02-24
    at: "09:00"
    duration: 2h
    room: hall
  - id: lecture
    title: 学习讲座
    when: 2026-05-19
    at: "14:30"
    duration: 1h
  - id: dues
    title: 收取党费
    kind: dues
    when: 2026-06-01..2026-06-03
    all_day: true
    duration: 3d
  - id: review
    title: 年终述职
    when: 2026-12-15
    at: "19:00"
    duration: 1h
)";

// The text of the page's <article class="document">, tags dropped.
std::string document_text(const std::string &html) {
  const auto from = html.find("<article class=\"document\"");
  REQUIRE(from != std::string::npos);
  const auto to = html.find("</article>", from);
  REQUIRE(to != std::string::npos);
  return std::regex_replace(html.substr(from, to - from), std::regex("<[^>]*>"), "");
}

std::string page_of(const scheduler::Plan &plan, const scheduler::Schedule &schedule,
                    http::Lang lang) {
  http::PageInput in;
  in.api_id = "doc-plan";
  in.lang = lang;
  in.revision = in.current_revision = 1;
  in.plan = &plan;
  in.schedule = &schedule;
  return http::plan_page_html(in);
}

struct Solved {
  scheduler::Plan plan;
  scheduler::Schedule schedule;
};

Solved solved() {
  const char *dir = std::getenv("XUN_DATA_DIR");
  auto loaded = scheduler::load_plan(plan_text, "doc.yaml", dir ? dir : "data");
  for (const auto &e : loaded.errors)
    MESSAGE(e.to_string());
  REQUIRE(loaded.plan);
  Solved s{*loaded.plan, scheduler::solve(*loaded.plan)};
  REQUIRE(s.schedule.occurrences.size() == 4);
  return s;
}

} // namespace

TEST_CASE("the printed plan reads as the plan's own document, in Chinese") {
  const Solved s = solved();
  const std::string html = page_of(s.plan, s.schedule, http::Lang::zh);
  const std::string text = document_text(html);
  CHECK(text.find("2026年度工作安排") != std::string::npos);
  // Quarters in order, each numbering its items from 1; months as 二月份.
  const auto q1 = text.find("第一季度"), q2 = text.find("第二季度"), q3 = text.find("第三季度"),
             q4 = text.find("第四季度");
  REQUIRE(q1 != std::string::npos);
  CHECK(q1 < q2);
  CHECK(q2 < q3);
  CHECK(q3 < q4);
  CHECK(text.find("二月份") > q1);
  CHECK(text.find("1、2月24日（周二）上午9:00 党员大会，地点：党员活动室") > q1);
  CHECK(text.find("1、5月19日（周二）下午14:30 学习讲座") > q2);
  CHECK(text.find("2、6月1日（周一）至3日（周三） 收取党费") > q2);
  CHECK(text.find("本季度无安排") > q3);
  CHECK(text.find("1、12月15日（周二）晚上19:00 年终述职") > q4);
  // No ids on paper: neither the plan's nor an activity's nor an occurrence's.
  for (const char *id : {"doc-plan", "congress", "lecture", "#0", "@"})
    CHECK_MESSAGE(text.find(id) == std::string::npos, id);
}

TEST_CASE("a cancelled occurrence stays in the document, struck through") {
  Solved s = solved();
  // The dues collection cancelled: the schedule lists it apart.
  auto &occurrences = s.schedule.occurrences;
  const auto it = std::find_if(occurrences.begin(), occurrences.end(),
                               [](const auto &o) { return o.activity == "dues"; });
  REQUIRE(it != occurrences.end());
  s.schedule.cancelled.push_back(*it);
  occurrences.erase(it);
  const std::string html = page_of(s.plan, s.schedule, http::Lang::zh);
  CHECK(html.find("<li class=\"cancelled\">") != std::string::npos);
  CHECK(document_text(html).find("收取党费（已取消）") != std::string::npos);
}

TEST_CASE("in English the document keeps its shape") {
  const Solved s = solved();
  const std::string text = document_text(page_of(s.plan, s.schedule, http::Lang::en));
  CHECK(text.find("Work plan for 2026") != std::string::npos);
  CHECK(text.find("First quarter") != std::string::npos);
  CHECK(text.find("February") != std::string::npos);
  CHECK(text.find("1. Tue 24 Feb 09:00 党员大会") != std::string::npos);
  CHECK(text.find("Mon 1 Jun to Wed 3 Jun") != std::string::npos);
}

TEST_CASE("a plan with nothing scheduled prints why, not a blank page") {
  http::PageInput in;
  in.api_id = "draft-plan";
  in.revision = in.current_revision = 1;
  const std::string text = document_text(http::plan_page_html(in));
  CHECK(text.find("尚无排期") != std::string::npos);
}
