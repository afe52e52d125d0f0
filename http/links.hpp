// Absolute links in answers: built from where the request came from.
#pragma once

#include <optional>
#include <string>

namespace xun::http {

// "http://host:port" as the client named it.
struct Origin {
  std::string scheme = "http";
  std::string host; // host[:port]
  std::string http_base() const { return scheme + "://" + host; }
  std::string webcal_base() const { return "webcal://" + host; }
};

struct FeedLinks {
  std::string https;  // the feed over HTTP(S), as the request arrived
  std::string webcal; // the same feed for one-click subscription
};

std::string percent_encode(const std::string &text); // RFC 3986 unreserved kept

// A `Host` header fit to build links from: host[:port] with a host name of
// letters, digits and hyphens in dot-separated labels, an IPv4 address or a
// bracketed IPv6 address, and a port of 1–65535. Anything else (userinfo
// such as "127.0.0.1:8080@evil.example", paths, spaces) is refused.
bool is_valid_host_header(const std::string &host);

// The whole-plan feed, or one person's.
FeedLinks feed_links(const Origin &origin, const std::string &token,
                     const std::optional<std::string> &person = std::nullopt);

} // namespace xun::http
