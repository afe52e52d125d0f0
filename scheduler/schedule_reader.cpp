#include "scheduler/schedule_reader.hpp"

#include "calendar/dates.hpp"
#include "calendar/time_of_day.hpp"
#include "scheduler/occurrence_key.hpp"

#include <nlohmann/json.hpp>

namespace xun::scheduler {
namespace {

using nlohmann::json;

// "2026-02-24T09:00:00+08:00" or "2026-05-06": the wall time in the plan's
// zone (the offset is the zone's; it is not needed to read the time back).
std::optional<calendar::LocalTime> wall_time(const std::string &text) {
  const auto day = calendar::parse_iso_date(text.substr(0, 10));
  if (!day)
    return std::nullopt;
  calendar::LocalTime t{date::local_days{day->time_since_epoch()}};
  if (text.size() == 10)
    return t;
  if (text.size() < 16 || text[10] != 'T')
    return std::nullopt;
  const auto minutes = calendar::parse_time_of_day(text.substr(11, 5));
  if (!std::holds_alternative<int>(minutes))
    return std::nullopt;
  return t + std::chrono::minutes{std::get<int>(minutes)};
}

struct ShapeError {
  std::string pointer;
  std::string message;
};

const json &at(const json &j, const std::string &key, const std::string &pointer) {
  if (!j.is_object() || !j.contains(key))
    throw ShapeError{pointer, "missing \"" + key + "\""};
  return j.at(key);
}

std::string text_at(const json &j, const std::string &key, const std::string &pointer) {
  const json &v = at(j, key, pointer);
  if (!v.is_string())
    throw ShapeError{pointer + "/" + key, "must be a string"};
  return v.get<std::string>();
}

calendar::LocalTime time_at(const json &j, const std::string &key, const std::string &pointer) {
  const std::string s = text_at(j, key, pointer);
  const auto t = wall_time(s);
  if (!t)
    throw ShapeError{pointer + "/" + key,
                     "'" + s + "' is not a time like 2026-02-24T09:00:00+08:00 or a date"};
  return *t;
}

Occurrence occurrence(const json &o, const std::string &pointer) {
  Occurrence occ;
  occ.activity = text_at(o, "activity", pointer);
  const json &index = at(o, "index", pointer);
  if (!index.is_number_integer() || index.get<long>() < 0 || index.get<long>() > 1'000'000)
    throw ShapeError{pointer + "/index", "must be a whole number from 0"};
  occ.index = index.get<int>();
  occ.published_uid = text_at(o, "uid", pointer);
  const json &all_day = at(o, "all_day", pointer);
  if (!all_day.is_boolean())
    throw ShapeError{pointer + "/all_day", "must be true or false"};
  occ.all_day = all_day.get<bool>();
  occ.start = time_at(o, "start", pointer);
  occ.end = time_at(o, "end", pointer);
  if (o.contains("window") && o["window"].is_object()) {
    const std::string w = pointer + "/window";
    const auto from = calendar::parse_iso_date(text_at(o["window"], "from", w));
    const auto to = calendar::parse_iso_date(text_at(o["window"], "to", w));
    if (!from || !to || *to < *from)
      throw ShapeError{w, "must be {\"from\": date, \"to\": date}, from not after to"};
    for (calendar::Date d = *from; d <= *to; d += date::days{1})
      occ.window.dates.push_back(d);
  }
  return occ;
}

std::vector<Occurrence> occurrences(const json &root, const std::string &key) {
  std::vector<Occurrence> out;
  if (!root.contains(key))
    return out;
  const json &list = root.at(key);
  if (!list.is_array())
    throw ShapeError{"/" + key, "must be a list"};
  for (std::size_t i = 0; i < list.size(); ++i)
    out.push_back(occurrence(list[i], "/" + key + "/" + std::to_string(i)));
  return out;
}

} // namespace

ScheduleRead read_schedule_json(std::string_view text, const std::string &file, const Plan &plan) {
  ScheduleRead out;
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error &e) {
    // The byte offset, as line and column (characters).
    int line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    out.problems.push_back(
        {file, line, column,
         "not JSON (a schedule from xun solve --format json): " + std::string(e.what())});
    return out;
  }
  try {
    if (!root.is_object())
      throw ShapeError{"", "a schedule is an object with \"occurrences\""};
    if (root.contains("error"))
      throw ShapeError{"/error", "this schedule is an error (the plan could not be scheduled); "
                                 "give one that has occurrences"};
    at(root, "occurrences", "");
    Schedule s;
    s.occurrences = occurrences(root, "occurrences");
    s.cancelled = occurrences(root, "cancelled");
    derive_keys(plan, s);
    out.schedule = std::move(s);
  } catch (const ShapeError &e) {
    out.problems.push_back(
        {file, 1, 1, (e.pointer.empty() ? std::string("/") : e.pointer) + ": " + e.message});
  }
  return out;
}

} // namespace xun::scheduler
