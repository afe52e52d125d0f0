#include "http/auth_throttle.hpp"

namespace xun::http {

namespace {
constexpr std::size_t addresses_kept = 10000;
}

AuthThrottle::AuthThrottle(int max_failures, std::chrono::seconds window)
    : max_failures_(max_failures), window_(window) {}

std::optional<long> AuthThrottle::retry_after(const std::string &client, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = failures_.find(client);
  if (it == failures_.end() || it->second.count < max_failures_)
    return std::nullopt;
  const auto left = it->second.since + window_ - now;
  if (left <= Clock::duration::zero()) {
    failures_.erase(it);
    return std::nullopt;
  }
  // Rounded up: a client that waits as told is let in.
  return std::chrono::ceil<std::chrono::seconds>(left).count();
}

void AuthThrottle::failed(const std::string &client, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (failures_.size() >= addresses_kept)
    forget_old(now);
  auto &f = failures_[client];
  if (f.count == 0 || now - f.since >= window_)
    f = Failures{now, 0};
  ++f.count;
}

void AuthThrottle::forget_old(Clock::time_point now) {
  std::erase_if(failures_, [&](const auto &entry) { return now - entry.second.since >= window_; });
}

} // namespace xun::http
