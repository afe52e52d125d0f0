// How channels and messages are kept in the store: a channel split into the
// settings a reader may see and the secrets the service seals; a message as
// the outbox row's payload. The store never looks inside either.
#pragma once

#include "notify/notify.hpp"

#include <cstdint>
#include <string>

namespace xun::notify {

struct StoredParts {
  std::string settings; // JSON text: the public view (credentials masked)
  std::string secrets;  // JSON text: url, secret, smtp password (to be sealed)
};
StoredParts store_parts(const ChannelSettings &channel);
// Throws std::runtime_error when either text does not read.
ChannelSettings from_parts(const std::string &settings, const std::string &secrets);

// An outbox payload: the message, and when its occurrence starts (Unix
// seconds; 0 when it has none), so nothing is sent once it has begun.
struct Payload {
  Message message;
  std::string event_json; // the occurrence (PLAN.md §5), when message.event is null
  std::int64_t starts_at = 0;
};
std::string encode_payload(const Payload &payload);
Payload decode_payload(const std::string &text); // throws std::runtime_error

} // namespace xun::notify
