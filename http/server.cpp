#include "http/server.hpp"

#include "http/errors.hpp"
#include "http/json.hpp"
#include "http/storage.hpp"

#include <httplib.h>

#include <iostream>

namespace xun::http {

namespace {

constexpr const char *json_type = "application/json; charset=utf-8";
constexpr const char *problem_type = "application/problem+json; charset=utf-8";
constexpr const char *html_type = "text/html; charset=utf-8";
constexpr const char *ics_type = "text/calendar; charset=utf-8";

std::string reason(int status) {
  switch (status) {
  case 400:
    return "Bad request";
  case 401:
    return "Unauthorized";
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
  default:
    return status >= 500 ? "Internal server error" : "Request error";
  }
}

std::optional<std::string> param(const httplib::Request &req, const char *name) {
  if (!req.has_param(name))
    return std::nullopt;
  return req.get_param_value(name);
}

} // namespace

struct Server::Impl {
  ServerConfig config;
  Service service;
  httplib::Server http;
  int port = -1;

  explicit Impl(ServerConfig c)
      : config(std::move(c)),
        service(ServiceConfig{config.db_path, config.data_dir, config.clock}) {}

  Origin origin(const httplib::Request &req) const {
    Origin o;
    const std::string proto = req.get_header_value("X-Forwarded-Proto");
    if (proto == "https" || proto == "http")
      o.scheme = proto;
    o.host = req.get_header_value("Host");
    if (o.host.empty() || o.host.find_first_of(" /\\\"<>") != std::string::npos)
      o.host = config.host + ":" + std::to_string(port);
    return o;
  }

  // Reading needs no token, but only the admin sees the feed URLs.
  bool is_admin(const httplib::Request &req) const {
    const std::string header = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    return header.rfind(prefix, 0) == 0 &&
           same_secret(header.substr(prefix.size()), config.admin_token);
  }

  void require_admin(const httplib::Request &req) const {
    const std::string header = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (header.rfind(prefix, 0) != 0)
      throw ApiError(
          401, "unauthorized", "Unauthorized",
          "Changing plans needs the admin token: send 'Authorization: Bearer TOKEN' "
          "(the token is $XUN_ADMIN_TOKEN, or the one `xun serve` printed on its first start).");
    if (!same_secret(header.substr(prefix.size()), config.admin_token))
      throw ApiError(401, "unauthorized", "Unauthorized",
                     "The bearer token is not the admin token of this server.");
  }

  static std::string file_name(const httplib::Request &req) {
    auto name = param(req, "file");
    if (name && !name->empty() && name->size() < 200)
      return *name;
    const std::string type = req.get_header_value("Content-Type");
    return type.find("json") != std::string::npos ? "plan.json" : "plan.yaml";
  }

  static void send_reply(httplib::Response &res, const Reply &r) {
    res.status = r.status;
    if (!r.location.empty())
      res.set_header("Location", r.location);
    res.set_content(r.body, json_type);
  }

  // httplib compresses text bodies by itself when the client accepts it; a
  // compressed body is another representation, so it gets its own strong ETag.
  static std::string representation_etag(const httplib::Request &req, const std::string &etag) {
    httplib::Response probe;
    probe.set_header("Content-Type", ics_type);
    switch (httplib::detail::encoding_type(req, probe)) {
    case httplib::detail::EncodingType::Gzip:
      return etag.substr(0, etag.size() - 1) + "-gzip\"";
    case httplib::detail::EncodingType::Brotli:
      return etag.substr(0, etag.size() - 1) + "-br\"";
    default:
      return etag;
    }
  }

  void send_feed(const httplib::Request &req, httplib::Response &res,
                 const std::shared_ptr<const FeedBody> &body) const {
    if (!body)
      throw not_found(
          "There is no feed at " + req.path +
          ": the link is wrong, or its token was revoked (ask for the plan's new link).");
    const std::string etag = representation_etag(req, body->etag);
    res.set_header("ETag", etag);
    res.set_header("Vary", "Accept-Encoding");
    res.set_header("Last-Modified", http_date(body->last_modified));
    res.set_header("Cache-Control", "no-cache");
    const std::string inm = req.get_header_value("If-None-Match");
    bool fresh = false;
    if (!inm.empty())
      fresh = etag_matches(inm, etag);
    else if (auto since = parse_http_date(req.get_header_value("If-Modified-Since")))
      fresh = body->last_modified <= *since;
    if (fresh) {
      res.status = 304;
      return;
    }
    res.status = 200;
    res.set_content(body->bytes, ics_type);
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
      res.set_content(service.index_page(is_admin(req)), html_type);
    });
    s.Get("/healthz", [](const httplib::Request &, httplib::Response &res) {
      res.set_content("{\"status\": \"ok\"}\n", json_type);
    });
    s.Get(R"(/plans/([^/]+))", [this](const httplib::Request &req, httplib::Response &res) {
      // The URL may carry the feed token (?key=): don't pass it on to other sites.
      res.set_header("Referrer-Policy", "no-referrer");
      res.set_content(
          service.plan_page(req.matches[1], origin(req), is_admin(req), param(req, "key")),
          html_type);
    });
    s.Get("/api/plans", [this](const httplib::Request &req, httplib::Response &res) {
      send_reply(res, service.list_plans(origin(req), is_admin(req)));
    });
    s.Post("/api/plans", [this](const httplib::Request &req, httplib::Response &res) {
      require_admin(req);
      send_reply(res, service.create_plan(req.body, file_name(req), origin(req)));
    });
    s.Get(R"(/api/plans/([^/]+))", [this](const httplib::Request &req, httplib::Response &res) {
      send_reply(res, service.get_plan(req.matches[1], origin(req), is_admin(req)));
    });
    s.Put(R"(/api/plans/([^/]+))", [this](const httplib::Request &req, httplib::Response &res) {
      require_admin(req);
      send_reply(res, service.update_plan(req.matches[1], req.body, file_name(req), origin(req)));
    });
    s.Delete(R"(/api/plans/([^/]+))", [this](const httplib::Request &req, httplib::Response &res) {
      require_admin(req);
      service.delete_plan(req.matches[1]);
      res.status = 204;
    });
    s.Get(R"(/api/plans/([^/]+)/schedule)",
          [this](const httplib::Request &req, httplib::Response &res) {
            res.set_content(service.schedule(req.matches[1], param(req, "month")), json_type);
          });
    s.Get(R"(/api/plans/([^/]+)/reminders)", [this](const httplib::Request &req,
                                                    httplib::Response &res) {
      res.set_content(service.reminders(req.matches[1], param(req, "now"), param(req, "within")),
                      json_type);
    });
    s.Get(R"(/api/plans/([^/]+)/source)", [this](const httplib::Request &req,
                                                 httplib::Response &res) {
      std::optional<int> revision;
      if (auto r = param(req, "revision")) {
        if (r->empty() || r->size() > 9 || r->find_first_not_of("0123456789") != std::string::npos)
          throw bad_request("revision='" + *r +
                            "' is not a revision number; write e.g. revision=2.");
        revision = std::stoi(*r);
      }
      res.set_content(service.source(req.matches[1], revision), "text/plain; charset=utf-8");
    });
    s.Post(R"(/api/plans/([^/]+)/feed-token)",
           [this](const httplib::Request &req, httplib::Response &res) {
             require_admin(req);
             send_reply(res, service.rotate_feed_token(req.matches[1], origin(req)));
           });
    s.Delete(R"(/api/plans/([^/]+)/feed-token)",
             [this](const httplib::Request &req, httplib::Response &res) {
               require_admin(req);
               service.revoke_feed_token(req.matches[1]);
               res.status = 204;
             });
    // Every typed error becomes problem+json here, and only here.
    s.set_exception_handler(
        [](const httplib::Request &req, httplib::Response &res, std::exception_ptr ep) {
          try {
            std::rethrow_exception(ep);
          } catch (const ApiError &e) {
            res.status = e.status;
            if (e.status == 401)
              res.set_header("WWW-Authenticate", "Bearer realm=\"xun\"");
            res.set_content(problem_json(e, req.path), problem_type);
          } catch (const StorageError &e) {
            std::cerr << "xun serve: " << e.what() << "\n";
            res.status = 503;
            res.set_content(problem_json(ApiError(503, "storage", "Storage unavailable",
                                                  "The database could not complete the request; "
                                                  "nothing was changed. Try again."),
                                         req.path),
                            problem_type);
          } catch (const std::exception &e) {
            std::cerr << "xun serve: " << req.method << " " << req.path << ": " << e.what() << "\n";
            res.status = 500;
            res.set_content(problem_json(ApiError(500, "internal", "Internal server error",
                                                  std::string("A bug in Xun: ") + e.what()),
                                         req.path),
                            problem_type);
          } catch (...) {
            res.status = 500;
            res.set_content(problem_json(ApiError(500, "internal", "Internal server error",
                                                  "A bug in Xun: an unknown exception."),
                                         req.path),
                            problem_type);
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
            detail = "The request body is larger than " + std::to_string(config.max_body_bytes) +
                     " bytes, the limit of this server.";
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
        std::cerr << req.method << " " << req.path << " " << res.status << "\n";
      });
    s.set_payload_max_length(config.max_body_bytes);
    s.set_keep_alive_max_count(10000);
    s.set_tcp_nodelay(true);
    s.set_keep_alive_timeout(30);
  }
};

Server::Server(ServerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {
  impl_->routes();
}

Server::~Server() { stop(); }

int Server::bind() {
  if (impl_->config.port == 0)
    impl_->port = impl_->http.bind_to_any_port(impl_->config.host);
  else
    impl_->port =
        impl_->http.bind_to_port(impl_->config.host, impl_->config.port) ? impl_->config.port : -1;
  return impl_->port;
}

void Server::run() { impl_->http.listen_after_bind(); }

void Server::stop() {
  if (impl_)
    impl_->http.stop();
}

Service &Server::service() { return impl_->service; }

void Server::set_admin_token(std::string token) { impl_->config.admin_token = std::move(token); }

} // namespace xun::http
