// UTF-8 to code points and back, for code that works on characters
// (columns, edit distances, the plan importer). Decoding is lenient: a byte
// that starts no well-formed sequence reads as U+FFFD, one character.
#pragma once

#include <string>
#include <string_view>

namespace xun::calendar {

std::u32string decode_utf8(std::string_view text);
void append_utf8(std::string &out, char32_t c);
std::string encode_utf8(std::u32string_view text);

} // namespace xun::calendar
