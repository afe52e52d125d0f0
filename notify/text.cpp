#include "notify/text.hpp"

#include "notify/url.hpp"

namespace xun::notify {

namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xc0u) == 0x80u; }

void replace_all(std::string &text, const std::string &what, const std::string &with) {
  if (what.empty())
    return;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
}

} // namespace

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes)
    return std::string(text);
  static constexpr std::string_view ellipsis = "…";
  if (max_bytes < ellipsis.size())
    return "";
  std::size_t cut = max_bytes - ellipsis.size();
  while (cut > 0 && is_continuation(text[cut]))
    --cut;
  return std::string(text.substr(0, cut)) + std::string(ellipsis);
}

std::string redact(std::string text, const std::vector<std::string> &credentials) {
  for (const auto &credential : credentials) {
    // Short values (a port, "1") would blank out innocent text; credentials are long.
    if (credential.size() < 4)
      continue;
    replace_all(text, credential, "***");
    replace_all(text, percent_encode(credential), "***");
  }
  return text;
}

} // namespace xun::notify
