// ctest-labels: checkers
// Each robot and the webhook sender against tests/tools/robot_stub.py on
// 127.0.0.1: the stub checks each body's shape and recomputes the signature,
// and answers as its script says; every outcome class is exercised.
#include "notify/send.hpp"

#include "notify/servers.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <thread>

using namespace xun::notify;
using namespace xun::notify::test;

namespace {

const std::string dingtalk_secret = "SEC0123456789abcdef0123456789abcdef";
const std::string feishu_secret = "FeishuSecret12345678";
const std::string webhook_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string wecom_key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
const std::string dingtalk_token = "abcdef0123456789token";
const std::string feishu_token = "0f3c7e2a-feishu-hook-token";

struct Fixture {
  TempDir dir{"notify-send"};
  RobotStub stub{
      dir,
      {"/dingtalk=" + dingtalk_secret, "/feishu=" + feishu_secret, "/webhook=" + webhook_secret}};

  ChannelSettings channel(ChannelType type) const {
    switch (type) {
    case ChannelType::wecom:
      return {type, "班子群", stub.url("/wecom/send?key=" + wecom_key), "", std::nullopt};
    case ChannelType::dingtalk:
      return {type, "支部钉钉群", stub.url("/dingtalk/robot/send?access_token=" + dingtalk_token),
              dingtalk_secret, std::nullopt};
    case ChannelType::feishu:
      return {type, "飞书群", stub.url("/feishu/open-apis/bot/v2/hook/" + feishu_token),
              feishu_secret, std::nullopt};
    case ChannelType::webhook:
    case ChannelType::email:
      break;
    }
    return {ChannelType::webhook, "OA 系统", stub.url("/webhook/xun"), webhook_secret,
            std::nullopt};
  }
};

Message message(const std::string &key = "congress-0@plan.xun|2026-02-17T09:00|reminder") {
  Message m;
  m.key = key;
  m.kind = "reminder";
  m.subject = "提醒：「支部大会」2月24日（周二）上午9:00–11:00";
  m.text = "时间：2月24日（周二）上午9:00–11:00\n地点：三楼会议室\n";
  m.attendees = {{"张三", "zhang@example.org", "13800000001"},
                 {"李四", "", "13800000002"},
                 {"王五", "wang@example.org", ""}};
  m.event = {{"id", "congress#0"}, {"uid", "congress-0@plan.xun"}};
  return m;
}

SendOptions now_options(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  return {static_cast<std::int64_t>(std::time(nullptr)), timeout};
}

const std::vector<ChannelType> http_types = {ChannelType::wecom, ChannelType::dingtalk,
                                             ChannelType::feishu, ChannelType::webhook};

// Nothing secret in what a result says.
void check_no_secret(const SendResult &r, const ChannelSettings &channel) {
  for (const auto &text : {r.answer, r.error}) {
    for (const auto &secret : {wecom_key, dingtalk_token, feishu_token, dingtalk_secret,
                               feishu_secret, webhook_secret, channel.url}) {
      CHECK_MESSAGE(text.find(secret) == std::string::npos, text);
    }
  }
}

} // namespace

TEST_CASE("each robot and the webhook receive a signed message of their shape, once") {
  Fixture f;
  for (auto type : http_types) {
    CAPTURE(type_name(type));
    const auto r = send(f.channel(type), message(), now_options());
    CHECK(r.outcome == Outcome::sent);
    CHECK(r.http_status == 200);
    CHECK(r.error.empty());
    check_no_secret(r, f.channel(type));
  }
  const auto accepted = f.stub.accepted();
  REQUIRE(accepted.size() == 4);
  const auto &wecom = accepted[0]["body"];
  CHECK(wecom["text"]["content"].get<std::string>().find("支部大会") != std::string::npos);
  CHECK(wecom["text"]["mentioned_mobile_list"] == json({"13800000001", "13800000002"}));
  const auto &dingtalk = accepted[1];
  CHECK(dingtalk["body"]["at"]["atMobiles"] == json({"13800000001", "13800000002"}));
  CHECK(dingtalk["query"].contains("sign"));
  CHECK(dingtalk["query"]["access_token"] == dingtalk_token);
  CHECK(accepted[2]["body"]["content"]["text"].get<std::string>().find("三楼会议室") !=
        std::string::npos);
  const auto &webhook = accepted[3];
  CHECK(webhook["headers"]["webhook-id"] == message().key);
  CHECK(webhook["body"]["type"] == "xun.reminder");
  CHECK(webhook["body"]["data"]["event"]["uid"] == "congress-0@plan.xun");
  CHECK(webhook["body"]["data"]["key"] == message().key);
}

TEST_CASE("a wrong secret is refused by the stub's own signature check: permanent") {
  Fixture f;
  for (auto type : {ChannelType::dingtalk, ChannelType::feishu, ChannelType::webhook}) {
    CAPTURE(type_name(type));
    auto channel = f.channel(type);
    channel.secret = type == ChannelType::dingtalk ? "SECwrongwrongwrong"
                     : type == ChannelType::feishu ? "WrongSecret123"
                                                   : "whsec_d3JvbmctYnV0LWxvbmctZW5vdWdoLWtleQ==";
    const auto r = send(channel, message(), now_options());
    CHECK(r.outcome == Outcome::permanent);
    CHECK(!r.error.empty());
    check_no_secret(r, channel);
    CHECK(r.answer.find(channel.secret) == std::string::npos);
  }
  CHECK(f.stub.accepted().empty());
}

TEST_CASE("rate limits, 5xx and unreadable answers are retried; bad keys and keywords are not") {
  Fixture f;
  struct Case {
    std::string reply;
    Outcome outcome;
  };
  const std::vector<Case> cases = {
      {"rate_limit", Outcome::retry},  {"server_error", Outcome::retry},
      {"unreadable", Outcome::retry},  {"bad_key", Outcome::permanent},
      {"keyword", Outcome::permanent}, {"ok", Outcome::sent}};
  json script = json::object();
  for (const char *path :
       {"/wecom/send", "/dingtalk/robot/send",
        "/feishu/open-apis/bot/v2/hook/0f3c7e2a-feishu-hook-token", "/webhook/xun"}) {
    script[path] = json::array();
    for (const auto &c : cases)
      script[path].push_back(c.reply);
  }
  f.stub.set_script(script);
  for (auto type : http_types) {
    for (const auto &c : cases) {
      CAPTURE(type_name(type));
      CAPTURE(c.reply);
      const auto r = send(f.channel(type), message(), now_options());
      // A webhook's "unreadable" 200 is a success: only 2xx counts there.
      const auto expected =
          type == ChannelType::webhook && c.reply == "unreadable" ? Outcome::sent : c.outcome;
      CHECK(outcome_name(r.outcome) == outcome_name(expected));
      CHECK(r.answer.size() <= 500);
      check_no_secret(r, f.channel(type));
      if (expected != Outcome::sent)
        CHECK(!r.error.empty());
      if (type == ChannelType::webhook && c.reply == "rate_limit") {
        CHECK(r.http_status == 429);
        CHECK(r.retry_after_seconds == 7);
      }
    }
  }
  // The robots' known codes are named in the error.
  f.stub.set_script({{"/dingtalk/robot/send", {"rate_limit", "keyword"}}});
  const auto limited = send(f.channel(ChannelType::dingtalk), message(), now_options());
  CHECK(limited.error.find("130101") != std::string::npos);
  const auto keyword = send(f.channel(ChannelType::dingtalk), message(), now_options());
  CHECK(keyword.error.find("310000") != std::string::npos);
}

TEST_CASE("a slow reply times out and is retried; a closed port is a network error, retried") {
  Fixture f;
  f.stub.set_script({{"/wecom/send", {"slow"}}});
  const auto started = std::chrono::steady_clock::now();
  const auto slow =
      send(f.channel(ChannelType::wecom), message(), now_options(std::chrono::milliseconds(500)));
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(slow.outcome == Outcome::retry);
  CHECK(slow.error.find("超时") != std::string::npos);
  CHECK(took < std::chrono::milliseconds(2500));
  check_no_secret(slow, f.channel(ChannelType::wecom));

  auto closed = f.channel(ChannelType::wecom);
  closed.url = "http://127.0.0.1:" + std::to_string(free_port()) + "/wecom/send?key=" + wecom_key;
  const auto refused = send(closed, message(), now_options());
  CHECK(refused.outcome == Outcome::retry);
  CHECK(refused.http_status == 0);
  check_no_secret(refused, closed);
}

TEST_CASE("an answer that echoes the URL's credential is shown without it") {
  Fixture f;
  f.stub.set_script(
      {{"/wecom/send",
        {{{"body", {{"errcode", 93000}, {"errmsg", "invalid webhook url, key=" + wecom_key}}}}}}});
  const auto r = send(f.channel(ChannelType::wecom), message(), now_options());
  CHECK(r.outcome == Outcome::permanent);
  CHECK(r.answer.find(wecom_key) == std::string::npos);
  CHECK(r.answer.find("***") != std::string::npos);
}

TEST_CASE("a Retry-After given as an HTTP-date is passed on in seconds") {
  Fixture f;
  f.stub.set_script({{"/webhook/xun",
                      {{{"reply", "server_error"},
                        {"headers", {{"Retry-After", "Tue, 24 Feb 2026 01:02:00 GMT"}}}}}}});
  const SendOptions at{1771894800, std::chrono::milliseconds(5000)}; // 2026-02-24T01:00:00Z
  const auto r = send(f.channel(ChannelType::webhook), message(), at);
  CHECK(r.outcome == Outcome::retry);
  CHECK(r.http_status == 503);
  CHECK(r.retry_after_seconds == 120);
}

TEST_CASE("sends from many threads at once each arrive once") {
  Fixture f;
  constexpr int threads = 8;
  constexpr int each = 5;
  std::atomic<int> sent{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < each; ++i) {
        const auto key = "k-" + std::to_string(t) + "-" + std::to_string(i);
        const auto type = (t + i) % 2 == 0 ? ChannelType::webhook : ChannelType::feishu;
        if (send(f.channel(type), message(key), now_options()).outcome == Outcome::sent)
          ++sent;
      }
    });
  for (auto &thread : pool)
    thread.join();
  CHECK(sent == threads * each);
  CHECK(f.stub.accepted().size() == threads * each);
}
