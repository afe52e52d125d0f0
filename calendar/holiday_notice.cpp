#include "calendar/holiday_notice.hpp"

#include "calendar/utf8.hpp"

#include "calendar/festivals.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace xun::calendar {

namespace {

// Real notices are a few kilobytes; this bounds the work on any input.
constexpr std::size_t max_notice_bytes = 256 * 1024;
constexpr int max_block_days = 31;

// The seven holidays of every notice since 2008, as its items name them.
constexpr std::array<std::u32string_view, 7> festival_names{
    U"元旦", U"春节", U"清明节", U"劳动节", U"端午节", U"中秋节", U"国庆节"};

struct Where {
  int line = 1;
  int column = 1;
};

// One character of the notice, with full-width digits and punctuation folded
// to ASCII so both widths read the same.
struct Char {
  char32_t c;
  Where at;
};

using Text = std::vector<Char>;

std::string utf8(std::u32string_view text) { return encode_utf8(text); }

char32_t fold(char32_t c) {
  if (c >= U'０' && c <= U'９')
    return U'0' + (c - U'０');
  switch (c) {
  case U'（':
    return U'(';
  case U'）':
    return U')';
  case U'：':
    return U':';
  case U'，':
    return U',';
  case U'；':
    return U';';
  case U'\t':
  case U'\u00A0':
  case U'\u3000':
    return U' ';
  case U'～':
  case U'—':
  case U'–':
  case U'－':
  case U'-':
    return U'~'; // every dash of a date range
  default:
    return c;
  }
}

// Decodes UTF-8; false (with the place) at the first byte that is not.
bool decode(std::string_view bytes, Text &out, Where &bad) {
  Where at;
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    int extra = b < 0x80           ? 0
                : (b >> 5) == 0x6  ? 1
                : (b >> 4) == 0xE  ? 2
                : (b >> 3) == 0x1E ? 3
                                   : -1;
    char32_t c = extra == 0 ? b : extra == 1 ? (b & 0x1F) : extra == 2 ? (b & 0x0F) : (b & 0x07);
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= bytes.size()) {
      bad = at;
      return false;
    }
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(k)]);
      if ((next & 0xC0) != 0x80) {
        bad = at;
        return false;
      }
      c = (c << 6) | (next & 0x3F);
    }
    const bool overlong =
        (extra == 1 && c < 0x80) || (extra == 2 && c < 0x800) || (extra == 3 && c < 0x10000);
    if (overlong || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
      bad = at;
      return false;
    }
    i += static_cast<std::size_t>(extra) + 1;
    if (c == U'\n') {
      out.push_back({c, at});
      ++at.line;
      at.column = 1;
      continue;
    }
    if (c != U'\r' && c != U'\uFEFF')
      out.push_back({fold(c), at});
    ++at.column;
  }
  return true;
}

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

bool is_numeral(char32_t c) {
  return std::u32string_view(U"一二三四五六七八九十").find(c) != std::u32string_view::npos;
}

// A syntax error inside one item: the item is given up, the others still read.
struct Syntax {
  Where at;
  std::string message;
};

// Reads one item's characters left to right; every step moves forward.
class Cursor {
public:
  explicit Cursor(const Text &text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  char32_t peek() const { return done() ? U'\0' : text_[pos_].c; }
  Where where() const {
    if (!done())
      return text_[pos_].at;
    if (text_.empty())
      return {};
    return {text_.back().at.line, text_.back().at.column + 1};
  }
  void next() { ++pos_; }
  void skip_spaces() {
    while (peek() == U' ')
      next();
  }
  bool at(std::u32string_view word) const {
    for (std::size_t k = 0; k < word.size(); ++k)
      if (pos_ + k >= text_.size() || text_[pos_ + k].c != word[k])
        return false;
    return true;
  }
  bool eat(std::u32string_view word) {
    skip_spaces();
    if (!at(word))
      return false;
    pos_ += word.size();
    return true;
  }
  // Up to `max` digits; nullopt (and nothing read) when none is here.
  std::optional<int> number(int max) {
    skip_spaces();
    if (!is_digit(peek()))
      return std::nullopt;
    const Where start = where();
    int value = 0, n = 0;
    while (is_digit(peek())) {
      if (++n > max)
        throw Syntax{start, "数字太长：这里应是" + std::to_string(max) + "位以内的数"};
      value = value * 10 + static_cast<int>(peek() - U'0');
      next();
    }
    return value;
  }
  // The text up to (not including) the first of `stops`, or to the end.
  std::u32string until(std::u32string_view stops) {
    std::u32string out;
    while (!done() && stops.find(peek()) == std::u32string_view::npos) {
      out += peek();
      next();
    }
    return out;
  }

private:
  const Text &text_;
  std::size_t pos_ = 0;
};

std::string md(Date d) {
  return std::to_string(month_of(d)) + "月" + std::to_string(day_of(d)) + "日";
}

std::string weekday_zh(Date d) { return std::string(chinese_weekday_name(weekday_index(d))); }

// A date as written: what was given, and what it means.
struct Written {
  Where at;
  bool has_year = false;
  Date date;
};

// What an item says: its days off, make-up days, and the count it states.
struct Item {
  std::string name;
  Where at;
  std::vector<Written> off;    // the range's days and 补休 days
  std::vector<Written> makeup; // 上班
};

class NoticeReader {
public:
  NoticeReader(int year, std::vector<NoticeProblem> &problems) : year_(year), problems_(problems) {}

  std::optional<Item> read(const Text &text) {
    Cursor cur(text);
    try {
      Item item;
      item.at = cur.where();
      while (is_numeral(cur.peek()))
        cur.next();
      cur.eat(U"、");
      item.name = name(cur);
      first_sentence(cur, item);
      while (true) {
        cur.skip_spaces();
        if (cur.done())
          break;
        later_sentence(cur, item);
      }
      return item;
    } catch (const Syntax &e) {
      problem(e.at, e.message);
      return std::nullopt;
    }
  }

private:
  void problem(Where at, std::string message) {
    problems_.push_back({at.line, at.column, std::move(message)});
  }

  std::string name(Cursor &cur) {
    cur.skip_spaces();
    const Where at = cur.where();
    std::u32string raw = cur.until(U":。");
    if (!cur.eat(U":"))
      throw Syntax{cur.where(), "节日名后应有冒号，如“一、元旦：1月1日（周四）放假1天。”"};
    std::u32string written;
    for (char32_t c : raw)
      if (c != U' ')
        written += c;
    if (written.empty())
      throw Syntax{at, "缺少节日名：应为元旦、春节、清明节、劳动节、端午节、中秋节或国庆节"};
    std::size_t start = 0;
    while (start <= written.size()) {
      std::size_t end = written.find(U'、', start);
      if (end == std::u32string::npos)
        end = written.size();
      check_festival(written.substr(start, end - start), at);
      start = end + 1;
    }
    return utf8(written);
  }

  void check_festival(std::u32string_view part, Where at) {
    if (std::find(festival_names.begin(), festival_names.end(), part) != festival_names.end())
      return;
    std::string hint;
    if (const auto f = festival_from_name(utf8(part)))
      for (auto known : festival_names)
        if (festival_from_name(utf8(known)) == f)
          hint = "（通知里写作“" + utf8(known) + "”）";
    throw Syntax{at, "不认识的节日“" + utf8(part) + "”" + hint +
                         "：应为元旦、春节、清明节、劳动节、端午节、中秋节或国庆节"};
  }

  // [YYYY年][M月]D日, the missing parts taken from `context`; nullopt when
  // no number starts here.
  std::optional<Written> date_text(Cursor &cur, const Written *context) {
    cur.skip_spaces();
    const Where at = cur.where();
    auto n = cur.number(4);
    if (!n)
      return std::nullopt;
    std::optional<int> year, month;
    if (cur.eat(U"年")) {
      year = *n;
      n = cur.number(2);
      if (!n || !cur.eat(U"月"))
        throw Syntax{cur.where(), "年份后应是月日，如“2026年12月31日”"};
      month = *n;
      n = cur.number(2);
    } else if (cur.eat(U"月")) {
      month = *n;
      n = cur.number(2);
    }
    if (!n || !cur.eat(U"日"))
      throw Syntax{cur.where(), "日期应写作“M月D日”，如“1月4日”"};
    Written w;
    w.at = at;
    w.has_year = year.has_value() || (context && context->has_year);
    const int y = year ? *year : context ? year_of(context->date) : year_;
    if (!month && !context)
      throw Syntax{at, "缺少月份：写作“M月D日”，如“" + std::to_string(*n) + "日”应为“某月" +
                           std::to_string(*n) + "日”"};
    const int m = month ? *month : static_cast<int>(month_of(context->date));
    if (m < 1 || m > 12)
      throw Syntax{at, std::to_string(m) + "月不存在：月份应在1到12之间"};
    const auto last = static_cast<int>(day_of(last_day_of_month(y, static_cast<unsigned>(m))));
    if (*n < 1 || *n > last)
      throw Syntax{at, std::to_string(y) + "年" + std::to_string(m) + "月没有" +
                           std::to_string(*n) + "日：这个月只有" + std::to_string(last) + "天"};
    if (y < year_ - 1 || y > year_ + 1)
      throw Syntax{at, std::to_string(y) + "年不在" + std::to_string(year_) +
                           "年的通知所管的范围内：日期应在前后一年之内"};
    w.date = make_date(y, static_cast<unsigned>(m), static_cast<unsigned>(*n));
    note(cur, w);
    return w;
  }

  Written required_date(Cursor &cur, const Written *context, const char *example) {
    auto w = date_text(cur, context);
    if (!w)
      throw Syntax{cur.where(), std::string("这里应是日期，如“") + example + "”"};
    return *w;
  }

  // "（周四）", "（农历除夕、周二）": the weekday must be the date's. Checked
  // once the parenthesis closes, so an unclosed one is one problem, not two.
  void note(Cursor &cur, const Written &w) {
    cur.skip_spaces();
    if (cur.peek() != U'(')
      return;
    cur.next();
    std::vector<std::pair<std::u32string, Where>> parts;
    while (true) {
      cur.skip_spaces();
      const Where at = cur.where();
      parts.emplace_back(cur.until(U"、,()。"), at);
      if (cur.peek() == U'、' || cur.peek() == U',') {
        cur.next();
        continue;
      }
      if (cur.peek() != U')')
        throw Syntax{cur.where(), "括号没有闭合：应为“（周四）”这样的一对括号"};
      cur.next();
      for (const auto &[part, part_at] : parts)
        check_weekday(part, part_at, w.date);
      return;
    }
  }

  void check_weekday(std::u32string_view part, Where at, Date date) {
    while (!part.empty() && part.back() == U' ')
      part.remove_suffix(1);
    std::u32string_view rest;
    if (part.starts_with(U"星期"))
      rest = part.substr(2);
    else if (part.starts_with(U"周"))
      rest = part.substr(1);
    else
      return; // 农历初一, 除夕 …: the lunar notes are not checked
    static constexpr std::u32string_view names = U"日一二三四五六";
    const std::size_t index = rest.size() == 1 ? names.find(rest[0] == U'天' ? U'日' : rest[0])
                                               : std::u32string_view::npos;
    if (index == std::u32string_view::npos) {
      problem(at, "“" + utf8(part) + "”不是星期几：应为周一……周日（或星期一……星期日）");
      return;
    }
    if (index != weekday_index(date))
      problem(at, md(date) + "是" + weekday_zh(date) + "，不是“" + utf8(part) + "”");
  }

  void sentence_end(Cursor &cur) {
    cur.skip_spaces();
    if (cur.done() || cur.eat(U"。") || cur.eat(U";"))
      return;
    throw Syntax{cur.where(), "这句话应在此结束（句号“。”）"};
  }

  // "M月D日（周四）至3日（周六）放假调休，共3天" and its variants.
  void first_sentence(Cursor &cur, Item &item) {
    const Written first =
        required_date(cur, nullptr, "1月1日（周四）至3日（周六）放假调休，共3天。");
    Written last = first;
    cur.skip_spaces();
    if (cur.eat(U"至") || cur.eat(U"~"))
      last = required_date(cur, &first, "3日（周六）");
    if (!cur.eat(U"放假"))
      throw Syntax{cur.where(), "日期后应是“放假”，如“1月1日至3日放假调休，共3天。”"};
    if (!cur.eat(U"调休"))
      cur.eat(U"公休");
    std::optional<std::pair<int, Where>> count;
    cur.skip_spaces();
    const Where count_at = cur.where();
    if (auto n = cur.number(3)) {
      if (!cur.eat(U"天"))
        throw Syntax{cur.where(), "天数后应是“天”，如“放假1天”"};
      count = {*n, count_at};
    }
    std::vector<Written> extra_off;
    while (cur.eat(U",") || cur.eat(U"、")) {
      cur.skip_spaces();
      const Where at = cur.where();
      if (cur.eat(U"共")) {
        auto n = cur.number(3);
        if (!n || !cur.eat(U"天"))
          throw Syntax{cur.where(), "应为“共N天”，如“共3天”"};
        count = {*n, at};
      } else if (cur.eat(U"不调休") || cur.eat(U"与周末连休")) {
        // the block is as written: nothing more to add
      } else if (is_digit(cur.peek())) {
        append_list(cur, extra_off);
        if (!cur.eat(U"补休"))
          throw Syntax{cur.where(), "日期后应是“补休”，如“5月2日（周一）补休”"};
      } else {
        throw Syntax{at, "应为“共N天”、“不调休”、“与周末连休”或“M月D日补休”"};
      }
    }
    sentence_end(cur);

    if (last.date < first.date) {
      problem(last.at, "结束日期" + md(last.date) + "早于开始日期" + md(first.date) +
                           (first.has_year ? "" : "：跨年的日期要写年份，如“2026年12月31日”"));
      return;
    }
    const long length = (last.date - first.date).count() + 1;
    if (length > max_block_days) {
      problem(last.at, "放假" + std::to_string(length) + "天太长：一个节日的假期不超过" +
                           std::to_string(max_block_days) + "天，请检查日期");
      return;
    }
    for (Date d = first.date; d <= last.date; d += date::days{1})
      item.off.push_back({d == first.date ? first.at : last.at, first.has_year, d});
    for (const auto &w : extra_off)
      item.off.push_back(w);
    if (count && count->first != static_cast<int>(item.off.size()))
      problem(count->second, "写的是" + std::to_string(count->first) + "天，但" + md(first.date) +
                                 (length > 1 ? "至" + md(last.date) : "") +
                                 (extra_off.empty() ? "" : "加补休") + "是" +
                                 std::to_string(item.off.size()) + "天：天数应为" +
                                 std::to_string(item.off.size()));
  }

  // "2月14日（周六）、2月28日（周六）上班", "…补休", or an advice sentence.
  void later_sentence(Cursor &cur, Item &item) {
    if (cur.at(U"鼓励")) { // "鼓励各单位…安排职工在除夕休息": advice, no days
      cur.until(U"。;");
      sentence_end(cur);
      return;
    }
    if (!is_digit(cur.peek()))
      throw Syntax{cur.where(), "这里应是调休上班的日期，如“1月4日（周日）上班。”"};
    std::vector<Written> days;
    append_list(cur, days);
    if (cur.eat(U"上班")) {
      for (const auto &w : days) {
        const unsigned wd = weekday_index(w.date);
        if (wd != 0 && wd != 6)
          problem(w.at, "上班的调休日" + md(w.date) + "是" + weekday_zh(w.date) +
                            "：调休上班的日子应是周六或周日");
        item.makeup.push_back(w);
      }
    } else if (cur.eat(U"补休")) {
      item.off.insert(item.off.end(), days.begin(), days.end());
    } else {
      throw Syntax{cur.where(), "日期后应是“上班”（调休上班）或“补休”"};
    }
    sentence_end(cur);
  }

  // "10月4日（星期六）、5日（星期日）": a later date may leave out its month.
  void append_list(Cursor &cur, std::vector<Written> &out) {
    do {
      const Written *context = out.empty() ? nullptr : &out.back();
      out.push_back(required_date(cur, context, "2月14日（周六）"));
    } while (cur.eat(U"、") || cur.eat(U","));
  }

  int year_;
  std::vector<NoticeProblem> &problems_;
};

// A line that starts an item: "一、…" after any indent.
std::optional<std::size_t> item_start(const Text &text, std::size_t from, std::size_t to) {
  std::size_t i = from;
  while (i < to && text[i].c == U' ')
    ++i;
  std::size_t j = i;
  while (j < to && is_numeral(text[j].c))
    ++j;
  if (j == i || j >= to || text[j].c != U'、')
    return std::nullopt;
  return i;
}

// Each item's characters: from its numeral to the end of its line, and on
// through lines that continue it (a sentence broken by a line end).
std::vector<Text> items_of(const Text &text) {
  std::vector<std::pair<std::size_t, std::size_t>> lines;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i].c == U'\n') {
      lines.emplace_back(begin, i);
      begin = i + 1;
    }
  std::vector<Text> items;
  bool open = false; // the last item's sentence has not ended yet
  for (const auto &[from, to] : lines) {
    const auto start = item_start(text, from, to);
    std::size_t first = from;
    while (first < to && text[first].c == U' ')
      ++first;
    if (start) {
      items.emplace_back(text.begin() + static_cast<long>(*start),
                         text.begin() + static_cast<long>(to));
    } else if (open && first < to) {
      items.back().push_back({U' ', text[first].at});
      items.back().insert(items.back().end(), text.begin() + static_cast<long>(first),
                          text.begin() + static_cast<long>(to));
    } else {
      open = false;
      continue;
    }
    std::size_t end = items.back().size();
    while (end > 0 && items.back()[end - 1].c == U' ')
      --end;
    open = end > 0 && items.back()[end - 1].c != U'。';
  }
  return items;
}

struct Title {
  int year = 0;
  Where at;
};

// "…关于2026年部分节假日安排的通知": the first such title gives the year.
std::optional<Title> title_of(const Text &text) {
  static constexpr std::u32string_view before = U"关于", after = U"年部分节假日安排";
  const auto matches = [&](std::size_t i, std::u32string_view word) {
    if (i + word.size() > text.size())
      return false;
    for (std::size_t k = 0; k < word.size(); ++k)
      if (text[i + k].c != word[k])
        return false;
    return true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!matches(i, before))
      continue;
    std::size_t j = i + before.size();
    while (j < text.size() && text[j].c == U' ')
      ++j;
    const std::size_t digits = j;
    int year = 0;
    while (j < text.size() && is_digit(text[j].c) && j - digits < 4)
      year = year * 10 + static_cast<int>(text[j++].c - U'0');
    if (j - digits == 4 && matches(j, after))
      return Title{year, text[digits].at};
  }
  return std::nullopt;
}

// "https://www.gov.cn/…" anywhere in the text, in order, each once.
std::vector<std::string> papers_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (true) {
    const std::size_t at = text.find("http", from);
    if (at == std::string_view::npos)
      break;
    std::size_t end = at;
    while (end < text.size() && static_cast<unsigned char>(text[end]) > 0x20 &&
           static_cast<unsigned char>(text[end]) < 0x7F &&
           std::string_view("()<>\"'").find(text[end]) == std::string_view::npos)
      ++end;
    const std::string_view url = text.substr(at, end - at);
    if ((url.starts_with("https://") || url.starts_with("http://")) && url.size() > 8 &&
        std::find(out.begin(), out.end(), url) == out.end())
      out.emplace_back(url);
    from = std::max(end, at + 4);
  }
  return out;
}

std::string festival_list() {
  std::string out;
  for (auto name : festival_names)
    out += (out.empty() ? "" : "、") + utf8(name);
  return out;
}

} // namespace

std::string NoticeProblem::to_string(const std::string &source) const {
  return source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

NoticeParse parse_holiday_notice(std::string_view bytes, std::optional<int> year) {
  NoticeParse out;
  auto &problems = out.problems;
  if (bytes.size() > max_notice_bytes) {
    problems.push_back({1, 1,
                        "通知有" + std::to_string(bytes.size()) + "字节，超过了" +
                            std::to_string(max_notice_bytes) + "字节的上限：只需通知的正文"});
    return out;
  }
  Text text;
  Where bad;
  if (!decode(bytes, text, bad)) {
    problems.push_back({bad.line, bad.column, "这里不是 UTF-8 文字：请把通知存为 UTF-8 文本"});
    return out;
  }

  const auto title = title_of(text);
  if (year && (*year < 1900 || *year > 9998)) {
    problems.push_back({1, 1, "年份" + std::to_string(*year) + "不对：应在1900到9998之间"});
    return out;
  }
  if (title && year && title->year != *year) {
    problems.push_back({title->at.line, title->at.column,
                        "标题说的是" + std::to_string(title->year) + "年，但指定的年份是" +
                            std::to_string(*year) + "年：两者应一致"});
    return out;
  }
  if (!title && !year) {
    problems.push_back({1, 1,
                        "找不到标题“国务院办公厅关于YYYY年部分节假日安排的通知”，"
                        "不知道是哪一年：请保留标题，或指定年份（--year）"});
    return out;
  }
  const int notice_year = year ? *year : title->year;
  if (notice_year < 1900 || notice_year > 9998) {
    problems.push_back({title->at.line, title->at.column,
                        "年份" + std::to_string(notice_year) + "不对：应在1900到9998之间"});
    return out;
  }

  const auto texts = items_of(text);
  if (texts.empty()) {
    problems.push_back({1, 1,
                        "通知里没有节假日条目：每条应单独一行，如“一、元旦：1月1日（周四）至3日"
                        "（周六）放假调休，共3天。1月4日（周日）上班。”"});
    return out;
  }

  NoticeReader reader(notice_year, problems);
  std::map<Date, std::pair<std::string, Where>> seen; // date → item name, where
  std::set<std::u32string> named;
  HolidayNotice notice;
  notice.year = notice_year;
  for (const auto &item_text : texts) {
    const auto item = reader.read(item_text);
    if (!item)
      continue;
    const auto add = [&](const Written &w, bool off) {
      const auto [it, fresh] = seen.try_emplace(w.date, item->name, w.at);
      if (!fresh) {
        problems.push_back({w.at.line, w.at.column,
                            md(w.date) + "已在第" + std::to_string(it->second.second.line) + "行“" +
                                it->second.first + "”里出现：一天只能属于一个安排"});
        return;
      }
      notice.days.push_back({w.date, off, item->name});
    };
    for (const auto &w : item->off)
      add(w, true);
    for (const auto &w : item->makeup)
      add(w, false);
    // Which of the seven the item names ("国庆节、中秋节" names two).
    for (auto known : festival_names)
      if (item->name.find(utf8(known)) != std::string::npos)
        named.insert(std::u32string(known));
  }
  const bool clean = problems.empty(); // a missing item is often a broken one
  for (auto known : festival_names)
    if (!named.contains(std::u32string(known)) && clean)
      problems.push_back({texts.back().front().at.line, 1,
                          "通知里没有“" + utf8(known) + "”的安排：每年的通知都有" +
                              festival_list() + "七项（可合并为一条，如“国庆节、中秋节”）"});

  std::stable_sort(problems.begin(), problems.end(), [](const auto &a, const auto &b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  if (!problems.empty())
    return out;
  std::sort(notice.days.begin(), notice.days.end(),
            [](const HolidayDay &a, const HolidayDay &b) { return a.date < b.date; });
  notice.papers = papers_of(bytes);
  out.notice = std::move(notice);
  return out;
}

std::string holiday_cn_json(const HolidayNotice &notice) {
  using nlohmann::ordered_json;
  const std::string base = "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/";
  ordered_json doc;
  doc["$schema"] = base + "schema.json";
  doc["$id"] = base + std::to_string(notice.year) + ".json";
  doc["year"] = notice.year;
  doc["papers"] = notice.papers;
  doc["days"] = ordered_json::array();
  for (const auto &day : notice.days)
    doc["days"].push_back(
        {{"name", day.name}, {"date", format_iso_date(day.date)}, {"isOffDay", day.off}});
  return doc.dump(4);
}

std::string replacement_refusal(const std::filesystem::path &path,
                                const std::vector<HolidayDay> &days) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return "";
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<HolidayDay> old;
  try {
    old = parse_holiday_cn_json(text.str(), path.string());
  } catch (const HolidayDataError &) {
    return path.string() + " exists and is not a holiday set";
  }
  std::sort(old.begin(), old.end(),
            [](const HolidayDay &a, const HolidayDay &b) { return a.date < b.date; });
  if (old.empty() || old == days)
    return "";
  std::size_t i = 0;
  while (i < old.size() && i < days.size() && old[i] == days[i])
    ++i;
  const Date differs = i < old.size() ? old[i].date : days[i].date;
  return path.string() + " already holds official data for " + std::to_string(year_of(differs)) +
         " (" + std::to_string(old.size()) + " days) that differs from the notice, first on " +
         format_iso_date(differs);
}

} // namespace xun::calendar
