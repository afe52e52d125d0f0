#include "app/commands.hpp"

#include <cerrno>
#include <cstring>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

namespace xun::app {

bool write_atomically(const std::filesystem::path &file, const std::string &bytes,
                      std::string_view command) {
  const std::filesystem::path dir =
      file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  std::string pattern = (dir / ("." + file.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    std::cerr << command << ": cannot write " << file.string() << ": " << std::strerror(errno)
              << "\n";
    return false;
  }
  bool ok = true;
  std::size_t done = 0;
  while (ok && done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      ok = false;
    else
      done += static_cast<std::size_t>(n);
  }
  // mkstemp makes the file 0600; an output file is for sharing like any other.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (ok && ::fchmod(fd, static_cast<mode_t>(0666 & ~mask)) != 0)
    ok = false;
  if (::close(fd) != 0)
    ok = false;
  std::error_code ec;
  if (ok) {
    std::filesystem::rename(pattern, file, ec);
    ok = !ec;
  }
  if (!ok) {
    std::cerr << command << ": cannot write " << file.string() << ": "
              << (ec ? ec.message() : std::string(std::strerror(errno))) << "\n";
    std::filesystem::remove(pattern, ec);
  }
  return ok;
}

} // namespace xun::app
