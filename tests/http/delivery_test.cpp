// ctest-labels: checkers
// Reminders and change notices delivered by `xun serve` (a child process with
// a running clock, XUN_NOW=T+) to real servers on 127.0.0.1: the robot stub
// (WeCom, DingTalk, Feishu, a Standard Webhooks receiver; each signature
// recomputed) and aiosmtpd. Exactly once per channel, across kill -9.
#include "http/support.hpp"
#include "notify/servers.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace xun::http::test {
namespace {

using nlohmann::json;
using Stub = xun::notify::test::RobotStub;
using Sink = xun::notify::test::SmtpSink;
using TlsServer = xun::notify::test::SmtpTlsServer;
using NotifyDir = xun::testing::TempDir;

// 2026-01-06 (Tuesday) 08:25 in Shanghai.
constexpr std::int64_t tuesday_0825 = 1767225600 + 5 * 86400 + 25 * 60;
// 2026-01-07 08:55 in Shanghai.
constexpr std::int64_t wednesday_0855 = 1767225600 + 6 * 86400 + 55 * 60;

const std::string plan_text = R"(id: notify-2026
plan: 通知测试支部
year: 2026
people:
  - {id: zhang, name: 张青, email: zhang@example.org, mobile: "13800000001"}
  - {id: li, name: 李红, email: li@example.org, mobile: "13800000002"}
rooms:
  - {id: hall, name: 党员活动室}
activities:
  - id: congress
    title: 党员大会
    when: 2026-01-06
    at: "09:00"
    duration: 2h
    attendees: [zhang, li]
    room: hall
    reminders: [30m]
  - id: dues
    title: 收缴党费
    kind: dues
    when: 2026-01-07
    all_day: true
    attendees: [zhang, li]
  - id: review
    title: 组织生活会
    when: 2026-01-20
    at: "14:30"
    attendees: [zhang, li]
    room: hall
    reminders: [1d]
)";

HttpResponse send_json(int port, const std::string &method, const std::string &path,
                       const json &body) {
  return http_request("127.0.0.1", port, method, path, auth(), body.dump(), "application/json");
}

std::string created_id(const HttpResponse &r) {
  INFO(r.body);
  REQUIRE(r.status == 201);
  return json::parse(r.body).at("id").get<std::string>();
}

json outbox(int port, const std::string &plan) {
  const auto r = http_request("127.0.0.1", port, "GET", "/api/plans/" + plan + "/outbox", auth());
  INFO(r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body).at("outbox");
}

// Waits (real time) until `done` holds; fails the test with `what` if it never does.
template <class Done> void wait_for(const char *what, Done done, int seconds = 60) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (done())
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL(what);
}

// How many times each message reached the stub, by path kind and webhook-id
// or content (robots carry no id: their text names the occurrence).
std::map<std::string, int> robot_counts(const Stub &stub) {
  std::map<std::string, int> counts;
  for (const auto &m : stub.accepted())
    counts[m.at("kind").get<std::string>() + " " + m.at("body").dump()]++;
  return counts;
}

int count_of(const Stub &stub, const std::string &kind, const std::string &text) {
  int n = 0;
  for (const auto &m : stub.accepted())
    if (m.at("kind") == kind && m.at("body").dump().find(text) != std::string::npos)
      ++n;
  return n;
}

int mails_with(const Sink &sink, const std::string &text) {
  int n = 0;
  for (const auto &file : sink.messages())
    if (read_file(file).find(text) != std::string::npos)
      ++n;
  return n;
}

struct Channels {
  std::vector<std::string> ids;
};

Channels make_channels(int port, const Stub &stub, const Sink &sink) {
  Channels c;
  c.ids.push_back(created_id(send_json(
      port, "POST", "/api/channels",
      {{"type", "wecom"}, {"name", "支部微信群"}, {"url", stub.url("/wecom/send?key=k-0001")}})));
  c.ids.push_back(created_id(send_json(port, "POST", "/api/channels",
                                       {{"type", "dingtalk"},
                                        {"name", "支部钉钉群"},
                                        {"url", stub.url("/dingtalk/send?access_token=t1")},
                                        {"secret", "SECdingtalk0secret"}})));
  c.ids.push_back(created_id(send_json(port, "POST", "/api/channels",
                                       {{"type", "feishu"},
                                        {"name", "支部飞书群"},
                                        {"url", stub.url("/feishu/hook/feishu-token")},
                                        {"secret", "feishuSecret01"}})));
  c.ids.push_back(created_id(send_json(port, "POST", "/api/channels",
                                       {{"type", "webhook"},
                                        {"name", "办公系统"},
                                        {"url", stub.url("/webhook/xun")},
                                        {"secret", "whsec_c2VjcmV0LWtleS1mb3Itd2ViaG9va3M="}})));
  c.ids.push_back(created_id(send_json(port, "POST", "/api/channels",
                                       {{"type", "email"},
                                        {"name", "支部邮件"},
                                        {"url", sink.url()},
                                        {"smtp",
                                         {{"url", sink.url()},
                                          {"username", ""},
                                          {"password", ""},
                                          {"from", "branch@example.org"}}}})));
  return c;
}

std::vector<std::string> stub_secrets() {
  return {"/dingtalk=SECdingtalk0secret", "/feishu=feishuSecret01",
          "/webhook=whsec_c2VjcmV0LWtleS1mb3Itd2ViaG9va3M="};
}

struct Clock {
  Clock(std::int64_t start, int speed) {
    setenv("XUN_NOW", (std::to_string(start) + "+").c_str(), 1);
    setenv("XUN_CLOCK_SPEED", std::to_string(speed).c_str(), 1);
  }
  ~Clock() {
    unsetenv("XUN_NOW");
    unsetenv("XUN_CLOCK_SPEED");
  }
};

} // namespace

TEST_CASE("each reminder reaches WeCom, DingTalk, Feishu, a webhook and e-mail exactly once, "
          "across kill -9; a move sends one change notice per channel") {
  TempDir dir;
  NotifyDir tools("delivery-tools");
  Stub stub(tools, stub_secrets());
  Sink sink(tools);
  const auto db = dir.path / "xun.db";
  const int port = free_port();
  std::string plan;
  Channels channels;
  {
    Clock clock(tuesday_0825, 20); // a real second is 20 s
    ChildServer server(db, port, dir.path / "serve.log");
    plan = created_id(http_request("127.0.0.1", port, "POST", "/api/plans", auth(), plan_text,
                                   "application/yaml"));
    channels = make_channels(port, stub, sink);
    const auto listed = http_request("127.0.0.1", port, "GET", "/api/channels", auth()).body;
    // Secrets and URL credentials never come back.
    for (const char *secret : {"SECdingtalk0secret", "feishuSecret01", "k-0001", "feishu-token",
                               "c2VjcmV0LWtleS1mb3Itd2ViaG9va3M"})
      CHECK(listed.find(secret) == std::string::npos);
    const auto set = send_json(port, "PUT", "/api/plans/" + plan + "/notify",
                               {{"channels", channels.ids}, {"changes", true}});
    INFO(set.body);
    REQUIRE(set.status == 200);
    // The 08:30 reminder of the 09:00 congress: five minutes away, five real seconds.
    wait_for("the congress reminder reached every channel", [&] {
      return count_of(stub, "wecom", "党员大会") >= 1 &&
             count_of(stub, "dingtalk", "党员大会") >= 1 &&
             count_of(stub, "feishu", "党员大会") >= 1 &&
             count_of(stub, "webhook", "党员大会") >= 1 && mails_with(sink, "Message-ID") >= 1;
    });
    server.kill_now(SIGKILL);
  }
  {
    // The next morning, after a kill -9: the dues day's notice, nothing repeated.
    Clock clock(wednesday_0855, 20);
    ChildServer server(db, port, dir.path / "serve.log");
    wait_for("the dues notice reached every robot", [&] {
      return count_of(stub, "wecom", "收缴党费") >= 1 &&
             count_of(stub, "dingtalk", "收缴党费") >= 1 &&
             count_of(stub, "feishu", "收缴党费") >= 1 &&
             count_of(stub, "webhook", "收缴党费") >= 1;
    });
    // The review moves from Jan 20 to Jan 21: one change notice per channel.
    std::string moved = plan_text;
    moved.replace(moved.find("when: 2026-01-20"), 16, "when: 2026-01-21");
    const auto put = http_request("127.0.0.1", port, "PUT", "/api/plans/" + plan, auth(), moved,
                                  "application/yaml");
    INFO(put.body);
    REQUIRE(put.status == 200);
    wait_for("the change notice reached every channel", [&] {
      return count_of(stub, "wecom", "组织生活会") >= 1 &&
             count_of(stub, "dingtalk", "组织生活会") >= 1 &&
             count_of(stub, "feishu", "组织生活会") >= 1 &&
             count_of(stub, "webhook", "组织生活会") >= 1;
    });
    std::this_thread::sleep_for(std::chrono::seconds(3)); // anything repeated would come now
    for (const char *kind : {"wecom", "dingtalk", "feishu", "webhook"}) {
      CAPTURE(kind);
      CHECK(count_of(stub, kind, "党员大会") == 1);
      CHECK(count_of(stub, kind, "收缴党费") == 1);
      CHECK(count_of(stub, kind, "组织生活会") == 1);
    }
    for (const auto &[message, n] : robot_counts(stub)) {
      CAPTURE(message);
      CHECK(n == 1);
    }
    // E-mail: one per message to both attendees (one SMTP transaction each).
    CHECK(sink.messages().size() == 3); // the reminder, the dues notice, the change notice
    std::set<std::string> ids;
    for (const auto &file : sink.messages()) {
      const auto text = read_file(file);
      const auto at = text.find("Message-ID:");
      REQUIRE(at != std::string::npos);
      CHECK(ids.insert(text.substr(at, text.find('\n', at) - at)).second);
      CHECK(text.find("text/calendar") != std::string::npos); // the .ics, one tap adds it
    }
    const auto rows = outbox(port, plan);
    int sent = 0;
    for (const auto &row : rows) {
      CAPTURE(row.dump());
      CHECK(row.at("status") != "unknown");
      CHECK(row.at("status") != "failed");
      sent += row.at("status") == "sent";
    }
    CHECK(sent >= 14); // 5 reminders, 4–5 dues notices, 5 change notices
    // The admin's index shows each channel's health.
    const auto index = http_request("127.0.0.1", port, "GET", "/", auth()).body;
    CHECK(index.find("支部微信群") != std::string::npos);
    CHECK(index.find("正常 ok") != std::string::npos);
    CHECK(index.find("k-0001") == std::string::npos);
  }
}

TEST_CASE("kill -9 in the middle of a burst: nothing due is lost, nothing answered is sent "
          "again, and a send cut off mid-request is `unknown`") {
  TempDir dir;
  NotifyDir tools("delivery-burst-tools");
  // Each reply takes 150 ms, so the kill lands while requests are under way.
  Stub stub(tools, stub_secrets(), json{{"/webhook", json::array()}, {"*", json::array()}});
  json slow = json::array();
  for (int i = 0; i < 200; ++i)
    slow.push_back({{"reply", "ok"}, {"delay_ms", 150}});
  stub.set_script(json{{"/webhook", slow}});
  std::string text = "id: burst-2026\nplan: 提醒风暴\nyear: 2026\nactivities:\n";
  constexpr int activities = 60;
  for (int i = 0; i < activities; ++i)
    text += "  - {id: a" + std::to_string(i) + ", title: 活动" + std::to_string(i) +
            ", when: 2026-01-06, at: \"09:00\", duration: 1h, reminders: [30m]}\n";
  const auto db = dir.path / "xun.db";
  const int port = free_port();
  std::string plan;
  {
    Clock clock(tuesday_0825, 20);
    ChildServer server(db, port, dir.path / "serve.log");
    plan = created_id(
        http_request("127.0.0.1", port, "POST", "/api/plans", auth(), text, "application/yaml"));
    const auto channel =
        created_id(send_json(port, "POST", "/api/channels",
                             {{"type", "webhook"},
                              {"name", "hook"},
                              {"url", stub.url("/webhook/burst")},
                              {"secret", "whsec_c2VjcmV0LWtleS1mb3Itd2ViaG9va3M="}}));
    REQUIRE(send_json(port, "PUT", "/api/plans/" + plan + "/notify", {{"channels", {channel}}})
                .status == 200);
    REQUIRE(outbox(port, plan).size() == activities);
    wait_for("a part of the burst was sent", [&] { return stub.accepted().size() >= 15; });
    server.kill_now(SIGKILL);
  }
  const auto before_restart = stub.accepted().size();
  CHECK(before_restart < activities);
  {
    Clock clock(tuesday_0825 + 6 * 60, 20); // 08:31, still before the 09:00 start
    ChildServer server(db, port, dir.path / "serve.log");
    wait_for("every row is settled", [&] {
      for (const auto &row : outbox(port, plan))
        if (row.at("status") == "pending" || row.at("status") == "sending")
          return false;
      return true;
    });
    std::map<std::string, int> delivered; // webhook-id → times the receiver got it
    for (const auto &m : stub.accepted())
      delivered[m.at("headers").at("webhook-id").get<std::string>()]++;
    int unknown = 0;
    for (const auto &row : outbox(port, plan)) {
      const std::string key = row.at("key");
      CAPTURE(row.dump());
      if (row.at("status") == "unknown") {
        ++unknown;
        CHECK(delivered[key] <= 1); // cut off mid-request: never re-sent by itself
      } else {
        CHECK(row.at("status") == "sent");
        CHECK(delivered[key] == 1); // none lost, none repeated
      }
    }
    CHECK(unknown <= 2); // at most one request under way per worker at the kill
    MESSAGE("burst: " << before_restart << " delivered before the kill, " << unknown
                      << " cut off mid-request");
  }
}

TEST_CASE("with digest_at, one message per channel per day lists that day's reminders") {
  TempDir dir;
  NotifyDir tools("delivery-digest-tools");
  Stub stub(tools, stub_secrets());
  const int port = free_port();
  Clock clock(tuesday_0825 - 30 * 60, 20); // 07:55: the 08:00 digest is 5 minutes away
  ChildServer server(dir.path / "xun.db", port, dir.path / "serve.log");
  std::string text = plan_text;
  // A second meeting that day: both reminders (08:30 and 13:30) are in the one digest.
  text += "  - {id: talk, title: 专题党课, when: 2026-01-06, at: \"14:00\", duration: 1h, "
          "attendees: [zhang], reminders: [30m]}\n";
  const auto plan = created_id(
      http_request("127.0.0.1", port, "POST", "/api/plans", auth(), text, "application/yaml"));
  const auto channel =
      created_id(send_json(port, "POST", "/api/channels",
                           {{"type", "webhook"},
                            {"name", "hook"},
                            {"url", stub.url("/webhook/digest")},
                            {"secret", "whsec_c2VjcmV0LWtleS1mb3Itd2ViaG9va3M="}}));
  REQUIRE(send_json(port, "PUT", "/api/plans/" + plan + "/notify",
                    {{"channels", {channel}}, {"digest_at", "08:00"}})
              .status == 200);
  wait_for("the day's digest arrived", [&] { return !stub.accepted().empty(); });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const auto got = stub.accepted();
  REQUIRE(got.size() == 1);
  const std::string body = got[0].at("body").dump();
  CHECK(body.find("党员大会") != std::string::npos);
  CHECK(body.find("专题党课") != std::string::npos);
  CHECK(body.find("组织生活会") == std::string::npos); // another day's
  CHECK(got[0].at("headers").at("webhook-id").get<std::string>().find("/digest/") !=
        std::string::npos);
}

TEST_CASE("bad channel settings are refused with 422 naming the field; nothing is stored") {
  TempDir dir;
  const int port = free_port();
  ChildServer server(dir.path / "xun.db", port, dir.path / "serve.log");
  const auto bad =
      send_json(port, "POST", "/api/channels",
                {{"type", "dingtalk"}, {"name", "群"}, {"url", "ftp://example.org/x"}});
  INFO(bad.body);
  CHECK(bad.status == 422);
  CHECK(bad.body.find("/url") != std::string::npos);
  const auto email =
      send_json(port, "POST", "/api/channels",
                {{"type", "email"}, {"name", "邮件"}, {"url", "smtp://127.0.0.1:25"}});
  CHECK(email.status == 422);
  CHECK(email.body.find("/smtp") != std::string::npos);
  const auto unknown =
      send_json(port, "POST", "/api/channels", {{"type", "telegram"}, {"name", "x"}});
  CHECK(unknown.status == 422);
  CHECK(unknown.body.find("/type") != std::string::npos);
  const auto listed = http_request("127.0.0.1", port, "GET", "/api/channels", auth());
  CHECK(json::parse(listed.body).at("channels").empty());
  CHECK(http_request("127.0.0.1", port, "GET", "/api/channels").status == 401);
  const auto plan = created_id(
      http_request("127.0.0.1", port, "POST", "/api/plans", auth(), plan_text, "application/yaml"));
  const auto notify = send_json(port, "PUT", "/api/plans/" + plan + "/notify",
                                {{"channels", {"ch-nope"}}, {"digest_at", "25:00"}});
  CHECK(notify.status == 422);
  CHECK(notify.body.find("/digest_at") != std::string::npos);
  const auto unknown_channel =
      send_json(port, "PUT", "/api/plans/" + plan + "/notify", {{"channels", {"ch-nope"}}});
  CHECK(unknown_channel.status == 422);
  CHECK(unknown_channel.body.find("/channels/0") != std::string::npos);
}

TEST_CASE("an e-mail channel over STARTTLS with a password: its test reaches the sender's mailbox "
          "over TLS; a wrong password stops the channel, and no answer shows the password") {
  TempDir dir;
  NotifyDir tools("delivery-tls");
  xun::notify::test::SmtpTlsOptions accepting;
  accepting.user = "branch@example.org";
  accepting.password = "Right-pass-4e1d";
  TlsServer smtp(tools, accepting);
  setenv("XUN_CA_FILE", smtp.ca_file().c_str(), 1); // the organisation's CA, for `xun serve`
  const int port = free_port();
  ChildServer server(dir.path / "xun.db", port, dir.path / "serve.log");
  unsetenv("XUN_CA_FILE");
  const auto email_channel = [&](const std::string &name, const std::string &password) {
    return created_id(send_json(port, "POST", "/api/channels",
                                {{"type", "email"},
                                 {"name", name},
                                 {"smtp",
                                  {{"url", smtp.starttls_url()},
                                   {"username", "branch@example.org"},
                                   {"password", password},
                                   {"from", "支部 <branch@example.org>"}}}}));
  };
  const auto good = email_channel("支部邮件", "Right-pass-4e1d");
  const auto bad = email_channel("旧密码邮件", "Wrong-pass-77ab");

  const auto sent = send_json(port, "POST", "/api/channels/" + good + "/test", json::object());
  INFO(sent.body);
  CHECK(json::parse(sent.body).at("outcome") == "sent");
  REQUIRE(smtp.messages().size() == 1);
  const auto envelope = TlsServer::envelope(smtp.messages()[0]);
  CHECK(envelope.at("rcpt_tos") == json({"branch@example.org"}));
  CHECK(envelope.at("tls").is_string());
  CHECK(envelope.at("login") == "branch@example.org");

  const auto refused = send_json(port, "POST", "/api/channels/" + bad + "/test", json::object());
  INFO(refused.body);
  const auto answer = json::parse(refused.body);
  CHECK(answer.at("outcome") == "permanent");
  CHECK(answer.at("status") == 535);
  CHECK(answer.at("error").get<std::string>().find("535") != std::string::npos);
  CHECK(smtp.messages().size() == 1);
  const auto listed = http_request("127.0.0.1", port, "GET", "/api/channels", auth()).body;
  CHECK(listed.find("535") != std::string::npos); // the stopped channel's health says why
  const auto index = http_request("127.0.0.1", port, "GET", "/", auth()).body;
  for (const auto &shown : {sent.body, refused.body, listed, index}) {
    CHECK(shown.find("Right-pass-4e1d") == std::string::npos);
    CHECK(shown.find("Wrong-pass-77ab") == std::string::npos);
  }
}

} // namespace xun::http::test
