#include "app/commands.hpp"

#include "calendar/icalendar.hpp"
#include "scheduler/output.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/records.hpp"
#include "scheduler/schedule.hpp"
#include "scheduler/schedule_reader.hpp"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace xun::app {
namespace {

constexpr std::string_view solve_usage =
    "usage: xun solve PLAN [--format text|md|json|ics] [-o FILE] [--time-limit SECONDS]\n"
    "                      [--records FILE] [--previous SCHEDULE.json] [--as-of DATE]\n"
    "                      [--data-dir DIR]\n"
    "  text (default) and md: the month-by-month agenda; json: PLAN.md §5;\n"
    "  ics: an iCalendar file (DTSTAMP from SOURCE_DATE_EPOCH, else now)\n"
    "  --time-limit: seconds the search may take (default 10)\n"
    "  re-planning (PLAN.md §6.5): --records, what happened (§6.4); --previous,\n"
    "    the schedule to keep faith with (default: the plan solved afresh);\n"
    "    --as-of, the day planned from (nothing before it + replan.freeze moves)\n"
    "  exit: 0 scheduled, 1 proven unschedulable, 2 invalid plan,\n"
    "        3 no schedule found in time and no proof either\n";

int usage_error(const std::string &message) {
  std::cerr << "xun solve: " << message << "\n" << solve_usage;
  return 2;
}

// SOURCE_DATE_EPOCH fixes DTSTAMP for identical bytes; without it, the current
// time to the second. A malformed value is refused rather than ignored.
std::optional<date::sys_seconds> dtstamp(std::string &error) {
  const char *env = std::getenv("SOURCE_DATE_EPOCH");
  if (!env || !*env)
    return date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string text = env;
  if (text.find_first_not_of("0123456789") != std::string::npos || text.size() > 18) {
    error = "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, found '" + text + "'";
    return std::nullopt;
  }
  return date::sys_seconds{std::chrono::seconds{std::stoll(text)}};
}

// "10", "0.5": positive seconds, at most a day.
std::optional<std::chrono::milliseconds> parse_seconds(const std::string &text) {
  if (text.empty() || text.find_first_not_of("0123456789.") != std::string::npos ||
      text.size() > 12)
    return std::nullopt;
  char *end = nullptr;
  const double seconds = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !(seconds > 0) || seconds > 86400)
    return std::nullopt;
  return std::chrono::milliseconds{static_cast<long>(seconds * 1000.0 + 0.5)};
}

std::optional<std::string> read_text(const std::string &path, const char *what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "xun solve: cannot read " << what << " " << path << ": " << std::strerror(errno)
              << "\n";
    return std::nullopt;
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int print_problems(const std::vector<scheduler::Diagnostic> &problems) {
  for (const auto &d : problems)
    std::cerr << d.to_string() << "\n";
  return 2;
}

// The re-plan's inputs besides the plan, all read before any solving.
struct ReplanArgs {
  std::optional<std::string> records, previous, as_of;
  bool any() const { return records || previous || as_of; }
};

// The previous schedule and the resolved records; exit status on failure.
std::optional<int> prepare_replan(const ReplanArgs &args, const scheduler::Plan &plan,
                                  scheduler::SolveOptions &options, scheduler::Schedule &previous,
                                  scheduler::Replan &replan) {
  replan.freeze_minutes = plan.replan_freeze_minutes;
  if (args.as_of) {
    const auto day = calendar::parse_iso_date(*args.as_of);
    if (!day)
      return usage_error("--as-of needs a date such as 2026-06-30, found '" + *args.as_of + "'");
    replan.as_of = calendar::LocalTime{date::local_days{day->time_since_epoch()}};
  }
  if (args.previous) {
    const auto text = read_text(*args.previous, "the previous schedule");
    if (!text)
      return 2;
    auto read = scheduler::read_schedule_json(*text, *args.previous, plan);
    if (!read.schedule)
      return print_problems(read.problems);
    previous = std::move(*read.schedule);
  } else {
    // The plan solved afresh names the occurrences the records mean.
    scheduler::SolveOptions fresh;
    fresh.time_limit = options.time_limit;
    previous = scheduler::solve(plan, fresh);
    if (!previous.feasible())
      return std::nullopt; // the re-plan below reports it
  }
  if (args.records) {
    const auto text = read_text(*args.records, "the records");
    if (!text)
      return 2;
    auto loaded = scheduler::load_records(*text, *args.records);
    if (!loaded.problems.empty())
      return print_problems(loaded.problems);
    auto resolved = scheduler::resolve_records(plan, previous, loaded.records, *args.records);
    if (!resolved.problems.empty())
      return print_problems(resolved.problems);
    replan.records = std::move(resolved.records);
    std::vector<scheduler::Diagnostic> clashes;
    for (auto &c : scheduler::moved_record_clashes(plan, previous, replan, *args.records))
      clashes.push_back(std::move(c.problem));
    if (!clashes.empty())
      return print_problems(clashes);
  }
  options.previous = &previous;
  options.replan = &replan;
  return std::nullopt;
}

} // namespace

int run_solve(Args args) {
  const std::filesystem::path data = data_dir(args);
  std::optional<std::string> plan_path;
  std::string format = "text";
  std::optional<std::filesystem::path> output;
  scheduler::SolveOptions options;
  ReplanArgs replan_args;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size())
        return std::nullopt;
      return args[++i];
    };
    if (arg == "--format" || arg == "-f") {
      auto v = value();
      if (!v)
        return usage_error("--format needs a value: text, md, json or ics");
      format = *v;
    } else if (arg.starts_with("--format=")) {
      format = arg.substr(9);
    } else if (arg == "-o" || arg == "--output") {
      auto v = value();
      if (!v)
        return usage_error(arg + " needs a file name");
      output = *v;
    } else if (arg.starts_with("--output=")) {
      output = arg.substr(9);
    } else if (arg == "--time-limit" || arg.starts_with("--time-limit=")) {
      std::optional<std::string> v =
          arg == "--time-limit" ? value() : std::optional<std::string>(arg.substr(13));
      const auto seconds = v ? parse_seconds(*v) : std::nullopt;
      if (!seconds)
        return usage_error("--time-limit needs a number of seconds above 0, such as 10 or 0.5" +
                           (v ? ", found '" + *v + "'" : std::string()));
      options.time_limit = *seconds;
    } else if (arg == "--records" || arg == "--previous" || arg == "--as-of") {
      auto v = value();
      if (!v || v->empty())
        return usage_error(arg + " needs a value");
      (arg == "--records"    ? replan_args.records
       : arg == "--previous" ? replan_args.previous
                             : replan_args.as_of) = *v;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << solve_usage;
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
    return usage_error("missing PLAN, the plan file to solve");
  if (format != "text" && format != "md" && format != "json" && format != "ics")
    return usage_error("unknown format '" + format + "'; use text, md, json or ics");
  if (output && output->empty())
    return usage_error("-o needs a file name");

  std::optional<date::sys_seconds> stamp;
  if (format == "ics") {
    std::string error;
    stamp = dtstamp(error);
    if (!stamp)
      return usage_error(error);
  }

  // XUN_TIMING=1: the phases' wall times on stderr (for bench/, not tests).
  const bool timing = std::getenv("XUN_TIMING") != nullptr;
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  auto lap = [&](const char *phase) {
    if (!timing)
      return;
    const auto t = Clock::now();
    std::cerr << "timing: " << phase << " "
              << std::chrono::duration<double, std::milli>(t - t0).count() << " ms\n";
    t0 = t;
  };
  scheduler::LoadResult loaded = scheduler::load_plan_file(*plan_path, data);
  lap("load");
  if (!loaded.errors.empty() || !loaded.plan) {
    for (const auto &d : loaded.errors)
      std::cerr << d.to_string() << "\n";
    if (loaded.errors.empty())
      std::cerr << *plan_path << ": the plan could not be loaded\n";
    return 2;
  }
  const scheduler::Plan &plan = *loaded.plan;
  scheduler::Schedule previous;
  scheduler::Replan replan;
  if (replan_args.any())
    if (const auto status = prepare_replan(replan_args, plan, options, previous, replan))
      return *status;
  const scheduler::Schedule schedule = scheduler::solve(plan, options);
  lap("solve");

  for (const auto &w : plan.warnings)
    std::cerr << "warning: " << w << "\n";
  for (const auto &w : schedule.warnings)
    std::cerr << "warning: " << w << "\n";

  if (!schedule.feasible()) {
    if (schedule.conflict) {
      const scheduler::Conflict &c = *schedule.conflict;
      std::cerr << *plan_path << ": cannot be scheduled: " << c.message << "\n";
      // At most a page: the first rules, then how many more.
      constexpr std::size_t shown = 12;
      for (std::size_t k = 0; k < c.rules.size() && k < shown; ++k) {
        const auto &rule = c.rules[k];
        std::cerr << "  " << *plan_path << ":" << rule.pos.line << ":" << rule.pos.column << ": "
                  << rule.activity << ": " << rule.key << ": " << rule.text << "\n";
      }
      if (c.rules.size() > shown)
        std::cerr << "  … and " << c.rules.size() - shown << " more rules\n";
      if (!c.fix.empty())
        std::cerr << "  to fix: " << c.fix << "\n";
      if (!c.activities.empty()) {
        std::cerr << "  activities:";
        for (std::size_t k = 0; k < c.activities.size() && k < 3 * shown; ++k)
          std::cerr << " " << c.activities[k];
        if (c.activities.size() > 3 * shown)
          std::cerr << " … (" << c.activities.size() << " in all)";
        std::cerr << "\n";
      }
    } else {
      std::cerr << *plan_path << ": stopped: " << schedule.stopped->message << "\n";
    }
    if (format == "json") {
      const std::string json = scheduler::schedule_json(plan, schedule);
      if (output) {
        if (!write_atomically(*output, json, "xun solve"))
          return 2;
      } else {
        std::cout << json << std::flush;
      }
    }
    return schedule.conflict ? 1 : 3;
  }

  std::string bytes;
  if (format == "json")
    bytes = scheduler::schedule_json(plan, schedule);
  else if (format == "md")
    bytes = scheduler::schedule_markdown(plan, schedule);
  else if (format == "ics")
    bytes = calendar::write_ics(scheduler::schedule_calendar(plan, schedule, *stamp));
  else
    bytes = scheduler::schedule_text(plan, schedule);

  lap("format");
  if (output)
    return write_atomically(*output, bytes, "xun solve") ? 0 : 2;
  std::cout << bytes << std::flush;
  return std::cout ? 0 : 2;
}

} // namespace xun::app
