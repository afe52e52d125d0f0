#include "http/access_log.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace xun::http {

namespace {

std::string utc_millis(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms.count() % 1000));
  return text;
}

} // namespace

std::string access_log_line(const AccessEntry &entry) {
  nlohmann::ordered_json j;
  j["time"] = utc_millis(entry.time);
  j["method"] = entry.method;
  j["path"] = entry.path;
  j["status"] = entry.status;
  j["bytes"] = entry.bytes;
  j["ms"] = std::round(entry.ms * 10) / 10; // a tenth of a millisecond is enough
  // A path is what the client sent: bytes that are not UTF-8 are replaced, not thrown on.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write_access_log(const std::string &line) {
  static std::mutex mutex;
  const std::string all = line + "\n";
  std::lock_guard lock(mutex);
  std::fwrite(all.data(), 1, all.size(), stderr);
  std::fflush(stderr);
}

} // namespace xun::http
