// Backoff and the per-channel token bucket, against an injected clock.
#include "notify/pacing.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace xun::notify;

TEST_CASE("the retry delay grows from 30 s to a 1 h cap, jittered, the same for the same seed") {
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const std::int64_t cap = std::min<std::int64_t>(3600, 30LL << (attempt - 1));
    std::int64_t largest = 0;
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
      const auto d = retry_delay_seconds(attempt, seed);
      CHECK(d >= 1);
      CHECK(d <= cap);
      CHECK(d == retry_delay_seconds(attempt, seed));
      largest = std::max(largest, d);
    }
    CHECK(largest > cap / 2); // full jitter spreads over the whole range
  }
  CHECK(retry_delay_seconds(1, 1) != retry_delay_seconds(1, 2));
  CHECK(retry_delay_seconds(0, 7) <= 30);
  CHECK(retry_delay_seconds(1000000, 7) <= 3600);
}

namespace {

// How many of `attempts` sends, spread evenly over `span_ms`, the limiter lets
// through within the first `window_ms` of a clock at that pace (sending as
// soon as it allows).
int sent_in_window(ChannelType type, std::int64_t window_ms) {
  std::int64_t now = 0;
  RateLimiter limiter([&] { return now; });
  int sent = 0;
  while (now < window_ms) {
    const auto wait = limiter.wait_ms("channel-1", type);
    if (wait == 0)
      ++sent;
    else
      now += wait;
  }
  return sent;
}

} // namespace

TEST_CASE("WeCom and DingTalk send at most 20 in any minute; Feishu 5 in a second, 100 a minute") {
  CHECK(sent_in_window(ChannelType::wecom, 60000) == 20);
  CHECK(sent_in_window(ChannelType::dingtalk, 60000) == 20);
  CHECK(sent_in_window(ChannelType::feishu, 1000) <= 5);
  CHECK(sent_in_window(ChannelType::feishu, 60000) <= 100);
  CHECK(sent_in_window(ChannelType::webhook, 1000) >= 10);
  // Sliding windows too: a greedy sender's sends, any minute of them.
  std::int64_t now = 0;
  RateLimiter limiter([&] { return now; });
  std::vector<std::int64_t> times;
  while (now < 600000) {
    const auto wait = limiter.wait_ms("c", ChannelType::wecom);
    if (wait == 0)
      times.push_back(now);
    else
      now += wait;
  }
  for (std::size_t i = 0; i < times.size(); ++i) {
    std::size_t j = i;
    while (j < times.size() && times[j] < times[i] + 60000)
      ++j;
    CHECK(j - i <= 20);
  }
}

TEST_CASE("each channel has its own bucket, and a wait is how long until the next token") {
  std::int64_t now = 1000;
  RateLimiter limiter([&] { return now; });
  CHECK(limiter.wait_ms("a", ChannelType::wecom) == 0);
  CHECK(limiter.wait_ms("a", ChannelType::wecom) == 0);
  const auto wait = limiter.wait_ms("a", ChannelType::wecom);
  CHECK(wait == 3300);
  CHECK(limiter.wait_ms("b", ChannelType::wecom) == 0);
  now += wait - 1;
  CHECK(limiter.wait_ms("a", ChannelType::wecom) == 1);
  now += 1;
  CHECK(limiter.wait_ms("a", ChannelType::wecom) == 0);
}
