// Who is asking (docs/EXTENSIONS.md, *Privacy*): the admin (bearer token, or
// the session cookie of a sign-in), the holder of a plan's read link, or no
// one. Per-plan editor accounts would be one more role here. Also the pieces
// of a cookie sign-in: the cookie itself, the CSRF token derived from the
// session, the same-origin test for unsafe requests, and form fields.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace xun::http {

struct Principal {
  enum class Role { none, admin, reader };
  Role role = Role::none;
  std::string plan;    // reader: the one plan they may read
  std::string session; // admin signed in by cookie: the session id ("" for a bearer token)
  std::string read;    // reader: the read link's secret as given in the URL ("" from the cookie)
  bool is_admin() const { return role == Role::admin; }
  bool may_read(const std::string &plan_id) const {
    return is_admin() || (role == Role::reader && plan == plan_id);
  }
};

inline constexpr const char *session_cookie = "xun_session";

// The value of cookie `name` in a Cookie header; nullopt when absent.
std::optional<std::string> cookie_value(const std::string &header, const std::string &name);
// Set-Cookie for a new session (HttpOnly, SameSite=Strict, Path=/, Secure on
// https), or (session "") the header that ends it.
std::string session_set_cookie(const std::string &session, long max_age_seconds, bool secure);
// A read link opened in a browser is swapped for this cookie (HttpOnly,
// SameSite=Lax so the link still works from a chat or a mail, Path=/) and the
// secret leaves the address bar, the history and the printed page's footer.
std::string read_cookie_name(const std::string &plan_id);
std::string read_set_cookie(const std::string &plan_id, const std::string &secret, bool secure);

// The CSRF token of a session: a digest of its id, so it needs no storage
// and cannot be made without the (HttpOnly) cookie.
std::string csrf_token(const std::string &session);

// True unless the browser says the request came from another site:
// `Sec-Fetch-Site` other than same-origin/none, or an `Origin` that is not
// `own_origin` ("http://host:port") — "null" only with Sec-Fetch-Site
// same-origin. Non-browser clients send neither.
bool same_origin_request(const std::string &sec_fetch_site, const std::string &origin_header,
                         const std::string &own_origin);

// application/x-www-form-urlencoded fields (the sign-in and sign-out forms).
std::map<std::string, std::string> form_fields(const std::string &body);
// A place to go back to after sign-in: a path of this site, else "/".
std::string local_path(const std::string &next);

} // namespace xun::http
