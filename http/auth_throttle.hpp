// Failed admin authentication, counted per client address: after
// `max_failures` within `window`, that address is answered 429 (with
// Retry-After) until the window ends, without its token being checked, so a
// token cannot be guessed at speed. Time is a parameter (tests pass it).
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace xun::http {

class AuthThrottle {
public:
  using Clock = std::chrono::steady_clock;
  explicit AuthThrottle(int max_failures = 10,
                        std::chrono::seconds window = std::chrono::seconds{60});

  // Seconds to wait before trying again; nullopt: this address may try now.
  std::optional<long> retry_after(const std::string &client, Clock::time_point now);
  void failed(const std::string &client, Clock::time_point now);

  int max_failures() const { return max_failures_; }
  std::chrono::seconds window() const { return window_; }

private:
  struct Failures {
    Clock::time_point since;
    int count = 0;
  };
  void forget_old(Clock::time_point now); // keeps the table small

  int max_failures_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> failures_;
};

} // namespace xun::http
