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
  Unprocessable(std::string at, const std::string &message) : Error(message), pointer(std::move(at)) {}
  std::string pointer;
};

} // namespace xun::service
