#include "service/secrets.hpp"

#include <random>

namespace xun::service {

std::string random_token(std::size_t bytes) {
  std::random_device device;
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(device()) & 0xffu;
    out += digits[b >> 4];
    out += digits[b & 0xfu];
  }
  return out;
}

bool same_secret(const std::string &given, const std::string &secret) {
  unsigned char diff = given.size() == secret.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff = static_cast<unsigned char>(diff | (given[i] ^ (i < secret.size() ? secret[i] : 0)));
  return diff == 0 && !secret.empty();
}

} // namespace xun::service
