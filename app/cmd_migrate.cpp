#include "app/commands.hpp"

#include "store/copy.hpp"

#include <iostream>

namespace xun::app {

namespace {

constexpr const char *migrate_usage =
    "usage: xun migrate --from sqlite:FILE --to postgresql://USER@HOST:PORT/DB\n"
    "  moves every plan (with its revisions, feed tokens, event states, published UIDs and\n"
    "  records) and the settings into an empty PostgreSQL database; the SQLite file is only read\n";

} // namespace

int run_migrate(Args args) {
  std::string from;
  std::string to;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--from" && has_value)
      from = args[++i];
    else if (a == "--to" && has_value)
      to = args[++i];
    else if (a == "--help" || a == "-h") {
      std::cout << migrate_usage;
      return 0;
    } else {
      std::cerr << "xun migrate: unknown argument '" << a << "'\n" << migrate_usage;
      return 2;
    }
  }
  if (from.empty() || to.empty()) {
    std::cerr << "xun migrate: both --from and --to are needed\n" << migrate_usage;
    return 2;
  }
  try {
    const auto copied = store::copy_database(from, to);
    std::cout << "xun migrate: copied";
    for (const auto &[table, rows] : copied)
      std::cout << " " << table << "=" << rows;
    std::cout << "\n";
    return 0;
  } catch (const std::exception &e) {
    std::cerr << "xun migrate: " << e.what() << "\n";
    return 1;
  }
}

} // namespace xun::app
