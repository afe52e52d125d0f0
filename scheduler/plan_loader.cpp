#include "scheduler/plan_loader.hpp"

#include "calendar/dates.hpp"
#include "calendar/holidays.hpp"
#include "calendar/zones.hpp"
#include "scheduler/points.hpp"
#include "scheduler/yaml_document.hpp"

#include <libical/ical.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <sstream>
#include <type_traits>
#include <unordered_map>

namespace xun::scheduler {

namespace {

namespace cal = xun::calendar;
using namespace detail;

// Keys of PLAN.md §1 and §3, per map; nothing else is accepted.
const std::vector<std::string> top_keys = {"plan",     "id",         "year",       "timezone",
                                           "calendar", "people",     "groups",     "rooms",
                                           "defaults", "activities", "assessment", "replan"};
const std::vector<std::string> calendar_keys = {"holidays", "workdays", "hours", "closed", "open"};
const std::vector<std::string> person_keys = {"id", "name", "email", "mobile"};
const std::vector<std::string> room_keys = {"id", "name"};
const std::vector<std::string> group_keys = {"name", "members"};

// x@y.z: one @, something before it, a dot inside what follows, no spaces.
bool is_email(std::string_view s) {
  const auto at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos ||
      s.find_first_of(" \t") != std::string_view::npos)
    return false;
  const std::string_view domain = s.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

// A mainland mobile number: 11 digits starting with 1, optionally after +86.
bool is_mobile(std::string_view s) {
  if (s.starts_with("+86"))
    s.remove_prefix(3);
  if (!s.empty() && (s.front() == ' ' || s.front() == '-'))
    s.remove_prefix(1);
  return s.size() == 11 && s.front() == '1' &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
const std::vector<std::string> defaults_keys = {"duration", "reminders", "remind_at"};
const std::vector<std::string> replan_keys = {"freeze"};
const std::vector<std::string> activity_keys = {
    "id",    "title",     "description", "kind",      "when",   "duration", "all_day",
    "at",    "attendees", "room",        "reminders", "busy",   "repeat",   "count",
    "rrule", "min_gap",   "max_gap",     "after",     "before", "prefer"};
const std::vector<std::string> order_keys = {"id", "min_gap", "max_gap"};
const std::vector<std::string> prefer_keys = {"weekdays", "time"};
const std::vector<std::string> kinds = {"meeting", "inspection", "study",    "research",
                                        "dues",    "report",     "deadline", "other"};

// Limits (docs/EXTENSIONS.md): beyond them a plan would cost minutes or
// gigabytes, so it is refused with a message before any of that is spent.
constexpr int max_count = 1000;          // occurrences per period
constexpr long max_occurrences = 100000; // periods × count, whole plan
constexpr std::size_t max_activities = 50000;
constexpr std::size_t max_people = 10000;
constexpr std::size_t max_window_chars = 200; // a `when` or repeat window
constexpr std::size_t max_rrule_chars = 500;  // an rrule, before libical reads it

std::string join(const std::vector<std::string> &items, std::string_view sep) {
  std::string out;
  for (const auto &item : items) {
    if (!out.empty())
      out += sep;
    out += item;
  }
  return out;
}

bool is_slug(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// Raw `after`/`before` entries, resolved once every activity id is known.
struct PendingOrder {
  std::size_t activity = 0;
  OrderRule rule;
};

struct RepeatWords {
  std::string_view word;
  Repeat::Kind kind;
};
const RepeatWords repeat_words[] = {
    {"monthly", Repeat::Kind::monthly},         {"每月", Repeat::Kind::monthly},
    {"quarterly", Repeat::Kind::quarterly},     {"每季度", Repeat::Kind::quarterly},
    {"weekly", Repeat::Kind::weekly},           {"每周", Repeat::Kind::weekly},
    {"biweekly", Repeat::Kind::biweekly},       {"每两周", Repeat::Kind::biweekly},
    {"half-yearly", Repeat::Kind::half_yearly}, {"每半年", Repeat::Kind::half_yearly},
};

std::string zh_bad_duration(bool allow_weeks) {
  return std::string("无法识别的时长：例如写 30m、2h、1h30m、1d") + (allow_weeks ? "、2w" : "");
}
constexpr std::string_view zh_bad_time = "无法识别的时间：例如写 \"09:30\" 或 \"14:00-17:00\"";

class Loader : public detail::YamlDocument {
public:
  Loader(std::string_view text, std::string file, std::filesystem::path data_dir,
         const cal::HolidayOverlay &holidays)
      : YamlDocument(text, std::move(file)), data_dir_(std::move(data_dir)),
        extra_holidays_(holidays) {}

  LoadResult run();

private:
  // A value's text the calendar could not read: located at the column the
  // parser gave, Chinese first (the parser's own Chinese, else `zh_meaning`).
  void text_error(const YAML::Node &node, const std::string &what, const std::string &written,
                  const cal::TextError &e, std::string_view zh_meaning) {
    SourcePos p = text_pos(node);
    p.column += static_cast<int>(e.column) - 1;
    const std::string zh = e.zh.empty() ? std::string(zh_meaning) : e.zh;
    error(p, both(zh_subject(what) + " '" + written + "'：" + zh,
                  what + " '" + written + "': " + e.message));
  }

  // ---- values ----
  std::optional<cal::Duration> duration(const YAML::Node &node, const std::string &what,
                                        bool allow_weeks) {
    const auto s = text(node, what);
    if (!s)
      return std::nullopt;
    auto parsed = cal::parse_duration(*s, allow_weeks);
    if (const auto *e = std::get_if<cal::TextError>(&parsed)) {
      text_error(node, what, *s, *e, zh_bad_duration(allow_weeks));
      return std::nullopt;
    }
    return std::get<cal::Duration>(parsed);
  }

  // `name` is min_gap or max_gap; `where` names its activity ("in activity 'a'").
  std::optional<long> gap(const Field &f, const std::string &name, const std::string &where) {
    const std::string what = name + " " + where;
    const auto s = text(f.value, what);
    if (!s)
      return std::nullopt;
    auto parsed = cal::parse_gap(*s);
    if (const auto *e = std::get_if<cal::TextError>(&parsed)) {
      text_error(f.value, what, *s, *e, zh_bad_duration(true));
      return std::nullopt;
    }
    const long minutes = std::get<cal::Duration>(parsed).minutes;
    // "3m" is three minutes here; a secretary may well have meant months.
    if (minutes > 0 && cal::in_minutes_alone(*s)) {
      const long n = minutes;
      const std::string days = std::to_string(30 * n) + "d";
      const std::string weeks = std::to_string((13 * n + 1) / 3) + "w";
      const std::string months =
          n <= 12 ? "if you meant " + std::to_string(n) + (n == 1 ? " month" : " months") +
                        ", write " + days + " or " + weeks
                  : "for months write days or weeks (90d or 13w for three months)";
      const std::string months_zh =
          n <= 12 ? "如果指的是 " + std::to_string(n) + " 个月，请写 " + days + " 或 " + weeks
                  : "月数请写成天数或周数（三个月写 90d 或 13w）";
      warn(text_pos(f.value),
           both(zh_of(zh_owner(where), name) + " '" + *s + "' 表示 " + std::to_string(n) +
                    " 分钟（m 是分钟）；" + months_zh,
                name + " '" + *s + "' " + where + " means " + std::to_string(n) +
                    (n == 1 ? " minute" : " minutes") + " (m is minutes); " + months));
    }
    return minutes;
  }

  std::optional<std::vector<cal::Duration>> reminders(const Field &f, const std::string &where) {
    const auto items = list(f, "reminders " + where);
    if (!items)
      return std::nullopt;
    std::vector<cal::Duration> out;
    bool ok = true;
    for (const auto &item : *items) {
      const auto d = duration(item, "reminder", true);
      if (!d) {
        ok = false;
        continue;
      }
      if (d->minutes <= 0) {
        error(item, both("提醒应为正的时长，例如 1d 或 2h",
                         "a reminder must be a positive duration such as 1d or 2h"));
        ok = false;
        continue;
      }
      out.push_back(*d);
    }
    if (!ok)
      return std::nullopt;
    return out;
  }

  std::optional<cal::TimeRange> time_range(const YAML::Node &node, const std::string &what,
                                           bool allow_words) {
    const auto s = text(node, what);
    if (!s)
      return std::nullopt;
    auto parsed = cal::parse_time_range(*s, allow_words);
    if (const auto *e = std::get_if<cal::TextError>(&parsed)) {
      text_error(node, what, *s, *e, zh_bad_time);
      return std::nullopt;
    }
    const auto range = std::get<cal::TimeRange>(parsed);
    if (range.to <= range.from) {
      error(node, both(zh_subject(what) + " '" + *s + "' 的结束时间早于开始时间",
                       what + " '" + *s + "' ends before it starts"));
      return std::nullopt;
    }
    return range;
  }

  std::optional<std::vector<cal::DateRange>> date_list(const Field &f, const std::string &what);
  std::optional<std::array<bool, 7>> weekdays(const Field &f, const std::string &what);
  std::optional<WindowValue> window(const YAML::Node &node, const std::string &what,
                                    std::string &as_written);

  // ---- sections ----
  void load_calendar(const Fields &top, Plan &plan);
  void load_people(const Fields &top, Plan &plan);
  void load_contact(const Fields &f, const std::string &id, Person &person);
  std::optional<YAML::Node> group_members(const YAML::Node &key, const YAML::Node &value,
                                          const std::string &group, Plan &plan);
  void load_groups(const Fields &top, Plan &plan);
  void load_defaults(const Fields &top, Plan &plan);
  void load_replan(const Fields &top, Plan &plan);
  void load_activity(const YAML::Node &node, std::size_t index, Plan &plan);
  // The phases of load_activity, in the order it calls them.
  std::string activity_where(const YAML::Node &node, std::size_t index) const;
  void load_identity(const YAML::Node &node, const Fields &f, std::size_t index,
                     const std::string &where, Activity &a);
  void load_time(const Fields &f, const std::string &where, Activity &a);
  void load_at(const Field &at, const std::string &where, Activity &a);
  void load_people_and_room(const Fields &f, const std::string &where, const Plan &plan,
                            Activity &a);
  void load_reminders_and_busy(const Fields &f, const std::string &where, Activity &a);
  void load_when(const Fields &f, const std::string &where, Activity &a);
  void load_repeat(const Fields &f, const std::string &where, Activity &a);
  void load_repeat_list(const Field &r, const std::string &where, Activity &a);
  void load_repeat_word(const Field &r, const std::string &s, bool has_when,
                        const std::string &where, Activity &a);
  void load_count(const Fields &f, const std::string &where, Activity &a);
  void load_rrule(const Fields &f, const std::string &where, Activity &a);
  void check_occurrence_budget(const Fields &f, const Activity &a);
  long estimated_occurrences(const Activity &a) const;
  void load_gaps_and_order(const Fields &f, const std::string &where, std::size_t index,
                           Activity &a);
  void load_preferences(const Fields &f, const std::string &where, Activity &a);
  void load_order(const Field &f, bool is_before, std::size_t index, const std::string &where);
  void resolve_orders(Plan &plan);
  void load_assessment(const Fields &top, Plan &plan);
  void check_fit(const Activity &a, const Fields &f, const Plan &plan);
  std::vector<std::string> expand(const Plan &plan, const std::vector<std::string> &names);
  std::vector<std::string> people_and_groups(const std::vector<YAML::Node> &items,
                                             const std::string &noun, const std::string &where,
                                             const Plan &plan);
  const std::vector<std::string> &group_people(const Plan &plan, const std::string &group);

  std::filesystem::path data_dir_;
  const cal::HolidayOverlay &extra_holidays_; // outlives the loader (load_plan's argument)
  bool year_ok_ = false;
  int year_ = 0;
  cal::HolidaySet holidays_for_windows_;
  cal::Duration default_duration_{60, false};
  std::vector<cal::Duration> default_reminders_;
  std::vector<PendingOrder> orders_;
  std::vector<std::pair<std::string, SourcePos>> activity_ids_; // file order
  std::map<std::string, std::size_t> activity_id_index_;        // id → position in activity_ids_
  // id → line, of every person and room kept; Plan::find_person is a scan.
  std::unordered_map<std::string, int> person_lines_;
  std::unordered_map<std::string, int> room_lines_;
  std::map<std::string, std::vector<std::string>> group_people_; // expanded, sorted
  std::unordered_map<std::string, std::variant<cal::Window, cal::RelativeWindow,
                                               cal::TextError>>
      window_cache_;                      // by text, as parse_window gave it
  std::optional<cal::Window> whole_year_; // the default when
  long estimated_occurrences_ = 0;        // so far, of the activities loaded
  bool is_person(const std::string &id) const { return person_lines_.contains(id); }
};

std::optional<std::vector<cal::DateRange>> Loader::date_list(const Field &f,
                                                             const std::string &what) {
  const auto items = list(f, what);
  if (!items)
    return std::nullopt;
  std::vector<cal::DateRange> out;
  for (const auto &item : *items) {
    const auto s = text(item, "a date in " + what);
    if (!s)
      continue;
    const auto dots = s->find("..");
    const auto first = cal::parse_iso_date(dots == std::string::npos ? *s : s->substr(0, dots));
    const auto last = dots == std::string::npos ? first : cal::parse_iso_date(s->substr(dots + 2));
    if (!first || !last) {
      error(item, both(what + " 中的 '" + *s +
                           "' 不是日期：请写 2026-03-16 或范围 "
                           "2026-08-03..2026-08-07",
                       "'" + *s + "' in " + what +
                           " is not a date: write 2026-03-16 or a range "
                           "2026-08-03..2026-08-07"));
      continue;
    }
    if (*last < *first) {
      error(item, both(what + " 中的范围 '" + *s + "' 结束早于开始：请先写较早的日期",
                       "the range '" + *s + "' in " + what + " ends before it starts"));
      continue;
    }
    out.push_back({*first, *last});
  }
  return out;
}

std::optional<std::array<bool, 7>> Loader::weekdays(const Field &f, const std::string &what) {
  const auto items = list(f, what);
  if (!items)
    return std::nullopt;
  std::array<bool, 7> out{};
  bool ok = true;
  for (const auto &item : *items) {
    const auto s = text(item, "a day in " + what);
    if (!s) {
      ok = false;
      continue;
    }
    const auto day = calendar::parse_weekday(*s);
    if (!day) {
      error(item, both(zh_subject(what) + " 中的 '" + *s +
                           "' 不是星期几：请写 mon、tue、wed、thu、fri、sat、sun 或 周一…周日",
                       "'" + *s + "' in " + what +
                           " is not a weekday: write mon, tue, wed, thu, fri, sat, "
                           "sun or 周一…周日"));
      ok = false;
      continue;
    }
    out[*day] = true;
  }
  if (!ok)
    return std::nullopt;
  return out;
}

std::optional<WindowValue> Loader::window(const YAML::Node &node, const std::string &what,
                                          std::string &as_written) {
  const auto s = text(node, what);
  if (!s)
    return std::nullopt;
  as_written = *s;
  if (const std::size_t chars = code_points(*s).size(); chars > max_window_chars) {
    error(text_pos(node),
          both(zh_subject(what) + " 有 " + std::to_string(chars) + " 个字符，超过上限 " +
                   std::to_string(max_window_chars) +
                   "：请写短一些的时间窗口，或用 repeat "
                   "列出多个时间窗口",
               what + " is " + std::to_string(chars) + " characters long, more than the limit of " +
                   std::to_string(max_window_chars) +
                   ": write a shorter window, or a repeat list of windows"));
    return std::nullopt;
  }
  if (!year_ok_)
    return std::nullopt; // no year to resolve in; reported at `year`
  // Plans repeat the same few windows; the year and holidays are fixed by now.
  auto cached = window_cache_.find(*s);
  if (cached == window_cache_.end())
    cached =
        window_cache_.emplace(*s, cal::parse_window(*s, {year_, &holidays_for_windows_})).first;
  const auto &parsed = cached->second;
  if (const auto *e = std::get_if<cal::TextError>(&parsed)) {
    text_error(node, what, *s, *e, "无法识别的时间窗口");
    return std::nullopt;
  }
  if (const auto *w = std::get_if<cal::Window>(&parsed))
    return WindowValue{*w};
  return WindowValue{std::get<cal::RelativeWindow>(parsed)};
}

void Loader::load_calendar(const Fields &top, Plan &plan) {
  Fields f;
  if (const Field *c = get(top, "calendar"))
    f = fields(c->value, calendar_keys, "in calendar");

  std::string holidays = plan.timezone == "Asia/Shanghai" ? "cn" : "none";
  SourcePos holidays_pos{1, 1};
  if (const Field *h = get(f, "holidays")) {
    holidays_pos = pos_of(*h);
    if (const auto s = text(*h, "calendar.holidays")) {
      if (*s != "cn" && *s != "none") {
        error(*h, both("calendar 中未知的节假日集合 '" + *s + "'：请写 cn 或 none",
                       "unknown holiday set '" + *s + "' in calendar: write cn or none"));
        holidays.clear();
      } else {
        holidays = *s;
      }
    } else {
      holidays.clear();
    }
  }
  if (!holidays.empty()) {
    try {
      plan.calendar.holidays = cal::load_holiday_set(holidays, data_dir_, extra_holidays_);
    } catch (const std::exception &e) {
      error(holidays_pos, both("无法加载节假日集合 '" + holidays + "'",
                               "cannot load holiday set '" + holidays + "': " + e.what()));
    }
  }
  if (const Field *w = get(f, "workdays"))
    if (const auto days = weekdays(*w, "calendar.workdays"))
      plan.calendar.workdays = *days;
  if (const Field *h = get(f, "hours")) {
    if (const auto items = list(*h, "calendar.hours")) {
      std::vector<cal::TimeRange> hours;
      bool ok = true;
      for (const auto &item : *items) {
        if (const auto r = time_range(item, "working hours", false))
          hours.push_back(*r);
        else
          ok = false;
      }
      std::sort(hours.begin(), hours.end(),
                [](const auto &a, const auto &b) { return a.from < b.from; });
      for (std::size_t i = 1; ok && i < hours.size(); ++i) {
        if (hours[i].from < hours[i - 1].to) {
          const std::string first = cal::format_time_of_day(hours[i - 1].from) + "-" +
                                    cal::format_time_of_day(hours[i - 1].to);
          const std::string second =
              cal::format_time_of_day(hours[i].from) + "-" + cal::format_time_of_day(hours[i].to);
          error(*h, both("calendar.hours 的时间段重叠：" + first + " 和 " + second,
                         "the ranges of calendar.hours overlap: " + first + " and " + second));
          ok = false;
        }
      }
      if (hours.empty() && ok) {
        error(*h, both("calendar.hours 是空的：至少写一个时间段，例如 \"09:00-12:00\"",
                       "calendar.hours is empty: give at least one range such as "
                       "\"09:00-12:00\""));
        ok = false;
      }
      if (ok)
        plan.calendar.hours = hours;
    }
  }
  const auto add_days = [&](const char *key, std::set<cal::Date> &into) {
    if (const Field *d = get(f, key))
      if (const auto ranges = date_list(*d, std::string("calendar.") + key))
        for (const auto &r : *ranges)
          for (const auto day : cal::days_of(r))
            into.insert(day);
  };
  add_days("closed", plan.calendar.closed);
  add_days("open", plan.calendar.open);
  holidays_for_windows_ = plan.calendar.holidays;
}

void Loader::load_people(const Fields &top, Plan &plan) {
  const auto load = [&](const char *key, const char *noun, const std::vector<std::string> &keys,
                        auto &into, std::unordered_map<std::string, int> &seen) {
    const std::string zh_noun = std::string_view(noun) == "person" ? "人员" : "地点";
    const Field *section = get(top, key);
    if (!section)
      return;
    auto items = list(*section, key);
    if (!items)
      return;
    if (std::string_view(key) == "people" && items->size() > max_people) {
      error((*items)[max_people],
            both("计划有 " + std::to_string(items->size()) + " 个人员，超过上限 " +
                     std::to_string(max_people) + "：请拆成几个计划",
                 "the plan has " + std::to_string(items->size()) +
                     " people, more than the limit of " + std::to_string(max_people) +
                     ": split it into several plans"));
      items->resize(max_people);
    }
    for (const auto &item : *items) {
      const Fields f = fields(item, keys, std::string("in ") + key);
      if (!item.IsMap())
        continue;
      const Field *id = get(f, "id");
      if (!id) {
        error(item, both(zh_noun + "缺少 id", std::string("a ") + noun + " needs an id"));
        continue;
      }
      const auto s = text(*id, std::string(noun) + " id");
      if (!s)
        continue;
      if (s->empty()) {
        error(*id,
              both(zh_noun + " id 不能为空", std::string("a ") + noun + " id must not be empty"));
        continue;
      }
      if (const auto it = seen.find(*s); it != seen.end()) {
        const std::string first = std::to_string(it->second);
        error(*id, both(zh_noun + " id 重复 '" + *s + "'（第一次出现在第 " + first + " 行）",
                        std::string("duplicate ") + noun + " id '" + *s + "' (first at line " +
                            first + ")"));
        continue;
      }
      seen.emplace(*s, pos_of(*id).line);
      std::string name = *s;
      if (const Field *n = get(f, "name"))
        if (const auto t = text(*n, std::string(noun) + " name"))
          name = *t;
      typename std::decay_t<decltype(into)>::value_type entry;
      entry.id = *s;
      entry.name = name;
      into.push_back(std::move(entry));
      if constexpr (std::is_same_v<std::decay_t<decltype(into)>, std::vector<Person>>)
        load_contact(f, *s, into.back());
    }
  };
  load("people", "person", person_keys, plan.people, person_lines_);
  load("rooms", "room", room_keys, plan.rooms, room_lines_);
}

// email and mobile of a person, each checked for its shape.
void Loader::load_contact(const Fields &f, const std::string &id, Person &person) {
  const std::string where = "of person '" + id + "'";
  if (const Field *e = get(f, "email"))
    if (const auto s = text(*e, "email " + where)) {
      if (is_email(*s))
        person.email = *s;
      else
        error(*e, both("人员 '" + id + "' 的 email '" + *s +
                           "' 不是电子邮件地址：例如写 zhang@example.cn",
                       "email '" + *s + "' " + where +
                           " is not an e-mail address: write e.g. zhang@example.cn"));
    }
  if (const Field *m = get(f, "mobile"))
    if (const auto s = text(*m, "mobile " + where)) {
      if (is_mobile(*s))
        person.mobile = *s;
      else
        error(*m, both("人员 '" + id + "' 的 mobile '" + *s +
                           "' 不是手机号：11 位数字、以 1 开头，可加 +86（例如 13800138000）",
                       "mobile '" + *s + "' " + where +
                           " is not a mobile number: 11 digits starting with 1, optionally "
                           "after +86 (e.g. 13800138000)"));
    }
}

void Loader::load_groups(const Fields &top, Plan &plan) {
  const Field *section = get(top, "groups");
  if (!section)
    return;
  if (section->value.IsNull())
    return;
  if (!section->value.IsMap()) {
    error(*section,
          both("groups 应为小组 id 到成员的映射，实为 " + describe_type_zh(section->value),
               "groups must be a map of group id to members, found " +
                   describe_type(section->value)));
    return;
  }
  struct Member {
    std::string name;
    SourcePos pos;
  };
  std::vector<std::pair<std::string, SourcePos>> order; // groups in file order
  std::map<std::string, std::vector<Member>> members;
  for (auto it = section->value.begin(); it != section->value.end(); ++it) {
    const YAML::Node key = it->first;
    const auto name = text(key, "a group id");
    if (!name)
      continue;
    if (members.contains(*name)) {
      error(key, both("groups 中的小组 '" + *name + "' 重复",
                      "duplicate group '" + *name + "' in groups"));
      continue;
    }
    if (is_person(*name)) {
      error(key, both("小组 '" + *name + "' 与一位人员的 id 相同：请给小组换一个 id",
                      "group '" + *name + "' has the id of a person; give it another id"));
      continue;
    }
    auto &list_out = members[*name];
    order.emplace_back(*name, pos_of(key));
    const auto value = group_members(key, it->second, *name, plan);
    if (!value)
      continue;
    for (const auto &m : *value)
      if (const auto s = text(m, "a member of group '" + *name + "'"))
        list_out.push_back({*s, pos_of(m)});
  }
  std::vector<std::string> known;
  for (const auto &p : plan.people)
    known.push_back(p.id);
  for (const auto &[g, pos] : order)
    known.push_back(g);
  for (const auto &[g, pos] : order) {
    auto &written = plan.groups[g];
    for (const auto &m : members[g]) {
      if (!is_person(m.name) && !members.contains(m.name)) {
        error(m.pos, both("小组 '" + g + "' 的成员 '" + m.name + "' 未定义：不是人员或小组" +
                              suggestion_zh(m.name, known),
                          "unknown member '" + m.name + "' of group '" + g +
                              "': not a person or a group" + suggestion(m.name, known)));
        continue;
      }
      written.push_back(m.name);
    }
  }
  // Cycles: depth-first from each group in file order; each cycle once.
  std::map<std::string, int> state; // 0 new, 1 on the path, 2 done
  std::vector<std::string> path;
  std::set<std::set<std::string>> reported;
  std::map<std::string, SourcePos> group_pos(order.begin(), order.end());
  std::function<void(const std::string &)> visit = [&](const std::string &g) {
    state[g] = 1;
    path.push_back(g);
    for (const auto &m : plan.groups[g]) {
      if (!plan.groups.contains(m))
        continue;
      if (state[m] == 1) {
        const auto from = std::find(path.begin(), path.end(), m);
        std::vector<std::string> cycle(from, path.end());
        const std::set<std::string> key(cycle.begin(), cycle.end());
        if (reported.insert(key).second) {
          cycle.push_back(m);
          error(group_pos[m], both("小组之间互相包含，形成循环：" + join(cycle, " → "),
                                   "groups form a cycle: " + join(cycle, " → ")));
        }
      } else if (state[m] == 0) {
        visit(m);
      }
    }
    path.pop_back();
    state[g] = 2;
  };
  for (const auto &[g, pos] : order)
    if (state[g] == 0)
      visit(g);
}

// A group is a list of members, or a map {name: 支委会, members: […]} that
// also gives the name people read; the members' list, or nothing (reported).
std::optional<YAML::Node> Loader::group_members(const YAML::Node &key, const YAML::Node &value,
                                                const std::string &group, Plan &plan) {
  YAML::Node members = value;
  if (value.IsMap()) {
    const Fields f = fields(value, group_keys, "in group '" + group + "'");
    if (const Field *n = get(f, "name"))
      if (const auto s = text(*n, "name of group '" + group + "'"); s && !s->empty())
        plan.group_names[group] = *s;
    const Field *m = get(f, "members");
    if (!m) {
      error(value,
            both("小组 '" + group + "' 缺少 members：成员列表，例如 members: [zhang, li]",
                 "group '" + group + "' needs members: a list such as members: [zhang, li]"));
      return std::nullopt;
    }
    members = m->value;
  }
  if (!members.IsSequence()) {
    error(members.IsNull() ? key : members,
          both("小组 '" + group + "' 应为人员或小组的列表（或 {name, members}），实为 " +
                   describe_type_zh(members),
               "group '" + group + "' must be a list of people or groups (or {name, members}), " +
                   "found " + describe_type(members)));
    return std::nullopt;
  }
  return members;
}

std::vector<std::string> Loader::expand(const Plan &plan, const std::vector<std::string> &names) {
  std::vector<std::string> people;
  for (const auto &n : names) {
    if (plan.groups.contains(n)) {
      const auto &members = group_people(plan, n);
      people.insert(people.end(), members.begin(), members.end());
    } else if (is_person(n)) {
      people.push_back(n);
    }
  }
  // Already sorted when one group is named: no sort for the common case.
  if (!std::is_sorted(people.begin(), people.end()))
    std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  return people;
}

// Many activities name the same groups: each is expanded once.
const std::vector<std::string> &Loader::group_people(const Plan &plan, const std::string &group) {
  if (const auto it = group_people_.find(group); it != group_people_.end())
    return it->second;
  // Empty while it is being expanded, so a cycle (reported in load_groups)
  // ends.
  group_people_.emplace(group, std::vector<std::string>{});
  const auto written = plan.groups.find(group);
  std::vector<std::string> people =
      written == plan.groups.end() ? std::vector<std::string>{} : expand(plan, written->second);
  auto &slot = group_people_[group];
  slot = std::move(people);
  return slot;
}

void Loader::load_defaults(const Fields &top, Plan &plan) {
  const Field *section = get(top, "defaults");
  if (!section)
    return;
  const Fields f = fields(section->value, defaults_keys, "in defaults");
  if (const Field *d = get(f, "duration"))
    if (const auto v = duration(d->value, "defaults.duration", false))
      default_duration_ = *v;
  if (const Field *r = get(f, "reminders"))
    if (const auto v = reminders(*r, "in defaults"))
      default_reminders_ = *v;
  if (const Field *r = get(f, "remind_at"))
    if (const auto s = text(r->value, "defaults.remind_at")) {
      auto parsed = cal::parse_time_of_day(*s);
      if (const auto *e = std::get_if<cal::TextError>(&parsed)) {
        SourcePos p = text_pos(r->value);
        p.column += static_cast<int>(e->column) - 1;
        const std::string zh = e->zh.empty() ? "无法识别的时刻：例如写 \"09:30\"" : e->zh;
        error(p, both("defaults.remind_at '" + *s + "'：" + zh +
                          "（全天活动的提醒在当天这个时刻发出）",
                      "defaults.remind_at '" + *s + "': " + e->message +
                          " (the time of day at which day reminders of all-day activities fire)"));
      } else {
        plan.remind_at = std::get<int>(parsed);
      }
    }
}

// replan.freeze (§6.5): how long after as-of nothing moves; 0 is allowed.
void Loader::load_replan(const Fields &top, Plan &plan) {
  const Field *section = get(top, "replan");
  if (!section)
    return;
  const Fields f = fields(section->value, replan_keys, "in replan");
  if (const Field *fr = get(f, "freeze"))
    if (const auto g = gap(*fr, "freeze", "in replan"))
      plan.replan_freeze_minutes = *g;
}

void Loader::load_order(const Field &f, bool is_before, std::size_t index,
                        const std::string &where) {
  const std::string key = is_before ? "before" : "after";
  const auto add_id = [&](const YAML::Node &node) {
    if (const auto s = text(node, key + " " + where)) {
      OrderRule rule;
      rule.other = *s;
      rule.is_before = is_before;
      rule.pos = pos_of(node);
      orders_.push_back({index, rule});
    }
  };
  const auto add_map = [&](const YAML::Node &node) {
    const Fields m = fields(node, order_keys, "in " + key + " " + where);
    const Field *id = get(m, "id");
    if (!id) {
      error(node, both(zh_of(zh_owner(where), key) + " 需要另一个活动的 id",
                       key + " " + where + " needs the id of the other activity"));
      return;
    }
    const auto s = text(*id, key + " id");
    if (!s)
      return;
    OrderRule rule;
    rule.other = *s;
    rule.is_before = is_before;
    rule.pos = pos_of(*id);
    bool ok = true;
    if (const Field *g = get(m, "min_gap")) {
      if (const auto v = gap(*g, "min_gap", "in " + key + " " + where))
        rule.min_gap_minutes = *v;
      else
        ok = false;
    }
    if (const Field *g = get(m, "max_gap")) {
      if (const auto v = gap(*g, "max_gap", "in " + key + " " + where))
        rule.max_gap_minutes = *v;
      else
        ok = false;
    }
    if (ok && rule.max_gap_minutes && *rule.max_gap_minutes < rule.min_gap_minutes) {
      error(node, both(zh_of(zh_owner(where), key) + " 的 max_gap 比 min_gap 短",
                       "max_gap is shorter than min_gap in " + key + " " + where));
      ok = false;
    }
    if (ok)
      orders_.push_back({index, rule});
  };
  const auto add_any = [&](const YAML::Node &node) {
    if (node.IsMap())
      add_map(node);
    else
      add_id(node);
  };
  if (f.value.IsSequence()) {
    for (const auto &item : f.value)
      add_any(item);
  } else if (f.value.IsNull()) {
    error(f, both(zh_of(zh_owner(where), key) + " 没有值：请写一个活动的 id",
                  key + " " + where + " has no value: give an activity id"));
  } else {
    add_any(f.value);
  }
}

void Loader::resolve_orders(Plan &plan) {
  for (auto &pending : orders_) {
    Activity &a = plan.activities[pending.activity];
    const auto &rule = pending.rule;
    const std::string key = rule.is_before ? "before" : "after";
    if (rule.other == a.id) {
      error(rule.pos, both("活动 '" + a.id + "' 的 " + key + " 不能是它自己",
                           "activity '" + a.id + "' cannot come " + key + " itself"));
      continue;
    }
    if (!activity_id_index_.contains(rule.other)) {
      std::vector<std::string> ids;
      for (const auto &[id, pos] : activity_ids_)
        ids.push_back(id);
      error(rule.pos, both("活动 '" + a.id + "' 的 " + key + " 中的活动 '" + rule.other +
                               "' 未定义" + suggestion_zh(rule.other, ids),
                           "unknown activity '" + rule.other + "' in " + key + " of activity '" +
                               a.id + "'" + suggestion(rule.other, ids)));
      continue;
    }
    a.order.push_back(rule);
  }
}

// assessment (§6.6): each item a scoring item (points with target or each,
// optionally attendance) or a deduction item (people and deduct), naming
// activities of this plan.
void Loader::load_assessment(const Fields &top, Plan &plan) {
  static const std::vector<std::string> item_keys = {
      "item", "points", "activities", "target", "attendance", "each", "people", "deduct"};
  static const std::vector<std::string> deduct_keys = {"absent", "leave"};
  const Field *section = get(top, "assessment");
  if (!section)
    return;
  const auto items = list(*section, "assessment");
  if (!items)
    return;
  const auto points_of = [&](const Field &f,
                             const std::string &what) -> std::optional<Centipoints> {
    const auto s = text(f, what);
    if (!s)
      return std::nullopt;
    const auto p = parse_points(*s);
    if (!p)
      error(f, both(zh_subject(what) + " 应为分数，例如 10 或 2.5，实为 '" + *s + "'",
                    what + " must be a number of points such as 10 or 2.5, found '" + *s + "'"));
    return p;
  };
  std::map<std::string, int> names; // item → line, for duplicates
  for (const auto &node : *items) {
    const Fields f = fields(node, item_keys, "in an assessment item");
    if (!node.IsMap())
      continue;
    AssessmentItem a;
    a.pos = pos_of(node);
    std::string where = "in an assessment item";
    if (const Field *n = get(f, "item")) {
      if (const auto s = text(*n, "item (the item's name)")) {
        if (s->empty())
          error(*n, both("考核项的名称是空的", "the assessment item's name is empty"));
        else if (const auto seen = names.find(*s); seen != names.end())
          error(*n, both("考核项 '" + *s + "' 重复（第一次出现在第 " +
                             std::to_string(seen->second) + " 行）",
                         "duplicate assessment item '" + *s + "' (first at line " +
                             std::to_string(seen->second) + ")"));
        else
          names.emplace(*s, pos_of(*n).line);
        a.item = *s;
        where = "in assessment item '" + *s + "'";
      }
    } else {
      error(node, both("考核项需要在 item 中写名称，例如 item: 学习培训",
                       "an assessment item needs its name in item, e.g. item: 学习培训"));
    }
    if (const Field *acts = get(f, "activities")) {
      if (const auto ids = list(*acts, "activities " + where)) {
        for (const auto &id : *ids) {
          const auto s = text(id, "an activity " + where);
          if (!s)
            continue;
          if (!activity_id_index_.contains(*s)) {
            std::vector<std::string> known;
            for (const auto &[known_id, p] : activity_ids_)
              known.push_back(known_id);
            error(id, both("未知的活动 '" + *s + "'" + zh_place(where) + suggestion_zh(*s, known),
                           "unknown activity '" + *s + "' " + where + suggestion(*s, known)));
            continue;
          }
          a.activities.push_back(*s);
        }
        if (ids->empty())
          error(*acts, both(zh_of(zh_owner(where), "activities") +
                                " 是空的：请写出哪些活动的已完成次数计入考核",
                            "activities " + where +
                                " is empty: name the activities whose done "
                                "occurrences count"));
      }
    } else {
      error(node, both("缺少键 'activities'" + zh_place(where) +
                           "：哪些活动的已完成次数计入考核，例如 activities: [study]",
                       "missing key 'activities' " + where +
                           ": the activities whose done occurrences count, e.g. activities: "
                           "[study]"));
    }
    const Field *points = get(f, "points");
    const Field *target = get(f, "target");
    const Field *each = get(f, "each");
    const Field *attendance = get(f, "attendance");
    const Field *people = get(f, "people");
    if (const Field *d = get(f, "deduct")) {
      // A deduction item takes points off the total; it scores nothing itself.
      for (const Field *extra : {points, target, each, attendance})
        if (extra)
          error(extra->key,
                both("'" + extra->key.Scalar() + "'" + zh_place(where) +
                         " 不能与 deduct 同用：扣分项从总分中扣分；计分请另写一个考核项",
                     "'" + extra->key.Scalar() + "' " + where +
                         " does not go with deduct: a deduction item takes points off "
                         "the total; put scoring in an item of its own"));
      AssessmentItem::Deduct deduct;
      const Fields df = fields(d->value, deduct_keys, "in deduct " + where);
      if (const Field *x = get(df, "absent"))
        if (const auto p = points_of(*x, "deduct.absent " + where))
          deduct.absent = *p;
      if (const Field *x = get(df, "leave"))
        if (const auto p = points_of(*x, "deduct.leave " + where))
          deduct.leave = *p;
      if (d->value.IsMap() && df.empty())
        error(*d, both(zh_of(zh_owner(where), "deduct") +
                           " 是空的：例如写 deduct: {absent: 2, leave: 1}",
                       "deduct " + where + " is empty: write deduct: {absent: 2, leave: 1}"));
      a.deduct = deduct;
      if (!people) {
        error(node, both("缺少键 'people'" + zh_place(where) +
                             "：缺席要扣分的人员，例如 people: [director]",
                         "missing key 'people' " + where +
                             ": whose absences are deducted, e.g. people: [director]"));
      } else if (const auto names_written = list(*people, "people " + where)) {
        if (names_written->empty())
          error(*people, both(zh_of(zh_owner(where), "people") + " 是空的：请写出缺席要扣分的人员",
                              "people " + where + " is empty: name whose absences are deducted"));
        a.people = expand(plan, people_and_groups(*names_written, "person", where, plan));
      }
      plan.assessment.push_back(std::move(a));
      continue;
    }
    if (people)
      error(people->key, both(zh_of(zh_owner(where), "people") +
                                  " 要与 deduct 同用（这些人缺席时扣分）：请删去它，或加上 deduct: "
                                  "{absent: 2, leave: 1}",
                              "people " + where +
                                  " goes with deduct (whose absences take points off): drop it, or "
                                  "add deduct: {absent: 2, leave: 1}"));
    if (!points) {
      error(node,
            both("缺少键 'points'" + zh_place(where) + "：该项最多得几分，例如 points: 10",
                 "missing key 'points' " + where + ": the most the item gives, e.g. points: 10"));
    } else if (const auto p = points_of(*points, "points " + where)) {
      if (*p <= 0)
        error(*points, both(zh_of(zh_owner(where), "points") + " 应大于 0",
                            "points " + where + " must be more than 0"));
      a.points = *p;
    }
    if (target && each) {
      error(each->key, both(zh_owner(where) + "target 和 each 只能写一个：target: 4 "
                                              "表示完成 4 次得满分，each: 3 表示每完成一次得 3 分",
                            "give target or each " + where +
                                ", not both: target: 4 gives full "
                                "points at 4 counted occurrences, each: 3 gives 3 points per one"));
    } else if (!target && !each) {
      error(node, both("缺少 target 或 each" + zh_place(where) +
                           "：target: 4 表示完成 4 次得满分（不足按比例），each: 5 "
                           "表示每完成一次得 5 分",
                       "missing target or each " + where +
                           ": target: 4 gives full points at 4 counted occurrences "
                           "(proportionally below), each: 5 gives 5 points per counted "
                           "occurrence"));
    } else if (target) {
      if (const auto n = integer(*target, "target " + where)) {
        if (*n < 1 || *n > max_count)
          error(*target, both(zh_of(zh_owner(where), "target") + " 应在 1 到 " +
                                  std::to_string(max_count) + " 之间，实为 " + std::to_string(*n),
                              "target " + where + " must be from 1 to " +
                                  std::to_string(max_count) + ", found " + std::to_string(*n)));
        else
          a.target = static_cast<int>(*n);
      }
    } else if (const auto p = points_of(*each, "each " + where)) {
      if (*p <= 0)
        error(*each, both(zh_of(zh_owner(where), "each") + " 应大于 0 分",
                          "each " + where + " must be more than 0 points"));
      a.each = *p;
    }
    if (attendance) {
      if (const auto s = text(*attendance, "attendance " + where)) {
        if (const auto percent = parse_percent(*s))
          a.attendance = *percent;
        else
          error(*attendance,
                both(zh_of(zh_owner(where), "attendance") +
                         " 应为 1% 到 100% 的百分比，例如 "
                         "80%，实为 '" +
                         *s + "'",
                     "attendance " + where +
                         " must be a percent from 1% to 100%, such as 80%, found '" + *s + "'"));
      }
    }
    plan.assessment.push_back(std::move(a));
  }
}

void Loader::check_fit(const Activity &a, const Fields &f, const Plan &plan) {
  if (a.all_day || !a.rrule.empty())
    return;
  const long d = a.duration.minutes;
  const Field *at_field = get(f, "at");
  const Field *duration_field = get(f, "duration");
  const SourcePos where = duration_field ? pos_of(*duration_field)
                          : at_field     ? pos_of(*at_field)
                                         : a.pos;
  const std::string length = calendar::format_duration(d);
  const bool single_day = std::holds_alternative<cal::Window>(a.when) &&
                          std::get<cal::Window>(a.when).dates.size() == 1;
  if (a.at && a.at_exact && single_day) {
    // A fixed event: exempt from working hours, but it must end that day.
    if (a.at->from + d > 24 * 60)
      error(where, both("活动 '" + a.id + "' " + cal::format_time_of_day(a.at->from) +
                            " 开始，持续 " + length + "，超过了午夜",
                        "activity '" + a.id + "' starts at " + cal::format_time_of_day(a.at->from) +
                            " and lasts " + length + ", past midnight"));
    return;
  }
  if (a.at && !a.at_exact && a.at->to - a.at->from < d) {
    error(at_field ? pos_of(*at_field) : where,
          both("活动 '" + a.id + "' 持续 " + length + "，比它的 at " +
                   cal::format_time_of_day(a.at->from) + "-" + cal::format_time_of_day(a.at->to) +
                   " 还长",
               "activity '" + a.id + "' lasts " + length + ", longer than its at " +
                   cal::format_time_of_day(a.at->from) + "-" + cal::format_time_of_day(a.at->to)));
    return;
  }
  for (const auto &r : plan.calendar.hours) {
    long from = r.from;
    long to = r.to;
    if (a.at && a.at_exact) {
      if (a.at->from >= r.from && a.at->from + d <= r.to)
        return;
      continue;
    }
    if (a.at) {
      from = std::max<long>(from, a.at->from);
      to = std::min<long>(to, a.at->to);
    }
    if (to - from >= d)
      return;
  }
  std::vector<std::string> ranges;
  for (const auto &r : plan.calendar.hours)
    ranges.push_back(cal::format_time_of_day(r.from) + "-" + cal::format_time_of_day(r.to));
  std::string message = "activity '" + a.id + "' lasts " + length;
  std::string zh = "活动 '" + a.id + "' ";
  if (a.at && a.at_exact) {
    message += " from " + cal::format_time_of_day(a.at->from);
    zh += "从 " + cal::format_time_of_day(a.at->from) + " 起";
  } else if (a.at) {
    const std::string inside =
        cal::format_time_of_day(a.at->from) + "-" + cal::format_time_of_day(a.at->to);
    message += " inside " + inside;
    zh += "在 " + inside + " 内";
  }
  message += " and does not fit in any range of working hours (" + join(ranges, ", ") +
             "): shorten it, widen calendar.hours, or make it all-day";
  zh += "持续 " + length + "，放不进任何一段工作时间（" + join(ranges, "、") +
        "）：请缩短时长、放宽 calendar.hours，或改为全天活动";
  error(where, both(zh, message));
}

// An activity is read in phases, in this order: each phase reads its own keys;
// later ones may look at what earlier ones set (rrule at repeat, count and at).
void Loader::load_activity(const YAML::Node &node, std::size_t index, Plan &plan) {
  Activity a;
  a.pos = pos_of(node);
  a.duration = default_duration_;
  a.reminders = default_reminders_;
  if (year_ok_) {
    if (!whole_year_)
      whole_year_ =
          cal::Window{cal::days_of(cal::year_range(year_)), cal::Prefer::none, std::nullopt};
    a.when = *whole_year_;
  }
  const std::string where = activity_where(node, index);
  const Fields f = fields(node, activity_keys, where);
  if (!node.IsMap()) {
    plan.activities.push_back(std::move(a));
    return;
  }
  load_identity(node, f, index, where, a);
  load_time(f, where, a);
  load_people_and_room(f, where, plan, a);
  load_reminders_and_busy(f, where, a);
  load_when(f, where, a);
  load_repeat(f, where, a);
  load_count(f, where, a);
  load_rrule(f, where, a);
  check_occurrence_budget(f, a);
  load_gaps_and_order(f, where, plan.activities.size(), a);
  load_preferences(f, where, a);
  check_fit(a, f, plan);
  plan.activities.push_back(std::move(a));
}

// Name the activity in messages by its id when it has a usable one.
std::string Loader::activity_where(const YAML::Node &node, std::size_t index) const {
  if (node.IsMap())
    for (auto it = node.begin(); it != node.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar() &&
          !it->second.Scalar().empty())
        return "in activity '" + it->second.Scalar() + "'";
  return "in activity #" + std::to_string(index + 1);
}

// id, title, description, kind (and the default of busy, which follows kind).
void Loader::load_identity(const YAML::Node &node, const Fields &f, std::size_t index,
                           const std::string &where, Activity &a) {
  if (const Field *id = get(f, "id")) {
    if (const auto s = text(*id, "activity id")) {
      if (!is_slug(*s)) {
        error(*id, both("活动 id '" + *s + "' 只能用小写字母、数字、_ 和 -（例如 congress-1）",
                        "activity id '" + *s +
                            "' may use only a-z, 0-9, '_' and '-' (e.g. congress-1)"));
      } else {
        const auto dup = activity_id_index_.find(*s);
        if (dup != activity_id_index_.end()) {
          const std::string first = std::to_string(activity_ids_[dup->second].second.line);
          error(*id, both("活动 id 重复 '" + *s + "'（第一次出现在第 " + first + " 行）",
                          "duplicate activity id '" + *s + "' (first at line " + first + ")"));
        } else {
          activity_id_index_.emplace(*s, activity_ids_.size());
          activity_ids_.emplace_back(*s, pos_of(*id));
        }
      }
      a.id = *s;
    }
  } else {
    error(node,
          both("第 " + std::to_string(index + 1) +
                   " 项活动缺少 id（小写字母、数字、_ 或 -，不可重复）",
               "activity #" + std::to_string(index + 1) + " needs an id ([a-z0-9_-]+, unique)"));
  }
  if (const Field *t = get(f, "title")) {
    if (const auto s = text(*t, "title " + where)) {
      if (s->empty())
        error(*t, both(zh_owner(where) + "title 是空的：请写活动的名称",
                       "the title " + where + " is empty"));
      a.title = *s;
    }
  } else {
    error(node, both("缺少键 'title'" + zh_place(where) + "：活动的名称",
                     "missing key 'title' " + where));
  }
  if (const Field *d = get(f, "description"))
    if (const auto s = text(*d, "description " + where))
      a.description = *s;
  if (const Field *k = get(f, "kind")) {
    if (const auto s = text(*k, "kind " + where)) {
      if (std::find(kinds.begin(), kinds.end(), *s) == kinds.end())
        error(*k, both("未知的类型 '" + *s + "'" + zh_place(where) + suggestion_zh(*s, kinds) +
                           "（类型：" + join(kinds, "、") + "）",
                       "unknown kind '" + *s + "' " + where + suggestion(*s, kinds) +
                           " (kinds: " + join(kinds, ", ") + ")"));
      else
        a.kind = *s;
    }
  }
  a.busy = a.kind != "deadline";
}

// duration, all_day and at: how long, and at what time of day.
void Loader::load_time(const Fields &f, const std::string &where, Activity &a) {
  const Field *duration_field = get(f, "duration");
  if (duration_field)
    if (const auto d = duration(duration_field->value, "duration " + where, false))
      a.duration = *d;
  a.all_day = a.duration.in_days;
  if (const Field *ad = get(f, "all_day")) {
    if (const auto b = boolean(*ad, "all_day " + where)) {
      if (*b && duration_field && !a.duration.in_days)
        error(*ad,
              both(zh_owner(where) + "all_day 为 true，但 duration 以小时计：请以天计（1d、3d）",
                   "all_day is true " + where +
                       " but its duration is in hours: write it in days (1d, 3d)"));
      else if (!*b && a.duration.in_days && duration_field)
        error(*ad, both(zh_owner(where) + "all_day 为 false，但 duration 以天计：请以小时计（2h）",
                        "all_day is false " + where +
                            " but its duration is in days: write it in hours (2h)"));
      else if (*b && !a.duration.in_days)
        a.duration = {24 * 60, true};
      if (*b)
        a.all_day = true;
      else if (!duration_field && a.duration.in_days)
        a.duration = {60, false}; // a day-long default does not apply
      if (!*b)
        a.all_day = false;
    }
  }
  if (const Field *at = get(f, "at"))
    load_at(*at, where, a);
}

void Loader::load_at(const Field &at, const std::string &where, Activity &a) {
  if (a.all_day) {
    error(at, both(zh_owner(where) + "at 设了一天中的时刻，但该活动是全天活动",
                   "at " + where + " sets a time of day, but the activity is all-day"));
    return;
  }
  const auto s = text(at, "at " + where);
  if (!s)
    return;
  if (s->find('-') != std::string::npos) {
    if (const auto r = time_range(at.value, "at " + where, false))
      a.at = *r;
    return;
  }
  auto t = cal::parse_time_of_day(*s);
  if (const auto *e = std::get_if<cal::TextError>(&t)) {
    text_error(at.value, "at " + where, *s, *e, zh_bad_time);
    return;
  }
  const int minutes = std::get<int>(t);
  a.at = cal::TimeRange{minutes, minutes};
  a.at_exact = true;
}

// The items that name a person or a group, as written; each other one is an
// error naming the nearest known id. `noun` says what an item is ("attendee").
std::vector<std::string> Loader::people_and_groups(const std::vector<YAML::Node> &items,
                                                   const std::string &noun,
                                                   const std::string &where, const Plan &plan) {
  std::vector<std::string> out;
  for (const auto &item : items) {
    const std::string article =
        std::string("aeiou").find(noun.front()) != std::string::npos ? "an " : "a ";
    const auto s = text(item, article + noun + " " + where);
    if (!s)
      continue;
    if (!is_person(*s) && !plan.groups.contains(*s)) {
      std::vector<std::string> known;
      for (const auto &p : plan.people)
        known.push_back(p.id);
      for (const auto &[g, m] : plan.groups)
        known.push_back(g);
      error(item,
            both("未知的" + std::string(noun == "attendee" ? "参加者" : "人员") + " '" + *s + "'" +
                     zh_place(where) + "：不是已定义的人员或小组" + suggestion_zh(*s, known),
                 "unknown " + noun + " '" + *s + "' " + where + ": not a person or a group" +
                     suggestion(*s, known)));
      continue;
    }
    out.push_back(*s);
  }
  return out;
}

// attendees (people and groups, expanded) and room.
void Loader::load_people_and_room(const Fields &f, const std::string &where, const Plan &plan,
                                  Activity &a) {
  if (const Field *att = get(f, "attendees")) {
    if (const auto items = list(*att, "attendees " + where)) {
      a.attendees = people_and_groups(*items, "attendee", where, plan);
      a.people = expand(plan, a.attendees);
    }
  }
  if (const Field *r = get(f, "room")) {
    if (const auto s = text(*r, "room " + where)) {
      if (!room_lines_.contains(*s)) {
        std::vector<std::string> known;
        for (const auto &room : plan.rooms)
          known.push_back(room.id);
        error(*r, both("未知的地点 '" + *s + "'" + zh_place(where) + suggestion_zh(*s, known),
                       "unknown room '" + *s + "' " + where + suggestion(*s, known)));
      } else {
        a.room = *s;
      }
    }
  }
}

void Loader::load_reminders_and_busy(const Fields &f, const std::string &where, Activity &a) {
  if (const Field *r = get(f, "reminders"))
    if (const auto v = reminders(*r, where))
      a.reminders = *v;
  if (const Field *b = get(f, "busy"))
    if (const auto v = boolean(*b, "busy " + where))
      a.busy = *v;
}

void Loader::load_when(const Fields &f, const std::string &where, Activity &a) {
  const Field *when_field = get(f, "when");
  if (!when_field)
    return;
  a.when_pos = text_pos(when_field->value);
  std::string written;
  if (const auto w = window(when_field->value, "when " + where, written))
    a.when = *w;
  if (!written.empty())
    a.when_text = written;
}

void Loader::load_repeat(const Fields &f, const std::string &where, Activity &a) {
  const Field *r = get(f, "repeat");
  if (!r)
    return;
  a.repeat.pos = pos_of(*r);
  if (r->value.IsSequence())
    load_repeat_list(*r, where, a);
  else if (const auto s = text(*r, "repeat " + where))
    load_repeat_word(*r, *s, get(f, "when") != nullptr, where, a);
}

// repeat: [5月, 11月] — absolute windows, in date order.
void Loader::load_repeat_list(const Field &r, const std::string &where, Activity &a) {
  a.repeat.kind = Repeat::Kind::list;
  std::optional<cal::Date> previous_start;
  std::string previous_text;
  for (const auto &item : r.value) {
    std::string written;
    const auto w = window(item, "repeat window " + where, written);
    if (!w)
      continue;
    const auto *abs = std::get_if<cal::Window>(&*w);
    if (!abs) {
      error(item, both(zh_owner(where) + "repeat 时间窗口 '" + written +
                           "' 是相对的；请列出确定的时间窗口，例如 5月 或 2026-11-02..2026-11-13",
                       "repeat window '" + written + "' " + where +
                           " is relative; list absolute windows such as 5月 or "
                           "2026-11-02..2026-11-13"));
      continue;
    }
    if (previous_start && abs->dates.front() <= *previous_start) {
      error(item, both(zh_owner(where) + "repeat 的时间窗口应按日期先后排列：'" + written +
                           "' 没有在 '" + previous_text + "' 之后开始",
                       "repeat windows " + where + " must be in date order: '" + written +
                           "' does not start after '" + previous_text + "'"));
    }
    previous_start = abs->dates.front();
    previous_text = written;
    a.repeat.windows.push_back(*abs);
    a.repeat.texts.push_back(written);
  }
  if (r.value.size() == 0)
    error(r, both(zh_owner(where) + "repeat 是空列表：请列出时间窗口，例如 [5月, 11月]",
                  "repeat " + where + " is an empty list"));
}

// repeat: monthly / 每月 …, or a shorthand such as 每月初 (monthly + when:
// 月初).
void Loader::load_repeat_word(const Field &r, const std::string &s, bool has_when,
                              const std::string &where, Activity &a) {
  static const std::vector<std::pair<std::string, std::string>> shorthands = {
      {"每月初", "月初"}, {"每月中", "月中"}, {"每月底", "月底"}, {"每月末", "月末"}};
  a.repeat.text = s;
  const auto word = std::find_if(std::begin(repeat_words), std::end(repeat_words),
                                 [&](const auto &w) { return w.word == s; });
  if (word != std::end(repeat_words)) {
    a.repeat.kind = word->kind;
    return;
  }
  const auto shorthand = std::find_if(shorthands.begin(), shorthands.end(),
                                      [&](const auto &p) { return p.first == s; });
  if (shorthand == shorthands.end()) {
    std::vector<std::string> words;
    for (const auto &w : repeat_words)
      words.emplace_back(w.word);
    for (const auto &p : shorthands)
      words.push_back(p.first);
    error(r, both("未知的 repeat '" + s + "'" + zh_place(where) + suggestion_zh(s, words) +
                      "（可写 monthly/每月、quarterly/每季度、weekly/每周、biweekly/每两周、"
                      "half-yearly/每半年、每月初、每月中、每月底，或时间窗口的列表）",
                  "unknown repeat '" + s + "' " + where + suggestion(s, words) +
                      " (monthly/每月, quarterly/每季度, weekly/每周, "
                      "biweekly/每两周, half-yearly/每半年, 每月初, 每月中, 每月底, "
                      "or a list of windows)"));
    return;
  }
  a.repeat.kind = Repeat::Kind::monthly;
  if (has_when && std::holds_alternative<cal::RelativeWindow>(a.when)) {
    error(r,
          both(zh_owner(where) + "repeat '" + s + "' 已经说明了在月内什么时候（" +
                   shorthand->second + "），when '" + a.when_text +
                   "' 又说了一次：请写 repeat: monthly 加 when: " + a.when_text + "，或删去 when",
               "repeat '" + s + "' " + where + " already says when in the month (" +
                   shorthand->second + "), and when '" + a.when_text +
                   "' says it again: write repeat: monthly with when: " + a.when_text +
                   ", or drop when"));
    return;
  }
  if (!year_ok_)
    return;
  auto parsed = cal::parse_window(shorthand->second, {year_, &holidays_for_windows_});
  const auto *rel = std::get_if<cal::RelativeWindow>(&parsed);
  if (!rel)
    return;
  if (has_when) {
    // An absolute when bounds the months: keep the 月初 days inside it.
    if (const auto *abs = std::get_if<cal::Window>(&a.when))
      a.when = cal::intersect(cal::apply_relative_in_year(*rel, year_), *abs);
  } else {
    a.when = *rel;
    a.when_text = shorthand->second;
    a.when_pos = text_pos(r.value);
  }
}

// count: 4, or a range count: 2-3.
void Loader::load_count(const Fields &f, const std::string &where, Activity &a) {
  const Field *c = get(f, "count");
  if (!c)
    return;
  const std::string what = "count " + where;
  const std::string per_period_advice =
      "with repeat, count is per period (repeat: weekly, count: 2 is two a "
      "week)";
  const std::string per_period_advice_zh =
      "有 repeat 时，count 是每个周期的次数（repeat: weekly, count: 2 表示每周两次）";
  const std::string zh_what = zh_subject(what);
  if (c->value.IsScalar() && is_plain(c->value) &&
      c->value.Scalar().find('-') != std::string::npos && c->value.Scalar().front() != '-') {
    const std::string s = c->value.Scalar();
    const auto dash = s.find('-');
    const auto digits = [](const std::string &t) {
      return !t.empty() && t.size() <= 6 &&
             std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    };
    const std::string lo = s.substr(0, dash);
    const std::string hi = s.substr(dash + 1);
    if (!digits(lo) || !digits(hi)) {
      error(*c, both(zh_what + " '" + s + "' 应为数字（例如 4）或范围（例如 2-3）",
                     what + " '" + s + "' must be a number such as 4 or a range such as 2-3"));
      return;
    }
    const int min = std::stoi(lo);
    const int max = std::stoi(hi);
    if (min < 1 || min > max) {
      error(*c, both(zh_what + " '" + s + "' 应为从不小于 1 的数到更大的数的范围，例如 2-3",
                     what + " '" + s +
                         "' must be a range from at least 1 up to a larger number, "
                         "such as 2-3"));
      return;
    }
    if (max > max_count) {
      error(*c, both(zh_what + " '" + s + "' 最多到 " + std::to_string(max) + "，超过每个周期 " +
                         std::to_string(max_count) + " 次的上限：" + per_period_advice_zh,
                     what + " '" + s + "' goes up to " + std::to_string(max) +
                         ", more than the limit of " + std::to_string(max_count) +
                         " per period: " + per_period_advice));
      return;
    }
    a.has_count = true;
    a.count_min = min;
    a.count_max = max;
  } else if (const auto n = integer(*c, what)) {
    if (*n < 1) {
      error(*c, both(zh_what + " 至少为 1，实为 " + std::to_string(*n),
                     what + " must be at least 1, found " + std::to_string(*n)));
      return;
    }
    if (*n > max_count) {
      error(*c, both(zh_what + " 为 " + std::to_string(*n) + "，超过每个周期 " +
                         std::to_string(max_count) + " 次的上限：" + per_period_advice_zh,
                     what + " is " + std::to_string(*n) + ", more than the limit of " +
                         std::to_string(max_count) + " per period: " + per_period_advice));
      return;
    }
    a.has_count = true;
    a.count_min = a.count_max = static_cast<int>(*n);
  }
}

// rrule: fixed dates, which exclude repeat and count and need an exact start.
void Loader::load_rrule(const Fields &f, const std::string &where, Activity &a) {
  const Field *r = get(f, "rrule");
  if (!r)
    return;
  const auto s = text(*r, "rrule " + where);
  if (!s)
    return;
  if (s->size() > max_rrule_chars) {
    error(*r, both(zh_owner(where) + "rrule 有 " + std::to_string(s->size()) + " 个字符；最多读 " +
                       std::to_string(max_rrule_chars) + " 个（例如 FREQ=MONTHLY;BYDAY=1MO）",
                   "rrule " + where + " is " + std::to_string(s->size()) +
                       " characters long; at most " + std::to_string(max_rrule_chars) +
                       " are read (e.g. FREQ=MONTHLY;BYDAY=1MO)"));
    return;
  }
  icalerror_clear_errno();
  const icalrecurrencetype rule = icalrecurrencetype_from_string(s->c_str());
  if (rule.freq == ICAL_NO_RECURRENCE) {
    error(*r, both(zh_owner(where) + "rrule '" + *s +
                       "' 不是 RFC 5545 重复规则（例如 FREQ=MONTHLY;BYDAY=1MO）",
                   "rrule '" + *s + "' " + where +
                       " is not an RFC 5545 recurrence rule (e.g. "
                       "FREQ=MONTHLY;BYDAY=1MO)"));
    return;
  }
  // An activity happens at most once a day, at `at`: a rule that repeats
  // within a day would only be cut back (and costs libical a step a second).
  if (rule.freq < ICAL_DAILY_RECURRENCE || rule.by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX ||
      rule.by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX ||
      rule.by_second[0] != ICAL_RECURRENCE_ARRAY_MAX) {
    error(*r, both(zh_owner(where) + "rrule '" + *s +
                       "' 在一天之内重复（FREQ=HOURLY/MINUTELY/SECONDLY 或 BYHOUR/BYMINUTE/"
                       "BYSECOND）；活动一天最多一次，在 `at` 的时刻：请用 FREQ=DAILY 或更粗的频率",
                   "rrule '" + *s + "' " + where +
                       " repeats within a day (FREQ=HOURLY/MINUTELY/SECONDLY or BYHOUR/BYMINUTE/"
                       "BYSECOND); an activity occurs once a day, at its `at` time: use "
                       "FREQ=DAILY or coarser"));
    return;
  }
  a.rrule = *s;
  if (a.repeat.kind != Repeat::Kind::none || a.has_count)
    error(*r, both(zh_owner(where) + "rrule 自己规定了日期：请删去 repeat 和 count",
                   "rrule " + where + " fixes the dates itself: drop repeat and count"));
  if (!a.all_day && !(a.at && a.at_exact))
    error(*r, both(zh_owner(where) + "rrule 需要在 at 中写确切的开始时刻（例如 at: \"09:30\"），"
                                     "全天活动除外",
                   "rrule " + where +
                       " needs an exact start time in at (e.g. at: \"09:30\") "
                       "unless the activity is all-day"));
}

// Periods × count, from the window's dates: an upper bound on what
// occurrence expansion makes of the activity (an rrule: one a day at most).
long Loader::estimated_occurrences(const Activity &a) const {
  // A relative when (月初, tue) applies inside each period of the whole year.
  const auto *abs = std::get_if<cal::Window>(&a.when);
  const std::vector<cal::Date> &dates = abs ? abs->dates : whole_year_->dates;
  if (!a.rrule.empty())
    return static_cast<long>(dates.size());
  const auto period_of = [&](cal::Date d) -> long {
    const date::year_month_day ymd{d};
    const auto month = static_cast<long>(static_cast<unsigned>(ymd.month()));
    switch (a.repeat.kind) {
    case Repeat::Kind::weekly:
    case Repeat::Kind::biweekly: // a Monday's day number names its ISO week
      return (d - date::days{(cal::weekday_index(d) + 6) % 7}).time_since_epoch().count();
    case Repeat::Kind::monthly:
      return month;
    case Repeat::Kind::quarterly:
      return (month - 1) / 3;
    case Repeat::Kind::half_yearly:
      return (month - 1) / 6;
    case Repeat::Kind::none:
    case Repeat::Kind::list:
      break;
    }
    return 0;
  };
  long periods = 1;
  if (a.repeat.kind == Repeat::Kind::list) {
    periods = static_cast<long>(a.repeat.windows.size());
  } else if (a.repeat.kind != Repeat::Kind::none) {
    std::set<long> seen;
    for (const auto d : dates)
      seen.insert(period_of(d));
    periods = static_cast<long>(seen.size());
    if (a.repeat.kind == Repeat::Kind::biweekly)
      periods = (periods + 1) / 2;
  }
  return periods * a.count_max;
}

void Loader::check_occurrence_budget(const Fields &f, const Activity &a) {
  if (!year_ok_ || estimated_occurrences_ > max_occurrences)
    return; // no year to count in, or already reported
  estimated_occurrences_ += estimated_occurrences(a);
  if (estimated_occurrences_ <= max_occurrences)
    return;
  const Field *c = get(f, "count");
  const Field *r = get(f, "repeat");
  const SourcePos p = c ? pos_of(*c) : r ? pos_of(*r) : a.pos;
  error(p, both("活动 '" + a.id + "' 使计划达到约 " + std::to_string(estimated_occurrences_) +
                    " 次（周期数 × count），超过每个计划 " + std::to_string(max_occurrences) +
                    " 次的上限：请减少 count、降低重复频率，或拆分计划",
                "activity '" + a.id + "' brings the plan to about " +
                    std::to_string(estimated_occurrences_) +
                    " occurrences (periods × count), more than the limit of " +
                    std::to_string(max_occurrences) +
                    " per plan: lower its count, repeat it less often, or split the "
                    "plan"));
}

// min_gap and max_gap between occurrences; after and before other activities.
void Loader::load_gaps_and_order(const Fields &f, const std::string &where, std::size_t index,
                                 Activity &a) {
  std::optional<long> min_gap;
  if (const Field *g = get(f, "min_gap"))
    if ((min_gap = gap(*g, "min_gap", where)))
      a.min_gap_minutes = min_gap;
  if (const Field *g = get(f, "max_gap")) {
    if (const auto v = gap(*g, "max_gap", where)) {
      a.max_gap_minutes = v;
      if (min_gap && *v < *min_gap)
        error(*g, both(zh_owner(where) + "max_gap 比 min_gap 短",
                       "max_gap " + where + " is shorter than its min_gap"));
    }
  }
  if (const Field *o = get(f, "after"))
    load_order(*o, false, index, where);
  if (const Field *o = get(f, "before"))
    load_order(*o, true, index, where);
}

void Loader::load_preferences(const Fields &f, const std::string &where, Activity &a) {
  const Field *p = get(f, "prefer");
  if (!p)
    return;
  const Fields pf = fields(p->value, prefer_keys, "in prefer " + where);
  if (const Field *w = get(pf, "weekdays"))
    if (const auto days = weekdays(*w, "prefer.weekdays " + where))
      a.prefer.weekdays = *days;
  if (const Field *t = get(pf, "time"))
    if (const auto r = time_range(t->value, "prefer.time " + where, true))
      a.prefer.time = *r;
}

LoadResult Loader::run() {
  LoadResult result;
  const std::optional<YAML::Node> parsed =
      parse_root("a plan needs no more than 5", "计划最多需要 5 层");
  if (!parsed) {
    result.errors = std::move(errors_);
    return result;
  }
  const YAML::Node root = *parsed;
  Plan plan;
  plan.file = file_;
  if (root.IsNull()) {
    error(SourcePos{1, 1}, both("计划是空的：至少需要 plan（标题）、year 和 activities",
                                "the plan is empty: it needs at least plan (a title), "
                                "year and activities"));
    result.errors = std::move(errors_);
    return result;
  }
  const Fields top = fields(root, top_keys, "at the top of the plan");
  if (!root.IsMap()) {
    result.errors = std::move(errors_);
    return result;
  }
  if (const Field *p = get(top, "plan")) {
    if (const auto s = text(*p, "plan (the title)")) {
      if (s->empty())
        error(*p, both("plan（标题）是空的：例如 plan: 党支部 2026 年工作计划",
                       "plan (the title) is empty"));
      plan.title = *s;
    }
  } else {
    error(root, both("缺少键 'plan'：计划的标题，例如 plan: 党支部 2026 年工作计划",
                     "missing key 'plan': the plan's title, e.g. plan: 党支部 2026 年工作计划"));
  }
  plan.id = default_plan_id(file_);
  if (const Field *id = get(top, "id")) {
    if (const auto s = text(*id, "id")) {
      if (!is_slug(*s))
        error(*id,
              both("计划 id '" + *s + "' 只能用小写字母、数字、_ 和 -（例如 branch-2026）",
                   "plan id '" + *s + "' may use only a-z, 0-9, '_' and '-' (e.g. branch-2026)"));
      else
        plan.id = *s;
    }
  }
  if (const Field *y = get(top, "year")) {
    if (const auto n = integer(*y, "year")) {
      if (*n < 1900 || *n > 2200) {
        error(*y, both("year " + std::to_string(*n) + " 超出范围 1900–2200",
                       "year " + std::to_string(*n) + " is out of range 1900–2200"));
      } else {
        year_ = static_cast<int>(*n);
        year_ok_ = true;
      }
    }
  } else {
    error(root, both("缺少键 'year'：计划所在的年份，例如 year: 2026",
                     "missing key 'year': the year the plan's windows resolve in, e.g. "
                     "year: 2026"));
  }
  plan.year = year_;
  if (const Field *tz = get(top, "timezone")) {
    if (const auto s = text(*tz, "timezone")) {
      if (!cal::is_known_zone(*s))
        error(*tz,
              both("未知的时区 '" + *s + "'：请写 IANA 时区名，例如 Asia/Shanghai",
                   "unknown time zone '" + *s + "': write an IANA name such as Asia/Shanghai"));
      plan.timezone = *s;
    }
  }
  load_calendar(top, plan);
  load_people(top, plan);
  load_groups(top, plan);
  load_defaults(top, plan);
  load_replan(top, plan);
  if (const Field *acts = get(top, "activities")) {
    if (const auto items = list(*acts, "activities")) {
      if (items->size() > max_activities)
        error((*items)[max_activities],
              both("计划有 " + std::to_string(items->size()) + " 项活动，超过上限 " +
                       std::to_string(max_activities) + "：请拆成几个计划",
                   "the plan has " + std::to_string(items->size()) +
                       " activities, more than the limit of " + std::to_string(max_activities) +
                       ": split it into several plans"));
      for (std::size_t i = 0; i < std::min(items->size(), max_activities); ++i)
        load_activity((*items)[i], i, plan);
    }
  }
  resolve_orders(plan);
  load_assessment(top, plan);
  if (year_ok_)
    plan.warnings = plan.calendar.coverage_warnings(year_);
  plan.warnings.insert(plan.warnings.end(), warnings_.begin(), warnings_.end());

  std::stable_sort(errors_.begin(), errors_.end(), [](const Diagnostic &a, const Diagnostic &b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  result.errors = std::move(errors_);
  if (result.errors.empty()) {
    plan.index_activities();
    result.plan = std::move(plan);
  }
  return result;
}

} // namespace

std::string Diagnostic::to_string() const {
  if (line <= 0)
    return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

std::string default_plan_id(const std::string &file) {
  const std::string stem = std::filesystem::path(file).stem().string();
  std::string id;
  bool in_run = false;
  for (const char raw : stem) {
    char c = raw;
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
      id += c;
      in_run = false;
    } else if (!in_run) {
      id += '-';
      in_run = true;
    }
  }
  const auto first = id.find_first_not_of('-');
  if (first == std::string::npos)
    return "plan";
  const auto last = id.find_last_not_of('-');
  return id.substr(first, last - first + 1);
}

LoadResult load_plan(std::string_view text, const std::string &file,
                     const std::filesystem::path &data_dir,
                     const calendar::HolidayOverlay &holidays) {
  // An editor's byte-order mark is invisible: columns count from after it.
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    text.remove_prefix(3);
  Loader loader(text, file, data_dir, holidays);
  return loader.run();
}

LoadResult load_plan_file(const std::filesystem::path &path,
                          const std::filesystem::path &data_dir) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    result.errors.push_back({path.string(), 0, 0,
                             exists ? detail::both("无法读取计划文件", "cannot read the plan file")
                                    : detail::both("计划文件不存在", "no such plan file")});
    return result;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return load_plan(buffer.str(), path.string(), data_dir);
}

} // namespace xun::scheduler
