#include "calendar/window_scanner.hpp"

#include <algorithm>

namespace xun::calendar::detail {

namespace {

// Decodes one UTF-8 sequence at text[i]; a malformed byte reads as U+FFFD so
// that it still counts as one character for columns.
char32_t decode(std::string_view text, std::size_t &i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 1;
  char32_t value = lead;
  if (lead >= 0xF0 && lead < 0xF8) {
    length = 4;
    value = lead & 0x07u;
  } else if (lead >= 0xE0) {
    length = 3;
    value = lead & 0x0Fu;
  } else if (lead >= 0xC0) {
    length = 2;
    value = lead & 0x1Fu;
  } else if (lead >= 0x80) {
    ++i;
    return U'\uFFFD';
  }
  if (i + length > text.size()) {
    ++i;
    return U'\uFFFD';
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) {
      ++i;
      return U'\uFFFD';
    }
    value = (value << 6) | (byte(i + k) & 0x3Fu);
  }
  i += length;
  return value;
}

// Full-width ASCII (５, ，, －) and the dashes and tildes people type between
// two ends of a range all read as their ASCII forms.
char32_t normalise(char32_t c) {
  if (c >= U'\uFF01' && c <= U'\uFF5E') {
    c = c - 0xFEE0;
  }
  switch (c) {
  case U'\u3000':
  case U'\t':
  case U'\n':
  case U'\r':
    return U' ';
  case U'\u2010':
  case U'\u2011':
  case U'\u2012':
  case U'\u2013':
  case U'\u2014':
  case U'\u2212':
  case U'\u301C':
  case U'~':
    return U'-';
  case U'\uFF64': // half-width ideographic comma
    return U'、';
  default:
    break;
  }
  if (c >= U'A' && c <= U'Z') {
    c = c - U'A' + U'a';
  }
  return c;
}

int chinese_digit(char32_t c) {
  switch (c) {
  case U'〇':
  case U'零':
    return 0;
  case U'一':
    return 1;
  case U'二':
  case U'两':
    return 2;
  case U'三':
    return 3;
  case U'四':
    return 4;
  case U'五':
    return 5;
  case U'六':
    return 6;
  case U'七':
    return 7;
  case U'八':
    return 8;
  case U'九':
    return 9;
  case U'十':
    return 10;
  default:
    return -1;
  }
}

// 十 → 10, 十二 → 12, 二十八 → 28, 五十三 → 53; four digits without 十 read
// positionally as a year (二〇二六). nullopt for anything else (一二).
std::optional<int> chinese_value(const std::vector<int> &digits) {
  const auto ten = std::find(digits.begin(), digits.end(), 10);
  if (ten == digits.end()) {
    if (digits.size() == 1) {
      return digits.front();
    }
    if (digits.size() != 4) {
      return std::nullopt;
    }
    int value = 0;
    for (int d : digits) {
      value = value * 10 + d;
    }
    return value;
  }
  const auto before = ten - digits.begin();
  const auto after = digits.end() - ten - 1;
  if (before > 1 || after > 1 || (before == 1 && digits.front() == 0) ||
      (after == 1 && digits.back() == 10)) {
    return std::nullopt;
  }
  const int tens = before == 1 ? digits.front() : 1;
  const int ones = after == 1 ? digits.back() : 0;
  return tens * 10 + ones;
}

} // namespace

WindowScanner::WindowScanner(std::string_view utf8) : text_(utf8) {
  std::size_t i = 0;
  while (i < utf8.size()) {
    offsets_.push_back(i);
    chars_.push_back(normalise(decode(utf8, i)));
  }
  offsets_.push_back(utf8.size());
}

void WindowScanner::advance_to(std::size_t pos) {
  pos_ = pos;
  furthest_ = std::max(furthest_, pos_);
}

void WindowScanner::skip_spaces() {
  while (pos_ < chars_.size() && chars_[pos_] == U' ') {
    ++pos_;
  }
}

bool WindowScanner::at_end() {
  skip_spaces();
  return pos_ == chars_.size();
}

char32_t WindowScanner::peek() {
  skip_spaces();
  return pos_ < chars_.size() ? chars_[pos_] : 0;
}

std::size_t WindowScanner::column() {
  skip_spaces();
  return std::min(pos_, chars_.empty() ? 0 : chars_.size() - 1) + 1;
}

std::size_t WindowScanner::furthest_column() const {
  std::size_t p = furthest_;
  while (p < chars_.size() && chars_[p] == U' ') {
    ++p;
  }
  // A text that stops too early points at its last character.
  if (p >= chars_.size()) {
    p = chars_.empty() ? 0 : chars_.size() - 1;
  }
  return p + 1;
}

bool WindowScanner::accept(std::u32string_view literal) {
  skip_spaces();
  if (chars_.size() - pos_ < literal.size() ||
      !std::equal(literal.begin(), literal.end(), chars_.begin() + static_cast<long>(pos_))) {
    return false;
  }
  advance_to(pos_ + literal.size());
  return true;
}

char32_t WindowScanner::accept_one_of(std::u32string_view characters) {
  const char32_t c = peek();
  if (c == 0 || characters.find(c) == std::u32string_view::npos) {
    return 0;
  }
  advance_to(pos_ + 1);
  return c;
}

std::optional<std::string> WindowScanner::word() {
  skip_spaces();
  std::string result;
  std::size_t p = pos_;
  while (p < chars_.size() && chars_[p] >= U'a' && chars_[p] <= U'z') {
    result.push_back(static_cast<char>(chars_[p]));
    ++p;
  }
  if (result.empty()) {
    return std::nullopt;
  }
  pos_ = p;
  return result;
}

bool WindowScanner::accept_word(std::string_view expected) {
  const std::size_t saved = pos_;
  const auto found = word();
  if (found && *found == expected) {
    advance_to(pos_);
    return true;
  }
  pos_ = saved;
  return false;
}

std::optional<WindowScanner::Number> WindowScanner::number() {
  skip_spaces();
  Number n;
  n.column = pos_ + 1;
  std::size_t p = pos_;
  if (p < chars_.size() && chars_[p] >= U'0' && chars_[p] <= U'9') {
    long value = 0;
    while (p < chars_.size() && chars_[p] >= U'0' && chars_[p] <= U'9') {
      // Saturate: a 12-digit "day" is as wrong as a 3-digit one.
      value = std::min(value * 10 + static_cast<long>(chars_[p] - U'0'), 99999999L);
      ++p;
    }
    n.value = static_cast<int>(value);
  } else {
    std::vector<int> digits;
    while (p < chars_.size() && chinese_digit(chars_[p]) >= 0) {
      digits.push_back(chinese_digit(chars_[p]));
      ++p;
    }
    const auto value = digits.empty() ? std::nullopt : chinese_value(digits);
    if (!value) {
      return std::nullopt;
    }
    n.value = *value;
    n.chinese = true;
  }
  n.length = p - pos_;
  advance_to(p);
  return n;
}

std::string WindowScanner::original(std::size_t from, std::size_t to) const {
  from = std::min(from, chars_.size());
  to = std::min(std::max(to, from), chars_.size());
  return text_.substr(offsets_[from], offsets_[to] - offsets_[from]);
}

} // namespace xun::calendar::detail
