// The few primitives the channels' signatures need (OpenSSL inside).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xun::notify {

// HMAC-SHA256 of `message` keyed by `key`: 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view message);

// SHA-256 of `text` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view text);

// Standard Base64 (RFC 4648 §4) with padding.
std::string base64_encode(std::string_view bytes);
// nullopt unless the text is standard Base64 (padding optional).
std::optional<std::string> base64_decode(std::string_view text);

} // namespace xun::notify
