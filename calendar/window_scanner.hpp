// A small scanner over the code points of a window expression ("2月下旬",
// "early February"): full-width forms folded to ASCII, ASCII lower-cased,
// spaces skipped between tokens, numbers read in Arabic or Chinese numerals.
// Columns are 1-based and count characters of the original text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xun::calendar::detail {

// A mistake no other reading of the text can fix (2月30日, 第54周, 双月).
struct WindowSyntaxError {
  std::size_t column = 1;
  std::string message;
  std::string zh; // the same in Chinese; may be empty
};

class WindowScanner {
public:
  struct Number {
    int value = 0;
    std::size_t column = 1;
    std::size_t length = 0; // characters read
    bool chinese = false;   // 十二 rather than 12
  };

  explicit WindowScanner(std::string_view utf8);

  std::size_t position() const { return pos_; }
  void reset(std::size_t pos) { pos_ = pos; }
  std::size_t size() const { return chars_.size(); }

  void skip_spaces();
  bool at_end();        // only spaces remain
  char32_t peek();      // the next character after spaces; 0 at the end
  std::size_t column(); // of the next character after spaces
  // The column of the first character no reading got past: where an unknown
  // text goes wrong.
  std::size_t furthest_column() const;

  bool accept(std::u32string_view literal);
  // One of the characters; 0 when none is next.
  char32_t accept_one_of(std::u32string_view characters);
  // An ASCII word [a-z]+ (after lower-casing) equal to `word`.
  bool accept_word(std::string_view word);
  // The next ASCII word; consumed only when the caller keeps the position.
  std::optional<std::string> word();
  // Counts the text read so far as understood (after a word() the caller kept).
  void mark() { advance_to(pos_); }
  // Arabic digits, or a Chinese numeral (一 … 九, 十, 十二, 二十八, 二〇二六).
  std::optional<Number> number();

  // The original text of characters [from, to), for messages and lookups.
  std::string original(std::size_t from, std::size_t to) const;
  std::string original() const { return original(0, size()); }

private:
  void advance_to(std::size_t pos);

  std::vector<char32_t> chars_;      // normalised
  std::vector<std::size_t> offsets_; // byte offset of each character, plus the end
  std::string text_;
  std::size_t pos_ = 0;
  std::size_t furthest_ = 0;
};

} // namespace xun::calendar::detail
