// HTTP validators for the feeds: IMF-fixdate dates and If-None-Match lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace xun::http {

std::string http_date(std::int64_t unix_seconds); // IMF-fixdate
std::optional<std::int64_t> parse_http_date(const std::string &text);

// If-Modified-Since `since` answered 304 (RFC 9110 §13.1.3): modified before
// that second, or in it when no other version had the same second.
bool not_modified_since(std::int64_t last_modified, bool shares_second, std::int64_t since);

// True when an If-None-Match header value names `etag` (or is "*").
bool etag_matches(const std::string &if_none_match, const std::string &etag);

} // namespace xun::http
