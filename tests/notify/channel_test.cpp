// Channel settings: each refusal names its field by JSON pointer, what may be
// shown never holds a secret, and storage splits and joins them back.
#include "notify/channel.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace xun::notify;
using nlohmann::json;

namespace {

const std::string wecom_key = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa";

std::vector<std::string> pointers(const json &body) {
  const auto parsed = parse_channel(body);
  CHECK(parsed.channel.has_value() == parsed.problems.empty());
  std::vector<std::string> out;
  for (const auto &p : parsed.problems) {
    CHECK(!p.message.empty());
    out.push_back(p.pointer);
  }
  return out;
}

json email_body() {
  return {{"type", "email"},
          {"name", "支部邮件"},
          {"smtp",
           {{"url", "smtps://smtp.example.org:465"},
            {"username", "xun"},
            {"password", "smtp-pass-1234567"},
            {"from", "寻 <noreply@example.org>"}}}};
}

} // namespace

TEST_CASE("each channel type is accepted with its own settings") {
  CHECK(pointers({{"type", "wecom"},
                  {"name", "班子群"},
                  {"url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + wecom_key}})
            .empty());
  CHECK(pointers({{"type", "dingtalk"},
                  {"name", "钉钉"},
                  {"url", "https://oapi.dingtalk.com/robot/send?access_token=abc123"},
                  {"secret", "SEC0123456789abcdef"}})
            .empty());
  CHECK(pointers({{"type", "feishu"},
                  {"name", "飞书"},
                  {"url", "https://open.feishu.cn/open-apis/bot/v2/hook/0f3c7e2a"},
                  {"secret", "abcdEFGH1234"}})
            .empty());
  CHECK(pointers({{"type", "webhook"},
                  {"name", "OA"},
                  {"url", "http://127.0.0.1:8080/hooks/xun"},
                  {"secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}})
            .empty());
  const auto email = parse_channel(email_body());
  REQUIRE(email.channel);
  CHECK(email.channel->smtp->from == "寻 <noreply@example.org>");
}

TEST_CASE("a missing or unknown type is named at /type, with the choices") {
  CHECK(pointers({{"name", "x"}, {"url", "https://a.example/"}}) ==
        std::vector<std::string>{"/type"});
  const auto unknown = parse_channel({{"type", "slack"}, {"name", "x"}, {"url", "https://a/"}});
  REQUIRE(unknown.problems.size() == 1);
  CHECK(unknown.problems[0].pointer == "/type");
  CHECK(unknown.problems[0].message.find("wecom") != std::string::npos);
  CHECK(pointers({{"type", 3}, {"name", "x"}}) == std::vector<std::string>{"/type"});
  CHECK(pointers(json::array()) == std::vector<std::string>{""});
}

TEST_CASE("a bad url is named at /url") {
  CHECK(pointers({{"type", "webhook"}, {"name", "x"}, {"url", "ftp://a.example/x"}}) ==
        std::vector<std::string>{"/url"});
  CHECK(pointers({{"type", "webhook"}, {"name", "x"}, {"url", "not a url"}}) ==
        std::vector<std::string>{"/url"});
  CHECK(pointers({{"type", "webhook"}, {"name", "x"}, {"url", "http://host:99999/"}}) ==
        std::vector<std::string>{"/url"});
  CHECK(pointers({{"type", "webhook"}, {"name", "x"}}) == std::vector<std::string>{"/url"});
  // Each robot's URL carries its credential.
  CHECK(pointers({{"type", "wecom"}, {"name", "x"}, {"url", "https://qyapi.weixin.qq.com/send"}}) ==
        std::vector<std::string>{"/url"});
  CHECK(
      pointers(
          {{"type", "dingtalk"}, {"name", "x"}, {"url", "https://oapi.dingtalk.com/robot/send"}}) ==
      std::vector<std::string>{"/url"});
  CHECK(pointers({{"type", "feishu"}, {"name", "x"}, {"url", "https://open.feishu.cn/hook/"}}) ==
        std::vector<std::string>{"/url"});
}

TEST_CASE("an e-mail channel needs smtp, with an smtp(s):// url and a from address") {
  auto body = email_body();
  body.erase("smtp");
  CHECK(pointers(body) == std::vector<std::string>{"/smtp"});
  body = email_body();
  body["smtp"]["url"] = "https://smtp.example.org";
  CHECK(pointers(body) == std::vector<std::string>{"/smtp/url"});
  body["smtp"]["url"] = "smtp://user:pw@smtp.example.org:587";
  CHECK(pointers(body) == std::vector<std::string>{"/smtp/url"});
  body = email_body();
  body["smtp"]["from"] = "not an address";
  CHECK(pointers(body) == std::vector<std::string>{"/smtp/from"});
  body = email_body();
  body["smtp"].erase("from");
  CHECK(pointers(body) == std::vector<std::string>{"/smtp/from"});
  body = email_body();
  body["smtp"]["port"] = 25;
  CHECK(pointers(body) == std::vector<std::string>{"/smtp/port"});
  body = email_body();
  body["url"] = "https://x.example/";
  CHECK(pointers(body) == std::vector<std::string>{"/url"});
  CHECK(pointers({{"type", "webhook"},
                  {"name", "x"},
                  {"url", "https://a.example/"},
                  {"smtp", email_body()["smtp"]}}) == std::vector<std::string>{"/smtp"});
}

TEST_CASE("secrets must have their robot's shape") {
  const auto with_secret = [](const std::string &type, const std::string &url,
                              const std::string &secret) {
    return pointers({{"type", type}, {"name", "x"}, {"url", url}, {"secret", secret}});
  };
  const std::string ding = "https://oapi.dingtalk.com/robot/send?access_token=abc";
  const std::string feishu = "https://open.feishu.cn/open-apis/bot/v2/hook/abc";
  CHECK(with_secret("dingtalk", ding, "0123456789abcdef") == std::vector<std::string>{"/secret"});
  CHECK(with_secret("dingtalk", ding, "SEC-not-alnum") == std::vector<std::string>{"/secret"});
  CHECK(with_secret("feishu", feishu, "short") == std::vector<std::string>{"/secret"});
  CHECK(with_secret("feishu", feishu, "has space 12345") == std::vector<std::string>{"/secret"});
  CHECK(with_secret("webhook", "https://a/", "whsec_!!!") == std::vector<std::string>{"/secret"});
  CHECK(with_secret("webhook", "https://a/", "tooshort") == std::vector<std::string>{"/secret"});
  CHECK(with_secret("wecom", "https://q/send?key=k", "SECabcdefgh") ==
        std::vector<std::string>{"/secret"});
}

TEST_CASE("names, unknown keys and control characters are refused where they are") {
  CHECK(pointers({{"type", "webhook"}, {"url", "https://a/"}}) ==
        std::vector<std::string>{"/name"});
  CHECK(pointers({{"type", "webhook"}, {"name", ""}, {"url", "https://a/"}}) ==
        std::vector<std::string>{"/name"});
  CHECK(pointers({{"type", "webhook"}, {"name", "a\nb"}, {"url", "https://a/"}}) ==
        std::vector<std::string>{"/name"});
  CHECK(pointers({{"type", "webhook"}, {"name", "a"}, {"url", "https://a/"}, {"colour", 1}}) ==
        std::vector<std::string>{"/colour"});
  // Every problem at once, not the first alone.
  CHECK(pointers({{"type", "email"}, {"secret", "x"}}) ==
        std::vector<std::string>{"/name", "/secret", "/smtp"});
}

TEST_CASE("what may be shown masks the URL's credential and holds no secret") {
  const ChannelSettings wecom{ChannelType::wecom, "班子群",
                              "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + wecom_key,
                              "", std::nullopt};
  CHECK(public_view(wecom)["url"] == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…5aaa");
  const ChannelSettings ding{
      ChannelType::dingtalk, "钉钉",
      "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdefXYZW",
      "SEC0123456789abcdef", std::nullopt};
  const auto view = public_view(ding);
  CHECK(view["url"] == "https://oapi.dingtalk.com/robot/send?access_token=…XYZW");
  CHECK(view["has_secret"] == true);
  CHECK(view.dump().find("SEC0123456789abcdef") == std::string::npos);
  const ChannelSettings feishu{ChannelType::feishu, "飞书",
                               "https://open.feishu.cn/open-apis/bot/v2/hook/0f3c7e2a-1234-abcd",
                               "", std::nullopt};
  CHECK(public_view(feishu)["url"] == "https://open.feishu.cn/open-apis/bot/v2/hook/…abcd");
  CHECK(public_view(feishu)["has_secret"] == false);
  const ChannelSettings hook{ChannelType::webhook, "OA",
                             "https://user:password123@oa.example/hooks/T0123456789ABCDEF?token=s",
                             "", std::nullopt};
  CHECK(public_view(hook)["url"] == "https://…@oa.example/hooks/…CDEF?token=…");

  const auto email = *parse_channel(email_body()).channel;
  const auto shown = public_view(email).dump();
  CHECK(shown.find("smtp-pass-1234567") == std::string::npos);
  CHECK(public_view(email)["smtp"]["from"] == "寻 <noreply@example.org>");
  CHECK(public_view(email)["smtp"]["has_password"] == true);
}

TEST_CASE("stored settings keep nothing secret; with the secrets they give the channel back") {
  for (const auto &channel :
       {ChannelSettings{ChannelType::wecom, "班子群",
                        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + wecom_key, "",
                        std::nullopt},
        ChannelSettings{ChannelType::dingtalk, "钉钉",
                        "https://oapi.dingtalk.com/robot/send?access_token=abcdefabcdef1234",
                        "SEC0123456789abcdef", std::nullopt},
        *parse_channel(email_body()).channel}) {
    CAPTURE(type_name(channel.type));
    const auto settings = settings_json(channel);
    const auto text = settings.dump();
    CHECK(text.find(wecom_key) == std::string::npos);
    CHECK(text.find("abcdefabcdef1234") == std::string::npos);
    CHECK(text.find("SEC0123456789abcdef") == std::string::npos);
    CHECK(text.find("smtp-pass-1234567") == std::string::npos);
    CHECK(from_stored(settings, secrets_json(channel)) == channel);
  }
  CHECK_THROWS_AS(from_stored({{"type", "fax"}}, json::object()), std::invalid_argument);
  CHECK_THROWS_AS(from_stored(json::array(), json::object()), std::invalid_argument);
}

TEST_CASE("type names read back") {
  for (auto type : {ChannelType::wecom, ChannelType::dingtalk, ChannelType::feishu,
                    ChannelType::webhook, ChannelType::email})
    CHECK(parse_type(type_name(type)) == type);
  CHECK(!parse_type("WeCom"));
}
