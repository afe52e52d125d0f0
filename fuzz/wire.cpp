// The JSON wire format (http/wire, links, conditional, access): query
// parameters (?month, ?at, ?year), the Host header, If-Modified-Since, the
// sign-in form, cookies, the same-origin test, PATCH bodies and problem+json
// built from any text. Parsers refuse with a 400 ApiError or nullopt, never
// anything else; every problem is well-formed JSON that keeps the detail.
#include "http/wire.hpp"
#include "check.hpp"
#include "harness.hpp"
#include "http/access.hpp"
#include "http/conditional.hpp"
#include "http/links.hpp"

#include <nlohmann/json.hpp>

using namespace xun::http;

namespace {

template <class F> void refused_with_400_or_ok(F parse) {
  try {
    parse();
  } catch (const ApiError &e) {
    xun::fuzz::require(e.status == 400, "a bad parameter is a 400");
  }
}

void check_problem(const std::string &text) {
  // The extensions member is JSON the server built; any text must still give a problem.
  const ApiError error(422, "invalid-plan", "Invalid plan", text, text);
  const auto j = nlohmann::json::parse(problem_json(error, text), nullptr, false);
  xun::fuzz::require(j.is_object() && j["status"] == 422 && j["detail"].is_string(),
                     "a problem is a JSON object with its status and detail");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string text(xun::fuzz::text_of(data, size));
  refused_with_400_or_ok([&] {
    const unsigned month = parse_month(text, 2026);
    xun::fuzz::require(month >= 1 && month <= 12, "a month is 1-12");
  });
  refused_with_400_or_ok([&] { (void)parse_notice_year(text); });
  if (const auto t = parse_instant(text, "Asia/Shanghai"))
    (void)utc_iso(*t);
  if (const auto t = parse_http_date(text))
    (void)utc_iso(*t);
  if (is_valid_host_header(text)) {
    Origin origin;
    origin.host = text;
    const FeedLinks links = feed_links(origin, "token", text);
    xun::fuzz::require(links.https.find('@') == std::string::npos, "a link has no userinfo");
  }
  const std::string encoded = percent_encode(text);
  xun::fuzz::require(encoded.find_first_of("/?#@ \r\n") == std::string::npos,
                     "a percent-encoded text has no delimiters");
  check_problem(text);
  for (const auto &[name, value] : form_fields(text))
    xun::fuzz::require(name.size() + value.size() <= text.size(), "a field is inside the form");
  (void)cookie_value(text, session_cookie);
  (void)same_origin_request(text, text, "http://127.0.0.1:8080");
  const std::string next = local_path(text);
  xun::fuzz::require(next.front() == '/' && next.rfind("//", 0) != 0,
                     "after sign-in Xun goes to one of its own paths");
  try {
    (void)parse_public_patch(text);
  } catch (const ApiError &e) {
    xun::fuzz::require(e.status == 422, "a bad PATCH body is a 422");
  }
  return 0;
}
