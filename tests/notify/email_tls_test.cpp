// ctest-labels: checkers
// E-mail as real submission servers take it (smtp.exmail.qq.com:587 with
// STARTTLS, smtp.qq.com:465 with implicit TLS, a password always): libcurl
// against tests/tools/smtp_tls_server.py (Debian's aiosmtpd with a throwaway CA
// made by the openssl CLI), which requires TLS and AUTH and logs each login.
#include "notify/send.hpp"

#include "notify/mail.hpp"
#include "notify/servers.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace xun::notify;
using namespace xun::notify::test;
using xun::testing::read_file;

namespace {

const std::string mailer = "mailer@xun.example";
const std::string password = "Tls-Auth-s3cret-9f2c";
const SendOptions options{1771894800, std::chrono::milliseconds(5000)}; // 2026-02-24T01:00:00Z

// XUN_CA_FILE for the length of a test (the tests run one at a time).
class CaFile {
public:
  explicit CaFile(const std::filesystem::path &file) { ::setenv("XUN_CA_FILE", file.c_str(), 1); }
  ~CaFile() { ::unsetenv("XUN_CA_FILE"); }
  CaFile(const CaFile &) = delete;
  CaFile &operator=(const CaFile &) = delete;
};

ChannelSettings channel(const std::string &url, const std::string &secret) {
  return {ChannelType::email, "支部邮件", "", "",
          SmtpSettings{url, mailer, secret, "寻 提醒 <noreply@xun.example>"}};
}

SmtpTlsOptions accepting(const std::string &secret) {
  SmtpTlsOptions o;
  o.user = mailer;
  o.password = secret;
  return o;
}

const std::vector<Person> attendees = {{"张三", "zhang@example.org", ""},
                                       {"Wang Wu", "wang@example.org", ""}};

// Nothing the sender shows or keeps holds the password, as it is or as AUTH sends it.
void check_no_password(const SendResult &r) {
  CAPTURE(r.error);
  CAPTURE(r.answer);
  for (const auto &field : {r.error, r.answer}) {
    CHECK(field.find(password) == std::string::npos);
    CHECK(field.find("VGxzLUF1dGgtczNjcmV0LTlmMmM") == std::string::npos); // its Base64
  }
}

// The message that came over TLS: the right login, both recipients, the text
// and the .ics as sent.
void check_delivered(const SmtpTlsServer &server, const TempDir &dir) {
  REQUIRE(server.messages().size() == 1);
  const auto envelope = SmtpTlsServer::envelope(server.messages()[0]);
  CHECK(envelope["tls"].is_string());
  CHECK(envelope["tls"].get<std::string>().rfind("TLSv1.", 0) == 0);
  CHECK(envelope["login"] == mailer);
  CHECK(envelope["mail_from"] == "noreply@xun.example");
  CHECK(envelope["rcpt_tos"] == json({"zhang@example.org", "wang@example.org"}));
  const auto message = reminder(attendees);
  const auto mail = read_mail(server.messages()[0], dir.path() / "attachments");
  CHECK(mail["subject"] == message.subject);
  CHECK(mail["text"].get<std::string>().find("地点：三楼会议室") != std::string::npos);
  REQUIRE(mail["attachments"].size() == 1);
  CHECK(mail["attachments"][0]["content_type"] == "text/calendar");
  CHECK(read_file(dir.path() / "attachments" /
                  mail["attachments"][0]["filename"].get<std::string>()) == ics);
}

} // namespace

TEST_CASE("over STARTTLS with AUTH (PLAIN, then LOGIN alone) a reminder arrives intact, its .ics "
          "attached, and the password went only over TLS") {
  for (const std::string mechanism : {"PLAIN", "LOGIN"}) {
    CAPTURE(mechanism);
    TempDir dir("notify-starttls");
    auto only = accepting(password);
    only.mechanism = mechanism;
    SmtpTlsServer server(dir, only);
    CaFile trust(server.ca_file());
    const auto r = send(channel(server.starttls_url(), password), reminder(attendees), options);
    CAPTURE(r.error);
    CHECK(r.outcome == Outcome::sent);
    CHECK(r.http_status == 250);
    check_no_password(r);
    check_delivered(server, dir);
    const auto logins = server.logins();
    REQUIRE(logins.size() == 1);
    CHECK(logins[0]["listener"] == "starttls");
    CHECK(logins[0]["mechanism"] == mechanism);
    CHECK(logins[0]["ok"] == true);
    CHECK(logins[0]["tls"].is_string()); // the password went after STARTTLS, never before
  }
}

TEST_CASE("over smtps (implicit TLS) with AUTH a reminder arrives intact, its .ics attached") {
  TempDir dir("notify-smtps");
  SmtpTlsServer server(dir, accepting(password));
  CaFile trust(server.ca_file());
  const auto r = send(channel(server.smtps_url(), password), reminder(attendees), options);
  CAPTURE(r.error);
  CHECK(r.outcome == Outcome::sent);
  check_no_password(r);
  check_delivered(server, dir);
  const auto logins = server.logins();
  REQUIRE(logins.size() == 1);
  CHECK(logins[0]["listener"] == "smtps");
  CHECK(logins[0]["ok"] == true);
}

TEST_CASE("a wrong password is permanent (535), names the server's answer, delivers nothing and "
          "never shows the password") {
  TempDir dir("notify-smtp-535");
  SmtpTlsServer server(dir, accepting("the-right-one"));
  CaFile trust(server.ca_file());
  for (const auto &url : {server.starttls_url(), server.smtps_url()}) {
    CAPTURE(url);
    const auto r = send(channel(url, password), reminder(attendees), options);
    CHECK(r.outcome == Outcome::permanent);
    CHECK(r.http_status == 535);
    CHECK(r.error.find("535 5.7.8 Authentication credentials invalid") != std::string::npos);
    CHECK(r.error.find("smtp.password") != std::string::npos); // what to fix
    check_no_password(r);
  }
  CHECK(server.messages().empty());
  REQUIRE(server.logins().size() == 2);
  CHECK(server.logins()[0]["ok"] == false);
}

TEST_CASE("a certificate not trusted (no XUN_CA_FILE) is permanent, says it could not be verified "
          "and how to fix it, and sends no password") {
  TempDir dir("notify-smtp-untrusted");
  SmtpTlsServer server(dir, accepting(password));
  REQUIRE(std::getenv("XUN_CA_FILE") == nullptr);
  for (const auto &url : {server.starttls_url(), server.smtps_url()}) {
    CAPTURE(url);
    const auto r = send(channel(url, password), reminder(attendees), options);
    CAPTURE(r.error);
    CHECK(r.outcome == Outcome::permanent);
    CHECK(r.error.find("证书无法验证") != std::string::npos);
    CHECK(r.error.find("certificate could not be verified") != std::string::npos);
    CHECK(r.error.find("XUN_CA_FILE") != std::string::npos);
    check_no_password(r);
  }
  CHECK(server.logins().empty());
  CHECK(server.messages().empty());
}

TEST_CASE("a trusted CA but a certificate for another host name is not accepted either") {
  TempDir dir("notify-smtp-wrong-name");
  auto elsewhere = accepting(password);
  elsewhere.san = "DNS:mail.other.example";
  SmtpTlsServer server(dir, elsewhere);
  CaFile trust(server.ca_file());
  const auto r = send(channel(server.smtps_url(), password), reminder(attendees), options);
  CAPTURE(r.error);
  CHECK(r.outcome == Outcome::permanent);
  CHECK(r.error.find("certificate could not be verified") != std::string::npos);
  CHECK(r.error.find("127.0.0.1") != std::string::npos); // the name that did not match
  CHECK(server.logins().empty());
  CHECK(server.messages().empty());
}

TEST_CASE("an XUN_CA_FILE that cannot be read is permanent and says so") {
  TempDir dir("notify-smtp-ca-missing");
  SmtpTlsServer server(dir, accepting(password));
  CaFile trust(dir.path() / "no-such-ca.pem");
  const auto r = send(channel(server.smtps_url(), password), reminder(attendees), options);
  CAPTURE(r.error);
  CHECK(r.outcome == Outcome::permanent);
  CHECK(r.error.find("XUN_CA_FILE 读不出") != std::string::npos);
  CHECK(server.messages().empty());
}

TEST_CASE("with a password and a server that offers no STARTTLS, nothing is sent: the password "
          "never goes in the clear") {
  TempDir dir("notify-smtp-no-starttls");
  // This server would take AUTH in the clear, so a client that sent it would show in its log.
  auto clear = accepting(password);
  clear.starttls = false;
  SmtpTlsServer server(dir, clear);
  const auto r = send(channel(server.plain_url(), password), reminder(attendees), options);
  CAPTURE(r.error);
  CHECK(r.outcome == Outcome::permanent);
  CHECK(r.error.find("STARTTLS") != std::string::npos);
  CHECK(r.error.find("smtps://") != std::string::npos); // what to use instead
  check_no_password(r);
  CHECK(server.logins().empty());
  CHECK(server.messages().empty());
}

TEST_CASE("smtps:// to a port that speaks plain SMTP is permanent and says which URL to write") {
  TempDir dir("notify-smtps-plain-port");
  SmtpSink sink(dir);
  std::string url = sink.url();
  url.replace(0, 4, "smtps"); // smtp://127.0.0.1:PORT → smtps://127.0.0.1:PORT
  const auto r = send(channel(url, password), reminder(attendees), options);
  CAPTURE(r.error);
  CHECK(r.outcome == Outcome::permanent);
  CHECK(r.error.find("TLS") != std::string::npos);
  CHECK(r.error.find("smtp://") != std::string::npos); // what to write instead
  check_no_password(r);
  CHECK(sink.messages().empty());
}
