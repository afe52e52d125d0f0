#include "notify/send.hpp"

#include "notify/crypto.hpp"
#include "notify/mime.hpp"
#include "notify/text.hpp"
#include "notify/transport.hpp"
#include "notify/url.hpp"

#include <date/date.h>

#include <algorithm>
#include <chrono>

namespace xun::notify {

using nlohmann::json;

namespace {

constexpr std::size_t max_shown_answer = 500;
constexpr std::size_t max_wecom_text = 2048; // WeCom refuses longer text messages
constexpr std::size_t max_robot_text = 4000;

// A robot's answer codes (all come with HTTP 200): which mean "try again later".
struct KnownCode {
  int code;
  Outcome outcome;
  const char *meaning;
};

const std::vector<KnownCode> wecom_codes = {
    {45009, Outcome::retry, "发送太快（每个机器人每分钟最多 20 条），稍后重试 / rate limited"},
    {-1, Outcome::retry, "企业微信系统繁忙，稍后重试 / WeCom is busy"},
    {93000, Outcome::permanent,
     "机器人地址无效：key 不对或机器人已被移出群 / invalid webhook URL (key)"},
    {40058, Outcome::permanent, "消息太长或格式不对 / message too long or malformed"},
};
const std::vector<KnownCode> dingtalk_codes = {
    {130101, Outcome::retry, "发送太快（每个机器人每分钟最多 20 条），稍后重试 / sent too fast"},
    {-1, Outcome::retry, "钉钉系统繁忙，稍后重试 / DingTalk is busy"},
    {310000, Outcome::permanent,
     "钉钉拒收：关键词、加签或 IP 不符机器人的安全设置 / keyword, signature or IP check failed"},
    {300001, Outcome::permanent, "access_token 无效 / bad access_token"},
};
const std::vector<KnownCode> feishu_codes = {
    {11232, Outcome::retry, "发送太快（飞书限流），稍后重试 / rate limited"},
    {19021, Outcome::permanent, "签名校验失败：密钥或时间戳不对 / signature check failed"},
    {19022, Outcome::permanent, "IP 不在机器人的白名单里 / IP not allowed"},
    {19024, Outcome::permanent, "消息缺少机器人要求的关键词 / keyword missing"},
};

// Everything a result must never show: the secret, the URL and the URL's credential.
std::vector<std::string> credentials_of(const ChannelSettings &channel) {
  std::vector<std::string> credentials = {channel.secret, channel.url};
  if (channel.smtp && !channel.smtp->password.empty()) {
    // Also as AUTH PLAIN and LOGIN send it, should a server repeat the line it refused.
    const auto &smtp = *channel.smtp;
    credentials.push_back(smtp.password);
    credentials.push_back(base64_encode(smtp.password));
    credentials.push_back(
        base64_encode(std::string(1, '\0') + smtp.username + '\0' + smtp.password));
  }
  if (const auto url = split_url(channel.url)) {
    for (const char *name : {"key", "access_token"})
      if (const auto value = query_value(url->query, name))
        credentials.push_back(*value);
    if (const auto slash = url->path.rfind('/'); slash != std::string::npos)
      credentials.push_back(url->path.substr(slash + 1));
    credentials.push_back(url->userinfo);
  }
  // Longest first, so a credential inside another is not half-replaced.
  std::sort(credentials.begin(), credentials.end(),
            [](const auto &a, const auto &b) { return a.size() > b.size(); });
  return credentials;
}

SendResult result(Outcome outcome, const Exchange &exchange, std::string error) {
  SendResult r;
  r.outcome = outcome;
  r.http_status = exchange.status;
  r.answer = exchange.answer;
  r.error = std::move(error);
  r.retry_after_seconds = exchange.retry_after_seconds;
  return r;
}

// No answer at all: the connection failed, broke or timed out, or TLS did not
// come about. What retrying cannot mend is permanent (the channel then waits
// until it is fixed), and says what to fix.
SendResult unreached(const Exchange &exchange, const SendOptions &options) {
  const std::string &why = exchange.failure;
  switch (exchange.why) {
  case Failure::timed_out:
    return result(Outcome::retry, exchange,
                  "超时：" + std::to_string(options.timeout.count()) +
                      " 毫秒内没有应答，稍后重试 / timed out: " + why);
  case Failure::certificate:
    return result(Outcome::permanent, exchange,
                  "服务器的证书无法验证（" + why +
                      "）：地址的主机名要与证书相符；若证书由本单位自己的 CA 签发，把该 CA "
                      "的 PEM 文件路径设为环境变量 XUN_CA_FILE / the server's certificate "
                      "could not be verified: " +
                      why + "; for an organisation's own CA set XUN_CA_FILE to its PEM file");
  case Failure::ca_file:
    return result(Outcome::permanent, exchange,
                  "XUN_CA_FILE 读不出 CA 证书（" + why +
                      "）：应是可读的 PEM 文件 / XUN_CA_FILE is not a readable PEM bundle: " + why);
  case Failure::no_starttls:
    return result(Outcome::permanent, exchange,
                  "邮件服务器不提供 STARTTLS，密码不会明文发送：改用 smtps://主机:465，或该服务器"
                  "支持 STARTTLS 的端口（587） / the server offers no STARTTLS, so the password "
                  "was not sent: use smtps://host:465 or its STARTTLS port (587)");
  case Failure::not_tls:
    return result(Outcome::permanent, exchange,
                  "对方在这个端口不讲 TLS（" + why +
                      "）：smtps:// 用于 465 端口，587 或 25 端口请写 smtp://（用 STARTTLS）；"
                      "https:// 要连 HTTPS 端口 / the server does not speak TLS on that port: " +
                      why +
                      "; smtps:// is for port 465, write smtp:// (STARTTLS) for 587 or 25, "
                      "and https:// needs an HTTPS port");
  case Failure::hopeless:
    return result(Outcome::permanent, exchange,
                  "无法发送，重试也不会好：" + why + " / cannot send: " + why);
  case Failure::none:
  case Failure::network:
    break;
  }
  return result(Outcome::retry, exchange, "网络错误，稍后重试 / network error: " + why);
}

// The HTTP status alone decides: 2xx reads on (nullopt), 408/429/5xx retry, the rest is permanent.
std::optional<SendResult> by_status(const Exchange &exchange) {
  const int status = exchange.status;
  if (status >= 200 && status < 300)
    return std::nullopt;
  if (status == 408 || status == 429 || status >= 500)
    return result(Outcome::retry, exchange,
                  "对方暂时不收（HTTP " + std::to_string(status) + "），稍后重试 / HTTP " +
                      std::to_string(status) + ", will retry");
  return result(Outcome::permanent, exchange,
                "对方拒收（HTTP " + std::to_string(status) + "）：地址或设置不对 / HTTP " +
                    std::to_string(status) + ": check the channel's URL and settings");
}

// An HTTP 200 from a robot is success only when its body says so.
SendResult by_robot_code(const Exchange &exchange, const char *field,
                         const std::vector<KnownCode> &codes) {
  const auto body = json::parse(exchange.answer, nullptr, false);
  const json *code = nullptr;
  if (body.is_object()) {
    if (const auto it = body.find(field); it != body.end() && it->is_number_integer())
      code = &*it;
    else if (const auto old = body.find("StatusCode");
             old != body.end() && old->is_number_integer())
      code = &*old; // Feishu's older answer shape
  }
  if (code == nullptr)
    return result(Outcome::retry, exchange,
                  "应答读不懂（HTTP 200 但没有 " + std::string(field) +
                      "），稍后重试 / unreadable answer, will retry");
  const auto value = code->get<long long>();
  if (value == 0)
    return result(Outcome::sent, exchange, "");
  for (const auto &known : codes)
    if (known.code == value)
      return result(known.outcome, exchange,
                    std::string(field) + " " + std::to_string(value) + "：" + known.meaning);
  return result(Outcome::permanent, exchange,
                std::string(field) + " " + std::to_string(value) +
                    "：机器人拒收，见应答 / the robot refused, see its answer");
}

SendResult post_to_robot(const std::string &url, const json &body, const SendOptions &options,
                         const char *field, const std::vector<KnownCode> &codes) {
  const auto exchange = http_post(url, {"Content-Type: application/json; charset=utf-8"},
                                  body.dump(-1, ' ', false, json::error_handler_t::replace),
                                  options.timeout, options.now);
  if (!exchange.reached)
    return unreached(exchange, options);
  if (auto refused = by_status(exchange))
    return *refused;
  return by_robot_code(exchange, field, codes);
}

std::string robot_text(const Message &message, std::size_t limit) {
  std::string text = message.subject + "\n" + message.text;
  text.erase(text.find_last_not_of('\n') + 1);
  return truncate_utf8(text, limit);
}

std::vector<std::string> mobiles_of(const Message &message) {
  std::vector<std::string> mobiles;
  for (const auto &person : message.attendees)
    if (!person.mobile.empty() &&
        std::find(mobiles.begin(), mobiles.end(), person.mobile) == mobiles.end())
      mobiles.push_back(person.mobile);
  return mobiles;
}

SendResult send_wecom(const ChannelSettings &channel, const Message &message,
                      const SendOptions &options) {
  json text = {{"content", robot_text(message, max_wecom_text)}};
  if (const auto mobiles = mobiles_of(message); !mobiles.empty())
    text["mentioned_mobile_list"] = mobiles;
  return post_to_robot(channel.url, {{"msgtype", "text"}, {"text", text}}, options, "errcode",
                       wecom_codes);
}

std::string with_query(const std::string &url, const std::string &query) {
  const auto hash = url.find('#');
  const std::string base = url.substr(0, hash);
  return base + (base.find('?') == std::string::npos ? "?" : "&") + query;
}

SendResult send_dingtalk(const ChannelSettings &channel, const Message &message,
                         const SendOptions &options) {
  const auto mobiles = mobiles_of(message);
  std::string content = robot_text(message, max_robot_text);
  // DingTalk @-mentions only those whose "@mobile" also stands in the text.
  for (const auto &mobile : mobiles)
    content += (&mobile == &mobiles.front() ? "\n@" : " @") + mobile;
  const json body = {{"msgtype", "text"},
                     {"text", {{"content", content}}},
                     {"at", {{"atMobiles", mobiles}, {"isAtAll", false}}}};
  std::string url = channel.url;
  if (!channel.secret.empty()) {
    const std::string timestamp = std::to_string(options.now * 1000);
    const auto sign = base64_encode(hmac_sha256(channel.secret, timestamp + "\n" + channel.secret));
    url = with_query(url, "timestamp=" + timestamp + "&sign=" + percent_encode(sign));
  }
  return post_to_robot(url, body, options, "errcode", dingtalk_codes);
}

SendResult send_feishu(const ChannelSettings &channel, const Message &message,
                       const SendOptions &options) {
  json body = {{"msg_type", "text"}, {"content", {{"text", robot_text(message, max_robot_text)}}}};
  if (!channel.secret.empty()) {
    const std::string timestamp = std::to_string(options.now);
    body["timestamp"] = timestamp;
    body["sign"] = base64_encode(hmac_sha256(timestamp + "\n" + channel.secret, ""));
  }
  return post_to_robot(channel.url, body, options, "code", feishu_codes);
}

// A header value may not carry control characters (they would end the header).
std::string header_safe(const std::string &text) {
  std::string out;
  for (char c : text)
    out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '_' : c;
  return out;
}

std::string iso_utc(std::int64_t unix_seconds) {
  const date::sys_seconds at{std::chrono::seconds(unix_seconds)};
  return date::format("%FT%TZ", at);
}

json webhook_body(const Message &message, std::int64_t now) {
  json attendees = json::array();
  for (const auto &person : message.attendees)
    attendees.push_back(
        {{"name", person.name}, {"email", person.email}, {"mobile", person.mobile}});
  return {{"type", "xun." + message.kind},
          {"timestamp", iso_utc(now)},
          {"data",
           {{"key", message.key},
            {"kind", message.kind},
            {"subject", message.subject},
            {"text", message.text},
            {"attendees", attendees},
            {"event", message.event}}}};
}

// Standard Webhooks: "whsec_" + Base64 is the key's bytes; any other secret is used as it is.
std::string webhook_key(const std::string &secret) {
  if (secret.rfind("whsec_", 0) == 0)
    if (auto key = base64_decode(secret.substr(6)))
      return *key;
  return secret;
}

SendResult send_webhook(const ChannelSettings &channel, const Message &message,
                        const SendOptions &options) {
  const std::string id = header_safe(message.key);
  const std::string timestamp = std::to_string(options.now);
  const std::string body =
      webhook_body(message, options.now).dump(-1, ' ', false, json::error_handler_t::replace);
  std::vector<std::string> headers = {"Content-Type: application/json; charset=utf-8",
                                      "webhook-id: " + id, "webhook-timestamp: " + timestamp};
  if (!channel.secret.empty())
    headers.push_back(
        "webhook-signature: v1," +
        base64_encode(hmac_sha256(webhook_key(channel.secret), id + "." + timestamp + "." + body)));
  const auto exchange = http_post(channel.url, headers, body, options.timeout, options.now);
  if (!exchange.reached)
    return unreached(exchange, options);
  if (auto refused = by_status(exchange))
    return *refused;
  return result(Outcome::sent, exchange, "");
}

// The server's last reply on one line: its words often are the fix ("535 Login
// Fail. Please enter your authorization code to login").
std::string reply_line(const Exchange &exchange) {
  std::string line = truncate_utf8(exchange.answer, 300);
  std::replace_if(
      line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  line.erase(line.find_last_not_of(' ') + 1);
  return line;
}

// An SMTP reply that refused: 4xx is tried again, 5xx is not; nullopt when the
// server said nothing that refused (the connection or TLS failed instead).
std::optional<SendResult> smtp_refused(const Exchange &exchange) {
  const int code = exchange.status;
  const std::string said = reply_line(exchange);
  if (code == 534 || code == 535)
    return result(Outcome::permanent, exchange,
                  "邮件服务器拒绝登录（" + said +
                      "）：检查 smtp.username 和 smtp.password（QQ 邮箱、腾讯企业邮箱等要填授权码"
                      "或客户端专用密码，不是网页登录的密码） / login refused (" +
                      said + "): check smtp.username and smtp.password");
  if (code >= 400 && code < 500)
    return result(Outcome::retry, exchange,
                  "邮件服务器暂时不收（" + said + "），稍后重试 / SMTP " + std::to_string(code) +
                      ", will retry");
  if (code >= 500)
    return result(Outcome::permanent, exchange,
                  "邮件服务器拒收（" + said + "） / SMTP " + std::to_string(code) + ": refused");
  return std::nullopt;
}

SendResult send_email(const ChannelSettings &channel, const Message &message,
                      const SendOptions &options) {
  if (!channel.smtp)
    return {Outcome::permanent, 0, "", "邮件渠道缺少 smtp 设置 / no smtp settings", std::nullopt};
  SmtpSubmission submission;
  submission.url = channel.smtp->url;
  submission.username = channel.smtp->username;
  submission.password = channel.smtp->password;
  submission.from = address_of(channel.smtp->from).value_or(channel.smtp->from);
  for (const auto &person : message.attendees)
    if (const auto address = address_of(person.email))
      submission.recipients.push_back(*address);
  if (submission.recipients.empty())
    return {Outcome::permanent, 0, "",
            "没有收件人：参加者都没有 email / no attendee has an e-mail address", std::nullopt};
  submission.data = compose_email(channel.smtp->from, message, options.now);
  const auto exchange = smtp_send(submission, options.timeout);
  if (exchange.reached)
    return result(Outcome::sent, exchange, "");
  if (auto refused = smtp_refused(exchange))
    return *refused;
  return unreached(exchange, options);
}

SendResult dispatch(const ChannelSettings &channel, const Message &message,
                    const SendOptions &options) {
  switch (channel.type) {
  case ChannelType::wecom:
    return send_wecom(channel, message, options);
  case ChannelType::dingtalk:
    return send_dingtalk(channel, message, options);
  case ChannelType::feishu:
    return send_feishu(channel, message, options);
  case ChannelType::webhook:
    return send_webhook(channel, message, options);
  case ChannelType::email:
    return send_email(channel, message, options);
  }
  return {Outcome::permanent, 0, "", "未知的渠道类型 / unknown channel type", std::nullopt};
}

} // namespace

SendResult send(const ChannelSettings &channel, const Message &message,
                const SendOptions &options) {
  SendResult r;
  try {
    r = dispatch(channel, message, options);
  } catch (const std::exception &e) {
    r = {Outcome::retry, 0, "", std::string("发送时出错，稍后重试 / ") + e.what(), std::nullopt};
  }
  const auto credentials = credentials_of(channel);
  // Redacted before it is cut, so no half of a credential survives the cut.
  r.answer = truncate_utf8(redact(std::move(r.answer), credentials), max_shown_answer);
  r.error = redact(std::move(r.error), credentials);
  // One line, as the outbox shows it.
  std::replace_if(
      r.error.begin(), r.error.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return r;
}

std::string outcome_name(Outcome outcome) {
  switch (outcome) {
  case Outcome::sent:
    return "sent";
  case Outcome::retry:
    return "retry";
  case Outcome::permanent:
    return "permanent";
  }
  return "retry";
}

} // namespace xun::notify
