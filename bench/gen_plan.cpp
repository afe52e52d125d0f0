// xun_gen_plan: writes a witness-feasible plan of the tight-1000 shape (or a
// loose one) as YAML, and optionally its witness schedule as JSON.
//   xun_gen_plan --shape tight|loose --occurrences N --seed S -o plan.yaml
//                [--witness witness.json] [--stats] [--data-dir DIR]
//   xun_gen_plan --stats-of plan.yaml [--witness witness.json]  (figures of any plan)
#include "../tests/support/hard_plan_generator.hpp"
#include "../tests/support/plan_stats.hpp"
#include "../tests/support/schedule_json.hpp"

#include "calendar/holidays.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char *usage =
    "usage: xun_gen_plan --shape tight|loose --occurrences N --seed S -o PLAN.yaml\n"
    "                    [--witness WITNESS.json] [--stats] [--data-dir DIR]\n"
    "       xun_gen_plan --stats-of PLAN.yaml [--witness WITNESS.json] [--data-dir DIR]\n";

int fail(const std::string &message) {
  std::cerr << "xun_gen_plan: " << message << "\n" << usage;
  return 2;
}

void print_stats(const xun::testing::PlanStats &s, bool widened) {
  std::printf("activities %d, occurrences %d, people %d, rooms %d, groups %d\n", s.activities,
              s.occurrences, s.people, s.rooms, s.groups);
  std::printf("after rules %d, with max_gap %d (%.0f%%), max_gap 0d %d%s\n", s.after_rules,
              s.after_with_max_gap,
              s.after_rules ? 100.0 * s.after_with_max_gap / s.after_rules : 0.0, s.zero_max_gaps,
              widened ? " (read as 1m: the loader refuses 0d)" : "");
  std::printf("all-day activities %d, timed %d, fixed %d, repeating %d\n", s.all_day_activities,
              s.timed_activities, s.fixed_activities, s.repeating_activities);
  std::printf("median window %.1f calendar days, %.1f working days\n", s.median_window_days,
              s.median_window_working);
  std::printf("demand (half-days asked / working half-days): mean %.1f%%, most-asked person %.1f%%"
              " (a repeat counted once)\n",
              100 * s.demand_share, 100 * s.busiest_demand_share);
  if (s.busiest_share >= 0)
    std::printf("busiest person busy on %.1f%% of working half-days (mean %.1f%%)\n",
                100 * s.busiest_share, 100 * s.mean_share);
}

bool write_file(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string shape = "tight", output, witness_path, stats_of;
  std::string data_dir =
      std::getenv("XUN_DATA_DIR") ? std::getenv("XUN_DATA_DIR") : XUN_GEN_DATA_DIR;
  long occurrences = 1000, seed = 1;
  bool stats = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size())
        return std::nullopt;
      return args[++i];
    };
    std::optional<std::string> v;
    try {
      if (a == "--stats") {
        stats = true;
        continue;
      }
      if (!(v = value()))
        return fail(a + " needs a value");
      if (a == "--shape")
        shape = *v;
      else if (a == "--occurrences")
        occurrences = std::stol(*v);
      else if (a == "--seed")
        seed = std::stol(*v);
      else if (a == "-o")
        output = *v;
      else if (a == "--witness")
        witness_path = *v;
      else if (a == "--data-dir")
        data_dir = *v;
      else if (a == "--stats-of")
        stats_of = *v;
      else
        return fail("unknown option " + a);
    } catch (const std::exception &) {
      return fail(a + " needs a whole number, found '" + *v + "'");
    }
  }
  if (!stats_of.empty()) {
    const auto text = xun::testing::read_text_file(stats_of);
    if (!text)
      return fail("cannot read " + stats_of);
    const auto plan = xun::testing::load_plan_for_check(*text, stats_of, data_dir);
    if (!plan.loaded.plan) {
      for (const auto &e : plan.loaded.errors)
        std::cerr << e.to_string() << "\n";
      return 2;
    }
    std::optional<xun::scheduler::Schedule> schedule;
    if (!witness_path.empty()) {
      std::string error;
      const auto wtext = xun::testing::read_text_file(witness_path);
      if (wtext)
        schedule = xun::testing::read_schedule_json(*wtext, *plan.loaded.plan, error);
      if (!schedule)
        return fail("cannot read the schedule " + witness_path + ": " + error);
    }
    print_stats(xun::testing::plan_stats(*plan.loaded.plan, schedule ? &*schedule : nullptr,
                                         plan.zero_gaps_widened ? 1 : 0),
                plan.zero_gaps_widened);
    return 0;
  }
  if (shape != "tight" && shape != "loose")
    return fail("--shape is tight or loose, found '" + shape + "'");
  if (occurrences < 20 || occurrences > 1000000)
    return fail("--occurrences is between 20 and 1000000");
  if (seed < 0)
    return fail("--seed is a whole number >= 0");
  if (output.empty())
    return fail("-o PLAN.yaml is required");

  xun::calendar::WorkingCalendar calendar;
  try {
    calendar.holidays = xun::calendar::load_holiday_set("cn", data_dir);
  } catch (const xun::calendar::HolidayDataError &e) {
    return fail(std::string("holiday data: ") + e.what());
  }
  calendar.hours = {{9 * 60, 12 * 60}, {14 * 60, 17 * 60}};
  const auto generated =
      xun::testing::generate_hard_plan({.tight = shape == "tight",
                                        .occurrences = static_cast<int>(occurrences),
                                        .seed = static_cast<unsigned>(seed)},
                                       calendar);
  if (!write_file(output, generated.yaml))
    return fail("cannot write " + output);
  if (!witness_path.empty() || stats) {
    const auto plan = xun::testing::load_plan_for_check(generated.yaml, output, data_dir);
    if (!plan.loaded.plan) {
      for (const auto &e : plan.loaded.errors)
        std::cerr << e.to_string() << "\n";
      std::cerr << "xun_gen_plan: the generated plan does not load (a generator bug)\n";
      return 3;
    }
    auto witness = xun::testing::witness_schedule(generated);
    for (auto &o : witness.occurrences)
      if (const auto *a = plan.loaded.plan->find_activity(o.activity))
        o.fixed = xun::testing::is_fixed_activity(*a);
    if (!witness_path.empty() &&
        !write_file(witness_path,
                    xun::testing::schedule_json_text(*plan.loaded.plan, witness.occurrences)))
      return fail("cannot write " + witness_path);
    if (stats)
      print_stats(
          xun::testing::plan_stats(*plan.loaded.plan, &witness, plan.zero_gaps_widened ? 1 : 0),
          plan.zero_gaps_widened);
  }
  return 0;
}
