// A YAML (or JSON) text being read strictly: every problem located as
// FILE:LINE:COL (columns in characters), unknown and duplicate keys refused
// with the nearest known key. Shared by the plan and records loaders.
// Internal to the scheduler.
#pragma once

#include "scheduler/input_text.hpp"
#include "scheduler/plan.hpp"
#include "scheduler/plan_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace xun::scheduler::detail {

constexpr int max_depth = 64; // nested lists and maps

struct Field {
  YAML::Node key;
  YAML::Node value;
};
using Fields = std::map<std::string, Field>;

std::vector<char32_t> code_points(std::string_view s); // UTF-8, leniently
// The candidate closest to `word` by edit distance; the first on ties.
std::string nearest(std::string_view word, const std::vector<std::string> &candidates);
// "; did you mean 'x'?" or "".
std::string suggestion(std::string_view word, const std::vector<std::string> &candidates);
std::string describe_type(const YAML::Node &node);    // "'text'", "a list", "a map", "nothing"
std::string describe_type_zh(const YAML::Node &node); // "'text'"、"列表"、"映射"、"空值"

// Messages a newcomer meets are Chinese first, then English: "zh / en".
inline std::string both(const std::string &zh, const std::string &en) { return zh + " / " + en; }
// The place of an English message in Chinese: "in activity 'a'" → "（活动 'a'）",
// "at the top of the plan" → "（计划顶层）", "in calendar" → "（calendar 中）".
std::string zh_place(const std::string &where);
// What a message is about, in Chinese: "title in activity 'a'" → "title（活动 'a'）",
// "a date in calendar.closed" → "日期（calendar.closed 中）".
std::string zh_subject(const std::string &what);
// Whose key a message names, in Chinese, ending in "的 " ("" for none):
// "in activity 'a'" → "活动 'a' 的 ", "in after in activity 'a'" → "活动 'a' 的 after 的 ".
std::string zh_owner(const std::string &where);
// `owner` + `thing`, without the space before a Chinese thing: "活动 'a' 的标题".
std::string zh_of(const std::string &owner, const std::string &thing);
// "; did you mean 'x'?" in Chinese ("；是不是 'x'？"), or "".
std::string suggestion_zh(std::string_view word, const std::vector<std::string> &candidates);

class YamlDocument {
public:
  YamlDocument(std::string_view text, std::string file);

protected:
  // The document's root; nullopt (with the problem recorded) on a syntax
  // error or nesting deeper than max_depth. `limit_hint` ends the too-deep
  // message ("a plan needs no more than 5"), `limit_hint_zh` in Chinese.
  std::optional<YAML::Node> parse_root(const std::string &limit_hint,
                                       const std::string &limit_hint_zh);

  // ---- positions and messages ----
  SourcePos pos_of(const YAML::Mark &mark) const {
    if (mark.is_null() || mark.line < 0)
      return {};
    const auto line = static_cast<std::size_t>(mark.line);
    if (line >= line_starts_.size())
      return {mark.line + 1, mark.column + 1};
    const std::size_t end =
        std::min(text_.size(), line_starts_[line] + static_cast<std::size_t>(mark.column));
    // Items of a long flow list are located in order: count on from the last
    // position on the same line, so a line is scanned once, not once per item.
    if (counted_.line != line || counted_.byte > end)
      counted_ = {line, line_starts_[line], 0};
    for (; counted_.byte < end; ++counted_.byte)
      if ((static_cast<unsigned char>(text_[counted_.byte]) & 0xC0) != 0x80 &&
          !is_inserted(counted_.byte))
        ++counted_.chars;
    return {mark.line + 1, counted_.chars + 1};
  }
  SourcePos pos_of(const YAML::Node &node) const { return pos_of(node.Mark()); }
  SourcePos pos_of(const Field &f) const {
    const SourcePos value = pos_of(f.value);
    return value.line > 0 ? value : pos_of(f.key);
  }
  // Column (1-based, characters) where a scalar's text starts: after its quote.
  SourcePos text_pos(const YAML::Node &node) const {
    SourcePos p = pos_of(node);
    const YAML::Mark m = node.Mark();
    if (!m.is_null() && m.pos >= 0 && static_cast<std::size_t>(m.pos) < text_.size()) {
      const char c = text_[static_cast<std::size_t>(m.pos)];
      if (c == '"' || c == '\'')
        ++p.column;
    }
    return p;
  }

  void error(SourcePos p, std::string message) {
    errors_.push_back({file_, p.line, p.column, std::move(message)});
  }
  // A warning is located like an error, but the plan still loads.
  void warn(SourcePos p, std::string message) {
    warnings_.push_back(Diagnostic{file_, p.line, p.column, std::move(message)}.to_string());
  }
  void error(const YAML::Node &node, std::string message) {
    error(pos_of(node), std::move(message));
  }
  void error(const Field &f, std::string message) { error(pos_of(f), std::move(message)); }

  // ---- structure ----
  // The keys of a map: unknown and duplicate keys are errors; the first of
  // each name is kept.
  Fields fields(const YAML::Node &map, const std::vector<std::string> &known,
                const std::string &where) {
    Fields out;
    if (!map.IsMap()) {
      error(map,
            both("应为映射（key: value）" + zh_place(where) + "，实为 " + describe_type_zh(map),
                 "expected a map " + where + ", found " + describe_type(map)));
      return out;
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar()) {
        error(key, both("键" + zh_place(where) + "应为文字，实为 " + describe_type_zh(key),
                        "a key " + where + " must be text, found " + describe_type(key)));
        continue;
      }
      const std::string name = key.Scalar();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        error(key, both("未知的键 '" + name + "'" + zh_place(where) + suggestion_zh(name, known),
                        "unknown key '" + name + "' " + where + suggestion(name, known)));
        continue;
      }
      if (const auto seen = out.find(name); seen != out.end()) {
        const std::string first = std::to_string(pos_of(seen->second.key).line);
        error(key,
              both("重复的键 '" + name + "'" + zh_place(where) + "（第一次在第 " + first + " 行）",
                   "duplicate key '" + name + "' " + where + " (first at line " + first + ")"));
        continue;
      }
      out.emplace(name, Field{key, it->second});
    }
    return out;
  }

  static const Field *get(const Fields &f, const std::string &name) {
    const auto it = f.find(name);
    return it == f.end() ? nullptr : &it->second;
  }

  // A control character (other than tab and line break) in `s`, as U+XXXX;
  // "" when none. Calendars and pages would drop or mangle it silently.
  static std::string control_character(const std::string &s);

  // A scalar as text; numbers and words are taken as written.
  std::optional<std::string> text(const YAML::Node &node, const std::string &what) {
    if (!node.IsScalar()) {
      error(node, both(zh_subject(what) + " 应为文字，实为 " + describe_type_zh(node),
                       what + " must be text, found " + describe_type(node)));
      return std::nullopt;
    }
    if (const std::string c = control_character(node.Scalar()); !c.empty()) {
      error(node,
            both(zh_subject(what) + " 含有控制字符 " + c + "：请去掉控制字符（制表符和换行可以）",
                 what + " contains the control character " + c +
                     "; write it without control characters (a tab or a line break is "
                     "fine)"));
      return std::nullopt;
    }
    return node.Scalar();
  }
  std::optional<std::string> text(const Field &f, const std::string &what) {
    if (!f.value.IsScalar()) {
      error(f, both(zh_subject(what) + " 应为文字，实为 " + describe_type_zh(f.value),
                    what + " must be text, found " + describe_type(f.value)));
      return std::nullopt;
    }
    return text(f.value, what);
  }

  static bool is_plain(const YAML::Node &node) { return node.Tag() == "?"; }

  // YAML 1.2 core schema: a plain decimal integer.
  std::optional<long> integer(const Field &f, const std::string &what) {
    if (f.value.IsScalar() && is_plain(f.value)) {
      const std::string &s = f.value.Scalar();
      std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
      if (i < s.size() && s.size() - i <= 9 &&
          std::all_of(s.begin() + static_cast<long>(i), s.end(),
                      [](char c) { return c >= '0' && c <= '9'; }))
        return std::stol(s);
    }
    error(f, both(zh_subject(what) + " 应为整数，实为 " + describe_type_zh(f.value),
                  what + " must be an integer, found " + describe_type(f.value)));
    return std::nullopt;
  }

  // YAML 1.2 core schema booleans only: `yes`/`on` are text, not booleans.
  std::optional<bool> boolean(const Field &f, const std::string &what) {
    if (f.value.IsScalar() && is_plain(f.value)) {
      const std::string &s = f.value.Scalar();
      if (s == "true" || s == "True" || s == "TRUE")
        return true;
      if (s == "false" || s == "False" || s == "FALSE")
        return false;
    }
    error(f, both(zh_subject(what) + " 应为 true 或 false，实为 " + describe_type_zh(f.value),
                  what + " must be true or false, found " + describe_type(f.value)));
    return std::nullopt;
  }

  // A list's items; an empty value is the empty list.
  std::optional<std::vector<YAML::Node>> list(const Field &f, const std::string &what) {
    std::vector<YAML::Node> out;
    if (f.value.IsNull())
      return out;
    if (!f.value.IsSequence()) {
      error(f, both(zh_subject(what) + " 应为列表，实为 " + describe_type_zh(f.value),
                    what + " must be a list, found " + describe_type(f.value)));
      return std::nullopt;
    }
    for (const auto &item : f.value)
      out.push_back(item);
    return out;
  }

  // A space the full-width normalisation put in (`title：x` → `title: x`): it
  // counts for no column, so positions are those of the text as written.
  bool is_inserted(std::size_t byte) const {
    return !normalised_.inserted.empty() &&
           std::binary_search(normalised_.inserted.begin(), normalised_.inserted.end(), byte);
  }
  // A line that separates a key from its value with a full-width colon the
  // normalisation could not read (`标题：x`), at or before `line` (0-based).
  std::optional<SourcePos> full_width_colon_before(std::size_t line) const;

  NormalisedText normalised_;
  std::optional<EncodingProblem> encoding_;
  std::string_view text_; // the normalised text, which YAML reads
  std::string file_;
  std::vector<std::size_t> line_starts_;
  struct Counted {
    std::size_t line = 0;
    std::size_t byte = 0; // characters of `line` are counted up to here
    int chars = 0;
  };
  mutable Counted counted_; // pos_of's place on its last line
  std::vector<Diagnostic> errors_;
  std::vector<std::string> warnings_; // located, in file order
};

} // namespace xun::scheduler::detail
