// A thin RAII layer over libpq for the PostgreSQL store (internal to store/):
// a connection, a result, parameters as text, and every failure turned into
// the store's own errors (a lost server is Unavailable, a broken constraint a
// Conflict). libpq rather than libpqxx: Debian 12 has only libpqxx 6.4, whose
// API libpqxx 7 replaces, and the few calls we need are simpler to own.
#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace xun::store::pg {

// Bytes kept exactly as received (BYTEA), whatever their encoding.
struct Bytes {
  const std::string &value;
};

// One parameter of a statement: text, bytes, or SQL NULL.
struct Param {
  std::optional<std::string> value;
  bool binary = false;
};
inline Param param(const std::string &v) { return {v}; }
inline Param param(const char *v) { return {std::string(v)}; }
inline Param param(std::int64_t v) { return {std::to_string(v)}; }
inline Param param(int v) { return {std::to_string(v)}; }
inline Param param(const std::optional<int> &v) {
  return {v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt};
}
inline Param param(const Bytes &v) { return {v.value, true}; }
inline Param param(bool v) { return {std::string(v ? "true" : "false")}; }
inline Param param(const std::optional<std::string> &v) { return {v}; }

// A NOTIFY received: its channel and payload.
struct Notification {
  std::string channel;
  std::string payload;
};

class Result {
public:
  explicit Result(pg_result *r) : r_(r) {}
  ~Result();
  Result(Result &&other) noexcept : r_(other.r_) { other.r_ = nullptr; }
  Result(const Result &) = delete;
  Result &operator=(const Result &) = delete;
  Result &operator=(Result &&) = delete;

  int rows() const;
  bool null(int row, int col) const;
  std::string text(int row, int col) const;
  std::string bytes(int row, int col) const;    // of a BYTEA column
  std::int64_t integer(int row, int col) const; // throws Unavailable when not a number
  bool boolean(int row, int col) const;         // of a BOOLEAN column

private:
  pg_result *r_;
};

class Connection {
public:
  explicit Connection(const std::string &conninfo); // throws Unavailable
  ~Connection();
  Connection(const Connection &) = delete;
  Connection &operator=(const Connection &) = delete;

  // One statement with $1… parameters; throws Conflict or Unavailable.
  Result exec(const std::string &sql, const std::vector<Param> &params = {});
  template <class... Args> Result run(const std::string &sql, const Args &...args) {
    return exec(sql, {param(args)...});
  }
  // Several statements, no parameters (migrations).
  void exec_script(const std::string &sql);

  bool broken() const;                                 // the server went away: drop this connection
  std::uint64_t executed() const { return executed_; } // statements sent so far
  int socket() const;
  // Reads what arrived and returns each notification.
  std::vector<Notification> notifications(); // throws Unavailable when the link is lost

private:
  [[noreturn]] void fail(const std::string &what, pg_result *r);
  pg_conn *c_ = nullptr;
  std::uint64_t executed_ = 0;
};

} // namespace xun::store::pg
