// A raw TCP connection to 127.0.0.1 for tests that must send what no HTTP
// client library sends: chunked bodies of any size, thousands of header
// lines, a head trickled a byte at a time, a connection left idle.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>

namespace xun::testing {

class RawConnection {
public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::connect(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  RawConnection(const RawConnection &) = delete;
  RawConnection &operator=(const RawConnection &) = delete;
  RawConnection(RawConnection &&other) noexcept : fd_(other.fd_), closed_(other.closed_) {
    other.fd_ = -1;
  }
  RawConnection &operator=(RawConnection &&other) noexcept {
    if (this != &other) {
      if (fd_ >= 0)
        ::close(fd_);
      fd_ = other.fd_;
      closed_ = other.closed_;
      other.fd_ = -1;
    }
    return *this;
  }

  bool connected() const { return fd_ >= 0; }

  // False when the peer closed or reset the connection.
  bool send(const std::string &bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // What arrives within `timeout` (until the peer closes, or a whole
  // response when `one_response`: its head and Content-Length bytes).
  std::string receive(std::chrono::milliseconds timeout, bool one_response = true) {
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0}; // polled at least once, also with no time left
      if (::poll(&p, 1, static_cast<int>(std::max<long>(0, left.count()))) <= 0)
        return got;
      char buf[65536];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        return got;
      }
      got.append(buf, static_cast<std::size_t>(n));
      if (one_response && complete(got))
        return got;
    }
  }

  // True once the peer has closed (seen by receive, or now within `timeout`).
  bool closed_by_peer(std::chrono::milliseconds timeout) {
    if (!closed_)
      receive(timeout, false);
    return closed_;
  }

  static int status_of(const std::string &response) {
    if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12)
      return 0;
    return std::stoi(response.substr(9, 3));
  }

private:
  static bool complete(const std::string &got) {
    const auto end = got.find("\r\n\r\n");
    if (end == std::string::npos)
      return false;
    std::string head = got.substr(0, end);
    for (auto &c : head)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = head.find("content-length: ");
    const std::size_t length = at == std::string::npos ? 0 : std::stoul(head.substr(at + 16));
    return got.size() >= end + 4 + length;
  }

  int fd_ = -1;
  bool closed_ = false;
};

// A port of 127.0.0.1 that nothing listens on right now.
inline int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr *>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr *>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

} // namespace xun::testing
