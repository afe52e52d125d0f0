#include "calendar/windows.hpp"

#include "calendar/edit_distance.hpp"
#include "calendar/festivals.hpp"
#include "calendar/window_scanner.hpp"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <utility>

namespace xun::calendar {

namespace {

using detail::WindowScanner;
using detail::WindowSyntaxError;
using Number = WindowScanner::Number;

// Spellings offered when a window cannot be read: the nearest two or three
// to what was written, with its month and day put in ({m}, {n}, {d}).
constexpr std::array<std::string_view, 27> kChineseSpellings{
    "{m}月",      "{m}月底",      "{m}月初",      "{m}月中",      "{m}月份",
    "{m}月{d}日", "{m}月上旬",    "{m}月中旬",    "{m}月下旬",    "{m}月中、下旬",
    "{m}月底前",  "{m}月{d}日前", "{m}-{n}月",    "{m}月至{n}月", "{m}月上旬至{n}月中旬",
    "第一季度",   "上半年",       "下半年",       "全年",         "年底",
    "春节前",     "国庆节后",     "国庆节后一周", "七一前",       "月初",
    "季末",       "第10周"};
constexpr std::array<std::string_view, 12> kEnglishSpellings{
    "{M}",     "{M} {d}", "early {M}", "mid {M}",  "late {M}", "end of {M}",
    "{M}-{N}", "Q1",      "H1",        "all year", "week 10",  "before 国庆"};

constexpr std::string_view kShortExamples = "5月4日, 2月下旬, 5-7月, 第一季度, 全年, 春节前";

// The thirds of a month (旬): 上旬 1–10, 中旬 11–20, 下旬 21 to the month's
// end.
constexpr std::array<std::pair<unsigned, unsigned>, 3> kThirds{{{1, 10}, {11, 20}, {21, 31}}};

// An absolute window before it is clipped to the plan year.
struct Piece {
  std::vector<DateRange> ranges;
  Prefer prefer = Prefer::none;
  std::optional<Date> target;
};

Piece piece_of(DateRange range) { return Piece{{range}, Prefer::none, std::nullopt}; }

unsigned month_length(int year, unsigned month) { return day_of(last_day_of_month(year, month)); }

// Days first..last of the month; days past its end do not exist (下旬 of
// February ends on the 28th or 29th).
DateRange month_days(int year, unsigned month, unsigned first, unsigned last) {
  return {make_date(year, month, first),
          make_date(year, month, std::min(last, month_length(year, month)))};
}

// The soft edges of a month: 初 1–10 early, 中 11–20 middle (the 15th), 底
// 21–end late.
Piece soft_edge(int year, unsigned month, Prefer prefer) {
  const auto third = prefer == Prefer::early ? 0 : prefer == Prefer::middle ? 1 : 2;
  Piece piece{
      {month_days(year, month, kThirds[third].first, kThirds[third].second)}, prefer, std::nullopt};
  if (prefer == Prefer::middle) {
    piece.target = make_date(year, month, 15);
  }
  return piece;
}

Date iso_week1_monday(int year) {
  const Date jan4 = make_date(year, 1, 4);
  const unsigned from_monday = (weekday_index(jan4) + 6) % 7;
  return jan4 - date::days{from_monday};
}

int iso_weeks_in_year(int year) {
  return static_cast<int>((iso_week1_monday(year + 1) - iso_week1_monday(year)).count() / 7);
}

std::string month_text(int year, unsigned month) {
  return std::string(english_month_name(month)) + " " + std::to_string(year);
}

std::string range_text(DateRange range) {
  return format_iso_date(range.first) + ".." + format_iso_date(range.last);
}

// English weekday words, Sunday = 0 as in weekday_index.
std::optional<unsigned> english_weekday(std::string_view word) {
  static constexpr std::array<std::array<std::string_view, 4>, 7> names{{
      {"sun", "sunday", "", ""},
      {"mon", "monday", "", ""},
      {"tue", "tues", "tuesday", ""},
      {"wed", "weds", "wednesday", ""},
      {"thu", "thur", "thurs", "thursday"},
      {"fri", "friday", "", ""},
      {"sat", "saturday", "", ""},
  }};
  for (unsigned i = 0; i < names.size(); ++i) {
    for (auto name : names[i]) {
      if (!name.empty() && name == word) {
        return i;
      }
    }
  }
  return std::nullopt;
}

std::optional<unsigned> english_month(std::string_view word) {
  for (unsigned i = 0; i < 12; ++i) {
    std::string full(english_month_name(i + 1));
    full[0] = static_cast<char>(full[0] - 'A' + 'a');
    if (word == full || word == full.substr(0, 3) || (i == 8 && word == "sept")) {
      return i + 1;
    }
  }
  return std::nullopt;
}

class Parser {
public:
  Parser(std::string_view text, const WindowContext &context)
      : s_(text), context_(context), year_(context.year) {}

  std::variant<Window, RelativeWindow> parse() {
    if (s_.at_end()) {
      fail(1, "the window is empty; write for example " + std::string(kShortExamples),
           "时间窗口是空的；例如写 " + std::string(kShortExamples));
    }
    reject_ambiguous();
    reject_time_of_day();
    if (auto relative = whole([&] { return relative_window(); })) {
      return *relative;
    }
    if (auto window = whole([&] { return festival_window(); })) {
      return *window;
    }
    return absolute_window();
  }

private:
  WindowScanner s_;
  const WindowContext &context_;
  int year_;

  [[noreturn]] static void fail(std::size_t column, std::string message, std::string zh = {}) {
    throw WindowSyntaxError{column, std::move(message), std::move(zh)};
  }

  // One short message and the spellings nearest to what was written.
  [[noreturn]] void fail_unknown() const {
    const auto column = s_.furthest_column();
    const std::string written = s_.original();
    std::string en = "cannot read \"" + written + "\" as a window";
    std::string zh = "无法识别时间窗口“" + written + "”";
    if (column > 1) {
      const std::string rest = s_.original(column - 1, s_.size());
      en += " from \"" + rest + "\" on";
      zh += "（从“" + rest + "”起）";
    }
    std::string en_list;
    std::string zh_list;
    for (const auto &spelling : nearest_spellings(written, spellings_like(written), 3)) {
      en_list += (en_list.empty() ? "" : ", ") + spelling;
      zh_list += (zh_list.empty() ? "" : "、") + spelling;
    }
    fail(column, en + "; nearest spellings: " + en_list, zh + "；最接近的写法：" + zh_list);
  }

  // The spelling templates with the text's own month and day filled in, so
  // that "6月低" is offered 6月底 rather than 2月下旬.
  static std::vector<std::string> spellings_like(const std::string &written) {
    WindowScanner scan(written);
    std::vector<int> numbers;
    for (std::size_t p = 0; p < scan.size() && numbers.size() < 2; ++p) {
      scan.reset(p);
      if (const auto n = scan.number()) {
        numbers.push_back(n->value);
        p = scan.position() - 1;
      }
    }
    const int month = !numbers.empty() && numbers[0] >= 1 && numbers[0] <= 12 ? numbers[0] : 5;
    const int day = numbers.size() > 1 && numbers[1] >= 1 && numbers[1] <= 28 ? numbers[1] : 1;
    const int next = month == 12 ? 12 : month + 1;
    const bool english = std::any_of(written.begin(), written.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
    const auto fill = [&](std::string_view pattern) {
      std::string out;
      for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}') {
          const char key = pattern[i + 1];
          out += key == 'm'   ? std::to_string(month)
                 : key == 'n' ? std::to_string(next)
                 : key == 'd' ? std::to_string(day)
                 : key == 'M' ? std::string(english_month_name(static_cast<unsigned>(month)))
                              : std::string(english_month_name(static_cast<unsigned>(next)));
          i += 2;
        } else {
          out += pattern[i];
        }
      }
      return out;
    };
    std::vector<std::string> out;
    if (english)
      for (const auto pattern : kEnglishSpellings)
        out.push_back(fill(pattern));
    for (const auto pattern : kChineseSpellings)
      out.push_back(fill(pattern));
    return out;
  }

  // Runs one reading of the text; when it does not fit, the scanner goes back
  // to where it was so that the next reading starts from the same place.
  template <class F> auto attempt(F &&reading) -> decltype(reading()) {
    const auto saved = s_.position();
    auto result = reading();
    if (!result) {
      s_.reset(saved);
    }
    return result;
  }

  // A reading that must take the whole text.
  template <class F> auto whole(F &&reading) -> decltype(reading()) {
    return attempt([&]() -> decltype(reading()) {
      auto result = reading();
      if (result && !s_.at_end()) {
        return std::nullopt;
      }
      return result;
    });
  }

  // ---- words shared by several forms --------------------------------------

  bool range_connector() {
    return s_.accept(U"..") || s_.accept_one_of(U"-至到") != 0 || s_.accept_word("to") ||
           s_.accept_word("through") || s_.accept_word("thru") || s_.accept_word("until");
  }

  bool list_separator() { return s_.accept_one_of(U"、,;/和及") != 0 || s_.accept_word("and"); }

  unsigned checked_month(const Number &n) const {
    if (n.value < 1 || n.value > 12) {
      fail(n.column,
           "there is no month " + std::to_string(n.value) +
               ": months are 1月 … 12月 (一月 … 十二月), January … December",
           "没有 " + std::to_string(n.value) + " 月：月份是 1月 … 12月（一月 … 十二月）");
    }
    return static_cast<unsigned>(n.value);
  }

  Date checked_day(int year, unsigned month, const Number &n) const {
    const unsigned length = month_length(year, month);
    if (n.value < 1 || static_cast<unsigned>(n.value) > length) {
      fail(n.column,
           "day " + std::to_string(n.value) + " does not exist: " + month_text(year, month) +
               " has days 1–" + std::to_string(length),
           std::to_string(year) + "年" + std::to_string(month) + "月没有 " +
               std::to_string(n.value) + " 日：这个月只有 1–" + std::to_string(length) + " 日");
    }
    return make_date(year, month, static_cast<unsigned>(n.value));
  }

  Piece checked_quarter(const Number &n) const {
    if (n.value < 1 || n.value > 4) {
      fail(n.column,
           "there is no quarter " + std::to_string(n.value) +
               ": quarters are 第一季度 … 第四季度, Q1 … Q4",
           "没有第 " + std::to_string(n.value) + " 季度：季度是 第一季度 … 第四季度（Q1 … Q4）");
    }
    const auto first = static_cast<unsigned>(n.value - 1) * 3 + 1;
    return piece_of({first_day_of_month(year_, first), last_day_of_month(year_, first + 2)});
  }

  Piece checked_week(const Number &n) const { return checked_week(year_, n); }

  static Piece checked_week(int year, const Number &n) {
    const int weeks = iso_weeks_in_year(year);
    if (n.value < 1 || n.value > weeks) {
      fail(n.column,
           "there is no ISO week " + std::to_string(n.value) + " in " + std::to_string(year) +
               ": its weeks are 1–" + std::to_string(weeks) + " (第1周 … 第" +
               std::to_string(weeks) + "周, week 1 … week " + std::to_string(weeks) + ")",
           std::to_string(year) + " 年没有 ISO 第 " + std::to_string(n.value) +
               " 周：这一年的周是第1周 … 第" + std::to_string(weeks) + "周");
    }
    const Date monday = iso_week1_monday(year) + date::days{7 * (n.value - 1)};
    return piece_of({monday, monday + date::days{6}});
  }

  Piece month_span(int year, const Number &from, const Number &to) const {
    const unsigned first = checked_month(from);
    const unsigned last = checked_month(to);
    if (first > last) {
      fail(to.column,
           "the months run backwards (" + std::to_string(first) + " to " + std::to_string(last) +
               ") and a range stays inside the plan "
               "year: write the earlier month first (" +
               std::to_string(last) + "-" + std::to_string(first) +
               "月), or list the months in date order (" + std::to_string(first) + "-12月、1-" +
               std::to_string(last) + "月 for the turn of a year)",
           "月份倒过来了（" + std::to_string(first) + " 到 " + std::to_string(last) +
               "），而范围不能超出计划年度：请先写较早的月份（" + std::to_string(last) + "-" +
               std::to_string(first) + "月），或按先后列出月份（跨年写 " + std::to_string(first) +
               "-12月、1-" + std::to_string(last) + "月）");
    }
    return piece_of({first_day_of_month(year, first), last_day_of_month(year, last)});
  }

  Piece day_span(Date first, Date last, std::size_t column) const {
    if (first > last) {
      fail(column,
           "the range runs backwards (" + format_iso_date(first) + " to " + format_iso_date(last) +
               "); write the earlier day first",
           "范围倒过来了（" + format_iso_date(first) + " 到 " + format_iso_date(last) +
               "）：请先写较早的日期");
    }
    return piece_of({first, last});
  }

  // ---- 双月 and friends -----------------------------------------------------

  void reject_ambiguous() {
    struct Ambiguous {
      std::u32string_view word;
      std::string_view message;
      std::string_view zh;
    };
    static constexpr std::array<Ambiguous, 7> words{{
        {U"双月",
         "\"双月\" is ambiguous (the even months, or every two months?): for "
         "the "
         "even months write 二、四、六、八、十、十二月 or repeat: [2月, 4月, "
         "6月, 8月, "
         "10月, 12月]; for every other month list the months you mean",
         "“双月”有歧义（是双数月，还是每两个月？）：双数月写 二、四、六、八、十、十二月 或 "
         "repeat: [2月, 4月, 6月, 8月, 10月, 12月]；每隔一个月请列出所指的月份"},
        {U"单月",
         "\"单月\" is ambiguous (the odd months, or one month?): for the odd "
         "months write 一、三、五、七、九、十一月 or repeat: [1月, 3月, 5月, "
         "7月, 9月, "
         "11月]",
         "“单月”有歧义（是单数月，还是一个月？）：单数月写 一、三、五、七、九、十一月 或 "
         "repeat: [1月, 3月, 5月, 7月, 9月, 11月]"},
        {U"隔月",
         "\"隔月\" is ambiguous (which months?): list them, e.g. "
         "一、三、五、七、九、十一月 or repeat: [1月, 3月, …]",
         "“隔月”有歧义（是哪几个月？）：请列出月份，例如 一、三、五、七、九、十一月 或 "
         "repeat: [1月, 3月, …]"},
        {U"双周",
         "\"双周\" is ambiguous (even ISO weeks, or every two weeks?): write "
         "repeat: biweekly (每两周), or name the weeks (第2周, 第4周, …)",
         "“双周”有歧义（是双数周，还是每两周？）：请写 repeat: biweekly（每两周），或写出周次"
         "（第2周、第4周、…）"},
        {U"单周",
         "\"单周\" is ambiguous (odd ISO weeks, or one week?): write repeat: "
         "biweekly (每两周), or name the weeks (第1周, 第3周, …)",
         "“单周”有歧义（是单数周，还是一周？）：请写 repeat: biweekly（每两周），或写出周次"
         "（第1周、第3周、…）"},
        {U"every other month",
         "\"every other month\" is ambiguous (starting when?): "
         "list the months, e.g. repeat: [1月, 3月, 5月, 7月, 9月, 11月]",
         "“every other month”有歧义（从哪个月开始？）：请列出月份，例如 "
         "repeat: [1月, 3月, 5月, 7月, 9月, 11月]"},
        {U"bimonthly",
         "\"bimonthly\" is ambiguous (twice a month, or every two "
         "months?): list the months, e.g. repeat: [1月, 3月, 5月, 7月, 9月, "
         "11月]",
         "“bimonthly”有歧义（是一月两次，还是两月一次？）：请列出月份，例如 "
         "repeat: [1月, 3月, 5月, 7月, 9月, 11月]"},
    }};
    for (std::size_t p = 0; p < s_.size(); ++p) {
      for (const auto &ambiguous : words) {
        s_.reset(p);
        if (s_.accept(ambiguous.word)) {
          fail(p + 1, std::string(ambiguous.message), std::string(ambiguous.zh));
        }
      }
    }
    s_.reset(0);
  }

  // ---- 3月24日上午9点: a time of day, which belongs in `at:` ---------------

  struct TimeOfDayHint {
    std::size_t from = 0; // where the time starts
    std::string at;       // what to write in at:
  };

  // 上午/下午/晚上…, "9点", "9时", "9:30" anywhere in the text.
  std::optional<TimeOfDayHint> time_of_day_at(std::size_t p) {
    struct Part {
      std::u32string_view word;
      int shift;              // hours added to a morning number (下午3点 = 15:00)
      std::string_view whole; // at: for the part of day alone
    };
    static constexpr std::array<Part, 8> parts{{{U"上午", 0, "09:00-12:00"},
                                                {U"早上", 0, "08:00-12:00"},
                                                {U"早晨", 0, "08:00-12:00"},
                                                {U"凌晨", 0, "06:00"},
                                                {U"中午", 0, "12:00"},
                                                {U"下午", 12, "14:00-17:30"},
                                                {U"傍晚", 12, "18:00"},
                                                {U"晚上", 12, "19:00"}}};
    s_.reset(p);
    const Part *part = nullptr;
    for (const auto &candidate : parts)
      if (s_.accept(candidate.word)) {
        part = &candidate;
        break;
      }
    const auto hour = s_.number();
    int minute = 0;
    if (hour) {
      if (s_.accept(U"点") || s_.accept(U"时")) {
        if (s_.accept(U"半")) {
          minute = 30;
        } else if (const auto m = s_.number(); m && (s_.accept(U"分") || s_.at_end())) {
          minute = m->value;
        }
      } else if (s_.accept(U":")) {
        const auto m = s_.number();
        if (!m)
          return std::nullopt;
        minute = m->value;
      } else if (!part) {
        return std::nullopt;
      }
    }
    if (!part && !hour)
      return std::nullopt;
    if (!hour)
      return TimeOfDayHint{p, std::string(part->whole)};
    const int h = hour->value + (part && hour->value < 12 ? part->shift : 0);
    if (h > 23 || minute > 59)
      return std::nullopt;
    return TimeOfDayHint{p, format_time_of_day(h * 60 + minute)};
  }

  void reject_time_of_day() {
    for (std::size_t p = 0; p < s_.size(); ++p) {
      const auto hint = time_of_day_at(p);
      if (!hint)
        continue;
      std::string date = s_.original(0, hint->from);
      while (!date.empty() && date.back() == ' ')
        date.pop_back();
      const std::string at = "at: \"" + hint->at + "\"";
      const std::string advice =
          date.empty() ? "write " + at : "write when: " + date + " and " + at;
      const std::string zh_advice = date.empty() ? "写 " + at : "写 when: " + date + " 和 " + at;
      fail(hint->from + 1, "a time of day belongs in `at:` — " + advice,
           "时刻应写在 `at:` 里：" + zh_advice);
    }
    s_.reset(0);
  }

  // ---- relative windows (月初, 季末, tue) -----------------------------------

  std::optional<RelativeWindow> relative_window() {
    if (auto r = attempt([&] { return relative_month_days(); })) {
      return r;
    }
    if (auto r = attempt([&] { return relative_quarter_month(); })) {
      return r;
    }
    return attempt([&] { return relative_weekdays(); });
  }

  static RelativeWindow days_relative(unsigned first, unsigned last, Prefer prefer) {
    RelativeWindow r;
    r.kind = RelativeWindow::Kind::month_days;
    for (unsigned d = first; d <= last; ++d) {
      r.month_days[d] = true;
    }
    r.prefer = prefer;
    return r;
  }

  static RelativeWindow thirds_relative(const std::array<bool, 3> &thirds) {
    RelativeWindow r;
    for (std::size_t t = 0; t < 3; ++t) {
      for (unsigned d = kThirds[t].first; thirds[t] && d <= kThirds[t].second; ++d) {
        r.month_days[d] = true;
      }
    }
    return r;
  }

  bool accept_of_the(std::string_view noun) {
    const auto saved = s_.position();
    if (s_.accept_word("of")) {
      s_.accept_word("the");
      if (s_.accept_word(noun)) {
        return true;
      }
    }
    s_.reset(saved);
    return false;
  }

  // "beginning"/"start", "middle", "end" as in "end of the month".
  std::optional<Prefer> english_edge() {
    if (s_.accept_word("beginning") || s_.accept_word("start")) {
      return Prefer::early;
    }
    if (s_.accept_word("middle")) {
      return Prefer::middle;
    }
    if (s_.accept_word("end")) {
      return Prefer::late;
    }
    return std::nullopt;
  }

  std::optional<RelativeWindow> relative_month_days() {
    if (auto thirds = attempt([&] { return chinese_thirds(true); })) {
      return thirds_relative(thirds->first);
    }
    if (s_.accept(U"月初")) {
      return days_relative(1, 10, Prefer::early);
    }
    if (s_.accept(U"月中")) {
      return days_relative(11, 20, Prefer::middle);
    }
    if (s_.accept(U"月底") || s_.accept(U"月末")) {
      return days_relative(21, 31, Prefer::late);
    }
    if (s_.accept(U"上半月")) {
      return days_relative(1, 15, Prefer::none);
    }
    if (s_.accept(U"下半月")) {
      return days_relative(16, 31, Prefer::none);
    }
    if (auto thirds = attempt([&] { return english_thirds(); })) {
      return thirds_relative(*thirds);
    }
    s_.accept_word("the");
    if (auto edge = english_edge(); edge && accept_of_the("month")) {
      const auto third = *edge == Prefer::early ? 0 : *edge == Prefer::middle ? 1 : 2;
      return days_relative(kThirds[third].first, kThirds[third].second, *edge);
    }
    return std::nullopt;
  }

  std::optional<RelativeWindow> relative_quarter_month() {
    RelativeWindow r;
    r.kind = RelativeWindow::Kind::quarter_month;
    if (s_.accept(U"季初") || s_.accept(U"季度初")) {
      return r;
    }
    if (s_.accept(U"季末") || s_.accept(U"季度末")) {
      r.last_month_of_quarter = true;
      return r;
    }
    s_.accept_word("the");
    if (auto edge = english_edge(); edge && *edge != Prefer::middle && accept_of_the("quarter")) {
      r.last_month_of_quarter = *edge == Prefer::late;
      return r;
    }
    return std::nullopt;
  }

  // 周一 … 周日, 星期一, 礼拜一, mon … sun, monday; after a list separator the
  // bare 二 of "周二、四" continues the list.
  std::optional<unsigned> weekday(bool bare_allowed) {
    constexpr std::u32string_view chinese = U"日一二三四五六天";
    const auto saved = s_.position();
    if (s_.accept(U"周") || s_.accept(U"星期") || s_.accept(U"礼拜") || bare_allowed) {
      if (const char32_t c = s_.accept_one_of(chinese)) {
        return static_cast<unsigned>(chinese.find(c)) % 7;
      }
    }
    s_.reset(saved);
    if (auto w = s_.word()) {
      if (auto day = english_weekday(*w)) {
        s_.mark();
        return day;
      }
    }
    s_.reset(saved);
    return std::nullopt;
  }

  std::optional<RelativeWindow> relative_weekdays() {
    RelativeWindow r;
    r.kind = RelativeWindow::Kind::weekdays;
    auto day = weekday(false);
    if (!day) {
      return std::nullopt;
    }
    r.weekdays[*day] = true;
    for (;;) {
      const auto saved = s_.position();
      if (list_separator()) {
        if (auto next = weekday(true)) {
          r.weekdays[*next] = true;
          day = next;
          continue;
        }
      } else if (range_connector()) {
        // mon-fri, 周一至周五: every day from the first to the second.
        if (auto last = weekday(true)) {
          for (unsigned d = *day; d != *last; d = (d + 1) % 7) {
            r.weekdays[d] = true;
          }
          r.weekdays[*last] = true;
          day = last;
          continue;
        }
      }
      s_.reset(saved);
      return r;
    }
  }

  // ---- thirds: 上旬, 中、下旬, early, mid to late ---------------------------

  // The thirds named in 上旬 / 中、下旬 / 上中旬, with whether 旬 was written:
  // without it only a lone 中 means anything (the soft "3月中").
  std::optional<std::pair<std::array<bool, 3>, bool>> chinese_thirds(bool need_xun) {
    constexpr std::u32string_view names = U"上中下";
    std::array<bool, 3> thirds{};
    bool saw_xun = false;
    std::size_t count = 0;
    for (;;) {
      const char32_t c = s_.accept_one_of(names);
      if (c == 0) {
        break;
      }
      thirds[names.find(c)] = true;
      ++count;
      saw_xun = s_.accept(U"旬") || saw_xun;
      const auto saved = s_.position();
      if (!list_separator() || names.find(s_.peek()) == std::u32string_view::npos ||
          s_.peek() == 0) {
        s_.reset(saved);
      }
    }
    if (count == 0 || (need_xun && !saw_xun)) {
      return std::nullopt;
    }
    return std::pair{thirds, saw_xun};
  }

  std::optional<std::size_t> english_third() {
    if (s_.accept_word("early")) {
      return 0;
    }
    if (s_.accept_word("mid")) {
      return 1;
    }
    if (s_.accept_word("late")) {
      return 2;
    }
    return std::nullopt;
  }

  // early, mid, late; "mid and late" names two, "early to late" all three.
  std::optional<std::array<bool, 3>> english_thirds() {
    auto third = english_third();
    if (!third) {
      return std::nullopt;
    }
    std::array<bool, 3> thirds{};
    thirds[*third] = true;
    for (;;) {
      const auto saved = s_.position();
      const bool span = range_connector();
      if (span || list_separator()) {
        if (auto next = english_third()) {
          for (auto t = span ? std::min(*third, *next) : *next;
               t <= (span ? std::max(*third, *next) : *next); ++t) {
            thirds[t] = true;
          }
          third = next;
          continue;
        }
      }
      s_.reset(saved);
      return thirds;
    }
  }

  Piece thirds_piece(int year, unsigned month, const std::array<bool, 3> &thirds) const {
    Piece piece;
    for (std::size_t t = 0; t < 3; ++t) {
      if (thirds[t]) {
        piece.ranges.push_back(month_days(year, month, kThirds[t].first, kThirds[t].second));
      }
    }
    return piece;
  }

  // ---- festivals (春节前, after 劳动节, 七一)
  // --------------------------------

  std::optional<Festival> festival_named(std::size_t from, std::size_t to) const {
    std::string name = s_.original(from, to);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) {
      name.pop_back();
    }
    if (name.empty()) {
      return std::nullopt;
    }
    if (auto f = festival_from_name(name)) {
      return f;
    }
    // 国庆节前 as well as 国庆前.
    constexpr std::string_view jie = "节";
    if (name.size() > jie.size() && name.ends_with(jie)) {
      return festival_from_name(name.substr(0, name.size() - jie.size()));
    }
    return std::nullopt;
  }

  // "一周", "两周", "10天" after the last 前/后 of [from, to): the days it
  // spans and where the text before it ends (just after the 前/后).
  std::optional<std::pair<int, std::size_t>> trailing_span(std::size_t from, std::size_t to) const {
    std::size_t side = to;
    for (std::size_t q = to; q > from; --q) {
      const std::string c = s_.original(q - 1, q);
      if (c == "前" || c == "后" || c == "後") {
        side = q;
        break;
      }
    }
    if (side == to)
      return std::nullopt;
    WindowScanner tail(s_.original(side, to));
    const auto n = tail.number();
    if (!n)
      return std::nullopt;
    int days = 0;
    if (tail.accept(U"周") || tail.accept(U"个星期") || tail.accept(U"星期"))
      days = n->value * 7;
    else if (tail.accept(U"天") || tail.accept(U"日"))
      days = n->value;
    if (days < 1 || days > 62 || !tail.at_end())
      return std::nullopt;
    return std::pair{days, side};
  }

  std::optional<Window> festival_window() {
    enum class Side { before, after, around };
    Side side = Side::around;
    bool english = true;
    if (s_.accept_word("before")) {
      side = Side::before;
    } else if (s_.accept_word("after")) {
      side = Side::after;
    } else if (s_.accept_word("around")) {
      side = Side::around;
    } else {
      english = false;
    }
    if (english) {
      s_.accept_word("the");
    }
    s_.skip_spaces();
    const std::size_t from = s_.position();
    const std::size_t name_column = from + 1;
    std::size_t to = s_.size();
    while (to > from && s_.original(to - 1, to) == " ") {
      --to;
    }
    std::optional<int> span_days; // 国庆节后一周: 7 days instead of 10
    if (!english) {
      if (const auto span = trailing_span(from, to)) {
        span_days = span->first;
        to = span->second;
      }
      const std::string text = s_.original(from, to);
      if (text.ends_with("前后")) {
        to -= 2;
      } else if (text.ends_with("前")) {
        side = Side::before;
        to -= 1;
      } else if (text.ends_with("后") || text.ends_with("後")) {
        side = Side::after;
        to -= 1;
      }
    }
    const auto festival = festival_named(from, to);
    if (!festival) {
      return std::nullopt;
    }
    s_.reset(s_.size());

    const auto day = festival_day(*festival, year_);
    if (!day) {
      fail(name_column,
           "no date is known for " + std::string(festival_name(*festival)) + " in " +
               std::to_string(year_) +
               " (its date comes from the lunar calendar data); write the "
               "dates instead, e.g. 2月上旬",
           "不知道 " + std::to_string(year_) + " 年" + std::string(festival_name(*festival)) +
               "的日期（它的日期来自农历数据）：请直接写日期，例如 2月上旬");
    }
    static const HolidaySet no_holidays;
    const HolidaySet &holidays = context_.holidays ? *context_.holidays : no_holidays;
    const DateRange block =
        festival_block(*festival, year_, holidays).value_or(DateRange{*day, *day});
    DateRange range;
    switch (side) {
    case Side::before:
      range = {block.first - date::days{span_days.value_or(10)}, block.first - date::days{1}};
      break;
    case Side::after:
      range = {block.last + date::days{1}, block.last + date::days{span_days.value_or(10)}};
      break;
    case Side::around:
      range = {*day - date::days{span_days.value_or(7)}, *day + date::days{span_days.value_or(7)}};
      break;
    }
    return clip({piece_of(range)});
  }

  // ---- absolute windows
  // ------------------------------------------------------

  Window absolute_window() {
    std::vector<Piece> pieces{ranged_item()};
    while (list_separator()) {
      pieces.push_back(ranged_item());
    }
    if (pieces.size() == 1) {
      if (auto by = attempt([&] { return deadline(pieces.front()); })) {
        pieces.front() = *by;
      }
    }
    if (!s_.at_end()) {
      fail_unknown();
    }
    return clip(pieces);
  }

  // An item, or a span between two: 5月上旬至6月中旬 (from the first day of the
  // first to the last day of the second).
  Piece ranged_item() {
    Piece first = item();
    const auto saved = s_.position();
    const std::size_t column = s_.column();
    if (range_connector()) {
      if (auto second = attempt([&] { return any_item(); })) {
        return day_span(first.ranges.front().first, second->ranges.back().last, column);
      }
    }
    s_.reset(saved);
    return first;
  }

  // 6月底前, 10月1日前, 6月中旬之前: by the end of the piece (the day before a
  // day), from the first day of that quarter (docs/EXTENSIONS.md). A whole month (6月前:
  // before June starts, or by its end?) is ambiguous.
  std::optional<Piece> deadline(const Piece &piece) {
    const std::size_t column = s_.column();
    if (!(s_.accept(U"之前") || s_.accept(U"以前") || s_.accept(U"前"))) {
      return std::nullopt;
    }
    const Date first = piece.ranges.front().first;
    const Date last = piece.ranges.back().last;
    if (day_of(first) == 1 && last == last_day_of_month(year_of(last), month_of(last)) &&
        first != last) {
      const unsigned m = month_of(first);
      const std::string before = std::to_string(m == 1 ? 12 : m - 1) + "月底前";
      const std::string by = std::to_string(month_of(last)) + "月底前";
      fail(column,
           "\"" + s_.original() +
               "\" is ambiguous (before the month starts, or by its end?): write " + before +
               " or " + by,
           "“" + s_.original() + "”有歧义（在该月开始前，还是月底前？）：写 " + before + " 或 " +
               by);
    }
    // Before a day is up to the day before it (done in time either way); before
    // a part of a month is by that part's end.
    const Date end = first == last ? last - date::days{1} : last;
    const unsigned quarter_first = (month_of(end) - 1) / 3 * 3 + 1;
    return piece_of({first_day_of_month(year_of(end), quarter_first), end});
  }

  std::optional<Piece> any_item() {
    using Reading = std::optional<Piece> (Parser::*)();
    for (const Reading reading :
         {&Parser::iso, &Parser::year_part, &Parser::quarter, &Parser::week, &Parser::number_list,
          &Parser::chinese_month, &Parser::english_month_part, &Parser::english_month_day}) {
      if (auto p = attempt([&] { return (this->*reading)(); })) {
        return p;
      }
    }
    return std::nullopt;
  }

  // The union of the pieces, inside the plan year; empty is an error.
  Window clip(const std::vector<Piece> &pieces) const {
    const DateRange year = year_range(year_);
    Window window;
    for (const auto &piece : pieces) {
      for (const auto &range : piece.ranges) {
        const DateRange inside{std::max(range.first, year.first), std::min(range.last, year.last)};
        if (inside.first <= inside.last) {
          const auto days = days_of(inside);
          window.dates.insert(window.dates.end(), days.begin(), days.end());
        }
      }
    }
    std::sort(window.dates.begin(), window.dates.end());
    window.dates.erase(std::unique(window.dates.begin(), window.dates.end()), window.dates.end());
    if (window.empty()) {
      std::string where;
      for (const auto &piece : pieces) {
        for (const auto &range : piece.ranges) {
          where += (where.empty() ? "" : ", ") + range_text(range);
        }
      }
      const std::string plan_year = std::to_string(year_);
      fail(1,
           "\"" + s_.original() + "\" (" + where + ") has no day in the plan year " + plan_year +
               "; write a window inside " + plan_year + ", e.g. 12月下旬 or " + plan_year +
               "-12-22.." + plan_year + "-12-31",
           "“" + s_.original() + "”（" + where + "）在计划年度 " + plan_year +
               " 年里没有一天：请写 " + plan_year + " 年内的时间窗口，例如 12月下旬 或 " +
               plan_year + "-12-22.." + plan_year + "-12-31");
    }
    // One soft edge survives a union only when every piece has it.
    const bool same = std::all_of(pieces.begin(), pieces.end(), [&](const Piece &p) {
      return p.prefer == pieces.front().prefer;
    });
    if (same && (pieces.size() == 1 || pieces.front().prefer != Prefer::middle)) {
      window.prefer = pieces.front().prefer;
      if (pieces.size() == 1 && pieces.front().target && window.contains(*pieces.front().target)) {
        window.target = pieces.front().target;
      }
    }
    return window;
  }

  // The readings in the order they are tried: the first that fits wins.
  Piece item() {
    if (auto p = any_item()) {
      return *p;
    }
    fail_unknown();
  }

  std::optional<Number> ascii_number(std::size_t min_length, std::size_t max_length) {
    const auto saved = s_.position();
    auto n = s_.number();
    if (!n || n->chinese || n->length < min_length || n->length > max_length) {
      s_.reset(saved);
      return std::nullopt;
    }
    return n;
  }

  // 2026-05-04, 2026-05, 2026-W10, and ranges of the first two with "..".
  std::optional<Piece> iso() {
    struct End {
      int year = 0;
      unsigned month = 0;
      std::optional<Date> day;
      std::size_t column = 1;
    };
    const auto end = [&](bool week_allowed) -> std::optional<std::variant<End, Piece>> {
      const auto y = ascii_number(4, 4);
      if (!y || !s_.accept(U"-")) {
        return std::nullopt;
      }
      if (week_allowed && s_.accept(U"w")) {
        const auto w = ascii_number(1, 2);
        if (!w) {
          return std::nullopt;
        }
        return checked_week(y->value, *w);
      }
      const auto m = ascii_number(1, 2);
      if (!m) {
        return std::nullopt;
      }
      End e{y->value, checked_month(*m), std::nullopt, y->column};
      const auto saved = s_.position();
      if (s_.accept(U"-")) {
        if (const auto d = ascii_number(1, 2)) {
          e.day = checked_day(e.year, e.month, *d);
          return e;
        }
        s_.reset(saved);
      }
      return e;
    };
    const auto first = end(true);
    if (!first) {
      return std::nullopt;
    }
    if (const auto *week_piece = std::get_if<Piece>(&*first)) {
      return *week_piece;
    }
    const End from = std::get<End>(*first);
    const auto span = [](const End &e) {
      return e.day ? DateRange{*e.day, *e.day} : month_range(e.year, e.month);
    };
    const auto saved = s_.position();
    if (s_.accept(U"..") || s_.accept_one_of(U"至到") != 0 || s_.accept(U"-")) {
      const std::size_t column = s_.column();
      if (const auto second = attempt([&] { return end(false); })) {
        const End to = std::get<End>(*second);
        if (from.day.has_value() != to.day.has_value()) {
          fail(column,
               "both ends of a range must be days (2026-02-21..2026-02-28) or "
               "both months (2026-05..2026-07)",
               "范围的两端应同为日期（2026-02-21..2026-02-28）或同为月份（2026-05..2026-07）");
        }
        return day_span(span(from).first, span(to).last, column);
      }
      // 2026-02-21..28: the second end in the same month.
      if (const auto d = ascii_number(1, 2); d && from.day) {
        return day_span(*from.day, checked_day(from.year, from.month, *d), d->column);
      }
    }
    s_.reset(saved);
    return piece_of(span(from));
  }

  // 上半年, 下半年, 年初, 年底/年末, 年内/全年, H1, all year, ...
  std::optional<Piece> year_part() {
    const auto months = [&](unsigned first, unsigned last) {
      return piece_of({first_day_of_month(year_, first), last_day_of_month(year_, last)});
    };
    if (s_.accept(U"上半年")) {
      return months(1, 6);
    }
    if (s_.accept(U"下半年")) {
      return months(7, 12);
    }
    if (s_.accept(U"年初")) {
      return months(1, 1);
    }
    if (s_.accept(U"年底") || s_.accept(U"年末")) {
      return months(12, 12);
    }
    if (s_.accept(U"年内") || s_.accept(U"全年度") || s_.accept(U"全年") || s_.accept(U"本年度") ||
        s_.accept(U"本年")) {
      return months(1, 12);
    }
    if (s_.accept_word("h")) {
      const auto n = ascii_number(1, 2);
      if (!n || (n->value != 1 && n->value != 2)) {
        fail(n ? n->column : s_.column(), "a half of the year is H1 (上半年) or H2 (下半年)",
             "半年只有 上半年（H1）和 下半年（H2）");
      }
      return n->value == 1 ? months(1, 6) : months(7, 12);
    }
    const auto saved = s_.position();
    if (s_.accept_word("all") || s_.accept_word("whole") || s_.accept_word("full") ||
        s_.accept_word("throughout")) {
      s_.accept_word("the");
      if (s_.accept_word("year")) {
        return months(1, 12);
      }
    }
    s_.reset(saved);
    s_.accept_word("the");
    if (const auto w = s_.word(); w && (*w == "first" || *w == "second")) {
      const bool first = *w == "first";
      if (s_.accept_word("half")) {
        accept_of_the("year");
        return first ? months(1, 6) : months(7, 12);
      }
    }
    s_.reset(saved);
    s_.accept_word("the");
    if (auto edge = english_edge(); edge && *edge != Prefer::middle && accept_of_the("year")) {
      return *edge == Prefer::early ? months(1, 1) : months(12, 12);
    }
    return std::nullopt;
  }

  // 第一季度, 一季度, 第1季度, Q1, first quarter.
  std::optional<Piece> quarter() {
    const auto saved = s_.position();
    s_.accept(U"第");
    if (const auto n = s_.number()) {
      if (s_.accept(U"季度") || s_.accept(U"季")) {
        return checked_quarter(*n);
      }
    }
    s_.reset(saved);
    if (s_.accept_word("q")) {
      if (const auto n = ascii_number(1, 2)) {
        return checked_quarter(*n);
      }
      fail(s_.column(), "a quarter is Q1 … Q4 (第一季度 … 第四季度)",
           "季度是 第一季度 … 第四季度（Q1 … Q4）");
    }
    s_.accept_word("the");
    static constexpr std::array<std::string_view, 4> ordinals{"first", "second", "third", "fourth"};
    if (const auto w = s_.word()) {
      const auto it = std::find(ordinals.begin(), ordinals.end(), *w);
      if (it != ordinals.end() && s_.accept_word("quarter")) {
        return checked_quarter(Number{static_cast<int>(it - ordinals.begin()) + 1, 1, 1, false});
      }
    }
    return std::nullopt;
  }

  // 第10周, week 10.
  std::optional<Piece> week() {
    if (s_.accept(U"第")) {
      if (const auto n = s_.number(); n && (s_.accept(U"周") || s_.accept(U"週"))) {
        return checked_week(*n);
      }
      return std::nullopt;
    }
    if (s_.accept_word("week")) {
      if (const auto n = ascii_number(1, 3)) {
        return checked_week(*n);
      }
      fail(s_.column(), "a week is written week 10 (第10周), an ISO 8601 week number",
           "周次写作 第10周（week 10），即 ISO 8601 周序号");
    }
    return std::nullopt;
  }

  // 一、二月份, 一、三月, 5、11月, 一、二季度: numbers sharing one unit.
  std::optional<Piece> number_list() {
    std::vector<Number> numbers;
    if (auto n = s_.number()) {
      numbers.push_back(*n);
    }
    while (!numbers.empty()) {
      const auto saved = s_.position();
      auto next = list_separator() ? s_.number() : std::nullopt;
      if (!next) {
        s_.reset(saved);
        break;
      }
      numbers.push_back(*next);
    }
    if (numbers.size() < 2) {
      return std::nullopt;
    }
    Piece piece;
    if (s_.accept(U"月")) {
      s_.accept(U"份");
      for (const auto &n : numbers) {
        piece.ranges.push_back(month_range(year_, checked_month(n)));
      }
      return piece;
    }
    if (s_.accept(U"季度")) {
      for (const auto &n : numbers) {
        piece.ranges.push_back(checked_quarter(n).ranges.front());
      }
      return piece;
    }
    return std::nullopt;
  }

  // [2026年] 5月, 5月份, 5-7月, 5月至7月, 5月4日, 2月21日至28日, 2月下旬,
  // 4月中、下旬, 3月初, 3月中, 2月底.
  std::optional<Piece> chinese_month() {
    int year = year_;
    if (const auto y = attempt([&]() -> std::optional<Number> {
          auto n = s_.number();
          return n && n->length == 4 && s_.accept(U"年") ? n : std::nullopt;
        })) {
      year = y->value;
    }
    const auto first = s_.number();
    if (!first) {
      return std::nullopt;
    }
    // The rest of a span from the first month: "-5月" or "至5月份".
    const auto span_to_last = [&]() -> std::optional<Piece> {
      if (!range_connector()) {
        return std::nullopt;
      }
      const auto last = s_.number();
      if (!last || !s_.accept(U"月")) {
        return std::nullopt;
      }
      s_.accept(U"份");
      return month_span(year, *first, *last);
    };
    if (!s_.accept(U"月")) {
      return span_to_last();
    }
    const unsigned month = checked_month(*first);
    s_.accept(U"份");
    if (auto span = attempt(span_to_last)) {
      return span;
    }
    if (auto day = attempt([&] { return chinese_day(year, month); })) {
      return day;
    }
    if (auto part = attempt([&]() -> std::optional<Piece> {
          const auto thirds = chinese_thirds(false);
          if (thirds && thirds->second) {
            return thirds_piece(year, month, thirds->first);
          }
          // Without 旬 only a lone 中 means something: the soft middle.
          if (thirds && thirds->first == std::array<bool, 3>{false, true, false}) {
            return soft_edge(year, month, Prefer::middle);
          }
          return std::nullopt;
        })) {
      return part;
    }
    if (s_.accept(U"初")) {
      return soft_edge(year, month, Prefer::early);
    }
    if (s_.accept(U"底") || s_.accept(U"末")) {
      return soft_edge(year, month, Prefer::late);
    }
    return piece_of(month_range(year, month));
  }

  // After "M月": 4日, 4号, 21日至28日, 21-28日, 21日-3月5日.
  std::optional<Piece> chinese_day(int year, unsigned month) {
    const auto first = s_.number();
    if (!first) {
      return std::nullopt;
    }
    const bool first_marked = s_.accept_one_of(U"日号") != 0;
    const auto saved = s_.position();
    if (range_connector()) {
      unsigned last_month = month;
      if (const auto m = attempt([&]() -> std::optional<Number> {
            auto n = s_.number();
            return n && s_.accept(U"月") ? n : std::nullopt;
          })) {
        last_month = checked_month(*m);
      }
      if (const auto last = s_.number()) {
        const bool last_marked = s_.accept_one_of(U"日号") != 0;
        if (first_marked || last_marked) {
          return day_span(checked_day(year, month, *first), checked_day(year, last_month, *last),
                          last->column);
        }
      }
      s_.reset(saved);
    }
    if (!first_marked) {
      return std::nullopt;
    }
    const Date day = checked_day(year, month, *first);
    return piece_of({day, day});
  }

  std::optional<std::pair<unsigned, std::size_t>> month_name() {
    const std::size_t column = s_.column();
    const auto saved = s_.position();
    if (const auto w = s_.word()) {
      if (const auto month = english_month(*w)) {
        s_.mark();
        return std::pair{*month, column};
      }
    }
    s_.reset(saved);
    return std::nullopt;
  }

  // early/mid/late February, mid-February, beginning/middle/end of March.
  std::optional<Piece> english_month_part() {
    s_.accept_word("the");
    if (const auto thirds = english_thirds()) {
      s_.accept(U"-");
      s_.accept_word("of");
      if (const auto month = month_name()) {
        return thirds_piece(year_, month->first, *thirds);
      }
      return std::nullopt;
    }
    if (const auto edge = english_edge(); edge && s_.accept_word("of")) {
      s_.accept_word("the");
      if (const auto month = month_name()) {
        return soft_edge(year_, month->first, *edge);
      }
    }
    return std::nullopt;
  }

  std::optional<Number> english_day_number() {
    const auto n = ascii_number(1, 2);
    if (n) {
      // 4th, 1st: the suffix only decorates the number.
      const auto saved = s_.position();
      if (const auto w = s_.word(); !w || (*w != "st" && *w != "nd" && *w != "rd" && *w != "th")) {
        s_.reset(saved);
      }
    }
    return n;
  }

  // May, May 4, 4 May, May 4-8, May-July.
  std::optional<Piece> english_month_day() {
    if (const auto month = month_name()) {
      if (const auto day = english_day_number()) {
        const Date first = checked_day(year_, month->first, *day);
        const auto saved = s_.position();
        if (range_connector()) {
          const auto last_month = month_name();
          if (const auto last = english_day_number()) {
            return day_span(
                first, checked_day(year_, last_month ? last_month->first : month->first, *last),
                last->column);
          }
        }
        s_.reset(saved);
        return piece_of({first, first});
      }
      const auto saved = s_.position();
      if (range_connector()) {
        if (const auto last = month_name()) {
          return month_span(year_, Number{static_cast<int>(month->first), month->second, 1, false},
                            Number{static_cast<int>(last->first), last->second, 1, false});
        }
      }
      s_.reset(saved);
      return piece_of(month_range(year_, month->first));
    }
    if (const auto day = english_day_number()) {
      s_.accept_word("of");
      if (const auto month = month_name()) {
        const Date d = checked_day(year_, month->first, *day);
        return piece_of({d, d});
      }
    }
    return std::nullopt;
  }
};

} // namespace

std::string_view prefer_name(Prefer p) {
  switch (p) {
  case Prefer::early:
    return "early";
  case Prefer::middle:
    return "middle";
  case Prefer::late:
    return "late";
  case Prefer::none:
    break;
  }
  return "none";
}

bool Window::contains(Date d) const { return std::binary_search(dates.begin(), dates.end(), d); }

std::variant<Window, RelativeWindow, TextError> parse_window(std::string_view text,
                                                             const WindowContext &context) {
  try {
    auto result = Parser(text, context).parse();
    if (auto *window = std::get_if<Window>(&result)) {
      return std::move(*window);
    }
    return std::get<RelativeWindow>(result);
  } catch (const WindowSyntaxError &error) {
    return TextError{error.column, error.message, error.zh};
  }
}

std::optional<unsigned> parse_weekday(std::string_view text) {
  // A relative window does not depend on the year; any valid year will do.
  const auto parsed = parse_window(text, WindowContext{2000, nullptr});
  const auto *relative = std::get_if<RelativeWindow>(&parsed);
  if (!relative || relative->kind != RelativeWindow::Kind::weekdays ||
      std::count(relative->weekdays.begin(), relative->weekdays.end(), true) != 1)
    return std::nullopt;
  return static_cast<unsigned>(
      std::find(relative->weekdays.begin(), relative->weekdays.end(), true) -
      relative->weekdays.begin());
}

Window apply_relative(const RelativeWindow &relative, DateRange period) {
  Window window;
  if (relative.kind == RelativeWindow::Kind::month_days) {
    window.prefer = relative.prefer;
  }
  for (Date d = period.first; d <= period.last; d += date::days{1}) {
    bool keep = false;
    switch (relative.kind) {
    case RelativeWindow::Kind::month_days:
      keep = relative.month_days[day_of(d)];
      break;
    case RelativeWindow::Kind::quarter_month: {
      const unsigned in_quarter = (month_of(d) - 1) % 3;
      keep = relative.last_month_of_quarter ? in_quarter == 2 : in_quarter == 0;
      break;
    }
    case RelativeWindow::Kind::weekdays:
      keep = relative.weekdays[weekday_index(d)];
      break;
    }
    if (keep) {
      window.dates.push_back(d);
    }
  }
  if (window.prefer == Prefer::middle) {
    const auto fifteenth = std::find_if(window.dates.begin(), window.dates.end(),
                                        [](Date d) { return day_of(d) == 15; });
    if (fifteenth != window.dates.end()) {
      window.target = *fifteenth;
    }
  }
  return window;
}

Window apply_relative_in_year(const RelativeWindow &relative, int year) {
  return apply_relative(relative, year_range(year));
}

Window intersect(const Window &a, const Window &b) {
  Window result;
  result.prefer = a.prefer;
  std::set_intersection(a.dates.begin(), a.dates.end(), b.dates.begin(), b.dates.end(),
                        std::back_inserter(result.dates));
  if (a.target && result.contains(*a.target)) {
    result.target = a.target;
  }
  return result;
}

Window restrict_to(const Window &w, DateRange range) {
  Window result;
  result.prefer = w.prefer;
  for (Date d : w.dates) {
    if (range.contains(d)) {
      result.dates.push_back(d);
    }
  }
  if (w.target && result.contains(*w.target)) {
    result.target = w.target;
  }
  return result;
}

} // namespace xun::calendar
