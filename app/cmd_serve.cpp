#include "app/commands.hpp"

#include "calendar/zones.hpp"
#include "http/links.hpp"
#include "http/server.hpp"
#include "service/service.hpp"
#include "store/open.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <pthread.h>
#include <thread>

namespace xun::app {
namespace {

// XUN_NOW fixes the service's clock, which is the re-plan's as-of (PLAN.md
// §6.5) and the reminders' "now": `SECONDS` stands still, `SECONDS+` starts
// there and runs (XUN_CLOCK_SPEED times real speed, default 1) — for tests
// and for rehearsing a year; unset, the real clock.
std::function<std::int64_t()> chosen_clock() {
  const char *env = std::getenv("XUN_NOW");
  if (!env || !*env)
    return {};
  std::string text = env;
  const bool runs = text.back() == '+';
  if (runs)
    text.pop_back();
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
      text.size() > 12) {
    std::cerr << "xun serve: XUN_NOW must be Unix seconds (or seconds followed by '+'), found '"
              << env << "'; ignored\n";
    return {};
  }
  const std::int64_t start = std::stoll(text);
  if (!runs)
    return [start] { return start; };
  double speed = 1;
  if (const char *s = std::getenv("XUN_CLOCK_SPEED"); s && *s) {
    char *end = nullptr;
    speed = std::strtod(s, &end);
    if (*end != '\0' || !(speed > 0) || speed > 100000) {
      std::cerr << "xun serve: XUN_CLOCK_SPEED must be a number above 0, found '" << s
                << "'; 1 is used\n";
      speed = 1;
    }
  }
  const auto began = std::chrono::steady_clock::now();
  return [start, speed, began] {
    const std::chrono::duration<double> run = std::chrono::steady_clock::now() - began;
    return start + static_cast<std::int64_t>(run.count() * speed);
  };
}

// XUN_CA_FILE replaces the system's certificates for outgoing TLS (notify/
// transport.cpp reads it on every send): refuse to start on a path that
// cannot be read, rather than fail every e-mail later.
bool ca_file_readable() {
  const char *path = std::getenv("XUN_CA_FILE");
  if (!path || !*path)
    return true;
  if (std::ifstream in(path); in && in.peek() != std::ifstream::traits_type::eof())
    return true;
  std::cerr << "xun serve: XUN_CA_FILE " << path
            << " cannot be read or is empty: give a PEM file of CA certificates, or unset it "
               "to use the system's\n";
  return false;
}

// The key sealing channel secrets: XUN_SECRET_KEY (64 hex digits), else a
// key file beside an SQLite database (FILE.key), else xun-secret.key here;
// a missing file is created (mode 0600). Replicas must share the key.
std::optional<service::SealKey> seal_key(const std::string &db) {
  if (const char *env = std::getenv("XUN_SECRET_KEY"); env && *env) {
    auto key = service::SealKey::from_hex(env);
    if (!key)
      std::cerr << "xun serve: XUN_SECRET_KEY must be 64 hexadecimal digits (lower case)\n";
    return key;
  }
  std::string file = "xun-secret.key";
  if (db.rfind("postgres", 0) != 0)
    file = (db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db) + ".key";
  if (std::ifstream in(file); in) {
    std::string text;
    std::getline(in, text);
    auto key = service::SealKey::from_hex(text);
    if (!key)
      std::cerr << "xun serve: " << file << " does not hold a key (64 hexadecimal digits)\n";
    return key;
  }
  const auto key = service::SealKey::generate();
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  const std::string text = key.hex() + "\n";
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
      ::fsync(fd) != 0) {
    std::cerr << "xun serve: cannot write the secret key file " << file << ": "
              << std::strerror(errno) << "\n";
    if (fd >= 0)
      ::close(fd);
    return std::nullopt;
  }
  ::close(fd);
  std::cout << "Secret key for channel credentials: " << file << " (keep it with backups, apart "
            << "from the database)\n";
  return key;
}

} // namespace

namespace {

constexpr const char *serve_usage =
    "usage: xun serve [--db FILE|sqlite:FILE|postgresql://…] [--host H] [--port N] [--demo] "
    "[--access-log] "
    "[--data-dir DIR]\n"
    "  --db: default $XUN_DB, else xun.db; --access-log: a JSON line per request on stderr\n";

} // namespace

int run_serve(Args args) {
  http::ServerConfig config;
  const std::filesystem::path data = data_dir(args);
  const std::string db = database_url(args);
  bool demo = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--host" && has_value)
      config.host = args[++i];
    else if (a == "--port" && has_value) {
      const std::string &v = args[++i];
      if (v.empty() || v.size() > 5 || v.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(v) > 65535) {
        std::cerr << "xun serve: --port " << v << ": a port is a number from 0 to 65535\n";
        return 2;
      }
      config.port = std::stoi(v);
    } else if (a == "--demo")
      demo = true;
    else if (a == "--access-log" || a == "--log") // --log: the name it had before
      config.log_requests = true;
    else if (a == "--help" || a == "-h") {
      std::cout << serve_usage;
      return 0;
    } else {
      std::cerr << "xun serve: unknown argument '" << a << "'\n" << serve_usage;
      return 2;
    }
  }

  // Signals go to one waiting thread; the server's workers never see them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Time zones load before any worker thread starts (libical's first load races).
  calendar::preload_zone("Asia/Shanghai");

  // Wiring: the store from its URL, the use cases on it, the routes on them.
  std::unique_ptr<store::Store> store;
  std::unique_ptr<service::Service> service_ptr;
  try {
    store = store::open_store(db);
    const auto key = seal_key(db);
    if (!key || !ca_file_readable())
      return 1;
    service_ptr = std::make_unique<service::Service>(
        service::Config{store.get(), data, chosen_clock(), *key, "http://127.0.0.1"});
  } catch (const std::exception &e) {
    std::cerr << "xun serve: " << e.what() << "\n";
    return 1;
  }
  auto &service = *service_ptr;
  const char *env_token = std::getenv("XUN_ADMIN_TOKEN");
  const auto admin = service.admin_token(env_token ? env_token : "");
  config.admin_digest = admin.digest;
  if (!admin.generated.empty())
    std::cout << "Admin token (shown once; " << db
              << " keeps only its salted digest; set XUN_ADMIN_TOKEN to choose your own):\n  "
              << admin.generated << "\n";
  auto server = std::make_unique<http::Server>(config, service);

  const int port = server->bind();
  if (port < 0) {
    std::cerr << "xun serve: cannot listen on " << config.host << ":" << config.port << ": "
              << server->bind_error() << "\n";
    return 1;
  }
  http::Origin origin;
  origin.host = (config.host == "0.0.0.0" ? std::string("127.0.0.1") : config.host) + ":" +
                std::to_string(port);
  // Messages link to the plan's page as people reach it (behind a proxy: XUN_PUBLIC_URL).
  const char *public_url = std::getenv("XUN_PUBLIC_URL");
  service.notifications().set_public_url(public_url && *public_url ? public_url
                                                                   : origin.http_base());
  service.notifications().start_delivery({});
  // The page shows its subscribe links only with ?key=FEED_TOKEN: print that link.
  const auto page_url = [&](const std::string &id) {
    const std::string token = service.feed_token_of(id);
    return origin.http_base() + "/plans/" + id + (token.empty() ? "" : "?key=" + token);
  };

  if (demo) {
    const auto file = data / "plans" / "party-branch-2026.yaml";
    try {
      const std::string id = service.ensure_seeded("demo", file);
      std::cout << "Demo plan: " << page_url(id) << "\n";
    } catch (const std::exception &e) {
      std::cerr << "xun serve: the demo plan: " << e.what() << "\n";
    }
  }
  for (const auto &zone : service.zones())
    calendar::preload_zone(zone);

  std::cout << "Serving on " << origin.http_base() << "/ (sign in: " << origin.http_base()
            << "/signin)\n";
  for (const auto &plan : service.plans(true)) {
    std::cout << "  " << page_url(plan.record.id) << "\n";
    const std::string &token = plan.feed_token;
    if (!token.empty())
      std::cout << "    feed: " << origin.http_base() << "/feeds/" << token << ".ics\n"
                << "          " << origin.webcal_base() << "/feeds/" << token << ".ics\n";
  }
  std::cout.flush();

  std::atomic<bool> listener_ended{false};
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    if (!listener_ended) // a signal from outside, not the wake-up below
      std::cerr << "xun serve: " << (signal == SIGINT ? "SIGINT" : "SIGTERM")
                << ": stopping; requests under way are finished\n";
    server->stop();
  });
  server->run();
  // Stopped by a signal, or the listener failed: either way wake the waiter.
  listener_ended = true;
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::cout << "xun serve: stopped\n";
  return 0;
}

} // namespace xun::app
