// Small text helpers shared by the composers and the senders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xun::notify {

// At most `max_bytes` bytes of UTF-8, cut on a character boundary and ended
// with "…" when anything was cut.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

// The text with each non-empty credential (and each of its percent-encoded
// forms) replaced by "***": nothing the far end echoes may carry a secret out.
std::string redact(std::string text, const std::vector<std::string> &credentials);

} // namespace xun::notify
