#include "http/render_cache.hpp"

namespace xun::http {

std::shared_ptr<const std::string> RenderCache::get(const std::string &key,
                                                    const std::string &version,
                                                    const std::function<std::string()> &render) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      if (entries_.size() >= max_entries_) // rarely: many plans; start over
        entries_.clear();
      it = entries_.emplace(key, std::make_shared<Entry>()).first;
    }
    entry = it->second;
  }
  std::lock_guard rendering(entry->rendering);
  if (!entry->bytes || entry->version != version) {
    entry->bytes = std::make_shared<const std::string>(render());
    entry->version = version;
  }
  return entry->bytes;
}

} // namespace xun::http
