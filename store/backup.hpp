// `xun backup`: a consistent copy of the store named by the same URL as
// `xun serve --db` takes, while it serves.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace xun::store {

// SQLite (sqlite:PATH or a file path): the online backup into `dest`; returns
// the live plans copied. PostgreSQL: refused with the pg_dump line to use.
// Throws Unavailable saying what failed.
std::size_t backup_store(const std::string &url, const std::filesystem::path &dest);

} // namespace xun::store
