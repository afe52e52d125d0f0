#include "http/wire.hpp"

#include "calendar/zones.hpp"
#include "scheduler/occurrence_key.hpp"
#include "scheduler/output.hpp"

#include <date/date.h>
#include <nlohmann/json.hpp>

#include <chrono>

#include <regex>

namespace xun::http {

using nlohmann::json;

namespace {

std::string dump(const json &j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

// Ends the text with a full stop unless it already ends a sentence.
std::string sentence(const std::string &text) {
  if (!text.empty() && (text.back() == '.' || text.back() == '?' || text.back() == '!'))
    return text;
  return text + ".";
}

json problems_value(const std::vector<scheduler::Diagnostic> &problems) {
  json out = json::array();
  for (const auto &d : problems)
    out.push_back({{"file", d.file},
                   {"line", d.line},
                   {"column", d.column},
                   {"message", d.message},
                   {"text", d.to_string()}});
  return out;
}

json conflict_value(const scheduler::Conflict &conflict) {
  return {{"message", conflict.message}, {"activities", conflict.activities}};
}

std::string start_text(const scheduler::Plan &plan, const scheduler::Occurrence &o) {
  if (o.all_day)
    return calendar::format_iso_date(calendar::local_date(o.start));
  return calendar::format_local_iso(plan.timezone, o.start);
}

json summary(const service::Published &p) {
  json months = json::object();
  for (const auto &o : p.schedule.occurrences) {
    const std::string key = date::format("%Y-%m", o.start);
    months[key] = months.value(key, 0) + 1;
  }
  json s = {{"occurrences", p.schedule.occurrences.size()},
            {"activities", p.plan.activities.size()},
            {"by_month", months},
            {"warnings", p.schedule.warnings}};
  for (const auto &w : p.plan.warnings)
    s["warnings"].push_back(w);
  if (!p.schedule.occurrences.empty()) {
    s["first"] = start_text(p.plan, p.schedule.occurrences.front());
    s["last"] = start_text(p.plan, p.schedule.occurrences.back());
  }
  return s;
}

json plan_object(const service::PlanView &v, const Origin &origin, bool with_feeds) {
  const auto &record = v.record;
  const auto &pub = v.published;
  json j = {{"id", record.id},
            {"revision", record.current_revision},
            {"status", v.status ? store::status_name(*v.status) : "invalid"},
            {"created", utc_iso(record.created_at)},
            {"updated", utc_iso(record.updated_at)},
            {"published_revision",
             record.published_revision ? json(*record.published_revision) : json(nullptr)},
            {"page", origin.http_base() + "/plans/" + record.id},
            {"api", origin.http_base() + "/api/plans/" + record.id}};
  if (pub) {
    j["title"] = pub->plan.title;
    j["plan"] = pub->plan.id;
    j["year"] = pub->plan.year;
    j["summary"] = summary(*pub);
  }
  const std::string token = with_feeds ? v.feed_token : std::string();
  if (!token.empty()) {
    auto links = feed_links(origin, token);
    j["feeds"] = {{"https", links.https}, {"webcal", links.webcal}};
    if (pub) {
      json people = json::object();
      for (const auto &person : pub->plan.people) {
        auto l = feed_links(origin, token, person.id);
        people[person.id] = {{"name", person.name}, {"https", l.https}, {"webcal", l.webcal}};
      }
      j["feeds"]["people"] = people;
    }
  }
  if (v.status == store::RevisionStatus::invalid)
    j["problems"] = problems_value(v.problems);
  if (v.status == store::RevisionStatus::draft)
    j["conflict"] = v.conflict ? conflict_value(*v.conflict) : json(nullptr);
  if (with_feeds && v.access)
    j["access"] = {{"public", v.access->is_public}, {"read_link", v.access->has_read_link}};
  return j;
}

} // namespace

std::string percent_encode(const std::string &s) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xf];
    }
  }
  return out;
}

FeedLinks feed_links(const Origin &origin, const std::string &token,
                     const std::optional<std::string> &person) {
  std::string path = "/feeds/" + token;
  path += person ? "/people/" + percent_encode(*person) + ".ics" : ".ics";
  return {origin.http_base() + path, origin.webcal_base() + path};
}

std::string problem_json(const ApiError &error, const std::string &instance) {
  json j = json::object();
  auto extra = json::parse(error.extensions, nullptr, false);
  if (extra.is_object())
    j = extra;
  j["type"] = "https://xun.invalid/problems/" + error.type;
  j["title"] = error.title;
  j["status"] = error.status;
  j["detail"] = error.detail();
  j["instance"] = instance;
  return dump(j);
}

std::string health_json(const std::string &version, const std::string &store_problem) {
  json j;
  j["status"] = store_problem.empty() ? "ok" : "unavailable";
  j["version"] = version;
  j["store"] = store_problem.empty() ? "ok" : "unavailable";
  if (!store_problem.empty())
    j["detail"] = store_problem;
  return dump(j);
}

std::string plan_json(const service::PlanView &view,
                      const std::vector<store::RevisionSummary> &revisions, const Origin &origin,
                      bool with_feeds) {
  json j = plan_object(view, origin, with_feeds);
  json list = json::array();
  for (const auto &r : revisions)
    list.push_back({{"revision", r.number},
                    {"status", store::status_name(r.status)},
                    {"created", utc_iso(r.created_at)},
                    {"file", r.file_name}});
  j["revisions"] = list;
  return dump(j);
}

std::string plans_json(const std::vector<service::PlanView> &views, const Origin &origin,
                       bool with_feeds) {
  json plans = json::array();
  for (const auto &v : views)
    plans.push_back(plan_object(v, origin, with_feeds));
  return dump({{"plans", plans}});
}

json moved_value(const std::vector<scheduler::Move> &moved, const std::string &zone) {
  json out = json::array();
  for (const auto &m : moved) {
    const auto text = [&](calendar::LocalTime t) {
      return m.all_day ? calendar::format_iso_date(calendar::local_date(t))
                       : calendar::format_local_iso(zone, t);
    };
    out.push_back({{"id", m.id}, {"uid", m.uid}, {"from", text(m.from)}, {"to", text(m.to)}});
  }
  return out;
}

// §6.5: a change that would move what is frozen or recorded is refused, and
// nothing is stored.
[[noreturn]] void throw_refused(const std::string &id, const std::vector<std::string> &refused) {
  json where = {{"id", id}, {"would_move", refused}};
  std::string detail = "Nothing was stored: ";
  for (std::size_t i = 0; i < refused.size() && i < 5; ++i)
    detail += (i ? "; " : "") + refused[i];
  if (refused.size() > 5)
    detail += "; … and " + std::to_string(refused.size() - 5) + " more";
  throw ApiError(409, "would-move",
                 "The change would move what is frozen or recorded (会改动已冻结或已记录的活动)",
                 sentence(detail), where.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string dry_run_json(const service::Submission &s) {
  const auto &r = s.revision;
  json body = {{"dry_run", true},
               {"id", r.plan_id},
               {"revision_status", s.refused.empty() ? store::status_name(r.status) : "refused"},
               {"moved", moved_value(r.schedule.moved, s.timezone)}};
  if (!s.refused.empty())
    body["would_move"] = s.refused;
  if (r.status == store::RevisionStatus::invalid && s.refused.empty())
    body["problems"] = problems_value(r.problems);
  if (r.conflict)
    body["conflict"] = conflict_value(*r.conflict);
  if (s.preview) // the schedule the change would publish (the editor's preview)
    body["schedule"] = json::parse(scheduler::schedule_json(s.preview->plan, s.revision.schedule));
  return dump(body);
}

std::string submission_json(const service::Submission &s, const service::PlanView &view,
                            const Origin &origin) {
  if (s.dry_run)
    return dry_run_json(s);
  if (!s.refused.empty())
    throw_refused(s.revision.plan_id, s.refused);
  const auto &r = s.revision;
  const auto &record = s.record;
  const std::string &id = r.plan_id;
  json body = plan_object(view, origin, true);
  json where = {{"id", id},
                {"revision", r.number},
                {"revision_status", store::status_name(r.status)},
                {"page", body["page"]},
                {"api", body["api"]}};
  if (record.published_revision)
    where["published_revision"] = *record.published_revision;
  const std::string kept =
      " Nothing is lost: the text is kept as revision " + std::to_string(r.number) + " of plan '" +
      id + "'" +
      (record.published_revision && *record.published_revision != r.number
           ? "; the feeds still serve revision " + std::to_string(*record.published_revision) + "."
           : ".");
  if (r.status == store::RevisionStatus::invalid) {
    where["problems"] = problems_value(r.problems);
    std::string detail = "The plan has " + std::to_string(r.problems.size()) +
                         (r.problems.size() == 1 ? " problem" : " problems") + "; " +
                         (r.problems.size() == 1 ? "it is " : "the first is ") +
                         sentence(r.problems.front().to_string()) + kept;
    throw ApiError(422, "invalid-plan", "The plan is not valid", detail,
                   where.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  if (r.status == store::RevisionStatus::draft) {
    where["conflict"] = conflict_value(*r.conflict);
    if (s.solver_failed)
      throw ApiError(500, "scheduler-failed", "The scheduler failed",
                     sentence(r.conflict->message) + kept,
                     where.dump(-1, ' ', false, json::error_handler_t::replace));
    throw ApiError(409, "unschedulable", "The plan cannot be scheduled",
                   sentence(r.conflict->message) + kept,
                   where.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  body["moved"] = moved_value(r.schedule.moved, s.timezone); // §6.5: what this change moved
  return dump(body);
}

std::string next_year_json(const service::Service::NextYearResult &r, const service::PlanView &view,
                           const Origin &origin) {
  json body = json::parse(submission_json(*r.submission, view, origin));
  json to_fix = json::array();
  for (const auto *list : {&r.next.problems, &r.next.warnings})
    for (const auto &d : *list)
      to_fix.push_back({{"line", d.line},
                        {"column", d.column},
                        {"message", d.message},
                        {"text", d.to_string()},
                        {"warning", list == &r.next.warnings}});
  body["to_fix"] = to_fix;
  return dump(body);
}

namespace {

json record_value(const service::RecordEntry &e) {
  json j = json::parse(scheduler::record_json({e.record, {}, e.uid, e.id, {}, {}, {}, {}, {}}));
  j["id"] = e.id;
  j["uid"] = e.uid;
  j["updated_at"] = utc_iso(e.updated_at);
  return j;
}

} // namespace

std::string records_json(const std::string &id, const std::vector<service::RecordEntry> &records) {
  json list = json::array();
  for (const auto &e : records)
    list.push_back(record_value(e));
  return dump({{"plan", id}, {"records", list}});
}

std::string record_change_json(const service::RecordChange &c) {
  const auto &s = c.submission;
  if (!c.problems.empty()) {
    json where = {{"problems", problems_value(c.problems)}};
    throw ApiError(422, "invalid-record", "The record is not valid",
                   sentence("Nothing was stored; " + c.problems.front().to_string()),
                   where.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  if (!s.refused.empty())
    throw_refused(s.revision.plan_id, s.refused);
  if (s.revision.status != store::RevisionStatus::ok) {
    json where = {{"id", s.revision.plan_id}};
    if (s.revision.conflict)
      where["conflict"] = conflict_value(*s.revision.conflict);
    throw ApiError(409, "unschedulable", "The plan cannot be scheduled with this record",
                   sentence("Nothing was stored: " + (s.revision.conflict
                                                          ? s.revision.conflict->message
                                                          : std::string("the re-plan failed"))),
                   where.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  json body = {{"plan", s.revision.plan_id},
               {"revision", s.revision.number},
               {"moved", moved_value(s.revision.schedule.moved, s.timezone)}};
  body["record"] = c.entry ? record_value(*c.entry) : json(nullptr);
  return dump(body);
}

std::string validation_json(const service::Validation &v) {
  const auto &r = v.revision;
  json j = {{"ok", r.status == store::RevisionStatus::ok},
            {"status", store::status_name(r.status)},
            {"problems", problems_value(r.problems)}};
  if (r.conflict)
    j["conflict"] = conflict_value(*r.conflict);
  if (v.published) {
    j["summary"] = summary(*v.published);
    j["schedule"] = json::parse(scheduler::schedule_json(v.published->plan, v.published->schedule));
  }
  return dump(j);
}

std::string read_link_json(const std::string &id, const std::string &url) {
  return dump({{"id", id}, {"read_link", url}});
}

bool parse_public_patch(const std::string &body) {
  const auto j = json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("public") || !j["public"].is_boolean() || j.size() != 1)
    throw ApiError(422, "invalid-patch", "The change is not understood",
                   "PATCH /api/plans/{id} takes one JSON object with one member, /public, true "
                   "or false: {\"public\": true}.");
  return j["public"].get<bool>();
}

std::string feed_token_json(const std::string &id, const FeedLinks &links) {
  return dump({{"id", id}, {"feeds", {{"https", links.https}, {"webcal", links.webcal}}}});
}

std::string reminders_json(const std::string &id, const service::Reminders &reminders,
                           std::int64_t now, const std::string &within_shown) {
  const auto &plan = reminders.published->plan;
  json list = json::array();
  for (const auto &item : reminders.items) {
    const auto &o = *item.occurrence;
    const auto *a = item.activity;
    list.push_back({{"at", calendar::format_local_iso(plan.timezone,
                                                      calendar::to_local(plan.timezone, item.at))},
                    {"before", calendar::format_iso_duration(item.minutes_before)},
                    {"occurrence", o.id()},
                    {"uid", o.uid(plan)},
                    {"title", a->title},
                    {"kind", a->kind},
                    {"all_day", o.all_day},
                    {"start", start_text(plan, o)},
                    {"attendees", a->people}});
  }
  json j = {{"plan", id},
            {"revision", reminders.published->revision},
            {"now", utc_iso(now)},
            {"within", within_shown},
            {"reminders", list}};
  return dump(j);
}

std::string holiday_import_json(const service::HolidayImport &imported) {
  if (!imported.problems.empty()) {
    const auto &problems = imported.problems;
    const std::string detail = "The notice has " + std::to_string(problems.size()) +
                               (problems.size() == 1 ? " problem" : " problems") + "; " +
                               (problems.size() == 1 ? "it is " : "the first is ") +
                               problems.front().to_string() + " Nothing was stored.";
    throw ApiError(422, "invalid-notice", "The holiday notice is not valid", detail,
                   json{{"problems", problems_value(problems)}}.dump(
                       -1, ' ', false, json::error_handler_t::replace));
  }
  if (!imported.refusal.empty())
    throw ApiError(409, "official-holidays", "Official holiday data differs",
                   sentence(imported.refusal) +
                       " Send ?force=1 to use the notice instead; nothing was stored.");
  return calendar::holiday_cn_json(*imported.notice) + "\n";
}

std::optional<int> parse_notice_year(const std::optional<std::string> &text) {
  if (!text)
    return std::nullopt;
  if (text->size() != 4 || text->find_first_not_of("0123456789") != std::string::npos)
    throw bad_request("year='" + *text + "' is not a year; write it as 2027.");
  return std::stoi(*text);
}

unsigned parse_month(const std::string &text, int year) {
  static const std::regex form(R"((?:(\d{4})-)?(\d{1,2}))");
  std::smatch m;
  if (!std::regex_match(text, m, form) || std::stoi(m[2].str()) < 1 || std::stoi(m[2].str()) > 12)
    throw bad_request("month='" + text + "' is not a month; write it as " + std::to_string(year) +
                      "-03 (or 3).");
  if (m[1].matched && std::stoi(m[1].str()) != year)
    throw bad_request("month='" + text + "' is outside the plan, which covers " +
                      std::to_string(year) + "; ask for " + std::to_string(year) + "-" +
                      m[2].str() + ".");
  return static_cast<unsigned>(std::stoi(m[2].str()));
}

std::optional<std::int64_t> parse_instant(const std::string &text, const std::string &zone) {
  static const std::regex form(
      R"((\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?)");
  std::smatch m;
  if (!std::regex_match(text, m, form))
    return std::nullopt;
  auto day = calendar::parse_iso_date(m[1].str());
  if (!day)
    return std::nullopt;
  int minutes = 0;
  int seconds = 0;
  if (m[2].matched) {
    int h = std::stoi(m[2].str().substr(0, 2));
    int mi = std::stoi(m[2].str().substr(3, 2));
    if (h > 23 || mi > 59)
      return std::nullopt;
    minutes = h * 60 + mi;
  }
  if (m[3].matched) {
    seconds = std::stoi(m[3].str());
    if (seconds > 59)
      return std::nullopt;
  }
  const calendar::LocalTime local{
      std::chrono::duration_cast<std::chrono::minutes>(day->time_since_epoch()) +
      std::chrono::minutes{minutes}};
  if (!m[4].matched) {
    return calendar::to_utc(zone, local).time_since_epoch().count() + seconds;
  }
  std::int64_t offset = 0;
  const std::string z = m[4].str();
  if (z != "Z") {
    std::string digits = z.substr(1);
    digits.erase(std::remove(digits.begin(), digits.end(), ':'), digits.end());
    const int oh = std::stoi(digits.substr(0, 2));
    const int om = std::stoi(digits.substr(2, 2));
    if (oh > 23 || om > 59)
      return std::nullopt;
    offset = (oh * 60 + om) * 60 * (z[0] == '-' ? -1 : 1);
  }
  return local.time_since_epoch().count() * 60 + seconds - offset;
}

std::string utc_iso(std::int64_t unix_seconds) {
  return date::format("%FT%TZ", date::sys_seconds{std::chrono::seconds{unix_seconds}});
}

scheduler::ImportResult import_draft(const std::string &text,
                                     const std::optional<std::string> &year, std::int64_t now) {
  scheduler::ImportOptions options;
  if (year) {
    if (year->size() != 4 || year->find_first_not_of("0123456789") != std::string::npos)
      throw ApiError(400, "bad-year", "year is not a year",
                     "year must be a year such as 2026, found '" + *year + "'.");
    options.year = std::stoi(*year);
  } else {
    const date::sys_days today =
        date::floor<date::days>(date::sys_seconds{std::chrono::seconds{now}});
    options.year = static_cast<int>(date::year_month_day{today}.year());
  }
  auto draft = scheduler::import_plan(text, options);
  if (draft.encoding)
    throw ApiError(422, "not-utf-8", "The text is not UTF-8",
                   "line " + std::to_string(draft.encoding->line) + ", column " +
                       std::to_string(draft.encoding->column) + ": " + draft.encoding->message);
  return draft;
}

std::string import_json(const scheduler::ImportResult &draft) {
  return dump(json{{"yaml", draft.yaml}, {"items", draft.items}, {"unread", draft.unread}});
}

} // namespace xun::http
