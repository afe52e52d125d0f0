// Helpers for tests that run programs: shell quoting, running a command line
// for its exit status and output, scratch directories and whole-file reads.
#pragma once

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

namespace xun::testing {

// What a command did: its exit status (-1 when it did not exit normally) and
// what it wrote.
struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

// One word for /bin/sh, whatever characters it holds.
inline std::string shell_quote(std::string_view word) {
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'')
      quoted += "'\\''";
    else
      quoted += c;
  }
  return quoted + "'";
}

inline int exit_status(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
}

// Runs a shell command line, its output left where the command line sends it.
inline int shell(const std::string &command) { return exit_status(std::system(command.c_str())); }

// The whole file as bytes; "" when it cannot be read.
inline std::string read_file(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs a shell command line and reads its stdout through a pipe; stderr goes
// where the command line sends it (append " 2>&1" to read both together).
inline Run run_piped(const std::string &command) {
  Run run;
  FILE *pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
    run.out.append(buffer, n);
  run.status = exit_status(::pclose(pipe));
  return run;
}

// A scratch directory of this test process, removed with everything in it
// when it goes out of scope.
class TempDir {
public:
  // The directory <tmp>/xun-<tag>-<pid>.
  explicit TempDir(std::string_view tag)
      : path_(std::filesystem::temp_directory_path() /
              ("xun-" + std::string(tag) + "-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::filesystem::path &path() const { return path_; }

  // Writes `text` as the file `name` in the directory; its path.
  std::filesystem::path write(const std::string &name, const std::string &text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return path_ / name;
  }

private:
  std::filesystem::path path_;
};

// Runs a shell command line with stdout and stderr read apart (stderr through
// a file in `scratch`).
inline Run run_captured(const std::string &command, const TempDir &scratch) {
  const auto err = scratch.path() / "stderr";
  Run run = run_piped(command + " 2>" + shell_quote(err.string()));
  run.err = read_file(err);
  std::filesystem::remove(err);
  return run;
}

// The value of an environment variable ctest sets for every test (see
// tests/CMakeLists.txt); fails the test when it is missing.
inline std::string ctest_env(const char *name) {
  const char *value = std::getenv(name);
  REQUIRE_MESSAGE(value != nullptr,
                  (std::string(name) + " is not set: run the test through ctest"));
  return value;
}

} // namespace xun::testing
