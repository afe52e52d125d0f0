#include "notify/channel.hpp"

#include "notify/crypto.hpp"
#include "notify/mime.hpp"
#include "notify/url.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace xun::notify {

using nlohmann::json;

namespace {

struct TypeName {
  ChannelType type;
  std::string_view name;
};
constexpr std::array<TypeName, 5> type_names = {{{ChannelType::wecom, "wecom"},
                                                 {ChannelType::dingtalk, "dingtalk"},
                                                 {ChannelType::feishu, "feishu"},
                                                 {ChannelType::webhook, "webhook"},
                                                 {ChannelType::email, "email"}}};

constexpr std::size_t max_name_bytes = 200;
constexpr std::size_t max_url_bytes = 2000;
constexpr std::size_t max_secret_bytes = 500;

const std::string type_choices = "wecom、dingtalk、feishu、webhook 或 email / one of wecom, "
                                 "dingtalk, feishu, webhook, email";

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

bool all_alnum(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

// Collects problems while one body is read.
class Reader {
public:
  explicit Reader(std::vector<FieldProblem> &problems) : problems_(problems) {}

  void problem(std::string pointer, std::string message) {
    problems_.push_back({std::move(pointer), std::move(message)});
  }

  // The string at `pointer`, "" when absent; a problem when it is not a string
  // or holds control characters or more than `limit` bytes.
  std::string text(const json &object, const std::string &key, const std::string &pointer,
                   std::size_t limit, bool required) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
      if (required)
        problem(pointer, "缺少 " + key + " / " + key + " is required");
      return "";
    }
    if (!it->is_string()) {
      problem(pointer, key + " 应是字符串 / " + key + " must be a string");
      return "";
    }
    const auto value = it->get<std::string>();
    if (has_control(value))
      problem(pointer, key + " 不能含控制字符（换行、制表符等） / " + key +
                           " must not contain control characters");
    else if (value.size() > limit)
      problem(pointer, key + " 最长 " + std::to_string(limit) + " 字节 / " + key + " is at most " +
                           std::to_string(limit) + " bytes");
    else if (required && value.empty())
      problem(pointer, key + " 不能为空 / " + key + " must not be empty");
    return value;
  }

  // Each key of `object` not in `known` is a problem.
  void refuse_unknown(const json &object, const std::string &prefix,
                      std::initializer_list<std::string_view> known) {
    std::string list;
    for (auto k : known)
      list += (list.empty() ? "" : ", ") + std::string(k);
    for (const auto &[key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end())
        problem(prefix + "/" + key, "未知字段 " + key + "，可用的有 " + list + " / unknown key " +
                                        key + "; known keys: " + list);
    }
  }

private:
  std::vector<FieldProblem> &problems_;
};

// The robot's credential inside its URL must be there: WeCom's key=,
// DingTalk's access_token=, Feishu's hook token (the last path segment).
std::optional<std::string> credential_problem(ChannelType type, const UrlParts &url) {
  if (type == ChannelType::wecom) {
    const auto key = query_value(url.query, "key");
    if (!key || key->empty())
      return "企业微信群机器人的 url 应带 key=…（机器人的 Webhook 地址） / a WeCom robot URL "
             "carries its key=…";
  } else if (type == ChannelType::dingtalk) {
    const auto token = query_value(url.query, "access_token");
    if (!token || token->empty())
      return "钉钉机器人的 url 应带 access_token=… / a DingTalk robot URL carries its "
             "access_token=…";
  } else if (type == ChannelType::feishu) {
    const auto slash = url.path.rfind('/');
    if (slash == std::string::npos || slash + 1 == url.path.size())
      return "飞书机器人的 url 应以 /hook/令牌 结尾 / a Feishu robot URL ends in /hook/TOKEN";
  }
  return std::nullopt;
}

void check_http_url(Reader &reader, ChannelType type, const std::string &text) {
  const auto url = split_url(text);
  if (!url || (url->scheme != "http" && url->scheme != "https")) {
    reader.problem("/url", "url 应是 http:// 或 https:// 开头的完整地址 / url must be an "
                           "absolute http:// or https:// URL");
    return;
  }
  if (const auto problem = credential_problem(type, *url))
    reader.problem("/url", *problem);
}

void check_secret(Reader &reader, ChannelType type, const std::string &secret) {
  if (secret.empty())
    return;
  if (type == ChannelType::wecom)
    reader.problem("/secret", "企业微信群机器人没有签名密钥，密钥就是 url 里的 key / WeCom "
                              "robots take no secret: the key in the URL is the credential");
  else if (type == ChannelType::email)
    reader.problem("/secret", "邮件渠道的密码写在 smtp.password / an e-mail channel's password "
                              "goes in smtp.password");
  else if (type == ChannelType::dingtalk &&
           (secret.rfind("SEC", 0) != 0 || secret.size() < 8 || !all_alnum(secret)))
    reader.problem("/secret", "钉钉加签密钥应以 SEC 开头，只含字母和数字（机器人安全设置里的"
                              "“加签”） / a DingTalk signing secret starts with SEC, letters and "
                              "digits only");
  else if (type == ChannelType::feishu && (secret.size() < 8 || !all_alnum(secret)))
    reader.problem("/secret", "飞书签名校验密钥应是至少 8 个字母或数字 / a Feishu signing secret "
                              "is at least 8 letters or digits");
  else if (type == ChannelType::webhook) {
    const bool prefixed = secret.rfind("whsec_", 0) == 0;
    const auto key = prefixed ? base64_decode(secret.substr(6)) : std::optional(secret);
    if (!key || key->size() < 16)
      reader.problem("/secret", "webhook 密钥应是 whsec_ 加 Base64（至少 16 字节），或至少 16 个"
                                "字符 / a webhook secret is whsec_ and Base64 of at least 16 "
                                "bytes, or at least 16 characters");
  }
}

std::optional<SmtpSettings> read_smtp(Reader &reader, const json &body) {
  const auto it = body.find("smtp");
  if (it == body.end() || it->is_null()) {
    reader.problem("/smtp", "邮件渠道需要 smtp：{\"url\": \"smtps://主机:465\", \"username\", "
                            "\"password\", \"from\"} / an e-mail channel needs smtp {url, "
                            "username, password, from}");
    return std::nullopt;
  }
  if (!it->is_object()) {
    reader.problem("/smtp", "smtp 应是对象 {url, username, password, from} / smtp must be an "
                            "object {url, username, password, from}");
    return std::nullopt;
  }
  const json &smtp = *it;
  reader.refuse_unknown(smtp, "/smtp", {"url", "username", "password", "from"});
  SmtpSettings settings;
  settings.url = reader.text(smtp, "url", "/smtp/url", max_url_bytes, true);
  settings.username = reader.text(smtp, "username", "/smtp/username", max_name_bytes, false);
  settings.password = reader.text(smtp, "password", "/smtp/password", max_secret_bytes, false);
  settings.from = reader.text(smtp, "from", "/smtp/from", max_name_bytes, true);
  if (!settings.url.empty()) {
    const auto url = split_url(settings.url);
    if (!url || (url->scheme != "smtp" && url->scheme != "smtps") || !url->userinfo.empty() ||
        (url->path != "" && url->path != "/"))
      reader.problem("/smtp/url", "smtp.url 应是 smtp://主机:端口（587，STARTTLS）或 "
                                  "smtps://主机:端口（465），用户名和密码另写 / smtp.url must be "
                                  "smtp://host:port or smtps://host:port, credentials apart");
  }
  if (!settings.from.empty() && !address_of(settings.from))
    reader.problem("/smtp/from", "smtp.from 应是邮箱地址，如 noreply@example.org 或 "
                                 "\"寻 <noreply@example.org>\" / smtp.from must be a mailbox");
  if (!settings.password.empty() && settings.username.empty())
    reader.problem("/smtp/username", "有 smtp.password 时也要有 smtp.username / smtp.password "
                                     "needs smtp.username");
  return settings;
}

std::optional<ChannelType> read_type(Reader &reader, const json &body) {
  const auto it = body.find("type");
  if (it == body.end() || it->is_null()) {
    reader.problem("/type", "缺少 type，应为 " + type_choices);
    return std::nullopt;
  }
  const auto type = it->is_string() ? parse_type(it->get<std::string>()) : std::nullopt;
  if (!type)
    reader.problem("/type", "未知的 type " +
                                it->dump(-1, ' ', false, json::error_handler_t::replace) +
                                "，应为 " + type_choices);
  return type;
}

// Keeps the last 4 characters of a credential: "…abcd" ("…" alone when it is
// too short for 4 characters to be safe to show).
std::string mask(const std::string &credential) {
  if (credential.size() < 12)
    return "…";
  return "…" + credential.substr(credential.size() - 4);
}

std::string mask_query(const std::string &query) {
  std::string out;
  std::size_t begin = 0;
  while (begin < query.size()) {
    const auto end = std::min(query.find('&', begin), query.size());
    const std::string pair = query.substr(begin, end - begin);
    const auto equals = pair.find('=');
    if (!out.empty())
      out += '&';
    out += equals == std::string::npos ? pair
                                       : pair.substr(0, equals + 1) + mask(pair.substr(equals + 1));
    begin = end + 1;
  }
  return out;
}

std::string mask_last_segment(const std::string &path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos || slash + 1 == path.size())
    return path;
  return path.substr(0, slash + 1) + mask(path.substr(slash + 1));
}

std::string string_at(const json &object, const char *key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

} // namespace

std::string type_name(ChannelType type) {
  for (const auto &entry : type_names)
    if (entry.type == type)
      return std::string(entry.name);
  return "webhook";
}

std::optional<ChannelType> parse_type(std::string_view name) {
  for (const auto &entry : type_names)
    if (entry.name == name)
      return entry.type;
  return std::nullopt;
}

ParsedChannel parse_channel(const json &body) {
  ParsedChannel parsed;
  Reader reader(parsed.problems);
  if (!body.is_object()) {
    reader.problem("", "请求体应是 JSON 对象 {\"type\", \"name\", \"url\", \"secret\"?, "
                       "\"smtp\"?} / the body must be a JSON object");
    return parsed;
  }
  reader.refuse_unknown(body, "", {"type", "name", "url", "secret", "smtp"});
  const auto type = read_type(reader, body);
  ChannelSettings channel;
  channel.name = reader.text(body, "name", "/name", max_name_bytes, true);
  const bool email = type == ChannelType::email;
  channel.url = reader.text(body, "url", "/url", max_url_bytes, type && !email);
  channel.secret = reader.text(body, "secret", "/secret", max_secret_bytes, false);
  if (type && !email && !channel.url.empty())
    check_http_url(reader, *type, channel.url);
  if (type)
    check_secret(reader, *type, channel.secret);
  if (email) {
    channel.smtp = read_smtp(reader, body);
    // `url` may repeat the server (the body shape has it for every
    // type); it must then be the same as smtp.url.
    if (channel.smtp && !channel.url.empty() && channel.url != channel.smtp->url)
      reader.problem("/url", "邮件渠道的 url 应与 smtp.url 相同，或不写 / an e-mail channel's url, "
                             "when given, is its smtp.url");
    channel.url.clear();
  } else if (type && body.contains("smtp"))
    reader.problem("/smtp", "只有邮件渠道（type: email）才有 smtp / only e-mail channels take "
                            "smtp");
  if (parsed.problems.empty() && type) {
    channel.type = *type;
    parsed.channel = std::move(channel);
  }
  return parsed;
}

std::string masked_url(ChannelType type, const std::string &url) {
  auto parts = split_url(url);
  if (!parts)
    return url.empty() ? "" : "…";
  if (!parts->userinfo.empty())
    parts->userinfo = "…";
  parts->query = mask_query(parts->query);
  parts->fragment.clear();
  if (type == ChannelType::feishu || type == ChannelType::webhook)
    parts->path = mask_last_segment(parts->path);
  return join_url(*parts);
}

json public_view(const ChannelSettings &channel) {
  json view = {{"type", type_name(channel.type)},
               {"name", channel.name},
               {"url", masked_url(channel.type, channel.url)},
               {"has_secret", !channel.secret.empty()}};
  if (channel.smtp)
    view["smtp"] = {{"url", channel.smtp->url},
                    {"username", channel.smtp->username},
                    {"from", channel.smtp->from},
                    {"has_password", !channel.smtp->password.empty()}};
  return view;
}

json settings_json(const ChannelSettings &channel) { return public_view(channel); }

json secrets_json(const ChannelSettings &channel) {
  return {{"url", channel.url},
          {"secret", channel.secret},
          {"smtp_password", channel.smtp ? channel.smtp->password : ""}};
}

ChannelSettings from_stored(const json &settings, const json &secrets) {
  if (!settings.is_object() || !secrets.is_object())
    throw std::invalid_argument("a stored channel's settings and secrets must be JSON objects");
  const auto type = parse_type(string_at(settings, "type"));
  if (!type)
    throw std::invalid_argument(
        "a stored channel has no known type: " +
        settings.value("type", json()).dump(-1, ' ', false, json::error_handler_t::replace));
  ChannelSettings channel;
  channel.type = *type;
  channel.name = string_at(settings, "name");
  channel.url = string_at(secrets, "url");
  channel.secret = string_at(secrets, "secret");
  if (const auto smtp = settings.find("smtp"); smtp != settings.end() && smtp->is_object())
    channel.smtp = SmtpSettings{string_at(*smtp, "url"), string_at(*smtp, "username"),
                                string_at(secrets, "smtp_password"), string_at(*smtp, "from")};
  if (*type == ChannelType::email && !channel.smtp)
    throw std::invalid_argument("a stored e-mail channel has no smtp settings");
  return channel;
}

} // namespace xun::notify
