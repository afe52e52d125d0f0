#include "http/server.hpp"

#include "calendar/zones.hpp"
#include "http/access.hpp"
#include "http/access_log.hpp"
#include "http/auth_throttle.hpp"
#include "http/compressed.hpp"
#include "http/conditional.hpp"
#include "http/connections.hpp"
#include "http/downloads.hpp"
#include "http/editor_page.hpp"
#include "http/errors.hpp"
#include "http/notify_wire.hpp"
#include "http/page.hpp"
#include "http/render_cache.hpp"
#include "http/signin_page.hpp"
#include "http/wire.hpp"
#include "scheduler/output.hpp"
#include "scheduler/progress_output.hpp"
#include "service/errors.hpp"
#include "service/secrets.hpp"

#include <httplib.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <regex>

namespace xun::http {

namespace {

constexpr const char *json_type = "application/json; charset=utf-8";
constexpr const char *problem_type = "application/problem+json; charset=utf-8";
constexpr const char *html_type = "text/html; charset=utf-8";
constexpr const char *ics_type = "text/calendar; charset=utf-8";
constexpr const char *csv_type = "text/csv; charset=utf-8";
constexpr const char *xlsx_type =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The pages with forms (sign-in, index) post to this site only; the editor
// also runs its script (/editor.js) and fetches the API.
constexpr const char *form_page_policy =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";
constexpr const char *editor_page_policy =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

using Handler = httplib::Server::Handler;

std::string reason(int status) {
  switch (status) {
  case 400:
    return "Bad request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not found";
  case 405:
    return "Method not allowed";
  case 413:
    return "Request too large";
  case 414:
    return "URI too long";
  case 415:
    return "Unsupported media type";
  case 429:
    return "Too many requests";
  default:
    return status >= 500 ? "Internal server error" : "Request error";
  }
}

std::optional<std::string> param(const httplib::Request &req, const char *name) {
  if (!req.has_param(name))
    return std::nullopt;
  return req.get_param_value(name);
}

void send_problem(const httplib::Request &req, httplib::Response &res, const ApiError &e) {
  res.status = e.status;
  if (e.status == 401)
    res.set_header("WWW-Authenticate", "Bearer realm=\"xun\"");
  res.set_content(problem_json(e, req.path), problem_type);
}

// Kept bodies are sent gzip-compressed (compressed once) to clients that
// accept gzip; a compressed body is another representation, so it gets its
// own strong ETag.
bool accepts_gzip(const httplib::Request &req) {
  return req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
}

std::string representation_etag(const httplib::Request &req, const std::string &etag) {
  return accepts_gzip(req) ? etag.substr(0, etag.size() - 1) + "-gzip\"" : etag;
}

Lang language(const httplib::Request &req) {
  return page_language(req.get_header_value("Accept-Language"), param(req, "lang"));
}

std::string not_scheduled_detail(const std::string &id) {
  return "No revision of plan '" + id + "' could be scheduled yet";
}

bool iequals_prefix(const std::string &text, const std::string &lower_prefix) {
  if (text.size() < lower_prefix.size())
    return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower_prefix[i])
      return false;
  return true;
}

// A request whose body follows its head (a length, or chunks).
bool carries_body(const httplib::Request &req) {
  return req.has_header("Transfer-Encoding") ||
         (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
}

// The path as it may be logged: feed tokens are secrets.
std::string loggable_path(const std::string &path) {
  static const std::string feeds = "/feeds/";
  if (path.rfind(feeds, 0) != 0)
    return path;
  const auto end = path.find_first_of("/.", feeds.size());
  return feeds + "…" + (end == std::string::npos ? "" : path.substr(end));
}

// The body's bytes: kept bodies (feeds, pages) are sent by a content
// provider, with their Content-Length, and leave res.body empty.
std::size_t body_bytes(const httplib::Response &res) {
  if (!res.body.empty())
    return res.body.size();
  const std::string length = res.get_header_value("Content-Length");
  return length.empty() ? 0 : std::strtoul(length.c_str(), nullptr, 10);
}

// The first control character in a decoded path, as U+XXXX; "" when none.
std::string control_character(const std::string &path) {
  for (const char c : path)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, "U+%04X",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      return code;
    }
  return "";
}

// Pages are shown by browsers: only the page's own script (which talks to
// this server only), no framing, no sniffing, no referrer (a page's URL may
// carry ?key=).
void add_page_headers(httplib::Response &res) {
  // Every answer: a URL may carry ?read= or ?key=, and a page's links lead on.
  if (!res.has_header("Referrer-Policy"))
    res.set_header("Referrer-Policy", "no-referrer");
  if (res.get_header_value("Content-Type").rfind("text/html", 0) != 0)
    return;
  if (!res.has_header("Content-Security-Policy"))
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; script-src 'self'; connect-src 'self'; "
                   "style-src 'unsafe-inline'; img-src 'self' data:; "
                   "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
}

ConnectionLimits limits_of(const ServerConfig &config) {
  ConnectionLimits limits;
  limits.max_body_bytes = config.max_body_bytes;
  limits.workers = config.workers;
  return limits;
}

service::SecretDigest admin_digest_of(const ServerConfig &config) {
  if (config.admin_digest)
    return *config.admin_digest;
  return config.admin_token.empty() ? service::SecretDigest{}
                                    : service::SecretDigest::of(config.admin_token);
}

} // namespace

struct Server::Impl {
  ServerConfig config;
  service::Service &service;
  BoundedServer http;
  service::SecretDigest admin_digest; // the admin token is not kept, only its digest
  AuthThrottle throttle;
  RenderCache rendered;
  CompressedCache compressed;
  int port = -1;
  int bind_errno = 0;
  // Routes that change something: the pre-routing hook asks for the admin token.
  std::vector<std::pair<std::string, std::regex>> guarded;

  Impl(ServerConfig c, service::Service &s)
      : config(std::move(c)), service(s), http(limits_of(config)),
        admin_digest(admin_digest_of(config)) {
    config.admin_token.clear();
  }

  Origin origin(const httplib::Request &req) const {
    Origin o;
    const std::string proto = req.get_header_value("X-Forwarded-Proto");
    if (proto == "https" || proto == "http")
      o.scheme = proto;
    // Links carry the feed token: never to a host the Host header made up.
    o.host = req.get_header_value("Host");
    if (!is_valid_host_header(o.host))
      o.host = config.host + ":" + std::to_string(port);
    return o;
  }

  std::optional<std::string> bearer(const httplib::Request &req) const {
    // The scheme is case-insensitive (RFC 9110 §11.1).
    const std::string header = req.get_header_value("Authorization");
    if (!iequals_prefix(header, "bearer "))
      return std::nullopt;
    const auto token = header.find_first_not_of(' ', 7);
    return token == std::string::npos ? std::string() : header.substr(token);
  }

  // A wrong bearer token here counts as a failure too, or GETs would be a
  // guessing oracle.
  bool bearer_is_admin(const httplib::Request &req) {
    auto token = bearer(req);
    if (!token)
      return false;
    const auto now = AuthThrottle::Clock::now();
    if (throttle.retry_after(req.remote_addr, now))
      return false;
    if (admin_digest.matches(*token))
      return true;
    throttle.failed(req.remote_addr, now);
    return false;
  }

  // The session id of a signed-in admin's cookie; "" when there is none or it ended.
  std::string valid_session(const httplib::Request &req) {
    auto id = cookie_value(req.get_header_value("Cookie"), session_cookie);
    return id && service.session_valid(*id) ? *id : std::string();
  }

  // Who is asking: the admin (bearer token or session cookie), or no one yet
  // (a read link makes a reader of one plan: see require_reader).
  Principal principal(const httplib::Request &req) {
    Principal p;
    if (bearer_is_admin(req)) {
      p.role = Principal::Role::admin;
    } else if (!bearer(req)) {
      p.session = valid_session(req);
      if (!p.session.empty())
        p.role = Principal::Role::admin;
    }
    return p;
  }

  bool is_admin(const httplib::Request &req) { return principal(req).is_admin(); }

  // Reading a plan: the admin, anyone when it is public, the holder of its
  // read link (?read=), and for the page (`key_reads`) the holder of its feed
  // token. Anyone else is told what a plan that does not exist tells.
  Principal require_reader(const httplib::Request &req, const std::string &id,
                           bool key_reads = false) {
    Principal p = principal(req);
    if (p.is_admin())
      return p;
    const auto access = service.access(id); // NotFound for no plan
    const auto read = param(req, "read");
    const auto kept = cookie_value(req.get_header_value("Cookie"), read_cookie_name(id));
    if ((read && service.read_link_matches(id, *read)) ||
        (!read && kept && service.read_link_matches(id, *kept))) {
      p.role = Principal::Role::reader;
      p.plan = id;
      p.read = read.value_or("");
      return p;
    }
    const auto key = param(req, "key");
    const bool by_key = key_reads && key && service::same_secret(*key, service.feed_token_of(id));
    if (access.is_public || by_key)
      return p;
    throw service::NotFound(service::no_such_plan(id));
  }

  // Refuses what cannot be read safely, before its body is read.
  std::optional<ApiError> refusal_before_body(const httplib::Request &req) const {
    if (const std::string c = control_character(req.path); !c.empty())
      return bad_request("The path contains the control character " + c +
                         "; a path is printable text (percent-encoded UTF-8).");
    if (!carries_body(req))
      return std::nullopt;
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!encoding.empty() && encoding != "identity")
      return ApiError(415, "http-415", reason(415),
                      "Content-Encoding '" + encoding +
                          "' is not accepted; send the body uncompressed (a plan is at most " +
                          std::to_string(config.max_body_bytes) + " bytes).");
    const std::string type = req.get_header_value("Content-Type");
    const bool form_route = req.path == "/signin" || req.path == "/signout";
    if (!form_route && (iequals_prefix(type, "application/x-www-form-urlencoded") ||
                        iequals_prefix(type, "multipart/form-data")))
      return ApiError(415, "http-415", reason(415),
                      "The body is sent as '" + type.substr(0, type.find(';')) +
                          "' (curl's default for -d), which is not a plan; send it as "
                          "'Content-Type: application/yaml' (or application/json), e.g. curl "
                          "-H 'Content-Type: application/yaml' --data-binary @plan.yaml.");
    return std::nullopt;
  }

  bool needs_admin(const httplib::Request &req) const {
    bool needs = false;
    for (const auto &[method, path] : guarded)
      needs = needs || (req.method == method && std::regex_match(req.path, path));
    return needs;
  }

  // The one admin check, before any route runs (and before the body is read).
  std::optional<ApiError> admin_refusal(const httplib::Request &req, httplib::Response &res) {
    const auto now = AuthThrottle::Clock::now();
    if (auto wait = throttle.retry_after(req.remote_addr, now)) {
      res.set_header("Retry-After", std::to_string(*wait));
      return ApiError(429, "too-many-failures", reason(429),
                      "Too many requests with a wrong admin token from " + req.remote_addr + " (" +
                          std::to_string(throttle.max_failures()) + " within " +
                          std::to_string(throttle.window().count()) + " s); try again in " +
                          std::to_string(*wait) + " s.",
                      "{\"retry_after\": " + std::to_string(*wait) + "}");
    }
    auto token = bearer(req);
    if (!token) {
      const std::string session = valid_session(req);
      if (!session.empty())
        return csrf_refusal(req, session);
      return ApiError(401, "unauthorized", "Unauthorized",
                      "Changing plans needs the admin token: send 'Authorization: Bearer "
                      "TOKEN' (the token is $XUN_ADMIN_TOKEN, or the one `xun serve` "
                      "printed on its first start), or sign in at /signin.");
    }
    if (!admin_digest.matches(*token)) {
      throttle.failed(req.remote_addr, now);
      return ApiError(401, "unauthorized", "Unauthorized",
                      "The bearer token is not the admin token of this server.");
    }
    return std::nullopt;
  }

  // A change made with the session cookie must come from this site's own
  // pages: the browser's Origin/Sec-Fetch-Site say so, and the CSRF token
  // (X-CSRF-Token, or the form's csrf field) proves the page was ours.
  std::optional<ApiError> csrf_refusal(const httplib::Request &req, const std::string &session,
                                       const std::string &form_token = "") {
    if (!same_origin_request(req.get_header_value("Sec-Fetch-Site"), req.get_header_value("Origin"),
                             origin(req).http_base()))
      return ApiError(403, "cross-site", reason(403),
                      "This change comes from another site; changes are made from Xun's own "
                      "pages only.");
    const std::string given =
        form_token.empty() ? req.get_header_value("X-CSRF-Token") : form_token;
    if (!service::same_secret(given, csrf_token(session)))
      return ApiError(403, "csrf", reason(403),
                      "A change made while signed in needs the page's CSRF token (header "
                      "X-CSRF-Token); reload the page and try again.");
    return std::nullopt;
  }

  httplib::Server::HandlerResponse check_request(const httplib::Request &req,
                                                 httplib::Response &res) {
    // RFC 9112 §6.3: a request with neither length nor chunks has no body;
    // httplib would wait for the connection to close instead.
    const bool may_have_body = req.method == "POST" || req.method == "PUT" ||
                               req.method == "PATCH" || req.method == "DELETE";
    if (may_have_body && !req.has_header("Content-Length") && !req.has_header("Transfer-Encoding"))
      const_cast<httplib::Request &>(req).set_header("Content-Length", "0");
    auto refusal = refusal_before_body(req);
    if (!refusal && needs_admin(req))
      refusal = admin_refusal(req, res);
    if (!refusal)
      return httplib::Server::HandlerResponse::Unhandled;
    send_problem(req, res, *refusal);
    if (carries_body(req)) { // the body stays unread: what follows is not a request
      res.set_header("Connection", "close");
      BoundedServer::close_after_response();
    }
    return httplib::Server::HandlerResponse::Handled;
  }

  void admin_route(const std::string &method, const std::string &pattern, Handler route) {
    guarded.emplace_back(method, std::regex(pattern));
    // A chunked body has no length for httplib to check: the limit is here.
    Handler handler = [this, route = std::move(route)](const httplib::Request &req,
                                                       httplib::Response &res) {
      if (req.body.size() > config.max_body_bytes)
        throw ApiError(413, "http-413", reason(413), body_limit_detail());
      route(req, res);
    };
    if (method == "GET")
      http.Get(pattern, std::move(handler));
    else if (method == "POST")
      http.Post(pattern, std::move(handler));
    else if (method == "PUT")
      http.Put(pattern, std::move(handler));
    else if (method == "PATCH")
      http.Patch(pattern, std::move(handler));
    else
      http.Delete(pattern, std::move(handler));
  }

  std::string body_limit_detail() const {
    return "The request body is larger than " + std::to_string(config.max_body_bytes) +
           " bytes, the limit of this server.";
  }

  static std::string file_name(const httplib::Request &req) {
    auto name = param(req, "file");
    if (name && !name->empty() && name->size() < 200)
      return *name;
    const std::string type = req.get_header_value("Content-Type");
    return type.find("json") != std::string::npos ? "plan.json" : "plan.yaml";
  }

  void send_submission(httplib::Response &res, const service::Submission &s, int status,
                       const Origin &o) {
    const std::string body =
        submission_json(s, service.plan(s.revision.plan_id, true), o); // the caller is the admin
    res.status = status;
    res.set_header("Location", "/api/plans/" + s.revision.plan_id);
    res.set_content(body, json_type);
  }

  // 201 with the new plan and next-year's dates to fix.
  void send_next_year(httplib::Response &res, const service::Service::NextYearResult &r,
                      const Origin &o) {
    const auto &s = *r.submission;
    res.status = 201;
    res.set_header("Location", "/api/plans/" + s.revision.plan_id);
    res.set_content(next_year_json(r, service.plan(s.revision.plan_id, true), o), json_type);
  }

  // Sends bytes kept in memory as they are (gzip: compressed once); httplib
  // leaves a body given by length uncompressed.
  void send_kept(const httplib::Request &req, httplib::Response &res,
                 std::shared_ptr<const std::string> bytes, const char *type) {
    if (accepts_gzip(req)) {
      bytes = compressed.gzip(bytes);
      res.set_header("Content-Encoding", "gzip");
    }
    res.set_header("Vary", "Accept-Encoding");
    res.set_content_provider(
        bytes->size(), type,
        [bytes](std::size_t offset, std::size_t length, httplib::DataSink &sink) {
          return sink.write(bytes->data() + offset, length);
        });
  }

  void send_feed(const httplib::Request &req, httplib::Response &res,
                 const std::shared_ptr<const service::FeedBody> &body) {
    if (!body)
      throw not_found(
          "There is no feed at " + req.path +
          ": the link is wrong, or its token was revoked (ask for the plan's new link).");
    const std::string etag = representation_etag(req, body->etag);
    res.set_header("ETag", etag);
    res.set_header("Last-Modified", http_date(body->last_modified));
    res.set_header("Cache-Control", "no-cache");
    const std::string inm = req.get_header_value("If-None-Match");
    bool fresh = false;
    if (!inm.empty())
      fresh = etag_matches(inm, etag);
    else if (auto since = parse_http_date(req.get_header_value("If-Modified-Since")))
      fresh = not_modified_since(body->last_modified, body->shares_second, *since);
    if (fresh) {
      res.status = 304;
      return;
    }
    res.status = 200;
    send_kept(req, res, std::shared_ptr<const std::string>(body, &body->bytes), ics_type);
  }

  std::shared_ptr<const std::string> plan_page(const std::string &id, const Origin &o, bool admin,
                                               const std::optional<std::string> &key,
                                               const std::string &read, Lang lang) {
    // One read of the token: a key revoked meanwhile never shows the new one.
    const auto view = service.plan(id, true);
    const auto &pub = view.published;
    PageInput in;
    in.api_id = id;
    in.lang = lang;
    in.current_revision = view.record.current_revision;
    in.revision = pub ? pub->revision : view.record.current_revision;
    if (view.status && *view.status != store::RevisionStatus::ok) {
      in.latest_status = view.status;
      for (const auto &p : view.problems)
        in.problems.push_back(p.to_string());
      if (view.conflict)
        in.conflict_message = view.conflict->message;
    }
    std::string today; // what is past changes with the day
    if (pub) {
      in.plan = &pub->plan;
      in.schedule = &pub->schedule;
      today = calendar::format_iso_date(calendar::local_date(calendar::to_local(
          pub->plan.timezone, date::sys_seconds{std::chrono::seconds{service.now()}})));
    }
    if (!read.empty())
      in.access_query = "?read=" + percent_encode(read);
    const std::string &token = view.feed_token;
    const bool owner = admin || (key && !token.empty() && service::same_secret(*key, token));
    in.feed_hidden = !token.empty() && pub && !owner;
    const bool with_links = !token.empty() && pub && !in.feed_hidden;
    if (with_links) {
      in.feed = feed_links(o, token);
      for (const auto &person : pub->plan.people)
        in.people.emplace_back(person.name.empty() ? person.id : person.name,
                               feed_links(o, token, person.id));
    }
    in.can_record = owner && pub;
    in.can_share = admin;
    if (in.can_record && key)
      in.key = *key;
    // Rendered once per revision, day (today, what is past) and kind of
    // reader and language, not per request.
    const std::string reader = (with_links       ? "owner " + o.http_base() + " " + token
                                : in.feed_hidden ? "reader"
                                : owner          ? "owner"
                                                 : "no-feed") +
                               (read.empty() ? "" : " read " + read) + (admin ? " admin" : "");
    const std::string version =
        std::to_string(in.current_revision) + "/" + std::to_string(in.revision) + "/" + today;
    return rendered.get("page " + id + " " + reader + " " + words(lang).html_lang +
                            (in.key.empty() ? "" : " key"),
                        version, [&] {
                          // Records and progress only when the page is rendered anew.
                          std::optional<service::YearSoFar> year;
                          if (pub) {
                            year = service.year_so_far(id, *pub);
                            in.year = &*year;
                          }
                          return plan_page_html(in);
                        });
  }

  std::string index_page(const Principal &who) {
    std::vector<PlanListItem> items;
    if (who.is_admin())
      for (const auto &v : service.plans(false))
        items.push_back({v.record.id, v.published ? v.published->plan.title : v.record.id,
                         v.status ? store::status_name(*v.status) : "invalid",
                         v.record.current_revision});
    std::vector<ChannelHealthItem> channels;
    if (who.is_admin())
      for (const auto &c : service.notifications().channels())
        channels.push_back({c.id, c.type, c.name, c.health, c.stopped});
    return plans_index_html(items, who.is_admin(),
                            who.session.empty() ? "" : csrf_token(who.session), channels);
  }

  std::shared_ptr<const std::string> cached_schedule_json(const std::string &id,
                                                          const service::Published &pub,
                                                          const scheduler::OutputFilter &filter) {
    const std::string month = filter.month ? std::to_string(*filter.month) : "all";
    return rendered.get("schedule " + id + " " + month, std::to_string(pub.revision),
                        [&] { return scheduler::schedule_json(pub.plan, pub.schedule, filter); });
  }

  std::shared_ptr<const service::Published> require_published(const std::string &id,
                                                              const std::string &detail) {
    auto pub = service.published(id);
    if (!pub)
      throw ApiError(409, "not-scheduled", "The plan has no schedule yet", detail);
    return pub;
  }

  // GET/POST /signin, POST /signout: the admin's session cookie.
  void account_routes() {
    http.Get("/signin", [](const httplib::Request &req, httplib::Response &res) {
      res.set_header("Content-Security-Policy", form_page_policy);
      res.set_header("Cache-Control", "no-store");
      res.set_content(signin_page_html(local_path(param(req, "next").value_or("/")), ""),
                      html_type);
    });
    http.Post("/signin", [this](const httplib::Request &req, httplib::Response &res) {
      res.set_header("Content-Security-Policy", form_page_policy);
      res.set_header("Cache-Control", "no-store");
      const auto fields = form_fields(req.body);
      const auto field = [&](const char *name) {
        const auto it = fields.find(name);
        return it == fields.end() ? std::string() : it->second;
      };
      const std::string next = local_path(field("next"));
      const auto now = AuthThrottle::Clock::now();
      std::string error;
      if (!same_origin_request(req.get_header_value("Sec-Fetch-Site"),
                               req.get_header_value("Origin"), origin(req).http_base())) {
        res.status = 403;
        error = "这个登录请求来自别的网站，已拒绝。Sign in from Xun's own page.";
      } else if (auto wait = throttle.retry_after(req.remote_addr, now)) {
        res.status = 429;
        res.set_header("Retry-After", std::to_string(*wait));
        error = "错误次数太多，请 " + std::to_string(*wait) + " 秒后再试。Too many wrong tokens.";
      } else if (!admin_digest.matches(field("token"))) {
        throttle.failed(req.remote_addr, now);
        res.status = 401;
        error = "令牌不对：不是这台服务器的管理员令牌。The token is not this server's admin token.";
      }
      if (!error.empty())
        return res.set_content(signin_page_html(next, error), html_type);
      res.set_header("Set-Cookie",
                     session_set_cookie(service.open_session(), service::session_lifetime,
                                        origin(req).scheme == "https"));
      res.status = 303;
      res.set_header("Location", next);
    });
    http.Post("/signout", [this](const httplib::Request &req, httplib::Response &res) {
      const std::string session = valid_session(req);
      if (!session.empty()) {
        const auto fields = form_fields(req.body);
        const auto token = fields.find("csrf");
        if (auto refusal = csrf_refusal(req, session, token == fields.end() ? "-" : token->second))
          throw *refusal;
        service.close_session(session);
      }
      res.set_header("Set-Cookie", session_set_cookie("", 0, origin(req).scheme == "https"));
      res.status = 303;
      res.set_header("Location", "/");
    });
  }

  // The editor: the signed-in admin's only (anyone else is sent to sign in).
  void editor_routes() {
    const auto editor = [this](const httplib::Request &req, httplib::Response &res,
                               const std::string &id) {
      const Principal who = principal(req);
      res.set_header("Cache-Control", "no-store");
      if (!who.is_admin()) {
        res.status = 303;
        res.set_header("Location", "/signin?next=" + percent_encode(req.path));
        return;
      }
      EditorInput in;
      in.plan_id = id;
      if (!id.empty())
        in.text = service.source(id, std::nullopt);
      in.csrf = who.session.empty() ? "" : csrf_token(who.session);
      in.templates = service.templates();
      res.set_header("Content-Security-Policy", editor_page_policy);
      res.set_content(editor_page_html(in), html_type);
    };
    http.Get("/new", [editor](const httplib::Request &req, httplib::Response &res) {
      editor(req, res, "");
    });
    http.Get(R"(/plans/([^/]+)/edit)",
             [editor](const httplib::Request &req, httplib::Response &res) {
               editor(req, res, req.matches[1]);
             });
    http.Get("/editor.js", [](const httplib::Request &, httplib::Response &res) {
      res.set_header("Cache-Control", "no-cache");
      res.set_content(editor_script(), "text/javascript; charset=utf-8");
    });
  }

  // Delivery channels, a plan's notify settings and its outbox: all admin's,
  // since channel health and outbox errors describe the organisation's setup.
  void notify_routes() {
    auto &n = service.notifications();
    admin_route("POST", "/api/channels", [&n](const httplib::Request &req, httplib::Response &res) {
      const auto channel = n.create_channel(parse_channel_body(req.body));
      res.status = 201;
      res.set_content(channel_json(channel) + "\n", json_type);
    });
    admin_route("GET", "/api/channels", [&n](const httplib::Request &, httplib::Response &res) {
      res.set_content(channels_json(n.channels()), json_type);
    });
    admin_route("DELETE", R"(/api/channels/([^/]+))",
                [&n](const httplib::Request &req, httplib::Response &res) {
                  n.delete_channel(req.matches[1]);
                  res.status = 204;
                });
    admin_route("POST", R"(/api/channels/([^/]+)/test)",
                [&n](const httplib::Request &req, httplib::Response &res) {
                  const std::string id = req.matches[1];
                  res.set_content(send_result_json(id, n.test_channel(id)), json_type);
                });
    admin_route("PUT", R"(/api/plans/([^/]+)/notify)",
                [this](const httplib::Request &req, httplib::Response &res) {
                  const std::string id = req.matches[1];
                  const auto notify = service.set_notify(id, parse_notify_body(req.body));
                  res.set_content(notify_json(id, notify), json_type);
                });
    admin_route("GET", R"(/api/plans/([^/]+)/notify)",
                [this, &n](const httplib::Request &req, httplib::Response &res) {
                  const std::string id = req.matches[1];
                  service.plan(id, false); // NotFound for an unknown plan
                  res.set_content(notify_json(id, n.plan_notify(id)), json_type);
                });
    admin_route("GET", R"(/api/plans/([^/]+)/outbox)",
                [this, &n](const httplib::Request &req, httplib::Response &res) {
                  const std::string id = req.matches[1];
                  service.plan(id, false);
                  res.set_content(outbox_json(id, n.outbox(id)), json_type);
                });
  }

  void routes() {
    auto &s = http;
    // Feeds first: routes are tried in order, and feeds are most of the traffic.
    s.Get(R"(/feeds/([A-Za-z0-9]+)\.ics)",
          [this](const httplib::Request &req, httplib::Response &res) {
            send_feed(req, res, service.feed(req.matches[1], std::nullopt));
          });
    s.Get(R"(/feeds/([A-Za-z0-9]+)/people/([^/]+)\.ics)",
          [this](const httplib::Request &req, httplib::Response &res) {
            send_feed(req, res, service.feed(req.matches[1], std::string(req.matches[2])));
          });

    s.Get("/", [this](const httplib::Request &req, httplib::Response &res) {
      res.set_header("Content-Security-Policy", form_page_policy);
      res.set_header("Cache-Control", "no-store");
      res.set_content(index_page(principal(req)), html_type);
    });
    s.Get("/assets/plan-page.js", [](const httplib::Request &, httplib::Response &res) {
      res.set_header("Cache-Control", "no-cache");
      res.set_content(plan_page_script(), "text/javascript; charset=utf-8");
    });
    account_routes();
    editor_routes();
    s.Get("/healthz", [this](const httplib::Request &, httplib::Response &res) {
      const std::string problem = service.store_problem();
      res.status = problem.empty() ? 200 : 503;
      res.set_header("Cache-Control", "no-store");
      res.set_content(health_json(XUN_VERSION, problem), json_type);
    });
    s.Get(R"(/plans/([^/]+))", [this](const httplib::Request &req, httplib::Response &res) {
      const std::string id = req.matches[1];
      const auto who = require_reader(req, id, true);
      if (!who.read.empty() && req.get_header_value("Sec-Fetch-Mode") == "navigate") {
        // A browser: the secret goes into a cookie and out of the address bar.
        res.set_header("Set-Cookie", read_set_cookie(id, who.read, origin(req).scheme == "https"));
        res.set_header("Cache-Control", "no-store");
        res.set_header("Location", "/plans/" + id);
        res.status = 303;
        return;
      }
      auto page =
          plan_page(id, origin(req), who.is_admin(), param(req, "key"), who.read, language(req));
      if (!who.session.empty()) {
        // The session's CSRF token for the sharing panel and the record form.
        page = std::make_shared<const std::string>(with_csrf_token(*page, csrf_token(who.session)));
        res.set_header("Cache-Control", "private, no-store");
      }
      send_kept(req, res, page, html_type);
      res.set_header("Vary", "Accept-Language");
    });
    s.Get(R"(/plans/([^/]+)/schedule\.(csv|xlsx))", [this](const httplib::Request &req,
                                                           httplib::Response &res) {
      const std::string id = req.matches[1];
      require_reader(req, id);
      auto pub = require_published(id, not_scheduled_detail(id) + ".");
      const bool csv = req.matches[2] == "csv";
      auto bytes = rendered.get("download " + id + " " + std::string(req.matches[2]),
                                std::to_string(pub->revision), [&] {
                                  return csv ? schedule_csv(pub->plan, pub->schedule)
                                             : schedule_xlsx(pub->plan, pub->schedule, pub->time);
                                });
      res.set_header("Content-Disposition",
                     "attachment; filename=\"" + id + "." + std::string(req.matches[2]) + "\"");
      res.set_header("Cache-Control", "private, no-cache");
      send_kept(req, res, bytes, csv ? csv_type : xlsx_type);
    });
    s.Get("/api/plans", [this](const httplib::Request &req, httplib::Response &res) {
      // Only the admin learns which plans exist.
      const bool admin = is_admin(req);
      res.set_content(plans_json(admin ? service.plans(true) : std::vector<service::PlanView>{},
                                 origin(req), admin),
                      json_type);
    });
    // A draft plan from a work plan's text (docs/API.md); nothing is stored.
    admin_route("POST", "/api/import", [this](const httplib::Request &req, httplib::Response &res) {
      const auto draft = import_draft(req.body, param(req, "year"), service.now());
      if (req.get_header_value("Accept").find("json") != std::string::npos)
        res.set_content(import_json(draft), json_type);
      else
        res.set_content(draft.yaml, "text/yaml; charset=utf-8");
    });
    admin_route("POST", "/api/plans", [this](const httplib::Request &req, httplib::Response &res) {
      send_submission(res, service.create_plan(req.body, file_name(req)), 201, origin(req));
    });
    s.Get(R"(/api/plans/([^/]+))", [this](const httplib::Request &req, httplib::Response &res) {
      const std::string id = req.matches[1];
      const bool admin = require_reader(req, id).is_admin();
      auto view = service.plan(id, admin);
      res.set_content(plan_json(view, service.revisions(id), origin(req), admin), json_type);
    });
    admin_route(
        "PUT", R"(/api/plans/([^/]+))",
        [this](const httplib::Request &req, httplib::Response &res) {
          const std::string id = req.matches[1];
          if (param(req, "dry_run") == "1" || param(req, "dry_run") == "true") {
            // §6.5: what would move, nothing stored.
            res.set_content(submission_json(service.preview_update(id, req.body, file_name(req)),
                                            service.plan(id, true), origin(req)),
                            json_type);
            return;
          }
          send_submission(res, service.update_plan(id, req.body, file_name(req)), 200, origin(req));
        });
    // Records of what happened (PLAN.md §6.4); each change re-plans (§6.5).
    s.Get(R"(/api/plans/([^/]+)/records)",
          [this](const httplib::Request &req, httplib::Response &res) {
            const std::string id = req.matches[1];
            require_reader(req, id);
            res.set_content(records_json(id, service.records(id)), json_type);
          });
    admin_route("PUT", R"(/api/plans/([^/]+)/records/(.+))",
                [this](const httplib::Request &req, httplib::Response &res) {
                  res.set_content(record_change_json(
                                      service.put_record(req.matches[1], req.matches[2], req.body)),
                                  json_type);
                });
    admin_route("DELETE", R"(/api/plans/([^/]+)/records/(.+))",
                [this](const httplib::Request &req, httplib::Response &res) {
                  res.set_content(
                      record_change_json(service.delete_record(req.matches[1], req.matches[2])),
                      json_type);
                });
    s.Get(R"(/api/plans/([^/]+)/progress)",
          [this](const httplib::Request &req, httplib::Response &res) {
            require_reader(req, req.matches[1]);
            std::optional<calendar::Date> as_of;
            if (auto text = param(req, "as_of")) {
              as_of = calendar::parse_iso_date(*text);
              if (!as_of)
                throw ApiError(400, "bad-as-of", "as_of is not a date",
                               "as_of must be a date such as 2026-06-30, found '" + *text + "'.");
            }
            const auto p = service.progress(req.matches[1], as_of);
            if (!p)
              throw ApiError(409, "not-scheduled", "The plan has no schedule yet",
                             "Progress is measured against a published schedule; this plan has "
                             "none yet.");
            res.set_content(scheduler::progress_json(*p), json_type);
          });
    admin_route("POST", R"(/api/plans/([^/]+)/next-year)",
                [this](const httplib::Request &req, httplib::Response &res) {
                  auto result = service.next_year(req.matches[1]);
                  if (!result.submission)
                    throw ApiError(422, "invalid-plan", "This plan's text is not valid",
                                   "Fix this year's plan first; next year's is made from it.");
                  send_next_year(res, result, origin(req));
                });
    admin_route("DELETE", R"(/api/plans/([^/]+))",
                [this](const httplib::Request &req, httplib::Response &res) {
                  service.delete_plan(req.matches[1]);
                  res.status = 204;
                });
    s.Get(R"(/api/plans/([^/]+)/schedule)",
          [this](const httplib::Request &req, httplib::Response &res) {
            const std::string id = req.matches[1];
            require_reader(req, id);
            const auto record = service.plan(id, false).record;
            auto pub = require_published(id, not_scheduled_detail(id) + " (the latest, revision " +
                                                 std::to_string(record.current_revision) +
                                                 ", is not schedulable); GET /api/plans/" + id +
                                                 " shows why.");
            scheduler::OutputFilter filter;
            if (auto month = param(req, "month"))
              filter.month = parse_month(*month, pub->plan.year);
            send_kept(req, res, cached_schedule_json(id, *pub, filter), json_type);
          });
    s.Get(R"(/api/plans/([^/]+)/reminders)", [this](const httplib::Request &req,
                                                    httplib::Response &res) {
      const std::string id = req.matches[1];
      require_reader(req, id);
      auto pub = require_published(id, not_scheduled_detail(id) + "; GET /api/plans/" + id +
                                           " shows why.");
      std::int64_t now = service.now();
      if (auto text = param(req, "now")) {
        auto t = parse_instant(*text, pub->plan.timezone);
        if (!t)
          throw bad_request("now='" + *text +
                            "' is not a time; write it as 2026-02-20T08:00:00+08:00, "
                            "2026-02-20T08:00 (in the plan's zone) or 2026-02-20.");
        now = *t;
      }
      long within = 7 * 1440;
      const auto within_text = param(req, "within");
      if (within_text) {
        auto d = calendar::parse_duration(*within_text, true);
        if (auto *e = std::get_if<calendar::TextError>(&d))
          throw bad_request("within='" + *within_text + "' is not a duration (" + e->message +
                            "); write it as 7d, 2w or 12h.");
        within = std::get<calendar::Duration>(d).minutes;
        if (within <= 0 || within > 400 * 1440)
          throw bad_request("within='" + *within_text + "' must be between 1m and 400d.");
      }
      auto reminders = service.reminders(id, now, within);
      if (!reminders.published) // unpublished meanwhile
        throw not_found("There is no plan with id '" + id + "'.");
      res.set_content(reminders_json(id, reminders, now, within_text.value_or("7d")), json_type);
    });
    s.Get(R"(/api/plans/([^/]+)/source)", [this](const httplib::Request &req,
                                                 httplib::Response &res) {
      require_reader(req, req.matches[1]);
      std::optional<int> revision;
      if (auto r = param(req, "revision")) {
        if (r->empty() || r->size() > 9 || r->find_first_not_of("0123456789") != std::string::npos)
          throw bad_request("revision='" + *r +
                            "' is not a revision number; write e.g. revision=2.");
        revision = std::stoi(*r);
      }
      res.set_content(service.source(req.matches[1], revision), "text/plain; charset=utf-8");
    });
    admin_route("POST", R"(/api/plans/([^/]+)/feed-token)",
                [this](const httplib::Request &req, httplib::Response &res) {
                  const std::string id = req.matches[1];
                  const std::string token = service.rotate_feed_token(id);
                  res.status = 201;
                  res.set_content(feed_token_json(id, feed_links(origin(req), token)), json_type);
                });
    admin_route("DELETE", R"(/api/plans/([^/]+)/feed-token)",
                [this](const httplib::Request &req, httplib::Response &res) {
                  service.revoke_feed_token(req.matches[1]);
                  res.status = 204;
                });
    admin_route("POST", R"(/api/plans/([^/]+)/read-link)",
                [this](const httplib::Request &req, httplib::Response &res) {
                  const std::string id = req.matches[1];
                  const std::string secret = service.issue_read_link(id);
                  res.status = 201;
                  res.set_content(read_link_json(id, origin(req).http_base() + "/plans/" + id +
                                                         "?read=" + secret),
                                  json_type);
                });
    admin_route("DELETE", R"(/api/plans/([^/]+)/read-link)",
                [this](const httplib::Request &req, httplib::Response &res) {
                  service.revoke_read_link(req.matches[1]);
                  res.status = 204;
                });
    admin_route("PATCH", R"(/api/plans/([^/]+))",
                [this](const httplib::Request &req, httplib::Response &res) {
                  const std::string id = req.matches[1];
                  service.set_public(id, parse_public_patch(req.body));
                  res.set_content(
                      plan_json(service.plan(id, true), service.revisions(id), origin(req), true),
                      json_type);
                });
    admin_route(
        "POST", "/api/validate", [this](const httplib::Request &req, httplib::Response &res) {
          res.set_content(validation_json(service.validate(req.body, file_name(req))), json_type);
        });
    admin_route("POST", "/api/holidays/cn",
                [this](const httplib::Request &req, httplib::Response &res) {
                  const auto imported = service.import_holidays(
                      req.body, parse_notice_year(param(req, "year")), param(req, "force") == "1");
                  res.set_content(holiday_import_json(imported), json_type);
                  res.status = 201;
                });
    notify_routes();
    s.set_pre_routing_handler([this](const httplib::Request &req, httplib::Response &res) {
      return check_request(req, res);
    });
    s.set_post_routing_handler([](const httplib::Request &, httplib::Response &res) {
      add_page_headers(res);
      if (res.get_header_value("Connection") == "close")
        res.headers.erase("Keep-Alive");
    });
    // Every typed error becomes problem+json here, and only here.
    s.set_exception_handler(
        [](const httplib::Request &req, httplib::Response &res, std::exception_ptr ep) {
          try {
            std::rethrow_exception(ep);
          } catch (const ApiError &e) {
            send_problem(req, res, e);
          } catch (const service::NotFound &e) {
            send_problem(req, res, not_found(e.what()));
          } catch (const service::Unprocessable &e) {
            send_problem(req, res,
                         ApiError(422, "unprocessable", "The request does not fit", e.what(),
                                  pointer_problems(e.pointer, e.what())));
          } catch (const store::NotFound &e) {
            send_problem(req, res, not_found(e.what()));
          } catch (const store::Conflict &e) {
            send_problem(req, res, ApiError(409, "conflict", "Conflict", e.what()));
          } catch (const store::Error &e) {
            std::cerr << "xun serve: " << e.what() << "\n";
            send_problem(req, res,
                         ApiError(503, "storage", "Storage unavailable",
                                  "The database could not complete the request; nothing was "
                                  "changed. Try again."));
          } catch (const std::exception &e) {
            std::cerr << "xun serve: " << req.method << " " << loggable_path(req.path) << ": "
                      << e.what() << "\n";
            send_problem(req, res,
                         ApiError(500, "internal", "Internal server error",
                                  std::string("A bug in Xun: ") + e.what()));
          } catch (...) {
            send_problem(req, res,
                         ApiError(500, "internal", "Internal server error",
                                  "A bug in Xun: an unknown exception."));
          }
        });
    // Errors httplib found itself (no route, body too large …) get a body too.
    s.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request &req, httplib::Response &res) {
          if (!res.body.empty())
            return httplib::Server::HandlerResponse::Unhandled;
          std::string detail;
          switch (res.status) {
          case 404:
            detail = "Nothing is served at " + req.method + " " + req.path +
                     "; docs/API.md lists the routes.";
            break;
          case 413:
            detail = body_limit_detail();
            break;
          default:
            detail = reason(res.status) + ".";
          }
          const std::string type =
              res.status == 404 ? "not-found" : "http-" + std::to_string(res.status);
          res.set_content(
              problem_json(ApiError(res.status, type, reason(res.status), detail), req.path),
              problem_type);
          return httplib::Server::HandlerResponse::Handled;
        }));
    if (config.log_requests)
      s.set_logger([](const httplib::Request &req, const httplib::Response &res) {
        const auto elapsed = std::chrono::steady_clock::now() - BoundedServer::request_started();
        AccessEntry entry{
            std::chrono::system_clock::now() -
                std::chrono::duration_cast<std::chrono::system_clock::duration>(elapsed),
            req.method,
            loggable_path(req.path),
            res.status,
            body_bytes(res),
            std::chrono::duration<double, std::milli>(elapsed).count()};
        write_access_log(access_log_line(entry));
      });
    s.set_tcp_nodelay(true);
  }
};

Server::Server(ServerConfig config, service::Service &service)
    : impl_(std::make_unique<Impl>(std::move(config), service)) {
  impl_->routes();
}

Server::~Server() { stop(); }

int Server::bind() {
  errno = 0;
  if (impl_->config.port == 0)
    impl_->port = impl_->http.bind_to_any_port(impl_->config.host);
  else
    impl_->port =
        impl_->http.bind_to_port(impl_->config.host, impl_->config.port) ? impl_->config.port : -1;
  impl_->bind_errno = impl_->port < 0 ? errno : 0;
  return impl_->port;
}

std::string Server::bind_error() const {
  const int e = impl_->bind_errno;
  if (e == EADDRINUSE)
    return "the port is in use by another program (another xun serve?)";
  if (e == EADDRNOTAVAIL || e == 0)
    return "not an address of this machine";
  return std::strerror(e);
}

void Server::run() { impl_->http.listen_after_bind(); }

void Server::stop() {
  if (impl_)
    impl_->http.stop();
}

} // namespace xun::http
