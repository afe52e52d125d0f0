// What a use case refuses, as types: the HTTP layer maps each to a status in
// one place. The message is a sentence about the user's own objects. Store
// errors (store::NotFound, Conflict, Unavailable) pass through unchanged.
#pragma once

#include <stdexcept>
#include <string>

namespace xun::service {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct NotFound : Error { // no such plan, revision or file
  using Error::Error;
};
// A well-formed request naming something that does not fit (422), at a JSON
// pointer into the request body.
struct Unprocessable : Error {
  Unprocessable(std::string at, const std::string &message)
      : Error(message), pointer(std::move(at)) {}
  std::string pointer;
};

// The one answer for a plan that does not exist — and for one the reader may
// not see, so that a refusal never confirms that a plan exists.
inline std::string no_such_plan(const std::string &id) {
  return "There is no plan with id '" + id + "'. GET /api/plans lists the plans.";
}

} // namespace xun::service
