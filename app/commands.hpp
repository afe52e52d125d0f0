// The subcommands of `xun`; each returns the process exit status.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace xun::app {

using Args = std::vector<std::string>; // the arguments after the subcommand

// Where holiday sets and example plans live: --data-dir, else $XUN_DATA_DIR,
// else the directory the build was configured with.
std::filesystem::path data_dir(Args &args);

int run_when(Args args);    // xun when EXPR --year Y [--holidays cn] [--format text|json]
int run_check(Args args);   // xun check PLAN
int run_solve(Args args);   // xun solve PLAN [--format text|md|json|ics] [-o FILE]
int run_serve(Args args);   // xun serve [--db FILE] [--host H] [--port N] [--demo]
int run_migrate(Args args); // xun migrate --from sqlite:FILE --to postgresql://…

} // namespace xun::app
