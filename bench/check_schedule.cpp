// xun_check_schedule PLAN.yaml SCHEDULE.json [--data-dir DIR]: the independent
// checker of tests/support on a schedule written by `xun solve --format json`
// (or a generator's witness). Exit 0 valid, 1 a hard rule broken (each on a
// line), 2 unreadable input. --soft also prints how often each soft rule of
// PLAN.md §6.3 was given up (scheduler/objective.hpp), for before/after counts.
#include "../tests/support/schedule_checker.hpp"
#include "../tests/support/schedule_json.hpp"
#include "scheduler/objective.hpp"

#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool soft = false;
  if (!args.empty() && args.back() == "--soft") {
    soft = true;
    args.pop_back();
  }
  std::string data_dir =
      std::getenv("XUN_DATA_DIR") ? std::getenv("XUN_DATA_DIR") : XUN_GEN_DATA_DIR;
  if (args.size() == 4 && args[2] == "--data-dir") {
    data_dir = args[3];
    args.resize(2);
  }
  if (args.size() != 2) {
    std::cerr << "usage: xun_check_schedule PLAN.yaml SCHEDULE.json [--data-dir DIR]\n";
    return 2;
  }
  const auto plan_text = xun::testing::read_text_file(args[0]);
  const auto schedule_text = xun::testing::read_text_file(args[1]);
  if (!plan_text || !schedule_text) {
    std::cerr << "xun_check_schedule: cannot read " << (plan_text ? args[1] : args[0]) << "\n";
    return 2;
  }
  const auto plan = xun::testing::load_plan_for_check(*plan_text, args[0], data_dir);
  if (!plan.loaded.plan) {
    for (const auto &e : plan.loaded.errors)
      std::cerr << e.to_string() << "\n";
    return 2;
  }
  std::string error;
  const auto schedule = xun::testing::read_schedule_json(*schedule_text, *plan.loaded.plan, error);
  if (!schedule) {
    std::cerr << "xun_check_schedule: " << args[1] << ": " << error << "\n";
    return 2;
  }
  const auto errors = xun::testing::check_schedule(*plan.loaded.plan, *schedule);
  for (std::size_t i = 0; i < errors.size() && i < 20; ++i)
    std::cout << errors[i] << "\n";
  if (errors.size() > 20)
    std::cout << "... and " << errors.size() - 20 << " more\n";
  std::cout << (errors.empty() ? "ok" : "BROKEN") << ": " << schedule->occurrences.size()
            << " occurrences, " << errors.size() << " broken rules"
            << (plan.zero_gaps_widened ? " (max_gap 0d read as 1m)" : "") << "\n";
  if (soft) {
    const auto score = xun::scheduler::evaluate(*plan.loaded.plan, *schedule);
    for (const auto &rule : xun::scheduler::soft_rules)
      std::cout << "soft " << rule.name << ": " << score.counts[static_cast<std::size_t>(rule.rule)]
                << "\n";
  }
  return errors.empty() ? 0 : 1;
}
