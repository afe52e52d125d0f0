#include "service/secrets.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
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

std::vector<unsigned char> from_hex_text(const std::string &text) {
  std::vector<unsigned char> out;
  const auto value = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<unsigned char>(value(text[i]) * 16 + value(text[i + 1])));
  return out;
}

constexpr std::size_t nonce_bytes = 12, tag_bytes = 16;
constexpr const char *seal_scheme = "v1:";

// One AES-256-GCM pass; `tag` is written when sealing and checked when opening.
bool gcm(bool sealing, const SealKey &key, const unsigned char *nonce, const unsigned char *in,
         int size, unsigned char *out, unsigned char *tag) {
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  int n = 0, last = 0;
  const EVP_CIPHER *cipher = EVP_aes_256_gcm();
  bool ok =
      ctx && EVP_CipherInit_ex(ctx, cipher, nullptr, key.bytes.data(), nonce, sealing ? 1 : 0) == 1;
  if (ok && !sealing)
    ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, tag_bytes, tag) == 1;
  ok = ok && (size == 0 || EVP_CipherUpdate(ctx, out, &n, in, size) == 1) &&
       EVP_CipherFinal_ex(ctx, out + n, &last) == 1;
  if (ok && sealing)
    ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, tag_bytes, tag) == 1;
  EVP_CIPHER_CTX_free(ctx);
  return ok;
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

SealKey SealKey::generate() {
  SealKey key;
  if (RAND_bytes(key.bytes.data(), static_cast<int>(key.bytes.size())) != 1)
    throw std::runtime_error("the system's random number generator failed (OpenSSL RAND_bytes)");
  return key;
}

std::optional<SealKey> SealKey::from_hex(const std::string &text) {
  if (!is_hex(text, 64))
    return std::nullopt;
  SealKey key;
  const auto raw = from_hex_text(text);
  std::copy(raw.begin(), raw.end(), key.bytes.begin());
  return key;
}

std::string SealKey::hex() const { return service::hex(bytes.data(), bytes.size()); }

std::string seal(const SealKey &key, const std::string &plain) {
  std::vector<unsigned char> out(nonce_bytes + plain.size() + tag_bytes + 16);
  if (RAND_bytes(out.data(), nonce_bytes) != 1)
    throw std::runtime_error("the system's random number generator failed (OpenSSL RAND_bytes)");
  unsigned char *tag = out.data() + nonce_bytes + plain.size();
  if (!gcm(true, key, out.data(), reinterpret_cast<const unsigned char *>(plain.data()),
           static_cast<int>(plain.size()), out.data() + nonce_bytes, tag))
    throw std::runtime_error("sealing a secret failed (OpenSSL AES-256-GCM)");
  return seal_scheme + service::hex(out.data(), nonce_bytes + plain.size() + tag_bytes);
}

std::string unseal(const SealKey &key, const std::string &sealed) {
  const std::string scheme = seal_scheme;
  const std::string body = sealed.rfind(scheme, 0) == 0 ? sealed.substr(scheme.size()) : "";
  if (body.size() < 2 * (nonce_bytes + tag_bytes) || body.size() % 2 != 0 ||
      body.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw std::runtime_error("a sealed secret does not read (not v1:HEX)");
  auto raw = from_hex_text(body);
  const std::size_t size = raw.size() - nonce_bytes - tag_bytes;
  std::string plain(size + 16, '\0');
  if (!gcm(false, key, raw.data(), raw.data() + nonce_bytes, static_cast<int>(size),
           reinterpret_cast<unsigned char *>(plain.data()), raw.data() + nonce_bytes + size))
    throw std::runtime_error("a sealed secret does not open with this key (XUN_SECRET_KEY or the "
                             "key file changed?)");
  plain.resize(size);
  return plain;
}

bool SecretDigest::matches(const std::string &given) const {
  return !given.empty() && !digest.empty() && same_secret(salted_sha256_hex(salt, given), digest);
}

} // namespace xun::service
