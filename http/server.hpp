// The HTTP service on cpp-httplib: routes, auth, problem+json errors, feeds
// with ETag/Last-Modified, and the pages. Configuration is passed in.
#pragma once

#include "http/service.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace xun::http {

struct ServerConfig {
  std::filesystem::path db_path = "xun.db";
  std::string host = "127.0.0.1";
  int port = 8080; // 0: any free port (see Server::bind)
  std::filesystem::path data_dir;
  std::string admin_token;              // Bearer token for every change
  std::function<std::int64_t()> clock;  // Unix seconds; default the system clock
  std::size_t max_body_bytes = 1 << 20; // a plan is text: 1 MiB is plenty
  bool log_requests = false;            // one line per request on stderr
};

class Server {
public:
  explicit Server(ServerConfig config); // opens the database; throws StorageError
  ~Server();
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;

  // Binds the socket; returns the port, or -1 when it cannot be bound.
  int bind();
  void run();  // serves until stop(); call after bind()
  void stop(); // safe from another thread
  Service &service();
  void set_admin_token(std::string token); // before run()

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace xun::http
