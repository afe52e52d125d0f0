// The real servers the notify tests send to, each a process on 127.0.0.1:
// tests/tools/robot_stub.py (the group robots and a webhook receiver) and
// Debian's aiosmtpd with tests/tools/smtp_sink.py.
#pragma once

#include "support/process.hpp"
#include "support/raw_socket.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace xun::notify::test {

using nlohmann::json;
using xun::testing::BackgroundProcess;
using xun::testing::ctest_env;
using xun::testing::TempDir;

// Debian's Python: it has python3-aiosmtpd and python3-icalendar.
inline const std::string python = "/usr/bin/python3";

inline std::string tools_dir() { return ctest_env("XUN_SOURCE_DIR") + "/tests/tools"; }

inline bool port_open(int port) { return xun::testing::RawConnection(port).connected(); }

using xun::testing::free_port;

// Each line of a JSONL file, parsed.
inline std::vector<json> read_jsonl(const std::filesystem::path &file) {
  std::vector<json> lines;
  std::istringstream in(xun::testing::read_file(file));
  for (std::string line; std::getline(in, line);)
    if (!line.empty())
      lines.push_back(json::parse(line));
  return lines;
}

// robot_stub.py on a port of its own, with its log and script in `dir`.
class RobotStub {
public:
  RobotStub(const TempDir &dir, const std::vector<std::string> &secrets, const json &script = {})
      : log_(dir.path() / "robots.jsonl"), script_(dir.path() / "script.json"),
        process_(arguments(secrets), dir.path() / "stub.out", dir.path() / "stub.err") {
    port_ = std::stoi(process_.first_line());
    set_script(script);
  }

  std::string url(const std::string &path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // Replaces the replies (the stub reads the file again when it changes).
  void set_script(const json &script) {
    const auto part = script_.string() + ".part";
    std::ofstream(part) << (script.is_null() ? json::object() : script).dump();
    std::filesystem::rename(part, script_);
    // The stub notices a change by the file's mtime; make it differ.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::vector<json> accepted() const { return read_jsonl(log_); }

private:
  std::vector<std::string> arguments(const std::vector<std::string> &secrets) const {
    std::vector<std::string> args = {python,     tools_dir() + "/robot_stub.py",
                                     "--port",   "0",
                                     "--log",    log_.string(),
                                     "--script", script_.string()};
    for (const auto &secret : secrets) {
      args.push_back("--secret");
      args.push_back(secret);
    }
    return args;
  }

  std::filesystem::path log_;
  std::filesystem::path script_;
  BackgroundProcess process_;
  int port_ = 0;
};

// The messages smtp_sink.Sink kept in `mail_dir`, in the order they came.
inline std::vector<std::filesystem::path> eml_files(const std::filesystem::path &mail_dir) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::exists(mail_dir))
    for (const auto &entry : std::filesystem::directory_iterator(mail_dir))
      if (entry.path().extension() == ".eml")
        files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// aiosmtpd with smtp_sink.Sink: each message it accepts as NNNNN.eml in `mail_dir`.
class SmtpSink {
public:
  SmtpSink(const TempDir &dir)
      : mail_dir_(dir.path() / "mail"), port_(free_port()),
        process_({python, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port_), "-c",
                  "smtp_sink.Sink", mail_dir_.string()},
                 dir.path() / "smtp.out", dir.path() / "smtp.err", {{"PYTHONPATH", tools_dir()}}) {
    for (int i = 0; i < 500 && !port_open(port_); ++i) {
      REQUIRE_MESSAGE(!process_.exited(),
                      "aiosmtpd did not start: " << xun::testing::read_file(process_.err_path()));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(port_open(port_));
  }

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path &mail_dir() const { return mail_dir_; }
  std::vector<std::filesystem::path> messages() const { return eml_files(mail_dir_); }

private:
  std::filesystem::path mail_dir_;
  int port_;
  BackgroundProcess process_;
};

// tests/tools/smtp_tls_server.py: STARTTLS (required) and smtps listeners, or
// with `starttls = false` one listener without TLS that offers AUTH in the
// clear; AUTH required with `user`/`password`; its throwaway CA in `ca_file()`.
struct SmtpTlsOptions {
  std::string user = "xun-mailer";
  std::string password;
  std::string mechanism; // "PLAIN" or "LOGIN" offered alone; "" for both
  bool starttls = true;
  std::string san; // the server certificate's subjectAltName; "" for 127.0.0.1 and localhost
};

class SmtpTlsServer {
public:
  SmtpTlsServer(const TempDir &dir, const SmtpTlsOptions &options)
      : dir_(dir.path()), process_(arguments(dir.path(), options), dir.path() / "tls-smtp.out",
                                   dir.path() / "tls-smtp.err", {{"PYTHONPATH", tools_dir()}}) {
    ports_ = json::parse(process_.first_line());
  }

  std::string starttls_url() const { return "smtp://127.0.0.1:" + port("starttls"); }
  std::string smtps_url() const { return "smtps://127.0.0.1:" + port("smtps"); }
  std::string plain_url() const { return "smtp://127.0.0.1:" + port("plain"); }
  std::filesystem::path ca_file() const { return dir_ / "certs" / "ca.pem"; }

  // Each message accepted, as NNNNN.eml, and beside it NNNNN.json {mail_from,
  // rcpt_tos, tls, login}.
  std::vector<std::filesystem::path> messages() const { return eml_files(dir_ / "mail"); }
  static json envelope(const std::filesystem::path &eml) {
    return json::parse(
        xun::testing::read_file(std::filesystem::path(eml).replace_extension(".json")));
  }
  // Each AUTH attempt: {event, listener, mechanism, login, ok, tls}.
  std::vector<json> logins() const {
    const auto events = dir_ / "events.jsonl";
    return std::filesystem::exists(events) ? read_jsonl(events) : std::vector<json>{};
  }

private:
  static std::vector<std::string> arguments(const std::filesystem::path &dir,
                                            const SmtpTlsOptions &options) {
    std::vector<std::string> args = {python,       tools_dir() + "/smtp_tls_server.py",
                                     "--dir",      dir.string(),
                                     "--user",     options.user,
                                     "--password", options.password};
    if (!options.mechanism.empty())
      args.insert(args.end(), {"--mechanism", options.mechanism});
    if (!options.starttls)
      args.push_back("--no-starttls");
    if (!options.san.empty())
      args.insert(args.end(), {"--san", options.san});
    return args;
  }
  std::string port(const char *listener) const {
    REQUIRE_MESSAGE(ports_.contains(listener), "no " << listener << " listener: " << ports_);
    return std::to_string(ports_[listener].get<int>());
  }

  std::filesystem::path dir_;
  BackgroundProcess process_;
  json ports_;
};

} // namespace xun::notify::test
