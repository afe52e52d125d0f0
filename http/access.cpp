#include "http/access.hpp"

#include "service/secrets.hpp"

namespace xun::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string form_decode(const std::string &text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string trimmed(const std::string &text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos)
    return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

} // namespace

std::optional<std::string> cookie_value(const std::string &header, const std::string &name) {
  std::size_t at = 0;
  while (at < header.size()) {
    auto end = header.find(';', at);
    if (end == std::string::npos)
      end = header.size();
    const std::string pair = trimmed(header.substr(at, end - at));
    const auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name)
      return pair.substr(eq + 1);
    at = end + 1;
  }
  return std::nullopt;
}

std::string session_set_cookie(const std::string &session, long max_age_seconds, bool secure) {
  return std::string(session_cookie) + "=" + session +
         "; Path=/; Max-Age=" + std::to_string(session.empty() ? 0 : max_age_seconds) +
         "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

std::string read_cookie_name(const std::string &plan_id) { return "xun_read_" + plan_id; }

std::string read_set_cookie(const std::string &plan_id, const std::string &secret, bool secure) {
  return read_cookie_name(plan_id) + "=" + secret + "; Path=/; Max-Age=31536000; HttpOnly; " +
         "SameSite=Lax" + (secure ? "; Secure" : "");
}

std::string csrf_token(const std::string &session) {
  return service::sha256_hex("xun csrf " + session).substr(0, 48);
}

bool same_origin_request(const std::string &sec_fetch_site, const std::string &origin_header,
                         const std::string &own_origin) {
  if (!sec_fetch_site.empty() && sec_fetch_site != "same-origin" && sec_fetch_site != "none")
    return false;
  // Under Referrer-Policy: no-referrer (every page of ours) a browser sends
  // "Origin: null" even from our own page; its Sec-Fetch-Site then vouches.
  if (origin_header == "null")
    return sec_fetch_site == "same-origin";
  return origin_header.empty() || origin_header == own_origin;
}

std::map<std::string, std::string> form_fields(const std::string &body) {
  std::map<std::string, std::string> fields;
  std::size_t at = 0;
  while (at <= body.size()) {
    auto end = body.find('&', at);
    if (end == std::string::npos)
      end = body.size();
    const std::string pair = body.substr(at, end - at);
    const auto eq = pair.find('=');
    if (!pair.empty())
      fields.emplace(form_decode(pair.substr(0, eq)),
                     eq == std::string::npos ? "" : form_decode(pair.substr(eq + 1)));
    at = end + 1;
  }
  return fields;
}

std::string local_path(const std::string &next) {
  const bool local = !next.empty() && next.front() == '/' && next.rfind("//", 0) != 0 &&
                     next.find('\\') == std::string::npos &&
                     next.find_first_of("\r\n") == std::string::npos;
  return local ? next : "/";
}

} // namespace xun::http
