#include "notify/url.hpp"

#include <algorithm>
#include <cctype>

namespace xun::notify {

namespace {

bool is_scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

bool has_space_or_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

bool valid_port(const std::string &port) {
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const int value = std::stoi(port);
  return value >= 1 && value <= 65535;
}

// Splits "host[:port]" (host may be "[v6]"); false when malformed.
bool split_host_port(std::string_view authority, UrlParts &parts) {
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return false;
    host = authority.substr(0, close + 1);
    const auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        return false;
      port = rest.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty())
      return false;
  }
  if (host.empty() || (host.front() != '[' && host.find_first_of("[]") != std::string_view::npos))
    return false;
  parts.host = std::string(host);
  parts.port = std::string(port);
  return parts.port.empty() || valid_port(parts.port);
}

} // namespace

std::optional<UrlParts> split_url(std::string_view text) {
  if (has_space_or_control(text))
    return std::nullopt;
  const auto colon = text.find("://");
  if (colon == std::string_view::npos || colon == 0 ||
      !std::isalpha(static_cast<unsigned char>(text.front())) ||
      !std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(colon), is_scheme_char))
    return std::nullopt;
  UrlParts parts;
  for (char c : text.substr(0, colon))
    parts.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view rest = text.substr(colon + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    parts.fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  if (const auto question = rest.find('?'); question != std::string_view::npos) {
    parts.query = std::string(rest.substr(question + 1));
    rest = rest.substr(0, question);
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos)
    parts.path = std::string(rest.substr(slash));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    parts.userinfo = std::string(authority.substr(0, at));
    authority = authority.substr(at + 1);
  }
  if (!split_host_port(authority, parts))
    return std::nullopt;
  return parts;
}

std::string join_url(const UrlParts &parts) {
  std::string url = parts.scheme + "://";
  if (!parts.userinfo.empty())
    url += parts.userinfo + "@";
  url += parts.host;
  if (!parts.port.empty())
    url += ":" + parts.port;
  url += parts.path;
  if (!parts.query.empty())
    url += "?" + parts.query;
  if (!parts.fragment.empty())
    url += "#" + parts.fragment;
  return url;
}

std::optional<std::string> query_value(const std::string &query, std::string_view name) {
  std::size_t begin = 0;
  while (begin <= query.size()) {
    const auto end = std::min(query.find('&', begin), query.size());
    const std::string_view pair(query.data() + begin, end - begin);
    const auto equals = pair.find('=');
    if (pair.substr(0, equals) == name)
      return equals == std::string_view::npos ? std::string()
                                              : std::string(pair.substr(equals + 1));
    begin = end + 1;
  }
  return std::nullopt;
}

std::string percent_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += digits[u >> 4];
      out += digits[u & 0xfu];
    }
  }
  return out;
}

} // namespace xun::notify
