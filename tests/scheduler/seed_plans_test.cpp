// The seed's plans (data/plans/*.yaml) and a generated plan at piece 1's scale,
// loaded from YAML, solved, and verified by the independent checker.
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"
#include "support/plan_generator.hpp"
#include "support/schedule_checker.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace xun;

namespace {

fs::path data_dir() {
  const char *dir = std::getenv("XUN_DATA_DIR");
  REQUIRE_MESSAGE(dir != nullptr, "XUN_DATA_DIR must point at the repository's data/");
  return dir;
}

std::vector<fs::path> seed_plans() {
  std::vector<fs::path> plans;
  for (const auto &entry : fs::directory_iterator(data_dir() / "plans"))
    if (entry.path().extension() == ".yaml")
      plans.push_back(entry.path());
  std::sort(plans.begin(), plans.end());
  return plans;
}

void require_solved_and_valid(const scheduler::LoadResult &loaded, const std::string &name) {
  for (const auto &error : loaded.errors)
    FAIL_CHECK(error.to_string());
  REQUIRE(loaded.plan.has_value());
  const scheduler::Schedule schedule = scheduler::solve(*loaded.plan);
  REQUIRE_MESSAGE(schedule.feasible(), name << ": " << schedule.conflict->message);
  CHECK(!schedule.occurrences.empty());
  for (const auto &problem : testing::check_schedule(*loaded.plan, schedule))
    FAIL_CHECK(name << ": " << problem);
}

} // namespace

TEST_CASE("there are the three seed plans of 2026") {
  const auto plans = seed_plans();
  CHECK(plans.size() >= 3);
}

TEST_CASE("every seed plan loads, solves and keeps every hard rule") {
  for (const auto &path : seed_plans()) {
    CAPTURE(path.string());
    require_solved_and_valid(scheduler::load_plan_file(path, data_dir()), path.filename().string());
  }
}

TEST_CASE("a generated plan at piece 1's scale survives YAML and keeps every hard rule") {
  testing::GeneratorOptions options;
  options.seed = 7;
  options.key_projects = true;
  options.people = 40;
  const auto holidays = calendar::load_holiday_set("cn", data_dir());
  const std::string yaml = testing::plan_yaml(testing::generate_plan(options, holidays));
  require_solved_and_valid(scheduler::load_plan(yaml, "key-projects.yaml", data_dir()),
                           "key-projects");
}
