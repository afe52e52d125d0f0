#include "scheduler/yaml_document.hpp"

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

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto x = code_points(a);
  const auto y = code_points(b);
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[y.size()];
}

} // namespace

// The candidate closest to `word`; the first one on ties (candidates come in
// a meaningful order), empty when there are none.
std::string nearest(std::string_view word, const std::vector<std::string> &candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const auto &c : candidates) {
    const std::size_t d = edit_distance(word, c);
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

std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n = std::min(n, s.size() - i);
    char32_t cp = 0;
    for (std::size_t k = 0; k < n; ++k)
      cp = (cp << 8) | static_cast<unsigned char>(s[i + k]);
    out.push_back(cp);
    i += n;
  }
  return out;
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
    : text_(text), file_(std::move(file)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n')
      line_starts_.push_back(i + 1);
}

std::optional<YAML::Node> YamlDocument::parse_root(const std::string &limit_hint) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text_));
  } catch (const YAML::DeepRecursion &e) { // yaml-cpp's own guard, before ours can look
    error(pos_of(e.mark), "too deep: lists and maps nest more than " + std::to_string(max_depth) +
                              " levels here (the limit); " + limit_hint);
    return std::nullopt;
  } catch (const YAML::Exception &e) {
    error(pos_of(e.mark), "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
  // Checked before anything walks the tree, which would recurse as deep.
  std::unordered_map<int, int> heights;
  if (nesting(root, heights) > max_depth) {
    error(too_deep_at(root, heights), "too deep: lists and maps nest more than " +
                                          std::to_string(max_depth) + " levels here (the limit); " +
                                          limit_hint);
    return std::nullopt;
  }
  return root;
}

} // namespace xun::scheduler::detail
