// A small blocking HTTP/1.1 client over a real socket, for the tests
// (test support, not part of the product): callers need not see cpp-httplib.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace xun::testing {

struct HttpResponse {
  int status = 0; // 0: no connection
  std::string body;
  std::multimap<std::string, std::string> headers;         // names lower-cased
  std::string header(const std::string &lower_name) const; // "" when absent
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

HttpResponse http_request(const std::string &host, int port, const std::string &method,
                          const std::string &path, const HttpHeaders &headers = {},
                          const std::string &body = {}, const std::string &content_type = {});

} // namespace xun::testing
