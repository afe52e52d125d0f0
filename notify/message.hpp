// What is sent, and how it is composed from an occurrence: short, Chinese
// first (the plan's language), with the date in the Chinese idiom
// (2月24日（周二）上午9:00–11:00), the place and a link to the plan's page.
#pragma once

#include "notify/channel.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace xun::notify {

struct Person {
  std::string name;
  std::string email;  // e-mail reminders go to each attendee with one
  std::string mobile; // robots @-mention by mobile where they can (WeCom, DingTalk)
  friend bool operator==(const Person &, const Person &) = default;
};

struct Message {
  std::string key;     // the dedup key: the e-mail's Message-ID <key@xun.local>, webhook-id
  std::string kind;    // "reminder" | "change" | "deadline" | "digest" | "test"
  std::string subject; // one line: the e-mail's Subject, the first line of a robot's text
  std::string text;    // the body after the subject, plain text, Chinese first
  std::vector<Person> attendees;
  std::string ics;      // the e-mail's attachment (text/calendar; method=PUBLISH); may be empty
  nlohmann::json event; // the webhook body's occurrence (PLAN.md §5 shape); may be null
};

// One occurrence as a message shows it. start_text/end_text are plan-local:
// "2026-02-24 09:00" (or PLAN.md §5's "2026-02-24T09:00:00+08:00", whose
// local part is read) for a timed one, "2026-05-06" for an all-day one, whose
// end_text is exclusive as in PLAN.md §5 ("2026-05-07"; empty = one day).
struct OccurrenceView {
  std::string plan_title;
  std::string title;
  std::string kind;
  std::string start_text;
  std::string end_text;
  bool all_day = false;
  std::string room;
  std::string description;
  std::string link;
  std::vector<Person> attendees;
  std::string uid;
};

// "2月24日（周二）上午9:00–11:00", "5月6日（周三）全天", "5月6日（周三）至8日（周五）全天",
// "2月24日（周二）下午15:00 至 2月25日（周三）上午10:00"; the text itself when it is
// not a date.
std::string when_text(const OccurrenceView &occurrence);

Message reminder_message(const OccurrenceView &occurrence, std::string key);
// 「…」改期：从 2月24日（周二）上午9:00 改到 …, or 已取消 when `cancelled`
// (then `after_or_cancelled` is the occurrence as it was).
Message change_message(const OccurrenceView &before, const OccurrenceView &after_or_cancelled,
                       bool cancelled, std::string key);
// On the day of a deadline or dues occurrence.
Message deadline_message(const OccurrenceView &occurrence, std::string key);
// One message for a day's reminders; day_text is an ISO date ("2026-02-24") or
// any text to show as it is.
Message digest_message(const std::string &plan_title, const std::string &day_text,
                       const std::vector<OccurrenceView> &occurrences, std::string key);
// Names the channel; an e-mail channel's test goes to its own sender (smtp.from),
// the one mailbox its admin surely reads: a test has no attendees.
Message test_message(const ChannelSettings &channel, std::string key);

} // namespace xun::notify
