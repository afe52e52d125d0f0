#include "store/codec.hpp"

#include "calendar/dates.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace xun::store {

std::string outbox_status_name(OutboxStatus s) {
  switch (s) {
  case OutboxStatus::pending:
    return "pending";
  case OutboxStatus::sending:
    return "sending";
  case OutboxStatus::sent:
    return "sent";
  case OutboxStatus::failed:
    return "failed";
  case OutboxStatus::unknown:
    return "unknown";
  case OutboxStatus::superseded:
    return "superseded";
  }
  return "pending";
}

} // namespace xun::store

namespace xun::store::codec {

using nlohmann::json;

namespace {

std::string dump(const json &j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string local_text(calendar::LocalTime t) { return date::format("%FT%R", t); }

calendar::LocalTime parse_local(const std::string &text) {
  // "2026-02-24T09:00", as local_text writes it.
  auto day = text.size() == 16 && text[10] == 'T' && text[13] == ':'
                 ? calendar::parse_iso_date(text.substr(0, 10))
                 : std::nullopt;
  if (!day || !std::isdigit(static_cast<unsigned char>(text[11])))
    throw Error("stored schedule: bad local time '" + text + "'");
  const int h = std::stoi(text.substr(11, 2));
  const int m = std::stoi(text.substr(14, 2));
  return calendar::LocalTime{
      std::chrono::duration_cast<std::chrono::minutes>(day->time_since_epoch()) +
      std::chrono::minutes{h * 60 + m}};
}

} // namespace

std::string encode_problems(const std::vector<scheduler::Diagnostic> &problems) {
  json out = json::array();
  for (const auto &d : problems)
    out.push_back({{"file", d.file},
                   {"line", d.line},
                   {"column", d.column},
                   {"message", d.message},
                   {"text", d.to_string()}});
  return dump(out);
}

std::vector<scheduler::Diagnostic> decode_problems(const std::string &text) {
  std::vector<scheduler::Diagnostic> out;
  auto j = json::parse(text, nullptr, false);
  if (!j.is_array())
    return out;
  for (const auto &p : j)
    out.push_back(
        {p.value("file", ""), p.value("line", 0), p.value("column", 0), p.value("message", "")});
  return out;
}

std::string encode_conflict(const std::optional<scheduler::Conflict> &conflict) {
  if (!conflict)
    return "";
  return dump({{"message", conflict->message}, {"activities", conflict->activities}});
}

std::optional<scheduler::Conflict> decode_conflict(const std::string &text) {
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object())
    return std::nullopt;
  scheduler::Conflict c;
  c.message = j.value("message", "");
  if (j.contains("activities") && j["activities"].is_array())
    for (const auto &a : j["activities"])
      if (a.is_string())
        c.activities.push_back(a.get<std::string>());
  return c;
}

namespace {

json encode_occurrence(const scheduler::Occurrence &o) {
  json w = nullptr;
  if (!o.window.empty())
    w = {{"from", calendar::format_iso_date(o.window.dates.front())},
         {"to", calendar::format_iso_date(o.window.dates.back())}};
  json out = {{"activity", o.activity},   {"index", o.index},
              {"all_day", o.all_day},     {"start", local_text(o.start)},
              {"end", local_text(o.end)}, {"window", w},
              {"fixed", o.fixed},         {"period", o.period},
              {"ordinal", o.ordinal},     {"uid", o.published_uid}};
  if (o.state != scheduler::OccurrenceState::planned)
    out["state"] = scheduler::state_name(o.state);
  return out;
}

scheduler::OccurrenceState decode_state(const std::string &name) {
  using S = scheduler::OccurrenceState;
  for (S s : {S::planned, S::done, S::moved, S::frozen, S::not_recorded})
    if (scheduler::state_name(s) == name)
      return s;
  throw Error("stored schedule: unknown occurrence state '" + name + "'");
}

scheduler::Occurrence decode_occurrence(const json &o, bool &keyed) {
  scheduler::Occurrence occ;
  occ.activity = o.at("activity").get<std::string>();
  occ.index = o.at("index").get<int>();
  occ.all_day = o.at("all_day").get<bool>();
  occ.start = parse_local(o.at("start").get<std::string>());
  occ.end = parse_local(o.at("end").get<std::string>());
  occ.fixed = o.value("fixed", false);
  if (o.contains("period")) {
    occ.period = o.at("period").get<int>();
    occ.ordinal = o.at("ordinal").get<int>();
    occ.published_uid = o.value("uid", "");
  } else {
    keyed = false;
  }
  if (o.contains("state"))
    occ.state = decode_state(o.at("state").get<std::string>());
  if (o.contains("window") && o["window"].is_object()) {
    auto from = calendar::parse_iso_date(o["window"].at("from").get<std::string>());
    auto to = calendar::parse_iso_date(o["window"].at("to").get<std::string>());
    if (from && to) {
      occ.window.dates.push_back(*from);
      if (*to != *from)
        occ.window.dates.push_back(*to);
    }
  }
  return occ;
}

} // namespace

std::string encode_schedule(const scheduler::Schedule &schedule) {
  json occurrences = json::array();
  for (const auto &o : schedule.occurrences)
    occurrences.push_back(encode_occurrence(o));
  json out = {{"occurrences", occurrences}, {"warnings", schedule.warnings}};
  if (!schedule.cancelled.empty()) {
    json cancelled = json::array();
    for (const auto &o : schedule.cancelled)
      cancelled.push_back(encode_occurrence(o));
    out["cancelled"] = cancelled;
  }
  if (schedule.replanned)
    out["replanned"] = true;
  if (!schedule.moved.empty()) {
    json moved = json::array();
    for (const auto &m : schedule.moved)
      moved.push_back({{"id", m.id},
                       {"uid", m.uid},
                       {"from", local_text(m.from)},
                       {"to", local_text(m.to)},
                       {"all_day", m.all_day}});
    out["moved"] = moved;
  }
  return dump(out);
}

scheduler::Schedule decode_schedule(const std::string &text, bool &keyed) {
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object())
    throw Error("stored schedule: not a JSON object");
  scheduler::Schedule s;
  keyed = true;
  try {
    for (const auto &o : j.at("occurrences"))
      s.occurrences.push_back(decode_occurrence(o, keyed));
    if (j.contains("cancelled"))
      for (const auto &o : j.at("cancelled"))
        s.cancelled.push_back(decode_occurrence(o, keyed));
    s.replanned = j.value("replanned", false);
    if (j.contains("moved"))
      for (const auto &m : j.at("moved"))
        s.moved.push_back({m.at("id").get<std::string>(), m.at("uid").get<std::string>(),
                           parse_local(m.at("from").get<std::string>()),
                           parse_local(m.at("to").get<std::string>()), m.value("all_day", false)});
    s.warnings = j.at("warnings").get<std::vector<std::string>>();
  } catch (const json::exception &e) {
    throw Error(std::string("stored schedule: ") + e.what());
  }
  return s;
}

RevisionStatus decode_status(const std::string &text) {
  if (text == "ok")
    return RevisionStatus::ok;
  if (text == "draft")
    return RevisionStatus::draft;
  return RevisionStatus::invalid;
}

void decode_revision_values(Revision &r, const std::string &problems, const std::string &conflict,
                            const std::string &schedule) {
  r.problems = decode_problems(problems);
  r.conflict = decode_conflict(conflict);
  if (r.status != RevisionStatus::ok)
    return;
  try {
    r.schedule = decode_schedule(schedule, r.keyed);
  } catch (const Error &e) {
    throw Unavailable("plan '" + r.plan_id + "' revision " + std::to_string(r.number) + ": " +
                      e.what());
  }
}

namespace {
constexpr OutboxStatus all_outbox_statuses[] = {OutboxStatus::pending, OutboxStatus::sending,
                                                OutboxStatus::sent,    OutboxStatus::failed,
                                                OutboxStatus::unknown, OutboxStatus::superseded};
}

OutboxStatus decode_outbox_status(const std::string &text) {
  for (OutboxStatus s : all_outbox_statuses)
    if (outbox_status_name(s) == text)
      return s;
  throw Unavailable("database: outbox status '" + text + "' is none this build knows");
}

std::string encode_channel_ids(const std::vector<std::string> &ids) { return dump(ids); }

std::vector<std::string> decode_channel_ids(const std::string &text) {
  std::vector<std::string> out;
  auto j = json::parse(text, nullptr, false);
  if (!j.is_array())
    return out;
  for (const auto &id : j)
    if (id.is_string())
      out.push_back(id.get<std::string>());
  return out;
}

std::vector<std::string>
superseded_keys(const std::vector<std::pair<std::string, std::string>> &pending,
                const OutboxWrite &write) {
  const std::set<std::string> kinds(write.replace_kinds.begin(), write.replace_kinds.end());
  std::set<std::string> kept;
  for (const auto &row : write.rows)
    kept.insert(row.key);
  std::vector<std::string> out;
  for (const auto &[key, kind] : pending)
    if (kinds.count(kind) && !kept.count(key))
      out.push_back(key);
  return out;
}

OutboxRow row_to_insert(const OutboxRow &row, const OutboxWrite &write) {
  OutboxRow out = row;
  if (out.plan_id.empty())
    out.plan_id = write.plan_id;
  if (out.next_attempt_at == 0)
    out.next_attempt_at = out.due_at;
  return out;
}

const char *const outbox_columns =
    "key, plan_id, channel_id, kind, uid, due_at, payload, status, attempts, next_attempt_at, "
    "lease_until, lease_owner, request_started_at, answered_at, answer, last_error";
const char *const channel_columns =
    "SELECT id, type, name, settings_json, sealed_secrets, created_at, health, health_at, "
    "stopped FROM channels ";
const char *const notify_columns =
    "SELECT n.plan_id, n.channels_json, n.digest_at, n.changes FROM plan_notify n "
    "JOIN plans p ON p.id = n.plan_id WHERE p.deleted_at IS NULL ";
const char *const claimable =
    "FROM outbox o JOIN channels c ON c.id = o.channel_id WHERE o.status = 'pending' "
    "AND c.deleted_at IS NULL AND (NOT c.stopped OR o.kind = 'test') ";

} // namespace xun::store::codec
