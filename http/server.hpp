// The HTTP service on cpp-httplib: routes, the admin check, problem+json
// errors, feeds with ETag/Last-Modified, and the pages. The use cases are
// passed in (service::Service); configuration too.
#pragma once

#include "service/service.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace xun::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;         // 0: any free port (see Server::bind)
  std::string admin_token; // Bearer token for every change; only its digest is kept
  std::optional<service::SecretDigest> admin_digest; // instead of admin_token (a stored one)
  std::size_t max_body_bytes = 1 << 20;              // a plan is text: 1 MiB is plenty
  std::size_t workers = 512;                         // connections served at once (docs/LIMITS.md)
  bool log_requests = false; // the access log: a JSON line per request on stderr (no secrets)
};

class Server {
public:
  Server(ServerConfig config, service::Service &service); // `service` outlives the server
  ~Server();
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;

  // Binds the socket; returns the port, or -1 when it cannot be bound
  // (bind_error() says why: e.g. the port is in use — never shared).
  int bind();
  std::string bind_error() const;
  void run();  // serves until stop(); call after bind()
  void stop(); // safe from another thread

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace xun::http
