#include "app/commands.hpp"

#include "store/backup.hpp"
#include "store/store.hpp"

#include <iostream>

namespace xun::app {

namespace {

constexpr const char *backup_usage =
    "usage: xun backup DEST [--db FILE|sqlite:FILE]\n"
    "  a consistent copy of the database (default $XUN_DB, else xun.db) in DEST, made with\n"
    "  SQLite's online backup while xun serve keeps serving; restore by stopping xun and\n"
    "  putting DEST in the database's place. A postgres:// database: use pg_dump.\n";

} // namespace

// xun backup DEST [--db URL]: 0 copied, 1 the copy failed, 2 usage.
int run_backup(Args args) {
  const std::string url = database_url(args);
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << backup_usage;
    return 0;
  }
  if (args.size() != 1 || args[0].empty() || args[0].front() == '-') {
    std::cerr << "xun backup: name one file to copy the database to\n" << backup_usage;
    return 2;
  }
  try {
    const std::size_t plans = store::backup_store(url, args[0]);
    std::cout << "xun backup: " << url << " → " << args[0] << " (" << plans << " plans)\n";
    return 0;
  } catch (const store::Error &e) {
    std::cerr << "xun " << e.what() << "\n";
    return 1;
  }
}

} // namespace xun::app
