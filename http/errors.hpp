// Typed errors of the service: each becomes one RFC 9457 problem+json answer,
// mapped to its status in one place (the server's exception handler).
#pragma once

#include <stdexcept>
#include <string>

namespace xun::http {

struct ApiError : std::runtime_error {
  int status;
  std::string type;       // a short slug: "invalid-plan", "not-found" …
  std::string title;      // one line, the same for every error of the type
  std::string extensions; // a JSON object whose members join the problem ("{}" = none)

  ApiError(int status_code, std::string type_slug, std::string title_text,
           const std::string &detail, std::string extension_json = "{}")
      : std::runtime_error(detail), status(status_code), type(std::move(type_slug)),
        title(std::move(title_text)), extensions(std::move(extension_json)) {}
  std::string detail() const { return what(); }
};

inline ApiError not_found(const std::string &detail) {
  return ApiError(404, "not-found", "Not found", detail);
}
inline ApiError bad_request(const std::string &detail) {
  return ApiError(400, "bad-request", "Bad request", detail);
}

} // namespace xun::http
