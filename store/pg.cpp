#include "store/pg.hpp"

#include <libpq-fe.h>

#include <charconv>

namespace xun::store::pg {

Result::~Result() {
  if (r_)
    PQclear(r_);
}

int Result::rows() const { return PQntuples(r_); }

bool Result::null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }

std::string Result::text(int row, int col) const {
  return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
}

std::string Result::bytes(int row, int col) const {
  std::size_t length = 0;
  unsigned char *raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char *>(PQgetvalue(r_, row, col)), &length);
  if (!raw)
    throw Unavailable("database: out of memory reading bytes");
  std::string out(reinterpret_cast<const char *>(raw), length);
  PQfreemem(raw);
  return out;
}

std::int64_t Result::integer(int row, int col) const {
  const char *v = PQgetvalue(r_, row, col);
  const char *end = v + PQgetlength(r_, row, col);
  std::int64_t out = 0;
  auto [at, ec] = std::from_chars(v, end, out);
  if (ec != std::errc() || at != end)
    throw Unavailable("database: '" + std::string(v, end) + "' where a number was stored");
  return out;
}

bool Result::boolean(int row, int col) const { return text(row, col) == "t"; }

Connection::Connection(const std::string &conninfo) : c_(PQconnectdb(conninfo.c_str())) {
  if (!c_)
    throw Unavailable("database: out of memory connecting");
  if (PQstatus(c_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(c_);
    while (!message.empty() && message.back() == '\n')
      message.pop_back();
    PQfinish(c_);
    c_ = nullptr;
    throw Unavailable("cannot connect to PostgreSQL: " + message);
  }
  // Notices (e.g. "relation already exists, skipping") are not ours to print.
  PQsetNoticeProcessor(
      c_, [](void *, const char *) {}, nullptr);
}

Connection::~Connection() {
  if (c_)
    PQfinish(c_);
}

void Connection::fail(const std::string &what, pg_result *r) {
  std::string message = PQerrorMessage(c_);
  while (!message.empty() && message.back() == '\n')
    message.pop_back();
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  if (r)
    PQclear(r);
  const std::string text = "database: " + what + ": " + message;
  // Class 23: integrity constraint violation (a key taken, a row missing).
  if (sqlstate.rfind("23", 0) == 0)
    throw Conflict(text);
  throw Unavailable(text);
}

Result Connection::exec(const std::string &sql, const std::vector<Param> &params) {
  std::vector<const char *> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const auto &p : params) {
    values.push_back(p.value ? p.value->data() : nullptr);
    lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
    formats.push_back(p.binary ? 1 : 0);
  }
  ++executed_;
  pg_result *r = PQexecParams(c_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), lengths.data(), formats.data(), 0);
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    fail(sql.substr(0, sql.find(' ')), r);
  return Result(r);
}

void Connection::exec_script(const std::string &sql) {
  ++executed_;
  pg_result *r = PQexec(c_, sql.c_str());
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    fail("migration", r);
  PQclear(r);
}

bool Connection::broken() const { return PQstatus(c_) != CONNECTION_OK; }

int Connection::socket() const { return PQsocket(c_); }

std::vector<Notification> Connection::notifications() {
  if (PQconsumeInput(c_) == 0 || broken())
    fail("listening", nullptr);
  std::vector<Notification> out;
  while (PGnotify *n = PQnotifies(c_)) {
    out.push_back({n->relname ? n->relname : "", n->extra ? n->extra : ""});
    PQfreemem(n);
  }
  return out;
}

} // namespace xun::store::pg
