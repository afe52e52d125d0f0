// The access log of `xun serve --access-log`: one JSON object a line on
// stderr per request answered (docs/OPERATIONS.md), with no secret in it.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace xun::http {

struct AccessEntry {
  std::chrono::system_clock::time_point time; // when the request's first byte was read
  std::string method;
  std::string path; // as loggable: feed tokens left out, no query string
  int status = 0;
  std::size_t bytes = 0; // of the body sent
  double ms = 0;         // from the first byte read to the answer written
};

// {"time":"2026-03-02T01:02:03.456Z","method":"GET","path":…,"status":200,"bytes":…,"ms":…}
std::string access_log_line(const AccessEntry &entry);
// Writes the line and a newline at once, so lines of two workers never mix.
void write_access_log(const std::string &line);

} // namespace xun::http
