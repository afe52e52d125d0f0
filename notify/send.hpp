// Sending one message through one channel, and what came of it: sent, retry
// later (network errors, timeouts, 5xx, 429, the robots' rate-limit codes, an
// HTTP 200 whose body does not say success) or permanent (a bad key, a bad
// signature, a missing keyword: retrying will not help; show it on the channel).
#pragma once

#include "notify/channel.hpp"
#include "notify/message.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace xun::notify {

enum class Outcome { sent, retry, permanent };

struct SendResult {
  Outcome outcome = Outcome::retry;
  int http_status = 0; // the HTTP status, or the SMTP reply code for e-mail; 0 when none came
  std::string answer; // what the far end said, ≤ 500 bytes; never a secret or the URL's credential
  std::string error;  // one line, Chinese first; empty when sent
  std::optional<int> retry_after_seconds; // the far end's Retry-After, when it gave one
};

struct SendOptions {
  std::int64_t now = 0; // Unix seconds: the signatures' and the e-mail Date's clock
  std::chrono::milliseconds timeout{10000}; // the whole exchange, connection included
};

// Thread-safe: each call has its own libcurl handle (curl_global_init runs once).
SendResult send(const ChannelSettings &channel, const Message &message, const SendOptions &options);

std::string outcome_name(Outcome outcome); // "sent", "retry", "permanent"

} // namespace xun::notify
