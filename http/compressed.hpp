// Bodies kept in memory (feeds, rendered pages) are gzip-compressed once and
// the compressed bytes kept beside them; httplib would compress each answer
// anew, which for a 3 MB page costs more than rendering it.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace xun::http {

class CompressedCache {
public:
  explicit CompressedCache(std::size_t max_entries = 512) : max_entries_(max_entries) {}
  // The gzip form of `bytes`, made once for as long as `bytes` lives.
  std::shared_ptr<const std::string> gzip(const std::shared_ptr<const std::string> &bytes);

private:
  struct Entry {
    std::weak_ptr<const std::string> source; // the same address may be reused
    std::shared_ptr<const std::string> gzip;
  };
  std::size_t max_entries_;
  std::mutex mutex_;
  std::map<const std::string *, Entry> entries_;
};

std::string gzip_bytes(const std::string &bytes); // RFC 1952, deterministic (no time)

} // namespace xun::http
