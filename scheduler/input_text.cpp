#include "scheduler/input_text.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace xun::scheduler {

namespace {

unsigned char byte_at(std::string_view s, std::size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}

bool continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF); 0 when it is not one.
std::size_t sequence_length(std::string_view s, std::size_t i) {
  const unsigned char lead = byte_at(s, i);
  const unsigned char next = byte_at(s, i + 1);
  if (lead < 0x80)
    return 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    return continuation(next) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const bool second_ok = lead == 0xE0   ? next >= 0xA0 && next <= 0xBF
                           : lead == 0xED ? next >= 0x80 && next <= 0x9F
                                          : continuation(next);
    return second_ok && continuation(byte_at(s, i + 2)) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const bool second_ok = lead == 0xF0   ? next >= 0x90 && next <= 0xBF
                           : lead == 0xF4 ? next >= 0x80 && next <= 0x8F
                                          : continuation(next);
    return second_ok && continuation(byte_at(s, i + 2)) && continuation(byte_at(s, i + 3)) ? 4 : 0;
  }
  return 0;
}

// Every byte above ASCII pairs up as GB18030 does (GBK's two-byte pairs,
// and GB18030's four-byte sequences), and there is at least one pair.
bool looks_like_gb18030(std::string_view s) {
  bool any = false;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char lead = byte_at(s, i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    const unsigned char second = byte_at(s, i + 1);
    if (lead < 0x81 || lead > 0xFE)
      return false;
    if ((second >= 0x40 && second <= 0x7E) || (second >= 0x80 && second <= 0xFE)) {
      i += 2;
    } else if (second >= 0x30 && second <= 0x39 && byte_at(s, i + 2) >= 0x81 &&
               byte_at(s, i + 2) <= 0xFE && byte_at(s, i + 3) >= 0x30 &&
               byte_at(s, i + 3) <= 0x39) {
      i += 4;
    } else {
      return false;
    }
    any = true;
  }
  return any;
}

// The full-width forms read here, as their three UTF-8 bytes (U+FF0C …).
struct FullWidth {
  std::string_view bytes;
  char ascii;
};
constexpr std::array<FullWidth, 6> punctuation{{{"\xEF\xBC\x8C", ','},
                                                {"\xEF\xBC\x9A", ':'},
                                                {"\xEF\xBC\xBB", '['},
                                                {"\xEF\xBC\xBD", ']'},
                                                {"\xEF\xBD\x9B", '{'},
                                                {"\xEF\xBD\x9D", '}'}}};

// The ASCII form of the full-width character at line[k], or 0: punctuation
// above, or a digit U+FF10–U+FF19.
char full_width_at(std::string_view line, std::size_t k) {
  const std::string_view here = line.substr(k, 3);
  for (const auto &p : punctuation)
    if (here == p.bytes)
      return p.ascii;
  if (here.size() == 3 && here[0] == '\xEF' && here[1] == '\xBC' &&
      static_cast<unsigned char>(here[2]) >= 0x90 && static_cast<unsigned char>(here[2]) <= 0x99)
    return static_cast<char>('0' + (static_cast<unsigned char>(here[2]) - 0x90));
  return 0;
}

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Keys whose values are what people wrote, full-width digits and all.
bool is_free_text_key(std::string_view key) {
  static constexpr std::array<std::string_view, 6> keys{"plan", "title", "description",
                                                        "name", "note",  "item"};
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

class Normaliser {
public:
  NormalisedText run(std::string_view text) {
    for (std::size_t i = 0; i <= text.size();) {
      const std::size_t end = std::min(text.find('\n', i), text.size());
      line(text.substr(i, end - i));
      if (end < text.size())
        out_.text += '\n';
      i = end + 1;
    }
    return std::move(out_);
  }

private:
  NormalisedText out_;
  int block_indent_ = -1; // a block scalar's lines are indented more than this
  int depth_ = 0;         // open flow collections, across lines

  void emit_colon(std::string_view line, std::size_t after) {
    out_.text += ':';
    if (after < line.size() && line[after] != ' ' && line[after] != '\t' && line[after] != '\r') {
      out_.inserted.push_back(out_.text.size());
      out_.text += ' ';
    }
  }

  bool at_token_start() const {
    if (out_.text.empty())
      return true;
    const char last = out_.text.back();
    return last == '\n' || last == ' ' || last == '\t' || last == '[' || last == '{' ||
           last == ',' || last == ':' || last == '-';
  }

  void line(std::string_view line) {
    const auto indent = static_cast<int>(std::min(line.find_first_not_of(' '), line.size()));
    const bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
    if (block_indent_ >= 0 && (blank || indent > block_indent_)) {
      out_.text += line;
      return;
    }
    block_indent_ = -1;
    std::size_t k = static_cast<std::size_t>(indent);
    while (k + 1 < line.size() && line[k] == '-' && line[k + 1] == ' ')
      k = std::min(line.find_first_not_of(' ', k + 1), line.size());
    std::size_t key_end = k;
    while (key_end < line.size() && is_key_char(line[key_end]))
      ++key_end;
    const std::string_view key = line.substr(k, key_end - k);
    out_.text += line.substr(0, key_end);
    k = key_end;
    if (!key.empty() && depth_ == 0 && full_width_at(line, k) == ':') {
      emit_colon(line, k + 3);
      k += 3;
    }
    rest(line, k, is_free_text_key(key), indent);
  }

  // The line from k on: quotes, comments and flow collections.
  void rest(std::string_view line, std::size_t k, bool free_text, int indent) {
    char quote = 0;
    while (k < line.size()) {
      const char c = line[k];
      if (quote) {
        out_.text += c;
        if (quote == '"' && c == '\\' && k + 1 < line.size()) {
          out_.text += line[++k];
        } else if (c == quote) {
          if (quote == '\'' && k + 1 < line.size() && line[k + 1] == '\'')
            out_.text += line[++k];
          else
            quote = 0;
        }
        ++k;
        continue;
      }
      if (c == '#' && (k == 0 || line[k - 1] == ' ' || line[k - 1] == '\t')) {
        out_.text += line.substr(k);
        return;
      }
      if ((c == '"' || c == '\'') && at_token_start()) {
        quote = c;
      } else if ((c == '[' || c == '{') && at_token_start()) {
        ++depth_;
      } else if ((c == ']' || c == '}') && depth_ > 0) {
        --depth_;
      } else if ((c == '|' || c == '>') && depth_ == 0 && at_token_start() &&
                 line.find_first_not_of("+-0123456789 \t\r", k + 1) == std::string_view::npos) {
        block_indent_ = indent;
      }
      if (const char ascii = full_width_at(line, k);
          ascii && full_width(line, k, ascii, free_text)) {
        k += 3;
        continue;
      }
      out_.text += c;
      ++k;
    }
  }

  // Writes the ASCII form of the full-width character at line[k] when it is
  // read as punctuation or a digit there; false to keep it as written.
  bool full_width(std::string_view line, std::size_t k, char ascii, bool free_text) {
    const bool opening = ascii == '[' || ascii == '{';
    const bool closing = ascii == ']' || ascii == '}';
    if (opening && at_token_start()) {
      ++depth_;
    } else if (closing && depth_ > 0) {
      --depth_;
    } else if (ascii == ':' && depth_ > 0) {
      emit_colon(line, k + 3);
      return true;
    } else if (ascii == ',' && depth_ > 0) {
    } else if (ascii >= '0' && ascii <= '9' && (depth_ > 0 || !free_text)) {
    } else {
      return false;
    }
    out_.text += ascii;
    return true;
  }
};

} // namespace

std::optional<EncodingProblem> encoding_problem(std::string_view text) {
  std::size_t i = 0;
  int line = 1;
  int column = 1;
  while (i < text.size()) {
    const std::size_t n = sequence_length(text, i);
    if (n == 0)
      break;
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += n;
  }
  if (i >= text.size())
    return std::nullopt;
  EncodingProblem problem{line, column, {}};
  if (looks_like_gb18030(text)) {
    problem.message = "文件不是 UTF-8 编码，看起来是 GB18030/GBK：请将文件另存为 UTF-8 / the file "
                      "is not UTF-8 but looks like GB18030/GBK: save the file as UTF-8";
  } else {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(byte_at(text, i)));
    problem.message = std::string("文件不是 UTF-8 编码（字节 ") + hex +
                      "）：请将文件另存为 UTF-8 / the file is not UTF-8 (byte " + hex +
                      "): save the file as UTF-8";
  }
  return problem;
}

NormalisedText normalise_full_width(std::string_view text) { return Normaliser().run(text); }

} // namespace xun::scheduler
