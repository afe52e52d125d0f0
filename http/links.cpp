#include "http/links.hpp"

#include <cctype>

namespace xun::http {

namespace {

bool is_port(const std::string &text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const long port = std::stol(text);
  return port >= 1 && port <= 65535;
}

// RFC 1123 names (an IPv4 address is one of them): labels of 1–63 letters,
// digits and hyphens, not starting or ending with a hyphen.
bool is_host_name(const std::string &name) {
  if (name.empty() || name.size() > 253)
    return false;
  std::size_t label = 0;
  char previous = '.';
  for (const char c : name) {
    if (c == '.') {
      if (label == 0 || previous == '-')
        return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
      if ((c == '-' && label == 0) || ++label > 63)
        return false;
    } else {
      return false;
    }
    previous = c;
  }
  return label > 0 && previous != '-';
}

bool is_ipv6_literal(const std::string &inside) {
  return !inside.empty() && inside.size() <= 45 && inside.find(':') != std::string::npos &&
         inside.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos;
}

} // namespace

bool is_valid_host_header(const std::string &host) {
  std::string name = host;
  std::string port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string::npos || !is_ipv6_literal(host.substr(1, close - 1)))
      return false;
    const std::string rest = host.substr(close + 1);
    return rest.empty() || (rest.front() == ':' && is_port(rest.substr(1)));
  }
  if (const auto colon = host.find(':'); colon != std::string::npos) {
    name = host.substr(0, colon);
    port = host.substr(colon + 1);
    if (!is_port(port))
      return false;
  }
  return is_host_name(name);
}

} // namespace xun::http
