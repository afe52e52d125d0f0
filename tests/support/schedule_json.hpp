// Reading a schedule back from `xun solve --format json` (PLAN.md §5), and
// writing a witness in the same shape, for the checker. Which occurrences are
// fixed is decided here from the plan's words, not taken from the solver.
#pragma once

#include "calendar/dates.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace xun::testing {

// "2026-02-24T09:00:00+08:00" or "2026-05-06": the local wall time (the
// offset is ignored: the plan's zone is the frame of every rule).
inline std::optional<calendar::LocalTime> parse_local_time(const std::string &text) {
  const auto day = calendar::parse_iso_date(text.substr(0, 10));
  if (!day)
    return std::nullopt;
  calendar::LocalTime t{date::local_days{day->time_since_epoch()}};
  if (text.size() == 10)
    return t;
  int h = 0, m = 0;
  if (text.size() < 16 || text[10] != 'T' || std::sscanf(text.c_str() + 11, "%2d:%2d", &h, &m) != 2)
    return std::nullopt;
  return t + std::chrono::minutes{h * 60 + m};
}

// An activity is a fact when its `when` is one day and its `at` an exact
// time, or when it has an rrule (PLAN.md §3, "Fixed events").
inline bool is_fixed_activity(const scheduler::Activity &a) {
  if (!a.rrule.empty())
    return true;
  const auto *w = std::get_if<calendar::Window>(&a.when);
  return a.repeat.kind == scheduler::Repeat::Kind::none && a.at && a.at_exact && w &&
         w->dates.size() == 1;
}

// The schedule in a solver's JSON output; nullopt with `error` set when the
// text is not one (an "error" object, or fields missing).
inline std::optional<scheduler::Schedule>
read_schedule_json(const std::string &text, const scheduler::Plan &plan, std::string &error) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  if (j.contains("error")) {
    error = "the solver reported an error: " +
            j["error"].value("message", std::string{}).substr(0, 200);
    return std::nullopt;
  }
  if (!j.contains("occurrences") || !j["occurrences"].is_array()) {
    error = "no \"occurrences\" list";
    return std::nullopt;
  }
  std::map<std::string, const scheduler::Activity *> activities;
  for (const auto &a : plan.activities)
    activities[a.id] = &a;
  scheduler::Schedule schedule;
  for (const auto &o : j["occurrences"]) {
    scheduler::Occurrence occ;
    if (!o.is_object() || !o.contains("activity") || !o.contains("index") || !o.contains("start") ||
        !o.contains("end")) {
      error = "an occurrence lacks activity, index, start or end";
      return std::nullopt;
    }
    occ.activity = o["activity"].get<std::string>();
    occ.index = o["index"].get<int>();
    occ.all_day = o.value("all_day", false);
    const auto start = parse_local_time(o["start"].get<std::string>());
    const auto end = parse_local_time(o["end"].get<std::string>());
    if (!start || !end) {
      error = occ.id() + ": start or end is not a date or date-time";
      return std::nullopt;
    }
    occ.start = *start;
    occ.end = *end;
    if (auto it = activities.find(occ.activity); it != activities.end())
      occ.fixed = is_fixed_activity(*it->second);
    schedule.occurrences.push_back(std::move(occ));
  }
  return schedule;
}

// A schedule as the JSON the checker reads (the fields of §5 it needs).
inline std::string schedule_json_text(const scheduler::Plan &plan,
                                      const std::vector<scheduler::Occurrence> &occurrences) {
  auto local = [](calendar::LocalTime t, bool all_day) {
    const auto day = date::floor<date::days>(t);
    std::string out = calendar::format_iso_date(calendar::Date{day.time_since_epoch()});
    if (!all_day) {
      const int m = static_cast<int>((t - day).count()) % 1440;
      char buf[48];
      std::snprintf(buf, sizeof buf, "T%02d:%02d:00+08:00", m / 60, m % 60);
      out += buf;
    }
    return out;
  };
  nlohmann::json list = nlohmann::json::array();
  for (const auto &o : occurrences)
    list.push_back({{"id", o.id()},
                    {"activity", o.activity},
                    {"index", o.index},
                    {"all_day", o.all_day},
                    {"start", local(o.start, o.all_day)},
                    {"end", local(o.end, o.all_day)}});
  nlohmann::json j = {{"plan", plan.id},
                      {"year", plan.year},
                      {"occurrences", list},
                      {"warnings", nlohmann::json::array()}};
  return j.dump(1) + "\n";
}

// Loads a plan to check a schedule against. PLAN.md §6.1 makes `max_gap: 0d`
// valid; while the loader still refuses it, such a rule is read as 1 minute
// (`zero_gaps_widened` says so), which every schedule keeping 0d also keeps.
struct PlanForCheck {
  scheduler::LoadResult loaded;
  bool zero_gaps_widened = false;
};

inline PlanForCheck load_plan_for_check(const std::string &text, const std::string &file,
                                        const std::filesystem::path &data_dir) {
  PlanForCheck out{scheduler::load_plan(text, file, data_dir), false};
  if (out.loaded.plan)
    return out;
  for (const auto &e : out.loaded.errors)
    if (e.message.find("'0d'") == std::string::npos)
      return out;
  std::string widened = text;
  for (std::size_t at = 0; (at = widened.find("max_gap: 0d", at)) != std::string::npos;)
    widened.replace(at, 11, "max_gap: 1m");
  out.loaded = scheduler::load_plan(widened, file, data_dir);
  out.zero_gaps_widened = out.loaded.plan.has_value();
  return out;
}

inline std::optional<std::string> read_text_file(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace xun::testing
