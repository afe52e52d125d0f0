#include "http/json.hpp"

#include "calendar/zones.hpp"

#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

namespace xun::http {

using nlohmann::json;

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
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string diagnostics_json(const std::vector<scheduler::Diagnostic> &problems) {
  json out = json::array();
  for (const auto &d : problems)
    out.push_back({{"file", d.file},
                   {"line", d.line},
                   {"column", d.column},
                   {"message", d.message},
                   {"text", d.to_string()}});
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string conflict_json(const scheduler::Conflict &conflict) {
  json j = {{"message", conflict.message}, {"activities", conflict.activities}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

std::string local_text(calendar::LocalTime t) { return date::format("%FT%R", t); }

calendar::LocalTime parse_local(const std::string &text) {
  // "2026-02-24T09:00", as local_text writes it.
  auto day = text.size() == 16 && text[10] == 'T' && text[13] == ':'
                 ? calendar::parse_iso_date(text.substr(0, 10))
                 : std::nullopt;
  if (!day || !std::isdigit(static_cast<unsigned char>(text[11])))
    throw std::runtime_error("schedule state: bad local time '" + text + "'");
  const int h = std::stoi(text.substr(11, 2));
  const int m = std::stoi(text.substr(14, 2));
  return calendar::LocalTime{
      std::chrono::duration_cast<std::chrono::minutes>(day->time_since_epoch()) +
      std::chrono::minutes{h * 60 + m}};
}

} // namespace

std::string schedule_state_json(const scheduler::Schedule &schedule) {
  json occurrences = json::array();
  for (const auto &o : schedule.occurrences) {
    json w = nullptr;
    if (!o.window.empty())
      w = {{"from", calendar::format_iso_date(o.window.dates.front())},
           {"to", calendar::format_iso_date(o.window.dates.back())}};
    occurrences.push_back({{"activity", o.activity},
                           {"index", o.index},
                           {"all_day", o.all_day},
                           {"start", local_text(o.start)},
                           {"end", local_text(o.end)},
                           {"window", w},
                           {"fixed", o.fixed}});
  }
  json j = {{"occurrences", occurrences}, {"warnings", schedule.warnings}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

scheduler::Schedule schedule_from_state(const std::string &text) {
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object())
    throw std::runtime_error("schedule state: not a JSON object");
  scheduler::Schedule s;
  try {
    for (const auto &o : j.at("occurrences")) {
      scheduler::Occurrence occ;
      occ.activity = o.at("activity").get<std::string>();
      occ.index = o.at("index").get<int>();
      occ.all_day = o.at("all_day").get<bool>();
      occ.start = parse_local(o.at("start").get<std::string>());
      occ.end = parse_local(o.at("end").get<std::string>());
      occ.fixed = o.value("fixed", false);
      if (o.contains("window") && o["window"].is_object()) {
        auto from = calendar::parse_iso_date(o["window"].at("from").get<std::string>());
        auto to = calendar::parse_iso_date(o["window"].at("to").get<std::string>());
        if (from && to) {
          occ.window.dates.push_back(*from);
          if (*to != *from)
            occ.window.dates.push_back(*to);
        }
      }
      s.occurrences.push_back(std::move(occ));
    }
    s.warnings = j.at("warnings").get<std::vector<std::string>>();
  } catch (const json::exception &e) {
    throw std::runtime_error(std::string("schedule state: ") + e.what());
  }
  return s;
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

} // namespace xun::http
