// Helpers for tests that run programs: shell quoting, running a command line
// for its exit status and output, scratch directories, whole-file reads, and
// programs left running in the background (stub servers).
#pragma once

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

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

// A program left running in the background (fork + execv, no shell), its
// stdout and stderr in files; stopped with SIGTERM, then SIGKILL, when it goes
// out of scope. `environment` adds NAME=VALUE pairs to the test's own.
class BackgroundProcess {
public:
  BackgroundProcess(std::vector<std::string> argv, std::filesystem::path out,
                    std::filesystem::path err,
                    std::vector<std::pair<std::string, std::string>> environment = {})
      : out_(std::move(out)), err_(std::move(err)) {
    REQUIRE(!argv.empty());
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      for (const auto &[name, value] : environment)
        ::setenv(name.c_str(), value.c_str(), 1);
      if (!std::freopen(out_.c_str(), "w", stdout) || !std::freopen(err_.c_str(), "w", stderr))
        ::_exit(126);
      std::vector<char *> args;
      for (auto &a : argv)
        args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~BackgroundProcess() { stop(); }
  BackgroundProcess(const BackgroundProcess &) = delete;
  BackgroundProcess &operator=(const BackgroundProcess &) = delete;

  pid_t pid() const { return pid_; }
  const std::filesystem::path &err_path() const { return err_; }

  // The first line the program wrote to stdout (without its newline), waited
  // for up to `timeout`; fails the test, with the program's stderr, when none came.
  std::string first_line(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto text = read_file(out_);
      if (const auto newline = text.find('\n'); newline != std::string::npos)
        return text.substr(0, newline);
      if (exited())
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("the background program wrote no line to stdout; its stderr: " << read_file(err_));
    return "";
  }

  // True when the program has ended (then it is reaped).
  bool exited() {
    if (pid_ <= 0)
      return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return true;
    }
    return false;
  }

  void stop() {
    if (pid_ <= 0)
      return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100 && !exited(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }

private:
  std::filesystem::path out_;
  std::filesystem::path err_;
  pid_t pid_ = -1;
};

} // namespace xun::testing
