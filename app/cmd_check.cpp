#include "app/commands.hpp"
#include "scheduler/plan_loader.hpp"

#include <iostream>

namespace xun::app {

// xun check PLAN: 0 and a one-line summary when the plan is valid (warnings on
// stderr); 2 with every problem as FILE:LINE:COL: message.
int run_check(Args args) {
  const std::filesystem::path data = data_dir(args);
  if (args.size() != 1 || args[0].empty() || args[0][0] == '-') {
    std::cerr << "usage: xun check PLAN [--data-dir DIR]\n";
    return 2;
  }
  const std::string file = args[0];
  const auto result = scheduler::load_plan_file(file, data);
  for (const auto &e : result.errors)
    std::cerr << e.to_string() << '\n';
  if (!result.plan)
    return 2;
  const scheduler::Plan &plan = *result.plan;
  for (const auto &w : plan.warnings) {
    // A located warning starts with FILE:LINE:COL: keep it where editors look.
    const auto after_position =
        w.starts_with(file + ":") ? w.find(": ", file.size()) : std::string::npos;
    if (after_position != std::string::npos)
      std::cerr << w.substr(0, after_position) << ": warning: " << w.substr(after_position + 2)
                << '\n';
    else
      std::cerr << file << ": warning: " << w << '\n';
  }
  const std::size_t n = plan.activities.size();
  std::cout << file << ": ok — " << n << (n == 1 ? " activity" : " activities") << '\n';
  return 0;
}

} // namespace xun::app
