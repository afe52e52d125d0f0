// Opening a store from configuration: `sqlite:PATH`, or a plain file path
// (as `xun serve --db` has always taken), or a libpq URI (`postgres://…`,
// `postgresql://…`) for PostgreSQL. Another backend adds its scheme here.
#pragma once

#include "store/store.hpp"

#include <memory>
#include <string>

namespace xun::store {

// Throws Unavailable for a URL no backend serves, or a store that cannot open.
std::unique_ptr<Store> open_store(const std::string &url);

} // namespace xun::store
