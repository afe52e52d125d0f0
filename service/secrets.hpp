// Secrets: feed tokens and the admin token are random hex; comparing them
// takes the same time wherever they differ.
#pragma once

#include <cstddef>
#include <string>

namespace xun::service {

inline constexpr std::size_t token_bytes = 24; // 192 random bits

std::string random_token(std::size_t bytes); // hex, from std::random_device
// Compares secrets in time independent of where they differ; never equal to "".
bool same_secret(const std::string &given, const std::string &secret);

} // namespace xun::service
