// The e-mail's header text and Message-ID, as pure functions.
#include "notify/mime.hpp"

#include <doctest/doctest.h>

using namespace xun::notify;

TEST_CASE("plain ASCII stays as it is; anything else becomes RFC 2047 words of at most 75 "
          "characters, never splitting a character") {
  CHECK(encode_header_text("Reminder for Li Wei") == "Reminder for Li Wei");
  CHECK(encode_header_text("寻") == "=?UTF-8?B?5a+7?=");
  std::string long_chinese;
  for (int i = 0; i < 40; ++i)
    long_chinese += "提醒";
  const auto encoded = encode_header_text(long_chinese);
  std::size_t begin = 0;
  int words = 0;
  while (begin < encoded.size()) {
    const auto end = std::min(encoded.find("\r\n ", begin), encoded.size());
    const auto word = encoded.substr(begin, end - begin);
    CHECK(word.size() <= 75);
    CHECK(word.rfind("=?UTF-8?B?", 0) == 0);
    ++words;
    begin = end == encoded.size() ? end : end + 3;
  }
  CHECK(words == 6); // 240 bytes in words of 45 bytes (15 characters)
  // A line break in the subject cannot start a new header.
  CHECK(encode_header_text("a\r\nBcc: x@y").find('\n') == std::string::npos);
}

TEST_CASE("text that is not UTF-8 is still encoded, and the encoding ends") {
  const std::string continuation_bytes(100, '\x9d');
  const auto encoded = encode_header_text(continuation_bytes);
  CHECK(encoded.find("=?UTF-8?B?") == 0);
  CHECK(encoded.size() < 400);
}

TEST_CASE("the Date header is RFC 5322's, in UTC") {
  CHECK(mail_date(0) == "Thu, 01 Jan 1970 00:00:00 +0000");
  CHECK(mail_date(1771894800) == "Tue, 24 Feb 2026 01:00:00 +0000");
}

TEST_CASE("addresses are read from a mailbox or a bare address") {
  CHECK(address_of("noreply@example.org") == "noreply@example.org");
  CHECK(address_of("寻 提醒 <noreply@example.org>") == "noreply@example.org");
  CHECK(!address_of("no at sign"));
  CHECK(!address_of("a@b@c"));
  CHECK(!address_of("Name <a@b"));
  CHECK(!address_of("a@b\r\nBcc: c@d"));
}
