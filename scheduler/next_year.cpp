#include "scheduler/next_year.hpp"

#include "calendar/dates.hpp"
#include "calendar/time_of_day.hpp"
#include "calendar/windows.hpp"

#include "scheduler/yaml_document.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace xun::scheduler {

namespace {

namespace cal = xun::calendar;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Where `year` is written as a number of its own in `s` (not inside 20261).
std::vector<std::size_t> year_mentions(std::string_view s, int year) {
  const std::string digits = std::to_string(year);
  std::vector<std::size_t> out;
  for (auto at = s.find(digits); at != std::string_view::npos; at = s.find(digits, at + 1)) {
    const bool before = at > 0 && is_digit(s[at - 1]);
    const bool after = at + digits.size() < s.size() && is_digit(s[at + digits.size()]);
    if (!before && !after)
      out.push_back(at);
  }
  return out;
}

// What kind of day it is, in Chinese and in English.
struct DayKindText {
  std::string_view zh;
  std::string_view en;
};
DayKindText day_kind_texts(cal::DayKind kind) {
  switch (kind) {
  case cal::DayKind::workday:
    return {"工作日", "a working day"};
  case cal::DayKind::weekend:
    return {"周末", "a weekend day"};
  case cal::DayKind::holiday:
    return {"法定节假日（放假）", "a public holiday (day off)"};
  case cal::DayKind::makeup_workday:
    return {"调休上班日", "a make-up working day (调休)"};
  case cal::DayKind::closed:
    return {"计划的停办日", "a closed day of the plan"};
  case cal::DayKind::opened:
    return {"计划额外的工作日", "an extra working day of the plan"};
  }
  return {"一天", "a day"};
}
std::string day_kind_text(cal::DayKind kind) { return std::string(day_kind_texts(kind).en); }
std::string day_kind_text_zh(cal::DayKind kind) { return std::string(day_kind_texts(kind).zh); }

class Turn {
public:
  Turn(std::string_view text, const Plan &plan, std::string output_file)
      : text_(text), plan_(plan), file_(std::move(output_file)), old_(plan.year),
        new_(plan.year + 1) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i)
      if (text_[i] == '\n')
        line_starts_.push_back(i + 1);
  }

  void run(const YAML::Node &root);
  std::string edited() const;
  std::vector<Diagnostic> problems;
  std::vector<Diagnostic> warnings;

private:
  SourcePos at(std::size_t byte) const {
    const auto line = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte) - 1;
    int column = 1;
    for (std::size_t i = *line; i < byte && i < text_.size(); ++i)
      column += (static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80 ? 1 : 0;
    return {static_cast<int>(line - line_starts_.begin()) + 1, column};
  }
  SourcePos at(const YAML::Node &node) const {
    return node.Mark().pos >= 0 ? at(static_cast<std::size_t>(node.Mark().pos)) : SourcePos{};
  }
  // Where a scalar's characters start, when they are written as they read
  // (plain or quoted without escapes, on one line); else nothing.
  std::optional<std::size_t> verbatim(const YAML::Node &node) const {
    if (!node.IsScalar() || node.Mark().pos < 0)
      return std::nullopt;
    std::size_t start = static_cast<std::size_t>(node.Mark().pos);
    if (start < text_.size() && (text_[start] == '"' || text_[start] == '\''))
      ++start;
    const std::string &value = node.Scalar();
    if (text_.compare(start, value.size(), value) != 0)
      return std::nullopt;
    return start;
  }
  // The position of the first mention of the old year in a scalar, else of the scalar.
  SourcePos mention_pos(const YAML::Node &node) const {
    const auto start = verbatim(node);
    const auto mentions = year_mentions(node.Scalar(), old_);
    return start && !mentions.empty() ? at(*start + mentions.front()) : at(node);
  }
  void problem(SourcePos p, std::string message) {
    problems.push_back({file_, p.line, p.column, std::move(message)});
  }
  void warning(SourcePos p, std::string message) {
    warnings.push_back({file_, p.line, p.column, std::move(message)});
  }
  bool mentions_old_year(const YAML::Node &node) const {
    return node && node.IsScalar() && !year_mentions(node.Scalar(), old_).empty();
  }

  void change_year(const YAML::Node &node, const std::string &what);
  void check_day_lists(const YAML::Node &calendar);
  void check_activity(const YAML::Node &node, const Activity &a);
  void check_window(const YAML::Node &node, const std::string &what, const Activity &a);
  void check_fixed_day(const YAML::Node &when, const Activity &a);
  void check_rrule(const YAML::Node &node, const Activity &a);
  std::pair<std::string, std::string> same_day_hint(const std::string &iso) const;

  std::string_view text_;
  const Plan &plan_;
  std::string file_;
  int old_;
  int new_;
  std::vector<std::size_t> line_starts_;
  std::vector<std::size_t> edits_; // byte offsets of old-year digits to rewrite
};

// The year itself, and the year inside the plan's title and id: 2026 → 2027.
void Turn::change_year(const YAML::Node &node, const std::string &what) {
  if (!mentions_old_year(node))
    return;
  const auto start = verbatim(node);
  if (!start) {
    warning(at(node),
            detail::both(what + " 提到了 " + std::to_string(old_) +
                             "，但没有按原样写在一行里：请手动改为 " + std::to_string(new_),
                         what + " mentions " + std::to_string(old_) +
                             " but is not written on one line as it reads: change it "
                             "to " +
                             std::to_string(new_) + " by hand"));
    return;
  }
  for (const auto offset : year_mentions(node.Scalar(), old_))
    edits_.push_back(*start + offset);
}

void Turn::check_day_lists(const YAML::Node &calendar) {
  if (!calendar || !calendar.IsMap())
    return;
  for (const char *key : {"closed", "open"}) {
    const YAML::Node days = calendar[key];
    if (!days || !days.IsSequence())
      continue;
    const std::string verb = std::string(key) == "closed" ? "close" : "open";
    for (const auto &item : days)
      if (mentions_old_year(item))
        problem(mention_pos(item),
                detail::both(std::string("calendar.") + key + " '" + item.Scalar() + "' 写的是 " +
                                 std::to_string(old_) + " 年的日子，在 " + std::to_string(new_) +
                                 " 年不起作用：请写 " + std::to_string(new_) + " 年的日子，或删去",
                             std::string("calendar.") + key + " '" + item.Scalar() +
                                 "' names days of " + std::to_string(old_) + ", which " + verb +
                                 " nothing in " + std::to_string(new_) + ": write the " +
                                 std::to_string(new_) + " days, or remove it"));
  }
}

// "2027-03-24 is a 周三, a working day": what the same day is in the new year,
// in Chinese and in English ("" and "" for a text that is not one day).
std::pair<std::string, std::string> Turn::same_day_hint(const std::string &iso) const {
  const auto day = cal::parse_iso_date(iso);
  if (!day || iso.size() != 10)
    return {};
  const std::string next = std::to_string(new_);
  const std::string month_day =
      std::to_string(cal::month_of(*day)) + "月" + std::to_string(cal::day_of(*day)) + "日";
  const date::year_month_day ymd{date::year{new_}, date::month{cal::month_of(*day)},
                                 date::day{cal::day_of(*day)}};
  if (!ymd.ok())
    return {"（" + next + " 年没有 " + month_day + "）",
            " (" + next + " has no " + month_day + ")"};
  const cal::Date same = date::sys_days{ymd};
  const std::string weekday(cal::chinese_weekday_name(cal::weekday_index(same)));
  const cal::DayKind kind = plan_.calendar.classify(same);
  return {
      "（" + cal::format_iso_date(same) + " 是" + weekday + "，" + day_kind_text_zh(kind) + "）",
      " (" + cal::format_iso_date(same) + " is a " + weekday + ", " + day_kind_text(kind) + ")"};
}

void Turn::check_window(const YAML::Node &node, const std::string &what, const Activity &a) {
  if (!mentions_old_year(node))
    return;
  const std::string &s = node.Scalar();
  const auto day = cal::parse_iso_date(s);
  const std::string without_year =
      day && s.size() == 10
          ? std::to_string(cal::month_of(*day)) + "月" + std::to_string(cal::day_of(*day)) + "日"
          : "2月下旬, 5月4日";
  const auto hint = same_day_hint(s);
  problem(mention_pos(node),
          detail::both("活动 '" + a.id + "' 的 " + (what == "when" ? what : "repeat 时间窗口") +
                           " '" + s + "' 写的是 " + std::to_string(old_) + " 年的日期，在 " +
                           std::to_string(new_) + " 年里是空的：请写 " + std::to_string(new_) +
                           " 年的日期" + hint.first + "，或不带年份的时间窗口（" + without_year +
                           "）",
                       what + " '" + s + "' in activity '" + a.id + "' names dates of " +
                           std::to_string(old_) + ", so in " + std::to_string(new_) +
                           " it is empty: write the " + std::to_string(new_) + " dates" +
                           hint.second + ", or a window without a year (" + without_year + ")"));
}

// A fixed event on a day named without a year (5月4日 at 09:00) keeps its
// date, but the day may now be a weekend or a holiday.
void Turn::check_fixed_day(const YAML::Node &when, const Activity &a) {
  const bool single_day = std::holds_alternative<cal::Window>(a.when) &&
                          std::get<cal::Window>(a.when).dates.size() == 1;
  if (!a.at || !a.at_exact || !single_day || !when.IsScalar() || mentions_old_year(when))
    return;
  const auto parsed = cal::parse_window(when.Scalar(), {new_, &plan_.calendar.holidays});
  const auto *w = std::get_if<cal::Window>(&parsed);
  if (!w || w->dates.size() != 1)
    return; // an impossible day (2月29日) is the loader's to report
  const cal::Date day = w->dates.front();
  const cal::DayKind kind = plan_.calendar.classify(day);
  if (plan_.calendar.is_working_day(day))
    return;
  const std::string weekday(cal::chinese_weekday_name(cal::weekday_index(day)));
  problem(
      at(when),
      detail::both("活动 '" + a.id + "' 固定在 " + when.Scalar() + " " +
                       cal::format_time_of_day(a.at->from) + "，这一天在 " + std::to_string(new_) +
                       " 年是" + weekday + "，" + day_kind_text_zh(kind) + "：请确认 " +
                       std::to_string(new_) + " 年的日期，写在 when 中",
                   "activity '" + a.id + "' is fixed on " + when.Scalar() + " at " +
                       cal::format_time_of_day(a.at->from) + ", which in " + std::to_string(new_) +
                       " is a " + weekday + ", " + day_kind_text(kind) + ": confirm the event's " +
                       std::to_string(new_) + " date and write it in when"));
}

// UNTIL (or a DTSTART written into the rule) in the old year ends the rule
// before the new year begins.
void Turn::check_rrule(const YAML::Node &node, const Activity &a) {
  if (!node || !node.IsScalar())
    return;
  const std::string &rule = node.Scalar();
  const std::string digits = std::to_string(old_);
  for (const char *part : {"UNTIL=", "DTSTART="}) {
    const auto key = rule.find(part);
    if (key == std::string::npos)
      continue;
    const std::size_t value = key + std::string_view(part).size();
    if (rule.compare(value, digits.size(), digits) != 0)
      continue;
    const auto start = verbatim(node);
    const std::string name(part, std::string_view(part).size() - 1);
    const std::string next = std::to_string(new_);
    problem(start ? at(*start + value) : at(node),
            detail::both("活动 '" + a.id + "' 的 rrule " + name + " 在 " + digits + " 年" +
                             (name == "UNTIL"
                                  ? "，规则在 " + next + " 年不给出任何日期：请把 UNTIL 改到 " +
                                        next + " 年，或删去"
                                  : "：请改到 " + next + " 年，或删去"),
                         "rrule " + name + " in activity '" + a.id + "' is in " + digits +
                             (name == "UNTIL" ? ", so the rule gives no dates in " + next +
                                                    ": move UNTIL into " + next + " or drop it"
                                              : ": move it into " + next + " or drop it")));
  }
}

void Turn::check_activity(const YAML::Node &node, const Activity &a) {
  if (!node || !node.IsMap())
    return;
  if (const YAML::Node when = node["when"]) {
    check_window(when, "when", a);
    check_fixed_day(when, a);
  }
  if (const YAML::Node repeat = node["repeat"]; repeat && repeat.IsSequence())
    for (const auto &item : repeat)
      check_window(item, "repeat window", a);
  if (const YAML::Node rrule = node["rrule"])
    check_rrule(rrule, a);
  for (const char *key : {"title", "description"})
    if (const YAML::Node text = node[key]; text && mentions_old_year(text))
      warning(mention_pos(text),
              detail::both("活动 '" + a.id + "' 的 " + key + " 提到了 " + std::to_string(old_) +
                               "：请检查 " + std::to_string(new_) + " 年的计划是否应写 " +
                               std::to_string(new_),
                           std::string(key) + " of activity '" + a.id + "' mentions " +
                               std::to_string(old_) + ": check whether the " +
                               std::to_string(new_) + " plan should say " + std::to_string(new_)));
}

void Turn::run(const YAML::Node &root) {
  change_year(root["year"], "year");
  change_year(root["plan"], "the plan's title");
  if (const YAML::Node id = root["id"])
    change_year(id, "the plan's id");
  if (const YAML::Node calendar = root["calendar"])
    check_day_lists(calendar);
  const YAML::Node activities = root["activities"];
  if (activities && activities.IsSequence())
    for (std::size_t i = 0; i < activities.size() && i < plan_.activities.size(); ++i)
      check_activity(activities[i], plan_.activities[i]);
}

std::string Turn::edited() const {
  std::string out(text_);
  const std::string digits = std::to_string(new_);
  for (const auto offset : edits_)
    out.replace(offset, digits.size(), digits);
  return out;
}

bool by_position(const Diagnostic &a, const Diagnostic &b) {
  return std::tie(a.line, a.column) < std::tie(b.line, b.column);
}

} // namespace

NextYear next_year(std::string_view text, const std::string &file, const std::string &output_file,
                   const std::filesystem::path &data_dir) {
  NextYear out;
  LoadResult loaded = load_plan(text, file, data_dir);
  if (!loaded.plan) {
    out.errors = std::move(loaded.errors);
    return out;
  }
  const Plan &plan = *loaded.plan;
  out.year = plan.year + 1;
  if (plan.year + 1 > 9999) {
    out.errors.push_back({file, 0, 0,
                          detail::both(std::to_string(plan.year) + " 年没有下一年",
                                       "year " + std::to_string(plan.year) + " has no next year")});
    return out;
  }
  // The loader read past a byte-order mark; so do the positions here.
  const bool bom = text.substr(0, 3) == "\xEF\xBB\xBF";
  const std::string_view body = bom ? text.substr(3) : text;
  Turn turn(body, plan, output_file);
  turn.run(YAML::Load(std::string(body)));
  out.text = (bom ? std::string("\xEF\xBB\xBF") : std::string()) + turn.edited();
  out.problems = std::move(turn.problems);
  out.warnings = std::move(turn.warnings);

  // Whatever else the new plan's loader refuses is a problem too, unless a
  // problem on its line already says why.
  std::set<int> flagged;
  for (const auto &p : out.problems)
    flagged.insert(p.line);
  const LoadResult next = load_plan(*out.text, output_file, data_dir);
  for (const auto &e : next.errors)
    if (!flagged.contains(e.line))
      out.problems.push_back(e);
  for (const auto &w : plan.calendar.coverage_warnings(out.year))
    out.warnings.push_back({output_file, 0, 0, w});
  std::stable_sort(out.problems.begin(), out.problems.end(), by_position);
  std::stable_sort(out.warnings.begin(), out.warnings.end(), by_position);
  return out;
}

} // namespace xun::scheduler
