// The subcommands of `xun`; each returns the process exit status.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace xun::app {

using Args = std::vector<std::string>; // the arguments after the subcommand

// Where holiday sets and example plans live: --data-dir, else $XUN_DATA_DIR,
// else the directory the build was configured with.
std::filesystem::path data_dir(Args &args);
// The store's URL: --db, else $XUN_DB, else xun.db in the working directory.
std::string database_url(Args &args);

int run_when(Args args);      // xun when EXPR --year Y [--holidays cn] [--format text|json]
int run_check(Args args);     // xun check PLAN
int run_solve(Args args);     // xun solve PLAN [--format text|md|json|ics] [-o FILE]
int run_serve(Args args);     // xun serve [--db FILE] [--host H] [--port N] [--demo]
int run_next_year(Args args); // xun next-year PLAN [-o FILE]
int run_import(Args args);    // xun import FILE [-o OUT] [--year Y] [--title T]
// xun progress PLAN [--records FILE] --as-of DATE [--format text|json]
int run_progress(Args args);
int run_migrate(Args args); // xun migrate --from sqlite:FILE --to postgresql://…

// Writes through a temporary file in FILE's directory renamed over it, so a
// reader never sees half a file; on failure says why, naming `command`.
bool write_atomically(const std::filesystem::path &file, const std::string &bytes,
                      std::string_view command);
// xun holidays import NOTICE.txt [-o FILE|-] [--year Y] [--paper URL] [--force]
int run_holidays(Args args);
int run_backup(Args args); // xun backup DEST [--db FILE|sqlite:FILE]

} // namespace xun::app
