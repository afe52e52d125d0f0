#include "store/backup.hpp"

#include "store/sqlite_store.hpp"

namespace xun::store {

std::size_t backup_store(const std::string &url, const std::filesystem::path &dest) {
  for (const char *scheme : {"postgres://", "postgresql://"})
    if (url.rfind(scheme, 0) == 0)
      throw Unavailable("backup: " + url +
                        " is a PostgreSQL database; back it up with PostgreSQL's own tool, "
                        "which also copies it while Xun serves: pg_dump --format=custom "
                        "--file=" +
                        dest.string() + " '" + url + "'");
  std::string path = url;
  if (path.rfind("sqlite:", 0) == 0) {
    path = path.substr(7);
    if (path.rfind("//", 0) == 0) // sqlite:///abs/path
      path = path.substr(2);
  } else if (path.find("://") != std::string::npos) {
    throw Unavailable("backup: store URL '" + url + "': no backend for that scheme");
  }
  if (path.empty() || path == ":memory:")
    throw Unavailable("backup: store URL '" + url + "' names no file; write sqlite:PATH");
  if (std::filesystem::exists(dest) && std::filesystem::equivalent(dest, path))
    throw Unavailable("backup: " + dest.string() + " is the database itself; name another file");
  return backup_sqlite(path, dest);
}

} // namespace xun::store
