// What the e-mail tests send and how they read it back: a reminder with an
// .ics, and the received message read by Python's email package
// (tests/tools/read_mail.py) as a mail client would.
#pragma once

#include "notify/message.hpp"
#include "notify/servers.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace xun::notify::test {

using xun::testing::run_piped;
using xun::testing::shell_quote;

inline const std::string ics =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Xun//notify test//ZH\r\n"
    "METHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:congress-0@plan.xun\r\n"
    "DTSTAMP:20260101T000000Z\r\nDTSTART:20260224T010000Z\r\n"
    "DTEND:20260224T030000Z\r\nSUMMARY:支部大会\r\nLOCATION:三楼会议室\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

inline Message reminder(std::vector<Person> attendees) {
  Message m;
  m.key = "congress-0@plan.xun|2026-02-17T09:00|7|reminder";
  m.kind = "reminder";
  m.subject = "提醒：「支部大会」2月24日（周二）上午9:00–11:00，请准时参加本次会议";
  m.text = "时间：2月24日（周二）上午9:00–11:00\n地点：三楼会议室\n";
  m.attendees = std::move(attendees);
  m.ics = ics;
  return m;
}

inline json read_mail(const std::filesystem::path &eml, const std::filesystem::path &attachments) {
  std::filesystem::create_directories(attachments);
  const auto run = run_piped(python + " " + shell_quote(tools_dir() + "/read_mail.py") + " " +
                             shell_quote(eml.string()) + " --save-attachments " +
                             shell_quote(attachments.string()));
  REQUIRE(run.status == 0);
  return json::parse(run.out);
}

} // namespace xun::notify::test
