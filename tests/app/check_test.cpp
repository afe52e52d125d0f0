#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::filesystem::path &p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A scratch directory of this test process, removed at exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("xun-check-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path write(const std::string &name, const std::string &text) const {
    std::ofstream(path / name) << text;
    return path / name;
  }
};

Run xun_check(const TempDir &dir, const std::string &plan) {
  const char *binary = std::getenv("XUN_BINARY");
  REQUIRE(binary != nullptr);
  const auto out = dir.path / "stdout";
  const auto err = dir.path / "stderr";
  const std::string command = std::string("'") + binary + "' check '" + plan +
                              "' >'" + out.string() + "' 2>'" + err.string() + "'";
  const int raw = std::system(command.c_str());
  Run run;
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  run.out = slurp(out);
  run.err = slurp(err);
  return run;
}

} // namespace

TEST_CASE("xun check accepts a valid plan with a one-line summary") {
  TempDir dir;
  const auto plan = dir.write("good.yaml", R"(plan: 支部计划
year: 2026
people: [{id: zhang, name: 张青}]
activities:
  - {id: congress, title: 党员大会, when: 2月下旬, attendees: [zhang]}
  - {id: meeting, title: 支委会, when: 3月, after: congress}
)");
  const auto run = xun_check(dir, plan.string());
  CHECK(run.status == 0);
  CHECK(run.out == plan.string() + ": ok — 2 activities\n");
  CHECK(run.err.empty());
}

TEST_CASE("xun check exits 2 and prints every problem as FILE:LINE:COL") {
  TempDir dir;
  const auto plan = dir.write("bad.yaml", R"(plan: 支部计划
year: 2026
activities:
  - id: congress
    title: 党员大会
    atendees: [zhang]
  - id: meeting
    title: 支委会
    busy: yes
)");
  const auto run = xun_check(dir, plan.string());
  CHECK(run.status == 2);
  CHECK(run.out.empty());
  CHECK(run.err == plan.string() +
                       ":6:5: unknown key 'atendees' in activity 'congress'; did "
                       "you mean 'attendees'?\n" +
                       plan.string() +
                       ":9:11: busy in activity 'meeting' must be true or false, "
                       "found 'yes'\n");
}

TEST_CASE("xun check on a missing file exits 2 with a clear message") {
  TempDir dir;
  const auto missing = (dir.path / "nope.yaml").string();
  const auto run = xun_check(dir, missing);
  CHECK(run.status == 2);
  CHECK(run.err == missing + ": no such plan file\n");
}

TEST_CASE("xun check accepts the seed plans") {
  TempDir dir;
  const char *source = std::getenv("XUN_SOURCE_DIR");
  REQUIRE(source != nullptr);
  const auto plan =
      std::filesystem::path(source) / "data" / "plans" / "party-branch-2026.yaml";
  const auto run = xun_check(dir, plan.string());
  CHECK(run.status == 0);
  CHECK(run.out.starts_with(plan.string() + ": ok — "));
}

TEST_CASE("xun check reads a JSON plan and prints plan warnings on stderr") {
  TempDir dir;
  const auto plan = dir.write(
      "plan.json", "{\"plan\": \"计划\", \"year\": 2030, \"activities\": "
                   "[{\"id\": \"a\", \"title\": \"一\", \"when\": \"5月\"}]}\n");
  const auto run = xun_check(dir, plan.string());
  CHECK(run.status == 0);
  CHECK(run.out == plan.string() + ": ok — 1 activity\n");
  CHECK(run.err.starts_with(plan.string() + ": warning: "));
  CHECK(run.err.find("2030") != std::string::npos);
}
