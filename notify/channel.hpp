// A delivery channel's settings: what `POST /api/channels` accepts, what may
// be shown, and how it is split for storage into what may be kept in clear and
// what the service encrypts (the secret, the SMTP password and the URL, which
// is itself the credential of a group robot).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xun::notify {

enum class ChannelType { wecom, dingtalk, feishu, webhook, email };

struct SmtpSettings {
  std::string url; // smtp://host:port (STARTTLS when offered) or smtps://host:port
  std::string username;
  std::string password;
  std::string from; // "noreply@example.org" or "寻 <noreply@example.org>"
  friend bool operator==(const SmtpSettings &, const SmtpSettings &) = default;
};

struct ChannelSettings {
  ChannelType type = ChannelType::webhook;
  std::string name;
  std::string url;    // the robot's or webhook's URL; empty for e-mail
  std::string secret; // DingTalk/Feishu signing secret, webhook secret (whsec_… or raw)
  std::optional<SmtpSettings> smtp;
  friend bool operator==(const ChannelSettings &, const ChannelSettings &) = default;
};

// One thing wrong with a channel's settings: where (a JSON pointer into the
// request body) and what would be right, Chinese first, then English.
struct FieldProblem {
  std::string pointer;
  std::string message;
  friend bool operator==(const FieldProblem &, const FieldProblem &) = default;
};

// The channel when the body was right, else every problem found (at least one).
struct ParsedChannel {
  std::optional<ChannelSettings> channel;
  std::vector<FieldProblem> problems;
};

// "wecom", "dingtalk", "feishu", "webhook", "email".
std::string type_name(ChannelType type);
std::optional<ChannelType> parse_type(std::string_view name);

// Reads the body of POST /api/channels:
// {"type", "name", "url", "secret"?, "smtp"?: {"url", "username"?, "password"?, "from"}}.
ParsedChannel parse_channel(const nlohmann::json &body);

// What may be shown: type, name, the URL with its credential masked (WeCom's
// key=, DingTalk's access_token=, Feishu's hook token, a webhook's query
// values and user info: only the last 4 characters kept), "has_secret", and
// smtp {url, username, from}. Never the secret or the SMTP password.
nlohmann::json public_view(const ChannelSettings &channel);

// Storage: settings_json is public_view (nothing secret, the URL masked);
// secrets_json is {"url", "secret", "smtp_password"}, for the service to encrypt.
nlohmann::json settings_json(const ChannelSettings &channel);
nlohmann::json secrets_json(const ChannelSettings &channel);
// The channel back from the two; throws std::invalid_argument naming what is
// missing when they were not written by the functions above.
ChannelSettings from_stored(const nlohmann::json &settings, const nlohmann::json &secrets);

// The URL as public_view shows it.
std::string masked_url(ChannelType type, const std::string &url);

} // namespace xun::notify
