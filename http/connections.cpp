#include "http/connections.hpp"

#include "http/errors.hpp"
#include "http/wire.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace xun::http {

namespace {

using Clock = std::chrono::steady_clock;

// A stopping server is noticed within this long by a waiting connection.
constexpr std::chrono::milliseconds poll_slice{100};

// One connection's worker serves one request at a time, so the flag that the
// response ends the connection is per thread.
thread_local bool closing_after_response = false;
thread_local Clock::time_point request_started_at;

std::string address_text(const sockaddr_storage &a, int &port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (a.ss_family == AF_INET) {
    const auto &v4 = reinterpret_cast<const sockaddr_in &>(a);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (a.ss_family == AF_INET6) {
    const auto &v6 = reinterpret_cast<const sockaddr_in6 &>(a);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  return text;
}

// Waits until the socket can be read (POLLIN) or written (POLLOUT), in
// slices so that a stopping server is noticed (when `stopping_server` is
// given: a request under way is finished instead); false at `deadline`.
bool wait_for(socket_t sock, short events, Clock::time_point deadline,
              const std::atomic<socket_t> *stopping_server) {
  for (;;) {
    if (stopping_server && *stopping_server == INVALID_SOCKET)
      return false;
    // Rounded up: a wait that returns "no" has reached its deadline.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return false;
    pollfd p{sock, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min(left, poll_slice).count()));
    if (n > 0)
      return true;
    if (n < 0 && errno != EINTR)
      return false;
  }
}

// Reads one request through the limits: the head (request line and header
// lines) in bytes, lines and time; the body in bytes on the wire.
class BoundedStream : public httplib::Stream {
public:
  BoundedStream(socket_t sock, const ConnectionLimits &limits)
      : sock_(sock), limits_(limits), head_deadline_(Clock::now() + limits.header_deadline) {}

  // The connection cannot carry another request: refused here, or a read
  // failed part-way (what follows on the socket is not a request).
  bool ended() const { return refused_ || broken_; }

  bool is_readable() const override {
    return !refused_ && wait_for(sock_, POLLIN, Clock::now() + limits_.read_timeout, nullptr);
  }
  bool is_writable() const override {
    return !refused_ && wait_for(sock_, POLLOUT, Clock::now() + limits_.write_timeout, nullptr);
  }

  ssize_t read(char *ptr, size_t size) override {
    if (refused_)
      return -1;
    if (in_head_ && head_bytes_ >= limits_.max_header_bytes)
      return refuse(431, "The request line and headers are longer than " +
                             std::to_string(limits_.max_header_bytes) +
                             " bytes, the limit of this server.");
    auto deadline = Clock::now() + limits_.read_timeout;
    if (in_head_)
      deadline = std::min(deadline, head_deadline_);
    if (!wait_for(sock_, POLLIN, deadline, nullptr)) {
      if (in_head_ && head_bytes_ > 0)
        return refuse(408, "The request line and headers did not arrive within " +
                               std::to_string(limits_.header_deadline.count() / 1000) +
                               " seconds, with at most " +
                               std::to_string(limits_.read_timeout.count()) +
                               " seconds between two reads.");
      broken_ = true;
      return -1;
    }
    if (in_head_)
      size = std::min(size, limits_.max_header_bytes - head_bytes_);
    const ssize_t n = ::recv(sock_, ptr, size, 0);
    if (n > 0)
      return count(ptr, static_cast<std::size_t>(n));
    broken_ = n < 0 || !in_head_ || head_bytes_ > 0;
    return n;
  }

  ssize_t write(const char *ptr, size_t size) override {
    if (refused_) // the refusal was the answer
      return -1;
    return send_now(ptr, size);
  }

  void get_remote_ip_and_port(std::string &ip, int &port) const override {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (::getpeername(sock_, reinterpret_cast<sockaddr *>(&a), &len) == 0)
      ip = address_text(a, port);
  }
  void get_local_ip_and_port(std::string &ip, int &port) const override {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    if (::getsockname(sock_, reinterpret_cast<sockaddr *>(&a), &len) == 0)
      ip = address_text(a, port);
  }
  socket_t socket() const override { return sock_; }

private:
  ssize_t send_now(const char *ptr, size_t size) {
    if (!wait_for(sock_, POLLOUT, Clock::now() + limits_.write_timeout, nullptr))
      return -1;
    return ::send(sock_, ptr, size, MSG_NOSIGNAL);
  }

  // Counts what arrived: head lines up to the blank line, then body bytes.
  ssize_t count(const char *ptr, std::size_t n) {
    std::size_t body = n;
    if (in_head_) {
      head_bytes_ += n;
      for (std::size_t i = 0; i < n && in_head_; ++i) {
        if (ptr[i] != '\n') {
          line_empty_ = line_empty_ && ptr[i] == '\r';
          continue;
        }
        if (line_empty_ && lines_ > 0) {
          in_head_ = false;
          body = n - i - 1;
        }
        ++lines_;
        line_empty_ = true;
      }
      if (in_head_)
        body = 0;
      if (lines_ > limits_.max_header_lines + 1)
        return refuse(431, "The request has more than " + std::to_string(limits_.max_header_lines) +
                               " header lines, the limit of this server.");
    }
    body_bytes_ += body;
    if (body_bytes_ > body_wire_bytes(limits_))
      return refuse(413, "The request body is larger than " +
                             std::to_string(limits_.max_body_bytes) +
                             " bytes, the limit of this server.");
    return static_cast<ssize_t>(n);
  }

  // Answers the request here (httplib could not: it would read on) and ends
  // the connection.
  ssize_t refuse(int status, const std::string &detail) {
    const std::string title = status == 408   ? "Request timeout"
                              : status == 413 ? "Request too large"
                                              : "Request header fields too large";
    const std::string body =
        problem_json(ApiError(status, "http-" + std::to_string(status), title, detail), "");
    const std::string head = "HTTP/1.1 " + std::to_string(status) + " " + title +
                             "\r\nContent-Type: application/problem+json; charset=utf-8"
                             "\r\nConnection: close\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n";
    const std::string all = head + body;
    for (std::size_t sent = 0; sent < all.size();) {
      const ssize_t k = send_now(all.data() + sent, all.size() - sent);
      if (k <= 0)
        break;
      sent += static_cast<std::size_t>(k);
    }
    refused_ = true;
    return -1;
  }

  socket_t sock_;
  const ConnectionLimits &limits_;
  Clock::time_point head_deadline_;
  bool in_head_ = true;
  bool line_empty_ = true;
  std::size_t lines_ = 0;
  std::size_t head_bytes_ = 0;
  std::size_t body_bytes_ = 0;
  bool refused_ = false;
  bool broken_ = false;
};

// httplib's ThreadPool starts all its threads at once; this one starts a
// thread when every running one is busy, up to `max`, and keeps it.
class GrowingPool : public httplib::TaskQueue {
public:
  explicit GrowingPool(std::size_t max) : max_(max) {}

  void enqueue(std::function<void()> fn) override {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(fn));
    if (jobs_.size() > idle_ && threads_.size() < max_)
      threads_.emplace_back([this] { work(); });
    else
      ready_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto &t : threads_) // no enqueue after shutdown: the listener has stopped
      t.join();
  }

private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        ++idle_;
        ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty())
          return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::size_t max_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

} // namespace

std::size_t body_wire_bytes(const ConnectionLimits &limits) {
  // Chunk sizes and line ends on top of the payload; a sender of one-byte
  // chunks is cut off early, and the route answers 413 for the payload.
  return limits.max_body_bytes + limits.max_body_bytes / 2 + 64 * 1024;
}

BoundedServer::BoundedServer(ConnectionLimits limits) : limits_(limits) {
  const std::size_t workers = limits_.workers;
  new_task_queue = [workers] { return new GrowingPool(workers); };
  set_keep_alive_max_count(limits_.requests_per_connection);
  set_keep_alive_timeout(limits_.idle_timeout.count());
  set_read_timeout(limits_.read_timeout);
  set_write_timeout(limits_.write_timeout);
  set_payload_max_length(limits_.max_body_bytes);
  // SO_REUSEADDR only (a restart may bind over TIME_WAIT); httplib's default
  // SO_REUSEPORT would let a second server share the port and its requests.
  set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

void BoundedServer::close_after_response() { closing_after_response = true; }

Clock::time_point BoundedServer::request_started() { return request_started_at; }

bool BoundedServer::wait_for_request(socket_t sock) const {
  if (!wait_for(sock, POLLIN, Clock::now() + limits_.idle_timeout, &svr_sock_)) {
    // Stopping: a request that has already arrived is still answered.
    pollfd p{sock, POLLIN, 0};
    if (svr_sock_ != INVALID_SOCKET || ::poll(&p, 1, 0) <= 0)
      return false;
  }
  char byte = 0;
  return ::recv(sock, &byte, 1, MSG_PEEK) > 0; // 0: the client closed
}

bool BoundedServer::process_and_close_socket(socket_t sock) {
  bool ok = true;
  for (std::size_t left = limits_.requests_per_connection; left > 0; --left) {
    if (!wait_for_request(sock))
      break;
    request_started_at = Clock::now();
    BoundedStream stream(sock, limits_);
    closing_after_response = false;
    bool closed_by_client = false;
    const bool last = left == 1 || svr_sock_ == INVALID_SOCKET; // stopping: Connection: close
    ok = process_request(stream, last, closed_by_client, nullptr);
    if (!ok || closed_by_client || stream.ended() || closing_after_response)
      break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

} // namespace xun::http
