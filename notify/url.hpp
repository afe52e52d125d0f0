// URLs as channels carry them, split into their parts (RFC 3986's generic
// syntax, enough to check a channel's URL and to mask its credential).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xun::notify {

struct UrlParts {
  std::string scheme;   // lower case: "https"
  std::string userinfo; // "user:password", without the "@"
  std::string host;     // "qyapi.weixin.qq.com", "127.0.0.1", "[::1]"
  std::string port;     // digits, "" when not given
  std::string path;     // "/cgi-bin/webhook/send", "" when not given
  std::string query;    // "key=…", without the "?"
  std::string fragment; // without the "#"
};

// nullopt unless the text is scheme://host[:port][/path][?query][#fragment]
// with no spaces or control characters and a port of 1…65535.
std::optional<UrlParts> split_url(std::string_view text);

std::string join_url(const UrlParts &parts);

// The value of the first query parameter called `name` (not percent-decoded),
// nullopt when there is none.
std::optional<std::string> query_value(const std::string &query, std::string_view name);

// Percent-encodes every byte but RFC 3986's unreserved ones (A-Z a-z 0-9 - . _ ~).
std::string percent_encode(std::string_view text);

} // namespace xun::notify
