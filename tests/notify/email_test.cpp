// ctest-labels: checkers
// E-mail through libcurl's SMTP to Debian's aiosmtpd (tests/tools/smtp_sink.py
// keeps what it receives); the message is read back by Python's email package
// and its .ics by python3-icalendar, as a mail client would.
#include "notify/mime.hpp"
#include "notify/send.hpp"

#include "notify/mail.hpp"
#include "notify/servers.hpp"

#include <doctest/doctest.h>

using namespace xun::notify;
using namespace xun::notify::test;
using xun::testing::read_file;
using xun::testing::shell;
using xun::testing::shell_quote;

namespace {

const std::string smtp_password = "s3cret-smtp-password";

ChannelSettings email_channel(const SmtpSink &sink) {
  return {ChannelType::email, "支部邮件", "", "",
          SmtpSettings{sink.url(), "", "", "寻 提醒 <noreply@xun.example>"}};
}

const SendOptions options{1771894800, std::chrono::milliseconds(5000)}; // 2026-02-24T01:00:00Z

} // namespace

TEST_CASE("a reminder e-mail reaches each attendee with an address, with a readable subject, a "
          "stable Message-ID and the .ics attached") {
  TempDir dir("notify-email");
  SmtpSink sink(dir);
  const auto m = reminder({{"张三", "zhang@example.org", "13800000001"},
                           {"李四", "", "13800000002"},
                           {"Wang Wu", "wang@example.org", ""}});
  const auto r = send(email_channel(sink), m, options);
  CHECK(r.outcome == Outcome::sent);
  CHECK(r.http_status == 250);
  REQUIRE(sink.messages().size() == 1);
  const auto envelope =
      json::parse(read_file(std::filesystem::path(sink.messages()[0]).replace_extension(".json")));
  CHECK(envelope["mail_from"] == "noreply@xun.example");
  CHECK(envelope["rcpt_tos"] == json({"zhang@example.org", "wang@example.org"}));

  const auto mail = read_mail(sink.messages()[0], dir.path() / "attachments");
  CHECK(mail["subject"] == m.subject);
  CHECK(mail["message_id"] == message_id(m.key));
  CHECK(mail["from"] == "寻 提醒 <noreply@xun.example>");
  CHECK(mail["to"] == json({"zhang@example.org", "wang@example.org"}));
  CHECK(mail["to_names"] == json({"张三", "Wang Wu"}));
  CHECK(mail["date"] == "Tue, 24 Feb 2026 01:00:00 +0000");
  CHECK(mail["content_type"] == "multipart/mixed");
  CHECK(mail["text"].get<std::string>().find("三楼会议室") != std::string::npos);
  REQUIRE(mail["attachments"].size() == 1);
  const auto &attachment = mail["attachments"][0];
  CHECK(attachment["content_type"] == "text/calendar");
  CHECK(attachment["params"]["method"] == "PUBLISH");
  CHECK(attachment["params"]["charset"] == "UTF-8");
  const auto saved = dir.path() / "attachments" / attachment["filename"].get<std::string>();
  CHECK(read_file(saved) == ics);
  CHECK(shell(python + " " + shell_quote(tools_dir() + "/check_ics_icalendar.py") + " " +
              shell_quote(saved.string()) + " --events 1 >/dev/null") == 0);

  // The raw subject is RFC 2047 B-encoded UTF-8, in words of at most 75 characters.
  const auto raw = read_file(sink.messages()[0]);
  const auto subject_at = raw.find("Subject: =?UTF-8?B?");
  REQUIRE(subject_at != std::string::npos);
  const auto subject_end = raw.find("\r\nMessage-ID:", subject_at);
  std::istringstream words(raw.substr(subject_at + 9, subject_end - subject_at - 9));
  for (std::string word; words >> word;)
    CHECK(word.size() <= 75);
}

TEST_CASE("the same message twice has the same Message-ID, so receivers can drop the repeat") {
  TempDir dir("notify-email-twice");
  SmtpSink sink(dir);
  const auto m = reminder({{"张三", "zhang@example.org", ""}});
  REQUIRE(send(email_channel(sink), m, options).outcome == Outcome::sent);
  REQUIRE(send(email_channel(sink), m, options).outcome == Outcome::sent);
  REQUIRE(sink.messages().size() == 2);
  CHECK(read_file(sink.messages()[0]) == read_file(sink.messages()[1]));
  CHECK(message_id("a b<c>@d") == "<a=20b=3Cc=3E=40d@xun.local>");
  CHECK(message_id("a_b") != message_id("a=5Fb"));
  CHECK(message_id(std::string(300, 'k')).size() == std::string("<sha256-@xun.local>").size() + 64);
}

TEST_CASE("SMTP 4xx is retried, 5xx is permanent, no address at all is permanent") {
  TempDir dir("notify-email-refused");
  SmtpSink sink(dir);
  const auto busy =
      send(email_channel(sink), reminder({{"忙", "tempfail@example.org", ""}}), options);
  CHECK(busy.outcome == Outcome::retry);
  CHECK(busy.http_status == 451);
  const auto unknown =
      send(email_channel(sink), reminder({{"无", "reject@example.org", ""}}), options);
  CHECK(unknown.outcome == Outcome::permanent);
  CHECK(unknown.http_status == 550);
  // One refused recipient does not stop the others.
  const auto some = send(
      email_channel(sink),
      reminder({{"无", "reject@example.org", ""}, {"张三", "zhang@example.org", ""}}), options);
  CHECK(some.outcome == Outcome::sent);
  const auto nobody = send(email_channel(sink), reminder({{"李四", "", "13800000002"}}), options);
  CHECK(nobody.outcome == Outcome::permanent);
  CHECK(nobody.error.find("email") != std::string::npos);
  CHECK(sink.messages().size() == 1);
}

TEST_CASE("an SMTP server that is not there is a network error, retried, without the password") {
  TempDir dir("notify-email-closed");
  auto channel = ChannelSettings{ChannelType::email, "邮件", "", "",
                                 SmtpSettings{"smtp://127.0.0.1:" + std::to_string(free_port()),
                                              "xun", smtp_password, "noreply@xun.example"}};
  const auto r = send(channel, reminder({{"张三", "zhang@example.org", ""}}), options);
  CHECK(r.outcome == Outcome::retry);
  CHECK(r.error.find(smtp_password) == std::string::npos);
  CHECK(r.answer.find(smtp_password) == std::string::npos);
}
