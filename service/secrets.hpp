// Secrets: feed tokens and the admin token are random hex from the system's
// CSPRNG; the admin token is kept only as a salted SHA-256 digest; comparing
// secrets takes the same time wherever they differ.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>

namespace xun::service {

inline constexpr std::size_t token_bytes = 24;   // 192 random bits
inline constexpr std::size_t session_bytes = 32; // 256 random bits

// SHA-256 of `text`, as hex: what is kept of a secret that is itself random
// (a session id), where a salt adds nothing.
std::string sha256_hex(const std::string &text);

std::string random_token(std::size_t bytes); // hex, from OpenSSL's RAND_bytes
// Compares secrets in time independent of where they differ; never equal to "".
bool same_secret(const std::string &given, const std::string &secret);

// A secret kept as SHA-256(salt ‖ secret) with a random 128-bit salt: what the
// database holds instead of the admin token.
struct SecretDigest {
  std::string salt;   // hex
  std::string digest; // hex

  static SecretDigest of(const std::string &secret); // with a new salt
  // "sha256:SALT:DIGEST"; nullopt for any other text.
  static std::optional<SecretDigest> decode(const std::string &text);
  std::string encoded() const;
  bool matches(const std::string &given) const; // constant time; never for ""
};

// A 256-bit key sealing what the database must not hold in clear (channel
// credentials), with AES-256-GCM and a fresh 96-bit nonce each time. It lives
// outside the database (XUN_SECRET_KEY or a key file): a copy of the database
// alone does not reveal the secrets.
struct SealKey {
  std::array<unsigned char, 32> bytes{};
  static SealKey generate();
  static std::optional<SealKey> from_hex(const std::string &text); // 64 hex digits
  std::string hex() const;
};
// "v1:" + hex(nonce ‖ ciphertext ‖ tag)
std::string seal(const SealKey &key, const std::string &plain);
// Throws std::runtime_error when the text was not sealed with this key.
std::string unseal(const SealKey &key, const std::string &sealed);

} // namespace xun::service
