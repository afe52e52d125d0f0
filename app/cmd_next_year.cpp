#include "app/commands.hpp"
#include "scheduler/next_year.hpp"

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string_view>

namespace xun::app {
namespace {

constexpr std::string_view next_year_usage =
    "usage: xun next-year PLAN [-o FILE] [--data-dir DIR]\n"
    "  next year's plan from PLAN, its comments and layout kept (stdout without -o):\n"
    "  year + 1 and the year in the plan's title and id; dates that no longer hold\n"
    "  are listed on stderr as FILE:LINE:COL: problems to fix, never shifted\n"
    "  exit: 0 written, nothing to fix; 1 written, with problems to fix;\n"
    "        2 invalid plan or usage, nothing written\n";

int usage_error(const std::string &message) {
  std::cerr << "xun next-year: " << message << "\n" << next_year_usage;
  return 2;
}

void print(const scheduler::Diagnostic &d, bool is_warning) {
  const std::string where =
      d.line > 0 ? d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": "
                 : d.file + ": ";
  std::cerr << where << (is_warning ? "warning: " : "") << d.message << "\n";
}

} // namespace

int run_next_year(Args args) {
  const std::filesystem::path data = data_dir(args);
  std::optional<std::string> plan_path;
  std::optional<std::filesystem::path> output;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "-o" || arg == "--output") {
      if (i + 1 >= args.size() || args[i + 1].empty())
        return usage_error(arg + " needs a file name");
      output = args[++i];
    } else if (arg.starts_with("--output=")) {
      output = arg.substr(9);
    } else if (arg == "--help" || arg == "-h") {
      std::cout << next_year_usage;
      return 0;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error("unknown option '" + arg + "'");
    } else if (plan_path) {
      return usage_error("one plan at a time; found '" + *plan_path + "' and '" + arg + "'");
    } else {
      plan_path = arg;
    }
  }
  if (!plan_path)
    return usage_error("missing PLAN, this year's plan file");
  if (output && output->empty())
    return usage_error("-o needs a file name");
  std::error_code ec;
  if (output && std::filesystem::equivalent(*plan_path, *output, ec))
    return usage_error("-o " + output->string() +
                       " is the plan itself: write next year's plan to a file of its own");

  std::ifstream in(*plan_path, std::ios::binary);
  if (!in) {
    std::cerr << *plan_path << ": "
              << (std::filesystem::exists(*plan_path, ec)
                      ? "无法读取计划文件 / cannot read the plan file"
                      : "计划文件不存在 / no such plan file")
              << "\n";
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string named = output ? output->string() : *plan_path;
  const scheduler::NextYear next = scheduler::next_year(text.str(), *plan_path, named, data);
  for (const auto &e : next.errors)
    print(e, false);
  if (!next.text)
    return 2;
  for (const auto &p : next.problems)
    print(p, false);
  for (const auto &w : next.warnings)
    print(w, true);
  if (output) {
    if (!write_atomically(*output, *next.text, "xun next-year"))
      return 2;
  } else {
    std::cout << *next.text << std::flush;
    if (!std::cout)
      return 2;
  }
  return next.problems.empty() ? 0 : 1;
}

} // namespace xun::app
