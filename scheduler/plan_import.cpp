#include "scheduler/plan_import.hpp"

#include "calendar/utf8.hpp"
#include "calendar/windows.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <vector>

namespace xun::scheduler {

namespace {

std::u32string decode(std::string_view s) { return calendar::decode_utf8(s); }
std::string encode(std::u32string_view s) { return calendar::encode_utf8(s); }

bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\r' || c == U'\u3000'; }

std::u32string trim(std::u32string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_space(s[b]))
    ++b;
  while (e > b && is_space(s[e - 1]))
    --e;
  return std::u32string(s.substr(b, e - b));
}

bool starts_with(std::u32string_view s, std::u32string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_chinese_digit(char32_t c) {
  return std::u32string_view(U"一二两三四五六七八九十").find(c) != std::u32string_view::npos;
}

// Ends a sentence: what a wrapped line does not end with.
bool is_terminal(char32_t c) {
  return std::u32string_view(U"。；;：:！？!?）)").find(c) != std::u32string_view::npos;
}

// ---- numbering: "- ", "1、", "（一）", "一、" ----------------------------

struct Numbered {
  std::u32string body;
  bool item = false;    // 1、 1. （1）: a numbered item
  bool section = false; // 一、: a section heading's number
  bool paren = false;   // （一） (一)、: a sub-heading's number
};

Numbered strip_numbering(std::u32string s) {
  Numbered n;
  for (const std::u32string_view bullet : {U"- ", U"• ", U"· ", U"－ "})
    if (starts_with(s, bullet))
      s = trim(s.substr(bullet.size()));
  std::size_t k = 0;
  if (!s.empty() && (s[0] == U'（' || s[0] == U'(')) {
    k = 1;
    while (k < s.size() && (is_digit(s[k]) || is_chinese_digit(s[k])))
      ++k;
    if (k > 1 && k < s.size() && (s[k] == U'）' || s[k] == U')')) {
      ++k;
      if (k < s.size() && s[k] == U'、')
        ++k;
      n.paren = true;
      n.item = is_digit(s[1]);
      n.body = trim(s.substr(k));
      return n;
    }
    k = 0;
  }
  while (k < s.size() && is_digit(s[k]))
    ++k;
  if (k > 0 && k < s.size() &&
      std::u32string_view(U"、.．)）").find(s[k]) != std::u32string_view::npos) {
    n.item = true;
    n.body = trim(s.substr(k + 1));
    return n;
  }
  k = 0;
  while (k < s.size() && is_chinese_digit(s[k]))
    ++k;
  if (k > 0 && k < s.size() && s[k] == U'、') {
    n.section = true;
    n.body = trim(s.substr(k + 1));
    return n;
  }
  n.body = s;
  return n;
}

// ---- windows, counts, kinds ---------------------------------------------

struct Activity {
  std::string title;
  std::string kind;
  std::string when;                // empty: 全年 (the default)
  std::vector<std::string> repeat; // a list of windows
  std::string repeat_word;         // 每月初, 每季度 …
  std::string count;               // "4", "2-3"; empty: one
  std::string description;
};

class Reader {
public:
  explicit Reader(const ImportOptions &options) : options_(options) {}

  // An absolute window that `text` is, as a whole.
  bool is_window(const std::u32string &text) const {
    if (text.empty() || text.back() == U'、' || text.back() == U'，')
      return false;
    const auto parsed = calendar::parse_window(encode(text), {options_.year, nullptr});
    return std::holds_alternative<calendar::Window>(parsed);
  }

  // The longest window at the start of `s` (at most 20 characters): its length, or 0.
  std::size_t leading_window(const std::u32string &s) const {
    for (std::size_t k = std::min<std::size_t>(s.size(), 20); k > 0; --k)
      if (is_window(s.substr(0, k)))
        return k;
    return 0;
  }

private:
  const ImportOptions &options_;
};

// 每月初, 每月, 每季度 … at the start: the repeat word and its length.
std::pair<std::string, std::size_t> leading_repeat(std::u32string_view s) {
  static constexpr std::array<std::pair<std::u32string_view, std::string_view>, 9> words{{
      {U"每月初", "每月初"},
      {U"每月中", "每月中"},
      {U"每月底", "每月底"},
      {U"每月末", "每月末"},
      {U"每个月", "每月"},
      {U"每月", "每月"},
      {U"每季度", "每季度"},
      {U"每半年", "每半年"},
      {U"每周", "每周"},
  }};
  for (const auto &[word, repeat] : words)
    if (starts_with(s, word))
      return {std::string(repeat), word.size()};
  return {"", 0};
}

int numeral(std::u32string_view s) {
  if (s.empty())
    return -1;
  if (std::all_of(s.begin(), s.end(), is_digit)) {
    int v = 0;
    for (char32_t c : s)
      v = std::min(v * 10 + static_cast<int>(c - U'0'), 100000);
    return v;
  }
  constexpr std::u32string_view digits = U"零一二三四五六七八九";
  if (s == U"两")
    return 2;
  if (s.size() == 1 && digits.find(s[0]) != std::u32string_view::npos)
    return static_cast<int>(digits.find(s[0]));
  if (s == U"十")
    return 10;
  if (s.size() == 2 && s[0] == U'十' && digits.find(s[1]) != std::u32string_view::npos)
    return 10 + static_cast<int>(digits.find(s[1]));
  return -1;
}

struct Count {
  std::string text;     // "4", "2-3", "" for once
  std::size_t from = 0; // the phrase's place in the clause
  std::size_t to = 0;
};

// "不少于4次", "2-3次", "20篇以上", "一次": a count of occurrences in `s`.
std::optional<Count> find_count(const std::u32string &s) {
  for (std::size_t u = 0; u < s.size(); ++u) {
    if (std::u32string_view(U"次场篇期").find(s[u]) == std::u32string_view::npos)
      continue;
    std::size_t b = u;
    while (b > 0 && (is_digit(s[b - 1]) || is_chinese_digit(s[b - 1]) || s[b - 1] == U'-' ||
                     s[b - 1] == U'－' || s[b - 1] == U'~' || s[b - 1] == U'～'))
      --b;
    // "每一次活动" is each time, not a count.
    if (b == u || (b > 0 && s[b - 1] == U'每'))
      continue;
    std::u32string number = s.substr(b, u - b);
    std::replace_if(
        number.begin(), number.end(),
        [](char32_t c) { return c == U'－' || c == U'~' || c == U'～'; }, U'-');
    const auto dash = number.find(U'-');
    const int low = numeral(number.substr(0, dash));
    const int high = dash == std::u32string::npos ? low : numeral(number.substr(dash + 1));
    if (low < 1 || high < low || high > 1000)
      continue;
    // "缺席1次扣2分" counts points, not occurrences.
    if (s.find(U'扣') != std::u32string::npos)
      return std::nullopt;
    std::size_t from = b;
    for (const std::u32string_view at_least : {U"不少于", U"不低于", U"至少", U"最少"})
      if (from >= at_least.size() && s.substr(from - at_least.size(), at_least.size()) == at_least)
        from -= at_least.size();
    std::size_t to = u + 1;
    if (s.substr(to, 2) == U"以上")
      to += 2;
    Count c{"", from, to};
    if (high > 1)
      c.text = low == high ? std::to_string(low) : std::to_string(low) + "-" + std::to_string(high);
    return c;
  }
  return std::nullopt;
}

std::string kind_of(const std::u32string &title, const std::u32string &body) {
  struct Kind {
    std::string_view kind;
    std::array<std::u32string_view, 7> words;
  };
  static const std::array<Kind, 7> kinds{{
      {"dues", {U"党费", U"会费"}},
      {"deadline", {U"填报", U"报送", U"上报", U"整理成册", U"归档", U"截止"}},
      {"research", {U"调研"}},
      {"inspection", {U"视察", U"检查", U"监督", U"督查", U"评议"}},
      {"report", {U"汇报", U"报告", U"述职", U"总结", U"报道", U"申报", U"通报"}},
      {"study", {U"学习", U"培训", U"讲座", U"授课", U"教育", U"宣讲", U"观摩"}},
      {"meeting", {U"会议", U"大会", U"座谈", U"茶话会", U"全会", U"小组会", U"班子会"}},
  }};
  for (const std::u32string *text : {&title, &body})
    for (const auto &k : kinds)
      for (const auto word : k.words)
        if (!word.empty() && text->find(word) != std::u32string::npos)
          return std::string(k.kind);
  return "other";
}

// The first sentence of `s`, made a title: leading punctuation and 分别
// dropped, cut at a comma when long.
std::u32string title_of(std::u32string s) {
  while (!s.empty() &&
         std::u32string_view(U"，,、：: ").find(s.front()) != std::u32string_view::npos)
    s.erase(0, 1);
  if (starts_with(s, U"分别"))
    s.erase(0, 2);
  s = s.substr(0, std::min(s.find_first_of(U"。；;□"), s.size()));
  if (s.size() > 20) {
    // At the first comma outside quotation marks: “追寻前辈足迹，…” stays whole.
    int quotes = 0;
    for (std::size_t i = 4; i < s.size(); ++i) {
      quotes += s[i] == U'“' ? 1 : s[i] == U'”' ? -1 : 0;
      if (quotes <= 0 && (s[i] == U'，' || s[i] == U',')) {
        s = s.substr(0, i);
        break;
      }
    }
  }
  if (s.size() > 40)
    s = s.substr(0, 40) + U"…";
  while (!s.empty() &&
         std::u32string_view(U"，,、：: ").find(s.back()) != std::u32string_view::npos)
    s.pop_back();
  return s;
}

// What to name an item from its head ("学习培训(10分)：…" → 学习培训).
std::u32string head_of(const std::u32string &body) {
  return trim(body.substr(0, std::min(body.find_first_of(U"(（：:，,。；"), body.size())));
}

std::vector<std::u32string> split(const std::u32string &s, std::u32string_view separators) {
  std::vector<std::u32string> out;
  std::size_t b = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || separators.find(s[i]) != std::u32string_view::npos) {
      if (i > b)
        out.push_back(trim(s.substr(b, i - b)));
      b = i + 1;
    }
  }
  return out;
}

// "召开党小组会、党支部委员会、党支部大会各一次": one activity for each.
std::vector<std::u32string> each_once(const std::u32string &clause) {
  const auto each = clause.find(U"各");
  if (each == std::u32string::npos ||
      !(clause.substr(each + 1, 2) == U"一次" || clause.substr(each + 1, 2) == U"1次"))
    return {};
  std::u32string list = clause.substr(0, each);
  std::u32string verb;
  for (const std::u32string_view v : {U"召开", U"组织", U"开展", U"举办", U"进行"})
    if (starts_with(list, v)) {
      verb = v;
      list.erase(0, v.size());
    }
  std::vector<std::u32string> out;
  for (const auto &part : split(list, U"、"))
    out.push_back(verb + part);
  return out.size() > 1 ? out : std::vector<std::u32string>{};
}

// ---- the draft's YAML ---------------------------------------------------

std::string yaml_quoted(const std::string &s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      out += ' ';
    else
      out += c;
  }
  return out + "\"";
}

std::string comment(const std::string &s) {
  std::string out;
  for (const char c : s)
    out += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c;
  return out;
}

class Importer {
public:
  explicit Importer(const ImportOptions &options) : options_(options), reader_(options) {}

  ImportResult run(std::string_view text) {
    ImportResult result;
    if (auto problem = encoding_problem(text)) {
      result.encoding = std::move(problem);
      return result;
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
      text.remove_prefix(3);
    for (const auto &line : logical_lines(decode(text)))
      read_line(line);
    result.items = activities_;
    result.unread = unread_;
    result.yaml = header() + body_;
    return result;
  }

private:
  const ImportOptions &options_;
  Reader reader_;
  std::string body_;
  std::string first_line_;
  std::u32string context_;         // the window of the heading above (五月份, 第一季度)
  std::map<std::string, int> ids_; // per kind, the last number given
  std::size_t activities_ = 0;
  std::size_t unread_ = 0;

  // Lines of the text, a wrapped line joined to the one it continues.
  std::vector<std::u32string> logical_lines(const std::u32string &text) {
    std::vector<std::u32string> lines;
    bool joinable = false;
    for (const auto &raw : split_lines(text)) {
      const std::u32string line = trim(raw);
      if (line.empty())
        continue;
      const Numbered n = strip_numbering(line);
      const bool starts_anew = n.item || n.section || n.paren || n.body != line;
      if (joinable && !starts_anew) {
        lines.back() += line;
      } else {
        lines.push_back(line);
      }
      joinable = lines.back().size() >= 25 && !is_terminal(lines.back().back());
    }
    return lines;
  }

  static std::vector<std::u32string> split_lines(const std::u32string &text) {
    std::vector<std::u32string> out;
    std::size_t b = 0;
    for (std::size_t i = 0; i <= text.size(); ++i)
      if (i == text.size() || text[i] == U'\n') {
        out.push_back(text.substr(b, i - b));
        b = i + 1;
      }
    return out;
  }

  void note(const std::u32string &line) { body_ += "  # " + comment(encode(line)) + "\n"; }

  void unread(const std::u32string &line) {
    body_ += "  # 未识别: " + comment(encode(line)) + "\n";
    ++unread_;
  }

  void read_line(const std::u32string &line) {
    if (first_line_.empty())
      first_line_ = encode(line);
    const Numbered n = strip_numbering(line);
    // A heading that is a window (第一季度, （三）五月份：, (一)一、二月份：)
    // dates the items under it.
    std::u32string heading = n.paren ? n.body : trim(line);
    for (const std::u32string_view bullet : {U"- ", U"· "})
      if (starts_with(heading, bullet))
        heading = trim(heading.substr(bullet.size()));
    while (!heading.empty() && (heading.back() == U'：' || heading.back() == U':'))
      heading.pop_back();
    if (!n.item && heading.size() <= 12 && reader_.is_window(heading)) {
      context_ = heading;
      note(line);
      return;
    }
    if (n.section && n.body.size() <= 30 && n.body.find(U'。') == std::u32string::npos) {
      context_.clear();
      note(line);
      return;
    }
    if (!read_item(n))
      unread(line);
  }

  // The activities of one item; false when it has none.
  bool read_item(const Numbered &n) {
    const std::u32string &body = n.body;
    const auto [repeat, repeat_length] = leading_repeat(body);
    if (repeat_length > 0) {
      Activity a;
      a.repeat_word = repeat;
      add(a, body.substr(repeat_length), body, body);
      return true;
    }
    if (const std::size_t w = reader_.leading_window(body)) {
      dated(body, body.substr(0, w), body.substr(w));
      return true;
    }
    if (n.item && !context_.empty()) {
      dated(body, context_, body);
      return true;
    }
    return counted_clauses(body);
  }

  // An item that starts with its window (or sits under a dated heading).
  void dated(const std::u32string &body, const std::u32string &window, std::u32string rest) {
    Activity a;
    while (!rest.empty() &&
           std::u32string_view(U"，,、 ").find(rest.front()) != std::u32string_view::npos)
      rest.erase(0, 1);
    const auto items = split(window, U"、");
    const bool each_listed = starts_with(rest, U"分别") && items.size() > 1 &&
                             std::all_of(items.begin(), items.end(),
                                         [&](const auto &i) { return reader_.is_window(i); });
    if (each_listed)
      for (const auto &i : items)
        a.repeat.push_back(encode(i));
    else
      a.when = encode(window);
    const auto sentences = split(rest, U"。；;");
    std::size_t first_extra = 0;
    if (!sentences.empty()) {
      const auto listed = each_once(split(sentences[0], U"，,")[0]);
      if (listed.empty()) {
        if (const auto c = find_count(sentences[0]))
          a.count = c->text;
        add(a, rest, sentences[0], body);
      }
      for (const auto &title : listed)
        add(a, title, title, body);
      first_extra = 1;
    } else {
      add(a, head_of(body), body, body);
    }
    // "…；召开党支部委员会、党支部大会各一次": more in the same window.
    for (std::size_t k = first_extra; k < sentences.size(); ++k)
      for (const auto &clause : split(sentences[k], U"，,"))
        for (const auto &title : each_once(clause)) {
          Activity more = a;
          more.count.clear();
          add(more, title, title, body);
        }
  }

  // An undated item: each clause with a count ("全年举办2-3次学习讲座",
  // "年内组织集体活动不少于4次") or that starts with the year and a verb
  // ("年内继续开展…民主评议活动") is an activity.
  bool counted_clauses(const std::u32string &body) {
    bool any = false;
    for (auto clause : split(body, U"。；;，,()（）")) {
      while (!clause.empty() &&
             std::u32string_view(U"：:、").find(clause.front()) != std::u32string_view::npos)
        clause.erase(0, 1);
      std::u32string rest = clause;
      Activity a;
      if (const auto [repeat, length] = leading_repeat(clause); length > 0) {
        a.repeat_word = repeat;
        add(a, clause.substr(length), clause, body);
        any = true;
        continue;
      }
      if (const std::size_t w = reader_.leading_window(clause)) {
        a.when = encode(clause.substr(0, w));
        rest = clause.substr(w);
      }
      const auto count = find_count(rest);
      const bool acts =
          !a.when.empty() &&
          (starts_with(rest, U"继续") || starts_with(rest, U"将") || starts_with(rest, U"开展") ||
           starts_with(rest, U"组织") || starts_with(rest, U"举办") || starts_with(rest, U"召开"));
      // Once, without a window ("参加一次社会公益活动"), is how, not when.
      if ((!count && !acts) || (count && count->text.empty() && a.when.empty()))
        continue;
      std::u32string title = rest;
      if (count) {
        a.count = count->text;
        title = rest.substr(0, count->from) + rest.substr(count->to);
      }
      for (const std::u32string_view filler : {U"并", U"专门", U"继续", U"人均", U"至少"})
        if (starts_with(title, filler))
          title.erase(0, filler.size());
      if (trim(title).size() < 2)
        title = head_of(body);
      add(a, title, clause, body);
      any = true;
    }
    return any;
  }

  // One activity: titled from `title_text`, its kind from the title, else
  // from `clause` (the words it came from); `body` is kept as its description.
  void add(Activity a, const std::u32string &title_text, const std::u32string &clause,
           const std::u32string &body) {
    std::u32string title = title_of(title_text);
    if (title.size() < 2)
      title = head_of(body);
    if (title.empty())
      title = U"活动";
    a.title = encode(title);
    a.kind = kind_of(title, clause);
    if (encode(body) != a.title)
      a.description = encode(body);
    const std::string id = a.kind + "-" + std::to_string(++ids_[a.kind]);
    body_ += "  - id: " + id + "\n";
    body_ += "    title: " + yaml_quoted(a.title) + "\n";
    body_ += "    kind: " + a.kind + "\n";
    if (!a.when.empty())
      body_ += "    when: " + yaml_quoted(a.when) + "\n";
    if (!a.repeat_word.empty())
      body_ += "    repeat: " + yaml_quoted(a.repeat_word) + "\n";
    if (!a.repeat.empty()) {
      std::string list;
      for (const auto &w : a.repeat)
        list += (list.empty() ? "" : ", ") + yaml_quoted(w);
      body_ += "    repeat: [" + list + "]\n";
    }
    if (!a.count.empty())
      body_ += "    count: " + a.count + "\n";
    if (a.kind == "dues" || a.kind == "deadline")
      body_ += "    all_day: true\n";
    if (!a.description.empty())
      body_ += "    description: " + yaml_quoted(a.description) + "\n";
    ++activities_;
  }

  std::string header() const {
    std::string title = options_.title;
    if (title.empty())
      title = decode(first_line_).size() <= 40 && !first_line_.empty() ? first_line_ : "工作计划";
    const std::string source = options_.source.empty() ? "" : "（" + options_.source + "）";
    std::string out;
    out += "# 草稿：由 xun import 从文本" + source +
           "生成；请核对每项的时间、次数和类型，补上参加人员和地点，再用 xun check 检查。\n";
    out += "# Draft made by xun import: check each item's window, count and kind, add attendees "
           "and rooms, then run xun check.\n";
    out += "# 识别 " + std::to_string(activities_) + " 项活动，" + std::to_string(unread_) +
           " 行未识别（以“# 未识别:”保留） / " + std::to_string(activities_) + " activities, " +
           std::to_string(unread_) + " lines not read (kept as \"# 未识别:\")\n";
    out += "plan: " + yaml_quoted(title) + "\n";
    out += "year: " + std::to_string(options_.year) + "\n";
    out += activities_ == 0 ? "activities: []\n" : "activities:\n";
    return out;
  }
};

} // namespace

ImportResult import_plan(std::string_view text, const ImportOptions &options) {
  return Importer(options).run(text);
}

} // namespace xun::scheduler
