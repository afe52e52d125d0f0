// The Debian package: built with `cpack -G DEB`, unpacked into a scratch root
// (dpkg-deb -x), and the systemd unit's ExecStart run as the unit would run
// it — its EnvironmentFile, its WorkingDirectory (the StateDirectory) — with
// the unit's paths inside the scratch root; then /healthz, --version, stop.
// ctest-labels: package
#include "support/process.hpp"
#include "support/raw_socket.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

using xun::testing::ctest_env;
using xun::testing::free_port;
using xun::testing::RawConnection;
using xun::testing::read_file;
using xun::testing::shell_quote;
using xun::testing::TempDir;

namespace {

std::string project_version() {
  const std::string cmake =
      read_file(std::filesystem::path(ctest_env("XUN_SOURCE_DIR")) / "CMakeLists.txt");
  std::smatch m;
  REQUIRE(std::regex_search(cmake, m, std::regex(R"(project\(xun VERSION ([0-9.]+))")));
  return m[1].str();
}

// "Key=value" lines of a unit section or an environment file; a key that
// repeats (EnvironmentFile) keeps every value.
std::multimap<std::string, std::string> key_values(const std::string &text) {
  std::multimap<std::string, std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || line[0] == '[' || eq == std::string::npos)
      continue;
    out.emplace(line.substr(0, eq), line.substr(eq + 1));
  }
  return out;
}

std::string value_of(const std::multimap<std::string, std::string> &m, const std::string &key) {
  const auto it = m.find(key);
  REQUIRE_MESSAGE(it != m.end(), std::string(key + " is missing"));
  return it->second;
}

// The unit's paths, inside the scratch root or the scratch state directory.
std::string relocated(std::string value, const std::filesystem::path &root,
                      const std::filesystem::path &state) {
  if (value.rfind("/var/lib/xun", 0) == 0)
    return state.string() + value.substr(12);
  if (value.rfind("/usr/", 0) == 0 || value.rfind("/etc/", 0) == 0)
    return root.string() + value;
  return value;
}

std::string get(int port, const std::string &path) {
  RawConnection c(port);
  if (!c.connected())
    return {};
  c.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  return c.receive(std::chrono::seconds(5));
}

} // namespace

TEST_CASE("the .deb installs xun, its data, the unit and its configuration, and the unit starts") {
  TempDir dir("package");
  const std::filesystem::path build = ctest_env("XUN_BUILD_DIR");
  const auto out = dir.path() / "out";
  const auto cpack =
      xun::testing::run_piped("cd " + shell_quote(build.string()) + " && cpack -G DEB -B " +
                              shell_quote(out.string()) + " 2>&1");
  INFO(cpack.out);
  REQUIRE(cpack.status == 0);
  const std::string version = project_version();
  const auto deb = out / ("xun_" + version + "_amd64.deb");
  REQUIRE(std::filesystem::exists(deb));

  const auto info = xun::testing::run_piped("dpkg-deb -I " + shell_quote(deb.string()) + " 2>&1");
  INFO(info.out);
  CHECK(info.out.find("Package: xun") != std::string::npos);
  CHECK(info.out.find("Version: " + version) != std::string::npos);
  CHECK(info.out.find("Depends:") != std::string::npos);
  CHECK(info.out.find("libical3") != std::string::npos); // from shlibdeps
  for (const char *script : {"postinst", "prerm", "postrm", "conffiles"})
    CHECK(info.out.find(script) != std::string::npos);

  const auto root = dir.path() / "root";
  std::filesystem::create_directories(root);
  REQUIRE(xun::testing::shell("dpkg-deb -x " + shell_quote(deb.string()) + " " +
                              shell_quote(root.string())) == 0);
  for (const char *file :
       {"usr/bin/xun", "usr/share/xun/holidays/cn/2026.json",
        "usr/share/xun/plans/party-branch-2026.yaml", "lib/systemd/system/xun.service",
        "etc/default/xun", "usr/share/doc/xun/OPERATIONS.md"})
    CHECK_MESSAGE(std::filesystem::exists(root / file), file);

  const auto xun = root / "usr/bin/xun";
  const auto version_run = xun::testing::run_piped(shell_quote(xun.string()) + " --version");
  CHECK(version_run.status == 0);
  CHECK(version_run.out == "xun " + version + "\n");

  // The unit: a dedicated user, its state in /var/lib/xun, the environment file.
  const auto unit = key_values(read_file(root / "lib/systemd/system/xun.service"));
  CHECK(value_of(unit, "User") == "xun");
  CHECK(value_of(unit, "StateDirectory") == "xun");
  CHECK(value_of(unit, "WorkingDirectory") == "/var/lib/xun");
  const auto state = dir.path() / "state"; // what StateDirectory= makes
  std::filesystem::create_directories(state);

  std::map<std::string, std::string> environment;
  const auto files = unit.equal_range("EnvironmentFile");
  for (auto it = files.first; it != files.second; ++it) {
    const bool optional = it->second.front() == '-';
    const auto file = relocated(it->second.substr(optional ? 1 : 0), root, state);
    if (optional && !std::filesystem::exists(file))
      continue; // /etc/xun/admin-token is made by postinst, which dpkg-deb -x does not run
    for (const auto &[k, v] : key_values(read_file(file)))
      environment[k] = relocated(v, root, state);
  }
  CHECK(environment.at("XUN_DB") == (state / "xun.db").string());
  const int port = free_port();
  environment["XUN_PORT"] = std::to_string(port);
  environment["XUN_ADMIN_TOKEN"] = "package-test-token"; // what postinst would write

  // ExecStart with ${VAR} expanded as systemd does, split into words.
  std::string exec = value_of(unit, "ExecStart");
  for (const auto &[k, v] : environment)
    for (auto at = exec.find("${" + k + "}"); at != std::string::npos;
         at = exec.find("${" + k + "}"))
      exec.replace(at, k.size() + 3, v);
  REQUIRE(exec.find('$') == std::string::npos);
  std::vector<std::string> words;
  std::istringstream split(exec);
  for (std::string w; split >> w;)
    words.push_back(relocated(w, root, state));
  REQUIRE(words.front() == xun.string());

  const auto log = dir.path() / "journal";
  const pid_t pid = fork();
  if (pid == 0) {
    ::clearenv();
    for (const auto &[k, v] : environment)
      ::setenv(k.c_str(), v.c_str(), 1);
    if (::chdir(state.c_str()) != 0)
      _exit(126);
    (void)std::freopen(log.c_str(), "a", stdout);
    (void)std::freopen(log.c_str(), "a", stderr);
    std::vector<char *> argv;
    for (auto &w : words)
      argv.push_back(w.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  std::string health;
  for (int i = 0; i < 800 && health.empty(); ++i) { // up to 20 s on a loaded machine
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    health = get(port, "/healthz");
  }
  INFO(read_file(log));
  CHECK(RawConnection::status_of(health) == 200);
  CHECK(health.find("\"version\": \"" + version + "\"") != std::string::npos);
  CHECK(health.find("\"store\": \"ok\"") != std::string::npos);
  CHECK(std::filesystem::exists(state / "xun.db")); // the data is in the state directory
  // The package's data directory: a seed plan (its holidays from /usr/share/xun) is solved.
  {
    const std::string plan = read_file(root / "usr/share/xun/plans/party-branch-2026.yaml");
    RawConnection c(port);
    c.send("POST /api/plans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
           "package-test-token\r\nContent-Type: application/yaml\r\nContent-Length: " +
           std::to_string(plan.size()) + "\r\nConnection: close\r\n\r\n" + plan);
    const std::string created = c.receive(std::chrono::seconds(30));
    INFO(created.substr(0, 2000));
    CHECK(RawConnection::status_of(created) == 201);
  }

  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(read_file(log).find("\"path\":\"/healthz\"") != std::string::npos); // --access-log
}
