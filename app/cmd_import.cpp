#include "app/commands.hpp"
#include "scheduler/plan_import.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string_view>

#include <date/date.h>

namespace xun::app {
namespace {

constexpr std::string_view import_usage =
    "usage: xun import FILE [-o OUT] [--year Y] [--title T]\n"
    "  a draft plan (YAML) from a work plan written as text (stdout without -o): one\n"
    "  activity per dated item; every line not read is kept as a `# 未识别:` comment\n"
    "  --year: the plan year (default: this year); --title: the plan's title\n"
    "  exit: 0 written; 2 unreadable file (not UTF-8) or usage\n";

int usage_error(const std::string &message) {
  std::cerr << "xun import: " << message << "\n" << import_usage;
  return 2;
}

int this_year() {
  const auto today = date::floor<date::days>(std::chrono::system_clock::now());
  return static_cast<int>(date::year_month_day{today}.year());
}

} // namespace

int run_import(Args args) {
  std::optional<std::string> input;
  std::optional<std::filesystem::path> output;
  scheduler::ImportOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    const bool has_value = i + 1 < args.size();
    if ((arg == "-o" || arg == "--output") && has_value) {
      output = args[++i];
    } else if (arg == "--year" && has_value) {
      const std::string &y = args[++i];
      if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos)
        return usage_error("--year must be a year such as 2026, found '" + y + "'");
      options.year = std::stoi(y);
    } else if (arg == "--title" && has_value) {
      options.title = args[++i];
    } else if (!arg.empty() && arg[0] == '-') {
      return usage_error("unknown option '" + arg + "'");
    } else if (input) {
      return usage_error("one FILE only");
    } else {
      input = arg;
    }
  }
  if (!input)
    return usage_error("which file? give the work plan's text file");
  if (options.year == 0)
    options.year = this_year();
  std::ifstream in(*input, std::ios::binary);
  if (!in) {
    std::cerr << *input << ": 无法读取文件 / cannot read the file\n";
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  options.source = std::filesystem::path(*input).filename().string();
  const auto result = scheduler::import_plan(text.str(), options);
  if (result.encoding) {
    std::cerr << *input << ":" << result.encoding->line << ":" << result.encoding->column << ": "
              << result.encoding->message << "\n";
    return 2;
  }
  if (output) {
    if (!write_atomically(*output, result.yaml, "xun import"))
      return 2;
  } else {
    std::cout << result.yaml;
  }
  std::cerr << *input << ": 识别 " << result.items << " 项活动，" << result.unread << " 行未识别 / "
            << result.items << " activities, " << result.unread << " lines not read\n";
  return 0;
}

} // namespace xun::app
