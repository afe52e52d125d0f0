// Messages composed from occurrences: the Chinese date idiom, the place, the
// link, and one line of subject.
#include "notify/message.hpp"

#include <doctest/doctest.h>

using namespace xun::notify;

namespace {

OccurrenceView congress() {
  OccurrenceView o;
  o.plan_title = "某支部 2026 年工作计划";
  o.title = "支部大会";
  o.kind = "meeting";
  o.start_text = "2026-02-24 09:00";
  o.end_text = "2026-02-24 11:00";
  o.room = "三楼会议室";
  o.link = "https://xun.example/plans/branch";
  o.attendees = {{"张三", "zhang@example.org", "13800000001"}, {"李四", "", ""}};
  o.uid = "congress-0@branch.xun";
  return o;
}

OccurrenceView dues() {
  OccurrenceView o;
  o.title = "缴纳党费";
  o.kind = "dues";
  o.start_text = "2026-05-06";
  o.end_text = "2026-05-07";
  o.all_day = true;
  return o;
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("dates are written in the Chinese idiom") {
  CHECK(when_text(congress()) == "2月24日（周二）上午9:00–11:00");
  CHECK(when_text(dues()) == "5月6日（周三）全天");
  auto o = dues();
  o.end_text = "2026-05-09";
  CHECK(when_text(o) == "5月6日（周三）至8日（周五）全天");
  o.start_text = "2026-04-30";
  CHECK(when_text(o) == "4月30日（周四）至5月8日（周五）全天");
  o = congress();
  o.start_text = "2026-02-24T14:30:00+08:00"; // PLAN.md §5's form
  o.end_text = "2026-02-24T16:00:00+08:00";
  CHECK(when_text(o) == "2月24日（周二）下午14:30–16:00");
  o.end_text = "2026-02-25 10:00";
  CHECK(when_text(o) == "2月24日（周二）下午14:30 至 2月25日（周三）上午10:00");
  o.start_text = "2026-02-28 19:00";
  o.end_text = "";
  CHECK(when_text(o) == "2月28日（周六）晚上19:00");
  o.start_text = "2026-02-29 19:00"; // no such day: shown as written, never a crash
  CHECK(when_text(o) == "2026-02-29 19:00");
  o.start_text = "明天";
  CHECK(when_text(o) == "明天");
}

TEST_CASE("a reminder says what, when, where, for whom and links the plan") {
  const auto m = reminder_message(congress(), "k1");
  CHECK(m.key == "k1");
  CHECK(m.kind == "reminder");
  CHECK(m.subject == "提醒：「支部大会」2月24日（周二）上午9:00–11:00");
  CHECK(!contains(m.subject, "\n"));
  CHECK(contains(m.text, "地点：三楼会议室"));
  CHECK(contains(m.text, "参加：张三、李四"));
  CHECK(contains(m.text, "详情：https://xun.example/plans/branch"));
  CHECK(contains(m.text, "计划：某支部 2026 年工作计划"));
  CHECK(m.attendees == congress().attendees);
}

TEST_CASE("a moved occurrence says from and to; a cancelled one says so") {
  auto after = congress();
  after.start_text = "2026-02-26 14:00";
  after.end_text = "2026-02-26 16:00";
  after.room = "二楼党员活动室";
  const auto moved = change_message(congress(), after, false, "k2");
  CHECK(moved.kind == "change");
  CHECK(moved.subject ==
        "「支部大会」改期：从 2月24日（周二）上午9:00 改到 2月26日（周四）下午14:00");
  CHECK(contains(moved.text, "原定：2月24日（周二）上午9:00–11:00"));
  CHECK(contains(moved.text, "改为：2月26日（周四）下午14:00–16:00"));
  CHECK(contains(moved.text, "地点：三楼会议室 → 二楼党员活动室"));
  const auto cancelled = change_message(congress(), congress(), true, "k3");
  CHECK(cancelled.subject == "「支部大会」已取消（原定 2月24日（周二）上午9:00）");
  CHECK(contains(cancelled.text, "已取消"));
}

TEST_CASE("a deadline or dues day says it is today") {
  const auto m = deadline_message(dues(), "k4");
  CHECK(m.kind == "deadline");
  CHECK(m.subject == "今天是「缴纳党费」的缴纳日：5月6日（周三）全天");
  auto deadline = dues();
  deadline.kind = "deadline";
  CHECK(contains(deadline_message(deadline, "k5").subject, "截止日"));
}

TEST_CASE("a digest lists the day's reminders, one line each, and mentions everyone once") {
  auto second = congress();
  second.title = "主题党日";
  second.start_text = "2026-03-02 14:30";
  second.end_text = "2026-03-02 16:30";
  const auto m = digest_message("某支部", "2026-02-24", {congress(), second, dues()}, "k6");
  CHECK(m.kind == "digest");
  CHECK(m.subject == "某支部：2月24日（周二）的提醒（3 项）");
  CHECK(contains(m.text, "· 2月24日（周二）上午9:00–11:00「支部大会」 地点：三楼会议室"));
  CHECK(contains(m.text, "· 3月2日（周一）下午14:30–16:30「主题党日」"));
  CHECK(contains(m.text, "· 5月6日（周三）全天「缴纳党费」"));
  CHECK(m.attendees.size() == 2);
}

TEST_CASE("a test message names the channel; an e-mail channel's goes to its own sender") {
  const auto m =
      test_message({ChannelType::wecom, "班子群", "https://qyapi.example/send", "", {}}, "test-1");
  CHECK(m.kind == "test");
  CHECK(contains(m.subject, "「班子群」"));
  CHECK(contains(m.text, "测试"));
  CHECK(m.attendees.empty());
  const auto mail =
      test_message({ChannelType::email, "支部邮件", "", "",
                    SmtpSettings{"smtps://smtp.example:465", "u", "p", "寻 <noreply@example.org>"}},
                   "test-2");
  REQUIRE(mail.attendees.size() == 1);
  CHECK(mail.attendees[0].email == "寻 <noreply@example.org>");
}

TEST_CASE("a long description is cut on a character boundary") {
  auto o = congress();
  o.description = "";
  for (int i = 0; i < 200; ++i)
    o.description += "学";
  const auto m = reminder_message(o, "k7");
  const auto at = m.text.find("说明：");
  const auto line = m.text.substr(at, m.text.find('\n', at) - at);
  CHECK(line.size() <= std::string("说明：").size() + 300);
  CHECK(line.substr(line.size() - 3) == "…");
}
