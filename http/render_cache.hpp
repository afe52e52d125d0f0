// Rendered answers (pages, schedules) kept per version of what they show, so
// a GET costs a lookup, not a render: a plan of 40,000 activities renders
// once per revision, not once per request. Concurrent requests for the same
// missing entry wait for one render instead of rendering each.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace xun::http {

class RenderCache {
public:
  explicit RenderCache(std::size_t max_entries = 256) : max_entries_(max_entries) {}

  // The bytes kept under `key` if they were rendered for `version`; else
  // render() is called (once, however many ask) and its bytes kept.
  std::shared_ptr<const std::string> get(const std::string &key, const std::string &version,
                                         const std::function<std::string()> &render);

private:
  struct Entry {
    std::mutex rendering; // held while this entry's bytes are made
    std::string version;
    std::shared_ptr<const std::string> bytes;
  };

  std::size_t max_entries_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;
};

} // namespace xun::http
