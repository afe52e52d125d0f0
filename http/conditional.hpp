// HTTP validators for the feeds: IMF-fixdate dates and If-None-Match lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace xun::http {

std::string http_date(std::int64_t unix_seconds); // IMF-fixdate
std::optional<std::int64_t> parse_http_date(const std::string &text);

// True when an If-None-Match header value names `etag` (or is "*").
bool etag_matches(const std::string &if_none_match, const std::string &etag);

} // namespace xun::http
