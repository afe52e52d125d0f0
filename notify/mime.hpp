// The e-mail a reminder becomes (RFC 5322 headers, RFC 2047 encoded words,
// a MIME multipart/mixed with the text and the .ics): pure functions, so the
// same message gives the same bytes.
#pragma once

#include "notify/message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xun::notify {

// The text as it may stand in a header: itself when plain ASCII words, else
// RFC 2047 B-encoded UTF-8 words ("=?UTF-8?B?…?="), each ≤ 75 characters,
// folded with CRLF SP, never splitting a character.
std::string encode_header_text(std::string_view text);

// "<key@xun.local>", the key made safe for a msg-id: letters, digits, "-"
// and "_" kept, every other byte written =XX (so different keys stay
// different); a key longer than 200 bytes becomes its SHA-256.
std::string message_id(std::string_view key);

// "Tue, 24 Feb 2026 01:00:00 +0000".
std::string mail_date(std::int64_t unix_seconds);

// The address of "addr@host" or "Name <addr@host>", nullopt when it is neither.
std::optional<std::string> address_of(const std::string &mailbox);

// The whole message with CRLF line ends, for `message.attendees` that have
// an e-mail address.
std::string compose_email(const std::string &from, const Message &message,
                          std::int64_t unix_seconds);

} // namespace xun::notify
