#include "scheduler/yaml_document.hpp"

#include "calendar/edit_distance.hpp"
#include "calendar/utf8.hpp"

#include <algorithm>
#include <cstdio>

#include <yaml-cpp/depthguard.h>

namespace xun::scheduler::detail {

namespace {

// How many lists and maps nest at `node`, counting it, up to max_depth + 1.
// Heights are kept by node position, so the aliases of one anchor cost once
// (yaml-cpp refuses input nested 2000 deep, which bounds the recursion).
int nesting(const YAML::Node &node, std::unordered_map<int, int> &heights) {
  if (!node.IsMap() && !node.IsSequence())
    return 0;
  const int key = node.Mark().pos;
  if (const auto it = heights.find(key); it != heights.end())
    return it->second;
  int below = 0;
  for (auto it = node.begin(); it != node.end() && below <= max_depth; ++it) {
    if (node.IsMap())
      below = std::max({below, nesting(it->first, heights), nesting(it->second, heights)});
    else
      below = std::max(below, nesting(*it, heights));
  }
  const int height = std::min(below + 1, max_depth + 1);
  heights.emplace(key, height);
  return height;
}

// The first node (in file order) at which the nesting passes max_depth.
YAML::Node too_deep_at(YAML::Node node, std::unordered_map<int, int> &heights) {
  for (int depth = 1; depth <= max_depth; ++depth) {
    const int need = max_depth + 1 - depth; // height a child must have
    std::optional<YAML::Node> next;
    for (auto it = node.begin(); it != node.end() && !next; ++it) {
      for (const YAML::Node &child : node.IsMap() ? std::vector<YAML::Node>{it->first, it->second}
                                                  : std::vector<YAML::Node>{*it})
        if (!next && nesting(child, heights) >= need)
          next = child;
    }
    if (!next)
      break;
    node = *next;
  }
  return node;
}

} // namespace

// The candidate closest to `word`; the first one on ties (candidates come in
// a meaningful order), empty when there are none.
std::string nearest(std::string_view word, const std::vector<std::string> &candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const auto &c : candidates) {
    const std::size_t d = calendar::edit_distance(word, c);
    if (best.empty() || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string suggestion(std::string_view word, const std::vector<std::string> &candidates) {
  const std::string best = nearest(word, candidates);
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

std::string describe_type(const YAML::Node &node) {
  switch (node.Type()) {
  case YAML::NodeType::Null:
    return "nothing";
  case YAML::NodeType::Scalar:
    return "'" + node.Scalar() + "'";
  case YAML::NodeType::Sequence:
    return "a list";
  case YAML::NodeType::Map:
    return "a map";
  default:
    return "an undefined value";
  }
}

std::string describe_type_zh(const YAML::Node &node) {
  switch (node.Type()) {
  case YAML::NodeType::Null:
    return "空值";
  case YAML::NodeType::Scalar:
    return "'" + node.Scalar() + "'";
  case YAML::NodeType::Sequence:
    return "列表";
  case YAML::NodeType::Map:
    return "映射";
  default:
    return "未定义的值";
  }
}

std::string suggestion_zh(std::string_view word, const std::vector<std::string> &candidates) {
  const std::string best = nearest(word, candidates);
  return best.empty() ? std::string() : "；是不是 '" + best + "'？";
}

std::string zh_owner(const std::string &where) {
  const auto after = [&](std::string_view prefix) -> std::optional<std::string> {
    if (!where.starts_with(prefix))
      return std::nullopt;
    return where.substr(prefix.size());
  };
  if (where.empty())
    return "";
  if (where == "at the top of the plan")
    return "计划顶层的 ";
  if (where == "in an assessment item")
    return "考核项的 ";
  if (where == "in a record")
    return "记录的 ";
  if (const auto rest = after("of person "))
    return "人员 " + *rest + " 的 ";
  if (const auto rest = after("of group "))
    return "小组 " + *rest + " 的 ";
  if (const auto rest = after("in activity #"))
    return "第 " + *rest + " 项活动的 ";
  if (const auto rest = after("in activity "))
    return "活动 " + *rest + " 的 ";
  if (const auto rest = after("in assessment item "))
    return "考核项 " + *rest + " 的 ";
  if (const auto rest = after("in group "))
    return "小组 " + *rest + " 的 ";
  if (const auto rest = after("in ")) {
    // "in after in activity 'a'": a key of a key.
    if (const auto at = rest->find(" in "); at != std::string::npos)
      return zh_owner(rest->substr(at + 1)) + rest->substr(0, at) + " 的 ";
    return *rest + " 的 ";
  }
  return where + " 的 ";
}

std::string zh_of(const std::string &owner, const std::string &thing) {
  const bool chinese = !thing.empty() && static_cast<unsigned char>(thing.front()) >= 0x80;
  if (chinese && owner.ends_with(' '))
    return owner.substr(0, owner.size() - 1) + thing;
  return owner + thing;
}

std::string zh_place(const std::string &where) {
  const auto quoted = [&](std::string_view prefix) -> std::optional<std::string> {
    if (!where.starts_with(prefix))
      return std::nullopt;
    return where.substr(prefix.size());
  };
  if (const auto rest = quoted("in activity #"))
    return "（第 " + *rest + " 项活动）";
  if (const auto rest = quoted("in activity "))
    return "（活动 " + *rest + "）";
  if (const auto rest = quoted("in assessment item "))
    return "（考核项 " + *rest + "）";
  if (const auto rest = quoted("of person "))
    return "（人员 " + *rest + "）";
  if (const auto rest = quoted("of group "))
    return "（小组 " + *rest + "）";
  if (where == "in an assessment item")
    return "（考核项）";
  if (where == "in a record")
    return "（记录中）";
  if (where == "at the top of the plan")
    return "（计划顶层）";
  if (const auto rest = quoted("in ")) {
    if (rest->find(" in ") != std::string::npos) { // "in prefer in activity 'a'"
      const std::string owner = zh_owner(where);
      return "（" + owner.substr(0, owner.size() - std::string_view("的 ").size()) + "中）";
    }
    return "（" + *rest + " 中）";
  }
  return where.empty() ? std::string() : "（" + where + "）";
}

namespace {

// The words of a message's subject, in Chinese; keys and values stay as written.
std::string zh_noun(std::string_view head) {
  static constexpr std::pair<std::string_view, std::string_view> nouns[] = {
      {"a date", "日期"},
      {"a day", "星期"},
      {"reminder", "提醒"},
      {"a group id", "小组 id"},
      {"a member", "成员"},
      {"an attendee", "参加者"},
      {"a person", "人员"},
      {"an activity", "活动"},
      {"plan (the title)", "plan（标题）"},
      {"item (the item's name)", "item（考核项名称）"},
      {"repeat window", "repeat 时间窗口"},
      {"working hours", "工作时间"},
      {"activity id", "活动 id"},
      {"person id", "人员 id"},
      {"room id", "地点 id"},
      {"person name", "人员 name"},
      {"room name", "地点 name"},
  };
  for (const auto &[en, zh] : nouns)
    if (head == en)
      return std::string(zh);
  return std::string(head);
}

} // namespace

std::string zh_subject(const std::string &what) {
  // "email of person 'x'" → "人员 'x' 的 email": whose thing it is, first.
  for (const std::string_view marker : {" of person ", " of group "}) {
    if (const auto at = what.find(marker); at != std::string::npos)
      return zh_of(zh_owner(what.substr(at + 1)), zh_noun(std::string_view(what).substr(0, at)));
  }
  for (const std::string_view marker : {" in ", " at the top"}) {
    if (const auto at = what.find(marker); at != std::string::npos)
      return zh_noun(std::string_view(what).substr(0, at)) + zh_place(what.substr(at + 1));
  }
  return zh_noun(what);
}

std::vector<char32_t> code_points(std::string_view s) {
  const std::u32string decoded = calendar::decode_utf8(s);
  return {decoded.begin(), decoded.end()};
}

std::string YamlDocument::control_character(const std::string &s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(u));
      return code;
    }
  }
  return "";
}

YamlDocument::YamlDocument(std::string_view text, std::string file)
    : normalised_(normalise_full_width(text)), encoding_(encoding_problem(text)),
      text_(normalised_.text), file_(std::move(file)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n')
      line_starts_.push_back(i + 1);
}

std::optional<SourcePos> YamlDocument::full_width_colon_before(std::size_t line) const {
  constexpr std::string_view colon = "\xEF\xBC\x9A"; // ：
  // yaml-cpp reports such a line where it stops, at it or on the next one.
  const std::size_t last = std::min(line + 1, line_starts_.size());
  for (std::size_t l = last; l-- > (line > 0 ? line - 1 : 0);) {
    const std::size_t begin = line_starts_[l];
    const std::size_t end = l + 1 < line_starts_.size() ? line_starts_[l + 1] : text_.size();
    const std::string_view text = text_.substr(begin, end - begin);
    const std::size_t at = text.find(colon);
    const std::size_t content = text.find_first_not_of(" -");
    if (at == std::string_view::npos ||
        text.substr(0, at).find_first_of(":#\"'") != std::string_view::npos || content == at)
      continue;
    int column = 1;
    for (std::size_t b = 0; b < at; ++b)
      if ((static_cast<unsigned char>(text[b]) & 0xC0) != 0x80)
        ++column;
    return SourcePos{static_cast<int>(l) + 1, column};
  }
  return std::nullopt;
}

std::optional<YAML::Node> YamlDocument::parse_root(const std::string &limit_hint,
                                                   const std::string &limit_hint_zh) {
  const auto too_deep = [&] {
    const std::string limit = std::to_string(max_depth);
    return both("嵌套太深：列表和映射在此嵌套超过 " + limit + " 层（上限）；" + limit_hint_zh,
                "too deep: lists and maps nest more than " + limit + " levels here (the limit); " +
                    limit_hint);
  };
  if (encoding_) {
    error(SourcePos{encoding_->line, encoding_->column}, encoding_->message);
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text_));
  } catch (const YAML::DeepRecursion &e) { // yaml-cpp's own guard, before ours can look
    error(pos_of(e.mark), too_deep());
    return std::nullopt;
  } catch (const YAML::Exception &e) {
    const std::size_t line = e.mark.line < 0 ? 0 : static_cast<std::size_t>(e.mark.line);
    if (const auto colon = full_width_colon_before(line)) {
      error(*colon, "全角冒号“：”不能分隔键和值：请用半角冒号加空格（key: value） / the "
                    "full-width colon '：' cannot separate a key from its value: write an ASCII "
                    "colon and a space (key: value)");
      return std::nullopt;
    }
    error(pos_of(e.mark), "YAML 语法错误 / YAML syntax error: " + e.msg);
    return std::nullopt;
  }
  // Checked before anything walks the tree, which would recurse as deep.
  std::unordered_map<int, int> heights;
  if (nesting(root, heights) > max_depth) {
    error(too_deep_at(root, heights), too_deep());
    return std::nullopt;
  }
  return root;
}

} // namespace xun::scheduler::detail
