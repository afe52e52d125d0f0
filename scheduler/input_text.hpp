// Text as people type and save it, before YAML reads it: the encoding (UTF-8
// only; GB18030/GBK named when a file looks like it) and the full-width
// punctuation an input method puts in (`repeat: [５月，１１月]`, `title：…`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xun::scheduler {

struct EncodingProblem {
  int line = 1;   // of the first byte that is not UTF-8
  int column = 1; // in characters of that line
  std::string message;
};

// Nothing when `text` is UTF-8; else where it is not, and "save the file as
// UTF-8" (naming GB18030/GBK when every non-ASCII byte pairs up as it would).
std::optional<EncodingProblem> encoding_problem(std::string_view text);

struct NormalisedText {
  std::string text;
  // Byte offsets (in `text`) of the spaces inserted after a full-width colon
  // made ASCII (`title：x` → `title: x`); they count for no column.
  std::vector<std::size_t> inserted;
};

// Outside quoted strings, comments and block scalars: full-width brackets
// ［］｛｝ that open or close a flow collection, and inside flow collections
// full-width commas and colons, become ASCII; so does a full-width colon after
// a key at the start of a line (`title：党员大会`), and full-width digits in
// flow collections and in the values of keys that are not free text. Every
// character stays one character, so lines and columns are unchanged.
NormalisedText normalise_full_width(std::string_view text);

} // namespace xun::scheduler
