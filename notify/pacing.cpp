#include "notify/pacing.hpp"

#include <algorithm>

namespace xun::notify {

namespace {

constexpr std::int64_t first_delay_seconds = 30;
constexpr std::int64_t max_delay_seconds = 3600;

// SplitMix64: a well-mixed 64-bit value from any seed.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

} // namespace

std::int64_t retry_delay_seconds(int attempt, std::uint64_t seed) {
  const int doublings = std::clamp(attempt - 1, 0, 20);
  const std::int64_t cap =
      std::min(max_delay_seconds, first_delay_seconds * (std::int64_t{1} << doublings));
  const auto draw = mix(seed ^ mix(static_cast<std::uint64_t>(attempt)));
  return 1 + static_cast<std::int64_t>(draw % static_cast<std::uint64_t>(cap));
}

Rate rate_of(ChannelType type) {
  switch (type) {
  case ChannelType::wecom:
  case ChannelType::dingtalk:
    return {3300, 2}; // 2 + 60/3.3 = 20 in any minute
  case ChannelType::feishu:
    return {650, 4};         // 4 + 1 = 5 in any second, 4 + 92 = 96 in any minute
  case ChannelType::webhook: // our own receivers: no published limit; 200/s keeps a backlog short
    return {5, 50};
  case ChannelType::email:
    return {200, 5};
  }
  return {1000, 1};
}

RateLimiter::RateLimiter(std::function<std::int64_t()> clock_ms) : clock_ms_(std::move(clock_ms)) {}

std::int64_t RateLimiter::wait_ms(const std::string &channel_id, ChannelType type) {
  const auto rate = rate_of(type);
  const std::int64_t now = clock_ms_();
  const std::lock_guard lock(mutex_);
  auto &next = next_ms_.try_emplace(channel_id, now).first->second;
  const std::int64_t due = std::max(next, now);
  const std::int64_t allowed_ahead = (rate.burst - 1) * rate.interval_ms;
  if (due - now > allowed_ahead)
    return due - now - allowed_ahead;
  next = due + rate.interval_ms;
  return 0;
}

} // namespace xun::notify
