// xun progress PLAN --records FILE --as-of DATE [--format text|json] (PLAN.md §6.6):
// the plan re-planned with its records as of that day, then measured.
#include "app/commands.hpp"

#include "calendar/dates.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/progress.hpp"
#include "scheduler/progress_output.hpp"
#include "scheduler/records.hpp"
#include "scheduler/schedule.hpp"

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace xun::app {
namespace {

constexpr std::string_view progress_usage =
    "usage: xun progress PLAN [--records FILE] --as-of DATE [--format text|json]\n"
    "  per activity: quota, planned, done, cancelled, not recorded, upcoming,\n"
    "  attendance, at risk; then the assessment's points (PLAN.md §6.6)\n";

int usage_error(const std::string &message) {
  std::cerr << "xun progress: " << message << "\n" << progress_usage;
  return 2;
}

} // namespace

int run_progress(Args args) {
  const std::filesystem::path data = data_dir(args);
  std::optional<std::string> plan_path, records_path, as_of_text;
  std::string format = "text";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    const auto value = [&]() -> std::optional<std::string> {
      return i + 1 < args.size() ? std::optional<std::string>(args[++i]) : std::nullopt;
    };
    if (arg == "--records" || arg == "--as-of" || arg == "--format") {
      auto v = value();
      if (!v)
        return usage_error(arg + " needs a value");
      if (arg == "--records")
        records_path = *v;
      else if (arg == "--as-of")
        as_of_text = *v;
      else
        format = *v;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << progress_usage;
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage_error("unknown option '" + arg + "'");
    } else if (plan_path) {
      return usage_error("one plan at a time");
    } else {
      plan_path = arg;
    }
  }
  if (!plan_path)
    return usage_error("missing PLAN");
  if (!as_of_text)
    return usage_error("missing --as-of DATE (e.g. --as-of 2026-06-30)");
  const auto as_of = calendar::parse_iso_date(*as_of_text);
  if (!as_of)
    return usage_error("--as-of needs a date such as 2026-06-30, found '" + *as_of_text + "'");
  if (format != "text" && format != "json")
    return usage_error("unknown format '" + format + "'; use text or json");

  auto loaded = scheduler::load_plan_file(*plan_path, data);
  if (!loaded.plan) {
    for (const auto &d : loaded.errors)
      std::cerr << d.to_string() << "\n";
    return 2;
  }
  const scheduler::Plan &plan = *loaded.plan;
  // The records name occurrences of the plan solved afresh; the re-plan keeps them.
  const scheduler::Schedule fresh = scheduler::solve(plan);
  if (!fresh.feasible()) {
    std::cerr << *plan_path << ": cannot be scheduled, so there is no progress to measure: "
              << (fresh.conflict ? fresh.conflict->message : fresh.stopped->message) << "\n";
    return fresh.conflict ? 1 : 3;
  }
  scheduler::Replan replan;
  replan.as_of = calendar::LocalTime{date::local_days{as_of->time_since_epoch()}};
  replan.freeze_minutes = plan.replan_freeze_minutes;
  if (records_path) {
    std::ifstream in(*records_path, std::ios::binary);
    if (!in) {
      std::cerr << "xun progress: cannot read " << *records_path << "\n";
      return 2;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto records = scheduler::load_records(text.str(), *records_path);
    auto resolved = scheduler::resolve_records(plan, fresh, records.records, *records_path);
    for (const auto *list : {&records.problems, &resolved.problems})
      for (const auto &d : *list)
        std::cerr << d.to_string() << "\n";
    if (!records.problems.empty() || !resolved.problems.empty())
      return 2;
    replan.records = std::move(resolved.records);
  }
  scheduler::SolveOptions options;
  options.previous = &fresh;
  options.replan = &replan;
  const scheduler::Schedule schedule = scheduler::solve(plan, options);
  if (!schedule.feasible()) {
    std::cerr << *plan_path << ": the records cannot be kept: "
              << (schedule.conflict ? schedule.conflict->message : schedule.stopped->message)
              << "\n";
    return schedule.conflict ? 1 : 3;
  }
  const scheduler::Progress p = scheduler::progress(plan, schedule, replan.records, *as_of);
  for (const auto &w : p.warnings)
    std::cerr << "warning: " << w << "\n";
  std::cout << (format == "json" ? scheduler::progress_json(p) : scheduler::progress_text(plan, p))
            << std::flush;
  return 0;
}

} // namespace xun::app
