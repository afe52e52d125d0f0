// The HTTP validators of the feeds, alone.
#include "http/conditional.hpp"

#include <doctest/doctest.h>

using namespace xun::http;

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
