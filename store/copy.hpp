// Moving a whole SQLite database into PostgreSQL (`xun migrate`): every row
// of every table, deleted plans and revoked tokens too, in one transaction
// on the target, which must hold no plans yet. The tables mean the same in
// both backends, so the feeds served afterwards are the same bytes.
#pragma once

#include <map>
#include <string>

namespace xun::store {

// Rows copied, by table. Throws Unavailable (a database that cannot be
// opened, a URL that is not sqlite:… → postgresql://…) or Conflict (the
// target has plans already).
std::map<std::string, long> copy_database(const std::string &from_url, const std::string &to_url);

} // namespace xun::store
