// Internal to http/ (included by server.cpp only): the cpp-httplib server with
// bounded connections. cpp-httplib 0.11 reads a request line and each header
// line whole whatever their length, any number of header lines, a chunked
// body of any size, and a client may trickle bytes for ever; its own
// keep-alive wait holds a worker. Each connection here reads through a
// stream that enforces the limits below and answers 408/413/431 itself.
// Stopping (stop()) closes idle connections at once and lets each request
// whose bytes have arrived finish, within the read and write timeouts.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace xun::http {

struct ConnectionLimits {
  std::size_t max_header_bytes = 32 * 1024;          // request line and header lines together
  std::size_t max_header_lines = 100;                // header lines (the request line not counted)
  std::chrono::milliseconds header_deadline{10'000}; // for the whole head, from its first byte
  std::size_t max_body_bytes = 1 << 20;              // the payload limit of the server
  std::chrono::seconds idle_timeout{5};              // keep-alive: wait for the next request
  std::chrono::seconds read_timeout{5};              // between two reads of one request
  std::chrono::seconds write_timeout{5};
  std::size_t requests_per_connection = 100;
  std::size_t workers = 512; // connections served at once (one thread each, started as needed)
};

// The bytes a body may take on the wire: the payload and its chunk framing.
std::size_t body_wire_bytes(const ConnectionLimits &limits);

class BoundedServer : public httplib::Server {
public:
  explicit BoundedServer(ConnectionLimits limits);
  const ConnectionLimits &limits() const { return limits_; }

  // The response now being written ends its connection: its request's body
  // was refused unread, so what follows on the socket is not a request.
  static void close_after_response();
  // When this worker's current request began to arrive (its first byte).
  static std::chrono::steady_clock::time_point request_started();

private:
  bool process_and_close_socket(socket_t sock) override;
  // Waits for the next request on a kept-alive connection; false: idle too
  // long, closed by the client, or the server is stopping.
  bool wait_for_request(socket_t sock) const;

  ConnectionLimits limits_;
};

} // namespace xun::http
