#include "notify/mime.hpp"

#include "notify/crypto.hpp"

#include <date/date.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace xun::notify {

namespace {

constexpr std::size_t max_word_bytes = 45; // 45 bytes → 60 Base64 characters → a 72-character word
constexpr std::size_t max_key_bytes = 200;
constexpr std::size_t base64_line = 76;

bool is_continuation(unsigned char c) { return (c & 0xc0u) == 0x80u; }

// Printable ASCII that may stand in a header phrase as it is.
bool plain_phrase(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f &&
           std::string_view("()<>@,;:\\\".[]=?").find(c) == std::string_view::npos;
  });
}

std::string wrapped_base64(std::string_view bytes) {
  const std::string encoded = base64_encode(bytes);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += base64_line)
    out += encoded.substr(i, base64_line) + "\r\n";
  return out;
}

std::string mailbox(const Person &person) {
  if (person.name.empty())
    return "<" + person.email + ">";
  return encode_header_text(person.name) + " <" + person.email + ">";
}

std::string from_header(const std::string &from) {
  const auto open = from.rfind('<');
  if (open == std::string::npos)
    return from;
  std::string name = from.substr(0, open);
  name.erase(name.find_last_not_of(' ') + 1);
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
    name = name.substr(1, name.size() - 2);
  return (name.empty() ? "" : encode_header_text(name) + " ") + from.substr(open);
}

bool has_address(const Person &person) { return address_of(person.email).has_value(); }

} // namespace

std::string encode_header_text(std::string_view text) {
  if (plain_phrase(text))
    return std::string(text);
  std::string out;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = std::min(text.size(), begin + max_word_bytes);
    while (end < text.size() && end > begin &&
           is_continuation(static_cast<unsigned char>(text[end])))
      --end;
    if (end == begin) // not UTF-8: a run of continuation bytes is cut anywhere
      end = std::min(text.size(), begin + max_word_bytes);
    if (!out.empty())
      out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(text.substr(begin, end - begin)) + "?=";
    begin = end;
  }
  return out;
}

std::string message_id(std::string_view key) {
  std::string safe;
  if (key.size() > max_key_bytes) {
    safe = "sha256-" + sha256_hex(key);
  } else {
    static constexpr char digits[] = "0123456789ABCDEF";
    for (char c : key) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x80 && std::isalnum(u)) || c == '-' || c == '_') {
        safe += c;
      } else {
        safe += '=';
        safe += digits[u >> 4];
        safe += digits[u & 0xfu];
      }
    }
  }
  if (safe.empty())
    safe = "empty";
  return "<" + safe + "@xun.local>";
}

std::string mail_date(std::int64_t unix_seconds) {
  static constexpr const char *weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const date::sys_seconds at{std::chrono::seconds(unix_seconds)};
  const auto day = date::floor<date::days>(at);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss clock(at - day);
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                weekdays[date::weekday(day).c_encoding()], static_cast<unsigned>(ymd.day()),
                months[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

std::optional<std::string> address_of(const std::string &mailbox_text) {
  std::string address = mailbox_text;
  if (const auto open = mailbox_text.rfind('<'); open != std::string::npos) {
    if (mailbox_text.back() != '>')
      return std::nullopt;
    address = mailbox_text.substr(open + 1, mailbox_text.size() - open - 2);
  }
  const auto at = address.find('@');
  const bool bad_byte = std::any_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f ||
           std::string_view("<>,;\"()[]\\").find(c) != std::string_view::npos;
  });
  if (at == std::string::npos || at == 0 || at + 1 == address.size() || bad_byte ||
      address.find('@', at + 1) != std::string::npos)
    return std::nullopt;
  return address;
}

std::string compose_email(const std::string &from, const Message &message,
                          std::int64_t unix_seconds) {
  const std::string boundary = "xun-" + sha256_hex(message.key).substr(0, 32);
  std::string to;
  for (const auto &person : message.attendees)
    if (has_address(person))
      to += (to.empty() ? "" : ",\r\n ") + mailbox(person);
  std::string mail;
  mail += "Date: " + mail_date(unix_seconds) + "\r\n";
  mail += "From: " + from_header(from) + "\r\n";
  mail += "To: " + to + "\r\n";
  mail += "Subject: " + encode_header_text(message.subject) + "\r\n";
  mail += "Message-ID: " + message_id(message.key) + "\r\n";
  mail += "MIME-Version: 1.0\r\n";
  mail += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n";
  mail += "\r\n";
  mail += "--" + boundary + "\r\n";
  mail += "Content-Type: text/plain; charset=UTF-8\r\n";
  mail += "Content-Transfer-Encoding: base64\r\n\r\n";
  mail += wrapped_base64(message.text);
  if (!message.ics.empty()) {
    mail += "--" + boundary + "\r\n";
    mail +=
        "Content-Type: text/calendar; method=PUBLISH; charset=UTF-8; name=\"xun-event.ics\"\r\n";
    mail += "Content-Disposition: attachment; filename=\"xun-event.ics\"\r\n";
    mail += "Content-Transfer-Encoding: base64\r\n\r\n";
    mail += wrapped_base64(message.ics);
  }
  mail += "--" + boundary + "--\r\n";
  return mail;
}

} // namespace xun::notify
