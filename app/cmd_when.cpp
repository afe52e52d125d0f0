// `xun when EXPR --year Y`: what a window means in a year, and which of its
// days are working days — the quickest way to check a `when:` before planning.
#include "app/commands.hpp"
#include "calendar/holidays.hpp"
#include "calendar/windows.hpp"
#include "calendar/working_calendar.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <iostream>
#include <optional>
#include <sstream>

namespace xun::app {

namespace {

using namespace xun::calendar;

constexpr std::string_view when_usage =
    "usage: xun when EXPR --year Y [--holidays cn|none] [--format text|json] "
    "[--data-dir DIR]\n";

struct WhenOptions {
  std::string expr;
  int year = 0;
  std::string holidays = "cn";
  std::string format = "text";
};

int usage_error(const std::string &message) {
  std::cerr << "xun when: " << message << "\n" << when_usage;
  return 2;
}

// Reads the options; returns an exit status on error, nullopt to go on.
std::optional<int> read_options(const Args &args, WhenOptions &options) {
  bool have_expr = false, have_year = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    const bool is_option = arg.size() > 2 && arg.starts_with("--");
    if (is_option) {
      if (const auto eq = arg.find('='); eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      } else if (arg == "--year" || arg == "--holidays" || arg == "--format") {
        if (i + 1 == args.size())
          return usage_error(arg + " needs a value");
        value = args[++i];
      }
    }
    if (arg == "--help" || arg == "-h") {
      std::cout << when_usage;
      return 0;
    }
    if (arg == "--year") {
      int year = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), year);
      if (ec != std::errc{} || end != value.data() + value.size() || year < 1 || year > 9999)
        return usage_error("--year: found \"" + value + "\"; expected a year like 2026 (1–9999)");
      options.year = year;
      have_year = true;
    } else if (arg == "--holidays") {
      options.holidays = value;
    } else if (arg == "--format") {
      if (value != "text" && value != "json")
        return usage_error("--format: found \"" + value + "\"; expected text or json");
      options.format = value;
    } else if (is_option) {
      return usage_error("unknown option " + arg +
                         "; known: --year, --holidays, --format, --data-dir");
    } else if (have_expr) {
      return usage_error("one expression only; found \"" + options.expr + "\" and \"" + arg +
                         "\" (quote an expression with spaces)");
    } else {
      options.expr = arg;
      have_expr = true;
    }
  }
  if (!have_expr)
    return usage_error("missing the expression, e.g. xun when 2月下旬 --year 2026");
  if (!have_year)
    return usage_error("missing --year: a window means dates only in a given year");
  return std::nullopt;
}

void write_json(std::ostream &out, const WhenOptions &options, const Window &window,
                const std::vector<Date> &working, const std::vector<std::string> &warnings) {
  nlohmann::ordered_json doc;
  doc["expr"] = options.expr;
  doc["year"] = options.year;
  using Json = nlohmann::ordered_json;
  doc["from"] = window.empty() ? Json() : Json(format_iso_date(window.dates.front()));
  doc["to"] = window.empty() ? Json() : Json(format_iso_date(window.dates.back()));
  auto &dates = doc["dates"] = nlohmann::ordered_json::array();
  for (Date d : window.dates)
    dates.push_back(format_iso_date(d));
  auto &days = doc["working_days"] = nlohmann::ordered_json::array();
  for (Date d : working)
    days.push_back(format_iso_date(d));
  doc["prefer"] = std::string(prefer_name(window.prefer));
  doc["warnings"] = warnings;
  out << doc.dump(2) << "\n";
}

// Month by month: "(d)" a day that is not a working day, "d*" a make-up
// workday.
void write_text(std::ostream &out, const WhenOptions &options, const Window &window,
                const WorkingCalendar &calendar, const std::vector<Date> &working,
                const std::vector<std::string> &warnings) {
  out << options.expr << " in " << options.year << " (holidays " << options.holidays << ")\n";
  if (window.empty()) {
    out << "  no dates\n";
  } else {
    out << "  range:    " << format_iso_date(window.dates.front()) << " .. "
        << format_iso_date(window.dates.back()) << "\n";
    out << "  days:     " << window.dates.size() << ", of which " << working.size() << " working "
        << (working.size() == 1 ? "day" : "days") << "\n";
  }
  out << "  prefer:   " << prefer_name(window.prefer);
  if (window.target)
    out << " (" << format_iso_date(*window.target) << ")";
  out << "\n";
  bool any_makeup = false;
  for (std::size_t i = 0; i < window.dates.size();) {
    const unsigned month = month_of(window.dates[i]);
    out << "  " << calendar::english_month_abbrev(month) << ":";
    int on_line = 0;
    for (; i < window.dates.size() && month_of(window.dates[i]) == month; ++i) {
      if (on_line == 16) {
        out << "\n      ";
        on_line = 0;
      }
      const Date d = window.dates[i];
      const unsigned day = day_of(d);
      const DayKind kind = calendar.classify(d);
      if (!calendar.is_working_day(d))
        out << " (" << day << ")";
      else if (kind == DayKind::makeup_workday) {
        out << " " << day << "*";
        any_makeup = true;
      } else
        out << " " << day;
      ++on_line;
    }
    out << "\n";
  }
  if (working.size() != window.dates.size() || any_makeup)
    out << "  (d) not a working day" << (any_makeup ? ", d* make-up working day (调休)" : "")
        << "\n";
  for (const auto &warning : warnings)
    out << "warning: " << warning << "\n";
}

} // namespace

int run_when(Args args) {
  const std::filesystem::path data = data_dir(args);
  WhenOptions options;
  if (const auto status = read_options(args, options))
    return *status;

  WorkingCalendar calendar;
  try {
    calendar.holidays = load_holiday_set(options.holidays, data);
  } catch (const HolidayDataError &e) {
    return usage_error(std::string("--holidays: ") + e.what());
  }

  const WindowContext context{options.year, &calendar.holidays};
  const auto parsed = parse_window(options.expr, context);
  Window window;
  if (const auto *error = std::get_if<TextError>(&parsed)) {
    std::cerr << "xun when: " << options.expr << ": column " << error->column << ": "
              << bilingual(*error) << "\n";
    return 2;
  }
  if (const auto *absolute = std::get_if<Window>(&parsed))
    window = *absolute;
  else
    window = apply_relative_in_year(std::get<RelativeWindow>(parsed), options.year);

  std::vector<Date> working;
  for (Date d : window.dates)
    if (calendar.is_working_day(d))
      working.push_back(d);

  std::vector<std::string> warnings = calendar.coverage_warnings(options.year);
  if (window.empty())
    warnings.push_back(options.expr + ": no dates in " + std::to_string(options.year));
  else if (working.empty())
    warnings.push_back(options.expr + ": none of its " + std::to_string(window.dates.size()) +
                       " days is a working day");
  for (const auto &warning : warnings)
    std::cerr << "xun when: warning: " << warning << "\n";

  std::ostringstream out;
  if (options.format == "json")
    write_json(out, options, window, working, warnings);
  else
    write_text(out, options, window, calendar, working, warnings);
  std::cout << out.str();
  return 0;
}

} // namespace xun::app
