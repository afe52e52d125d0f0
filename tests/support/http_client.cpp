#include "support/http_client.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>

namespace xun::testing {

std::string HttpResponse::header(const std::string &lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

HttpResponse http_request(const std::string &host, int port, const std::string &method,
                          const std::string &path, const HttpHeaders &headers,
                          const std::string &body, const std::string &content_type) {
  httplib::Client client(host, port);
  client.set_connection_timeout(5);
  client.set_read_timeout(60);
  client.set_decompress(false);
  httplib::Request req;
  req.method = method;
  req.path = path;
  for (const auto &[name, value] : headers)
    req.headers.emplace(name, value);
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.body = body;
    req.headers.emplace("Content-Type", content_type.empty() ? "text/plain" : content_type);
  }
  HttpResponse out;
  auto result = client.send(req);
  if (!result)
    return out;
  out.status = result->status;
  out.body = result->body;
  for (const auto &[name, value] : result->headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers.emplace(lower, value);
  }
  return out;
}

} // namespace xun::testing
