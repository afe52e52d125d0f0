// In-process solve times for generated plans (1,000 and 10,000 occurrences,
// 50-500 people, loose and tight) and peak RSS. Targets: 1,000 tight < 0.5 s;
// 10,000 < 2 s and < 200 MB.
#include "scheduler/schedule.hpp"
#include "../tests/support/plan_generator.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>

namespace {

long peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

void run(const char *name, const xun::testing::GeneratorOptions &options) {
  const auto plan = xun::testing::generate_plan(options);
  const auto t0 = std::chrono::steady_clock::now();
  const auto schedule = xun::scheduler::solve(plan);
  const auto t1 = std::chrono::steady_clock::now();
  std::printf("%-34s %6zu occurrences %4d people  %8.1f ms  %s  peak RSS %ld MB\n", name,
              schedule.occurrences.size(), options.people,
              std::chrono::duration<double, std::milli>(t1 - t0).count(),
              schedule.feasible() ? "ok" : "CONFLICT", peak_rss_mb());
}

} // namespace

int main() {
  run("1k loose, 50 people", {.seed = 1, .occurrences = 1000, .people = 50});
  run("1k tight, 50 people", {.seed = 2, .occurrences = 1000, .people = 50, .tight = true});
  run("1k tight, 500 people", {.seed = 3, .occurrences = 1000, .people = 500, .tight = true});
  run("piece 1: 116 projects x 4 visits", {.seed = 4, .occurrences = 464, .people = 40,
                                            .team_min = 3, .team_max = 5, .key_projects = true});
  run("10k loose, 500 people", {.seed = 5, .occurrences = 10000, .people = 500});
  run("10k tight, 500 people", {.seed = 6, .occurrences = 10000, .people = 500, .tight = true});
  run("10k loose, 50 people", {.seed = 7, .occurrences = 10000, .people = 50});
  return 0;
}
