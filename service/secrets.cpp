#include "service/secrets.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace xun::service {

namespace {

constexpr const char *digest_scheme = "sha256:";
constexpr std::size_t salt_bytes = 16;

std::string hex(const unsigned char *bytes, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0xfu];
  }
  return out;
}

bool is_hex(const std::string &text, std::size_t size) {
  return text.size() == size && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string salted_sha256_hex(const std::string &salt, const std::string &secret) {
  std::array<unsigned char, 32> out{};
  unsigned int size = 0;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  const bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, salt.data(), salt.size()) == 1 &&
                  EVP_DigestUpdate(ctx, secret.data(), secret.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, out.data(), &size) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || size != out.size())
    throw std::runtime_error("SHA-256 failed (OpenSSL)");
  return hex(out.data(), out.size());
}

} // namespace

std::string sha256_hex(const std::string &text) { return salted_sha256_hex("", text); }

std::string random_token(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
    throw std::runtime_error("the system's random number generator failed (OpenSSL RAND_bytes)");
  return hex(raw.data(), raw.size());
}

bool same_secret(const std::string &given, const std::string &secret) {
  unsigned char diff = given.size() == secret.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff = static_cast<unsigned char>(diff | (given[i] ^ (i < secret.size() ? secret[i] : 0)));
  return diff == 0 && !secret.empty();
}

SecretDigest SecretDigest::of(const std::string &secret) {
  SecretDigest d;
  d.salt = random_token(salt_bytes);
  d.digest = salted_sha256_hex(d.salt, secret);
  return d;
}

std::optional<SecretDigest> SecretDigest::decode(const std::string &text) {
  const std::string scheme = digest_scheme;
  if (text.rfind(scheme, 0) != 0)
    return std::nullopt;
  const auto colon = text.find(':', scheme.size());
  if (colon == std::string::npos)
    return std::nullopt;
  SecretDigest d{text.substr(scheme.size(), colon - scheme.size()), text.substr(colon + 1)};
  if (!is_hex(d.salt, salt_bytes * 2) || !is_hex(d.digest, 64))
    return std::nullopt;
  return d;
}

std::string SecretDigest::encoded() const { return digest_scheme + salt + ":" + digest; }

bool SecretDigest::matches(const std::string &given) const {
  return !given.empty() && !digest.empty() && same_secret(salted_sha256_hex(salt, given), digest);
}

} // namespace xun::service
