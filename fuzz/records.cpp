// The records parser (scheduler/records): any text gives records or located
// problems; records are then tied to a solved seed plan's occurrences.
#include "scheduler/records.hpp"
#include "check.hpp"
#include "harness.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"

#include <filesystem>

using namespace xun::scheduler;

namespace {

struct Solved {
  Plan plan;
  Schedule schedule;
};

const Solved &seed_plan() {
  static const Solved solved = [] {
    const std::filesystem::path data = XUN_FUZZ_DATA_DIR;
    LoadResult loaded = load_plan_file(data / "plans" / "party-branch-2026.yaml", data);
    xun::fuzz::require(loaded.plan.has_value(), "the seed plan loads");
    Schedule schedule = solve(*loaded.plan);
    xun::fuzz::require(schedule.feasible(), "the seed plan is solved");
    return Solved{std::move(*loaded.plan), std::move(schedule)};
  }();
  return solved;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const RecordsLoad loaded = load_records(xun::fuzz::text_of(data, size), "records.yaml");
  for (const auto &p : loaded.problems)
    xun::fuzz::require(!p.message.empty(), "a problem says what is wrong");
  if (!loaded.problems.empty())
    return 0;
  const Solved &seed = seed_plan();
  const RecordsResolution resolved =
      resolve_records(seed.plan, seed.schedule, loaded.records, "records.yaml");
  for (const auto &r : resolved.records)
    xun::fuzz::require(r.start <= r.end, "a record does not end before it starts");
  return 0;
}
