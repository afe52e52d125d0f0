#include "app/commands.hpp"

#include <cstdlib>
#include <iostream>
#include <string_view>
#include <system_error>

namespace {

constexpr std::string_view usage =
    "usage: xun COMMAND [ARGS]\n"
    "  when EXPR --year Y [--holidays cn|none] [--format text|json]\n"
    "      the dates and working days a window means in that year\n"
    "  check PLAN            validate a plan without solving\n"
    "  solve PLAN [--format text|md|json|ics] [-o FILE]\n"
    "      place every activity on a date\n"
    "  progress PLAN [--records FILE] --as-of DATE [--format text|json]\n"
    "      quotas, attendance and the assessment's points as of that day\n"
    "  next-year PLAN [-o FILE]\n"
    "      next year's plan from this one; dates to fix listed as FILE:LINE:COL\n"
    "  import FILE [-o OUT] [--year Y] [--title T]\n"
    "      a draft plan from a work plan written as text (2月下旬，召开党员大会…)\n"
    "  serve [--db FILE|sqlite:FILE|postgresql://…] [--host H] [--port N] [--demo]\n"
    "      the HTTP service: API, feeds and the month-by-month page\n"
    "  migrate --from sqlite:FILE --to postgresql://…\n"
    "      move an SQLite database into an empty PostgreSQL one\n"
    "  holidays import NOTICE.txt [-o FILE|-] [--year Y] [--force]\n"
    "      the State Council's holiday notice (text) into DATA_DIR/holidays/cn/YYYY.json\n"
    "  backup DEST [--db FILE|sqlite:FILE]\n"
    "      a consistent copy of the database, also while xun serve runs\n"
    "  --version             the version of xun\n"
    "common: --data-dir DIR (holiday sets; default $XUN_DATA_DIR)\n";

} // namespace

namespace xun::app {

std::filesystem::path data_dir(Args &args) {
  for (auto it = args.begin(); it != args.end(); ++it) {
    if (*it == "--data-dir" && it + 1 != args.end()) {
      std::filesystem::path dir = *(it + 1);
      args.erase(it, it + 2);
      return dir;
    }
  }
  if (const char *env = std::getenv("XUN_DATA_DIR"); env && *env)
    return env;
  // Installed (the .deb: /usr/bin/xun, /usr/share/xun) rather than run from
  // the build tree: the data beside the executable.
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  const auto installed = exe.parent_path().parent_path() / "share" / "xun";
  if (!ec && !std::filesystem::exists(XUN_DEFAULT_DATA_DIR) &&
      std::filesystem::exists(installed / "holidays"))
    return installed;
  return XUN_DEFAULT_DATA_DIR;
}

std::string database_url(Args &args) {
  for (auto it = args.begin(); it != args.end(); ++it) {
    if (*it == "--db" && it + 1 != args.end()) {
      std::string url = *(it + 1);
      args.erase(it, it + 2);
      return url;
    }
  }
  if (const char *env = std::getenv("XUN_DB"); env && *env)
    return env;
  return "xun.db";
}

} // namespace xun::app

int main(int argc, char **argv) {
  if (argc < 2) {
    std::cerr << usage;
    return 2;
  }
  const std::string_view command = argv[1];
  xun::app::Args args(argv + 2, argv + argc);
  if (command == "when")
    return xun::app::run_when(std::move(args));
  if (command == "check")
    return xun::app::run_check(std::move(args));
  if (command == "solve")
    return xun::app::run_solve(std::move(args));
  if (command == "progress")
    return xun::app::run_progress(std::move(args));
  if (command == "next-year")
    return xun::app::run_next_year(std::move(args));
  if (command == "import")
    return xun::app::run_import(std::move(args));
  if (command == "serve")
    return xun::app::run_serve(std::move(args));
  if (command == "migrate")
    return xun::app::run_migrate(std::move(args));
  if (command == "holidays")
    return xun::app::run_holidays(std::move(args));
  if (command == "backup")
    return xun::app::run_backup(std::move(args));
  if (command == "--version" || command == "version") {
    std::cout << "xun " << XUN_VERSION << "\n";
    return 0;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << usage;
    return 0;
  }
  std::cerr << "xun: unknown command '" << command << "'\n" << usage;
  return 2;
}
