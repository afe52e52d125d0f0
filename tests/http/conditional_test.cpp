// The HTTP validators of the feeds, alone.
#include "http/conditional.hpp"

#include <doctest/doctest.h>

using namespace xun::http;

// Found by fuzz/wire: days × 86400 was computed in int and overflowed (UB)
// for an If-Modified-Since after the year 6000, which any client may send.
TEST_CASE("an If-Modified-Since far in the future is counted in 64 bits, years up to 9999") {
  CHECK(parse_http_date("Wed, 21 Oct 6518 07:28:00 GMT") == 143546369280);
  CHECK(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT") == 253402300799);
  CHECK_FALSE(parse_http_date("Sat, 01 Jan 10000 00:00:00 GMT").has_value());
  CHECK_FALSE(parse_http_date("Sat, 01 Jan 2147483647 00:00:00 GMT").has_value());
  CHECK_FALSE(parse_http_date("Sat, 01 Jan -5 00:00:00 GMT").has_value());
}

TEST_CASE("HTTP dates round-trip and If-None-Match lists are understood") {
  CHECK(http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);
  CHECK_FALSE(parse_http_date("yesterday").has_value());
  CHECK_FALSE(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT").has_value());
  const std::string tag = "\"0123456789abcdef\"";
  CHECK(etag_matches("\"x\", " + tag, tag));
  CHECK(etag_matches("*", tag));
  CHECK(etag_matches("W/" + tag, tag));
  CHECK_FALSE(etag_matches("\"x\"", tag));
}
