// The plan loader, then a solve with a small budget (scheduler): any text
// loads or gives located problems; a loaded plan is solved, found infeasible
// or stopped within its time limit, never crashes.
#include "calendar/icalendar.hpp"
#include "check.hpp"
#include "harness.hpp"
#include "scheduler/output.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"

#include <chrono>
#include <string>

using namespace xun::scheduler;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text = xun::fuzz::text_of(data, size);
  const LoadResult loaded = load_plan(text, "fuzz.yaml", XUN_FUZZ_DATA_DIR);
  xun::fuzz::require(loaded.plan.has_value() == loaded.errors.empty(),
                     "a plan loads exactly when there are no problems");
  for (const auto &e : loaded.errors)
    xun::fuzz::require(e.line >= 0 && e.column >= 0 && !e.message.empty(),
                       "a problem is located and says what is wrong");
  if (!loaded.plan)
    return 0;
  SolveOptions options;
  options.time_limit = std::chrono::milliseconds{50};
  const Schedule schedule = solve(*loaded.plan, options);
  if (!schedule.feasible())
    return 0;
  (void)schedule_json(*loaded.plan, schedule);
  // The feed of the schedule reads back as iCalendar.
  const auto calendar = schedule_calendar(*loaded.plan, schedule, date::sys_seconds{});
  const auto again = xun::calendar::read_ics(xun::calendar::write_ics(calendar));
  xun::fuzz::require(std::holds_alternative<xun::calendar::IcsReadResult>(again),
                     "a schedule's feed reads back");
  return 0;
}
