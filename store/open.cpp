#include "store/open.hpp"

#include "store/pg_store.hpp"
#include "store/sqlite_store.hpp"

#include <regex>

namespace xun::store {

std::unique_ptr<Store> open_store(const std::string &url) {
  static const std::string sqlite = "sqlite:";
  if (url.rfind(sqlite, 0) == 0) {
    std::string path = url.substr(sqlite.size());
    if (path.rfind("//", 0) == 0) // sqlite:///abs/path
      path = path.substr(2);
    if (path.empty())
      throw Unavailable("store URL '" + url + "' names no file; write sqlite:PATH");
    return std::make_unique<SqliteStore>(path);
  }
  // libpq's own URIs, passed on as they are (user, host, port, database, ?options).
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0)
    return std::make_unique<PgStore>(url);
  static const std::regex scheme(R"(^[A-Za-z][A-Za-z0-9+.-]*://.*)");
  if (std::regex_match(url, scheme))
    throw Unavailable(
        "store URL '" + url +
        "': no backend for that scheme; this build has sqlite:PATH and postgresql://…");
  if (url.empty())
    throw Unavailable("no store given; write sqlite:PATH, a file path or postgresql://…");
  return std::make_unique<SqliteStore>(url);
}

} // namespace xun::store
