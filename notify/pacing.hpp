// When to try again, and how fast a channel may be sent to: capped
// exponential backoff with full jitter, and a token bucket per channel that
// keeps under each robot's limit.
#pragma once

#include "notify/channel.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace xun::notify {

// Seconds to wait before attempt `attempt` + 1 after `attempt` failures (1, 2, …):
// uniform in [1, min(3600, 30·2^(attempt−1))], the same for the same seed.
std::int64_t retry_delay_seconds(int attempt, std::uint64_t seed);

// How fast each type may be sent to: a bucket of `burst` tokens refilled one
// per `interval_ms`, chosen so that no window of the robot's limit sees more
// than the limit (WeCom, DingTalk: 20 in any minute; Feishu: 5 in any second
// and 100 in any minute).
struct Rate {
  std::int64_t interval_ms;
  std::int64_t burst;
};
Rate rate_of(ChannelType type);

class RateLimiter {
public:
  explicit RateLimiter(std::function<std::int64_t()> clock_ms);

  // 0 when `channel_id` may be sent to now (and the token is taken), else the
  // milliseconds until it may. Thread-safe.
  std::int64_t wait_ms(const std::string &channel_id, ChannelType type);

private:
  std::function<std::int64_t()> clock_ms_;
  std::mutex mutex_;
  // Per channel, the theoretical arrival time of the next message (GCRA): a
  // token bucket kept as one number.
  std::map<std::string, std::int64_t> next_ms_;
};

} // namespace xun::notify
