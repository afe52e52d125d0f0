#include "http/compressed.hpp"

#include <zlib.h>

#include <stdexcept>

namespace xun::http {

std::string gzip_bytes(const std::string &bytes) {
  z_stream z{};
  // 15 + 16: a gzip wrapper, whose header zlib writes with no time in it.
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())), '\0');
  z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef *>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (result != Z_STREAM_END)
    throw std::runtime_error("zlib: deflate failed");
  return out;
}

std::shared_ptr<const std::string>
CompressedCache::gzip(const std::shared_ptr<const std::string> &bytes) {
  {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(bytes.get());
    if (it != entries_.end() && it->second.source.lock() == bytes)
      return it->second.gzip;
  }
  auto compressed = std::make_shared<const std::string>(gzip_bytes(*bytes));
  std::lock_guard lock(mutex_);
  if (entries_.size() >= max_entries_)
    std::erase_if(entries_, [](const auto &e) { return e.second.source.expired(); });
  if (entries_.size() >= max_entries_)
    entries_.clear();
  entries_[bytes.get()] = Entry{bytes, compressed};
  return compressed;
}

} // namespace xun::http
