// Solve times: the seed plans as whole `xun solve` processes and in process,
// and generated plans (1,000 and 10,000 occurrences, 50-500 people, loose and
// tight) in process, with peak RSS. Each figure is also given as a share of
// its target (these machines are noisy: compare ratios). Targets: seed plans
// < 20 ms whole process; 1,000 tight < 0.5 s; 10,000 < 2 s and < 200 MB.
#include "../tests/support/plan_generator.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

extern char **environ;

namespace {

long peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// The median wall time of `runs` runs of `xun solve PLAN --format json`.
double whole_process_ms(const std::string &xun, const std::string &plan, int runs) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    std::vector<std::string> argv_text{xun, "solve", plan, "--format", "json", "-o", "/dev/null"};
    std::vector<char *> argv;
    for (auto &a : argv_text)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    const auto t0 = Clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, xun.c_str(), nullptr, nullptr, argv.data(), environ) != 0)
      return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    times.push_back(ms_since(t0));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return -1;
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

void run_seed_plans() {
  const char *data = std::getenv("XUN_DATA_DIR");
  const char *xun = std::getenv("XUN_BINARY");
  if (!data) {
    std::printf("seed plans: XUN_DATA_DIR not set, skipped (bench/run.sh sets it)\n");
    return;
  }
  std::vector<std::filesystem::path> plans;
  for (const auto &entry :
       std::filesystem::directory_iterator(std::filesystem::path(data) / "plans"))
    if (entry.path().extension() == ".yaml")
      plans.push_back(entry.path());
  std::sort(plans.begin(), plans.end());
  for (const auto &path : plans) {
    const auto t0 = Clock::now();
    const auto loaded = xun::scheduler::load_plan_file(path, data);
    const double load_ms = ms_since(t0);
    if (!loaded.plan) {
      std::printf("%-34s does not load\n", path.filename().c_str());
      continue;
    }
    const auto t1 = Clock::now();
    const auto schedule = xun::scheduler::solve(*loaded.plan);
    const double solve_ms = ms_since(t1);
    const double process_ms = xun ? whole_process_ms(xun, path.string(), 21) : -1;
    std::printf("%-34s %6zu occurrences  load %6.2f ms  solve %6.2f ms  whole process %6.2f ms "
                "(%.2f of the 20 ms target)  %s\n",
                path.filename().c_str(), schedule.occurrences.size(), load_ms, solve_ms, process_ms,
                process_ms / 20.0, schedule.feasible() ? "ok" : "CONFLICT");
  }
}

void run(const char *name, const xun::testing::GeneratorOptions &options, double target_ms) {
  const auto plan = xun::testing::generate_plan(options);
  const auto t0 = std::chrono::steady_clock::now();
  const auto schedule = xun::scheduler::solve(plan);
  const auto t1 = std::chrono::steady_clock::now();
  const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  std::printf("%-34s %6zu occurrences %4d people  %8.1f ms (%.2f of target)  %s  peak RSS %ld MB\n",
              name, schedule.occurrences.size(), options.people, ms, ms / target_ms,
              schedule.feasible() ? "ok" : "CONFLICT", peak_rss_mb());
}

} // namespace

int main() {
  run_seed_plans();
  run("1k loose, 50 people", {.seed = 1, .occurrences = 1000, .people = 50}, 500);
  run("1k tight, 50 people", {.seed = 2, .occurrences = 1000, .people = 50, .tight = true}, 500);
  run("1k tight, 500 people", {.seed = 3, .occurrences = 1000, .people = 500, .tight = true}, 500);
  run("piece 1: 116 projects x 4 visits",
      {.seed = 4,
       .occurrences = 464,
       .people = 40,
       .team_min = 3,
       .team_max = 5,
       .key_projects = true},
      500);
  run("10k loose, 500 people", {.seed = 5, .occurrences = 10000, .people = 500}, 2000);
  run("10k tight, 500 people", {.seed = 6, .occurrences = 10000, .people = 500, .tight = true},
      2000);
  run("10k loose, 50 people", {.seed = 7, .occurrences = 10000, .people = 50}, 2000);
  return 0;
}
