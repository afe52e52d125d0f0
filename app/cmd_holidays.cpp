#include "app/commands.hpp"
#include "calendar/holiday_notice.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace xun::app {

namespace {

constexpr const char *usage_text =
    "usage: xun holidays import NOTICE.txt [-o FILE|-] [--year Y] [--paper URL] [--force] "
    "[--data-dir DIR]\n"
    "  reads the State Council's notice (国务院办公厅关于YYYY年部分节假日安排的通知) as text\n"
    "  and writes its holiday set, by default to DATA_DIR/holidays/cn/YYYY.json\n";

struct ImportOptions {
  std::string notice;
  std::optional<std::string> output; // "-": standard output
  std::optional<int> year;
  std::vector<std::string> papers;
  bool force = false;
};

int usage_error(const std::string &message) {
  std::cerr << "xun holidays: " << message << "\n" << usage_text;
  return 2;
}

std::optional<std::string> read_text(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::optional<int> parse_year(const std::string &text) {
  if (text.size() != 4 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoi(text);
}

// nullopt after printing the usage error.
std::optional<ImportOptions> parse_options(const Args &args, int &status) {
  ImportOptions options;
  status = 2;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    const bool takes_value = arg == "-o" || arg == "--year" || arg == "--paper";
    if (takes_value && i + 1 >= args.size()) {
      usage_error(arg + " needs a value");
      return std::nullopt;
    }
    if (arg == "-o") {
      options.output = args[++i];
    } else if (arg == "--year") {
      options.year = parse_year(args[++i]);
      if (!options.year) {
        usage_error("--year '" + args[i] + "' is not a year such as 2027");
        return std::nullopt;
      }
    } else if (arg == "--paper") {
      options.papers.push_back(args[++i]);
    } else if (arg == "--force") {
      options.force = true;
    } else if (arg.size() > 1 && arg[0] == '-') {
      usage_error("unknown option '" + arg + "'; known: -o, --year, --paper, --force, --data-dir");
      return std::nullopt;
    } else if (options.notice.empty()) {
      options.notice = arg;
    } else {
      usage_error("one notice at a time; '" + arg + "' is a second one");
      return std::nullopt;
    }
  }
  if (options.notice.empty()) {
    usage_error("which notice? give the text file of the State Council's notice");
    return std::nullopt;
  }
  return options;
}

bool write_atomically(const std::filesystem::path &path, const std::string &bytes) {
  std::error_code ec;
  if (path.has_parent_path())
    std::filesystem::create_directories(path.parent_path(), ec);
  const auto temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!(out << bytes) || !out.flush())
      return false;
  }
  std::filesystem::rename(temporary, path, ec);
  return !ec;
}

int run_import(const std::filesystem::path &data, const ImportOptions &options) {
  const auto text = read_text(options.notice);
  if (!text) {
    std::cerr << "xun holidays: " << options.notice << ": cannot be read\n";
    return 2;
  }
  auto parse = calendar::parse_holiday_notice(*text, options.year);
  for (const auto &problem : parse.problems)
    std::cerr << problem.to_string(options.notice) << "\n";
  if (!parse.notice)
    return 2;
  calendar::HolidayNotice &notice = *parse.notice;
  for (const auto &paper : options.papers)
    if (std::find(notice.papers.begin(), notice.papers.end(), paper) == notice.papers.end())
      notice.papers.push_back(paper);
  const std::string json = calendar::holiday_cn_json(notice);
  if (options.output == "-") {
    std::cout << json; // the file's bytes exactly, as the bundled sets end: no newline
    return 0;
  }
  const std::filesystem::path destination =
      options.output ? std::filesystem::path(*options.output)
                     : data / "holidays" / "cn" / (std::to_string(notice.year) + ".json");
  if (!options.force)
    if (const auto refusal = calendar::replacement_refusal(destination, notice.days);
        !refusal.empty()) {
      std::cerr << "xun holidays: " << refusal << ": pass --force to replace it\n";
      return 1;
    }
  if (!write_atomically(destination, json)) {
    std::cerr << "xun holidays: " << destination.string() << ": cannot be written\n";
    return 2;
  }
  std::size_t off = 0;
  for (const auto &day : notice.days)
    off += day.off ? 1 : 0;
  std::cerr << destination.string() << ": " << notice.year << "年 放假 " << off << " 天，调休上班 "
            << notice.days.size() - off << " 天 / " << off << " days off, "
            << notice.days.size() - off << " make-up workdays\n";
  return 0;
}

} // namespace

// xun holidays import NOTICE.txt: 0 when written, 2 with every problem of
// the notice as NOTICE:LINE:COL: message, 1 when it would replace different
// official data (without --force).
int run_holidays(Args args) {
  const std::filesystem::path data = data_dir(args);
  if (args.empty() || args[0] != "import")
    return usage_error(args.empty() ? "what to do? the one subcommand is import"
                                    : "unknown subcommand '" + args[0] + "'; known: import");
  args.erase(args.begin());
  int status = 0;
  const auto options = parse_options(args, status);
  if (!options)
    return status;
  return run_import(data, *options);
}

} // namespace xun::app
