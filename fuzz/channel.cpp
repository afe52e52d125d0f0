// Channel settings and the text that goes into headers (notify/channel,
// mime, compose): any JSON body gives a channel or problems, each at a JSON
// pointer; what may be shown never holds the secret; a header built from any
// text holds no bare line break; any start/end text gives a date text.
#include "notify/channel.hpp"
#include "check.hpp"
#include "harness.hpp"
#include "notify/message.hpp"
#include "notify/mime.hpp"

#include <nlohmann/json.hpp>

using namespace xun::notify;

namespace {

// Line breaks only as folding (CRLF followed by a space).
bool folded_only(const std::string &header) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == '\n' && (i == 0 || header[i - 1] != '\r'))
      return false;
    if (header[i] == '\r' &&
        (i + 2 >= header.size() || header[i + 1] != '\n' || header[i + 2] != ' '))
      return false;
  }
  return true;
}

void check_body(const nlohmann::json &body) {
  const auto parsed = parse_channel(body);
  xun::fuzz::require(parsed.channel.has_value() != !parsed.problems.empty(),
                     "a channel, or at least one problem, never both");
  for (const auto &problem : parsed.problems)
    xun::fuzz::require((problem.pointer.empty() || problem.pointer.front() == '/') &&
                           !problem.message.empty(),
                       "each problem has a JSON pointer and a message");
  if (!parsed.channel)
    return;
  const auto &channel = *parsed.channel;
  const auto shown = public_view(channel).dump();
  if (channel.secret.size() >= 8)
    xun::fuzz::require(shown.find(nlohmann::json(channel.secret).dump()) == std::string::npos,
                       "what is shown never holds the secret");
  xun::fuzz::require(from_stored(settings_json(channel), secrets_json(channel)) == channel,
                     "stored settings and secrets give the channel back");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string text(xun::fuzz::text_of(data, size));
  const auto body = nlohmann::json::parse(text, nullptr, false);
  if (!body.is_discarded())
    check_body(body);
  xun::fuzz::require(folded_only(encode_header_text(text)), "a header value is one folded line");
  const auto id = message_id(text);
  xun::fuzz::require(id.find_first_of("\r\n ") == std::string::npos, "a Message-ID is one word");
  for (auto type : {ChannelType::wecom, ChannelType::feishu, ChannelType::webhook})
    (void)masked_url(type, text);
  const auto [first, rest] = xun::fuzz::split_first_line(text);
  OccurrenceView o;
  o.start_text = std::string(first);
  o.end_text = std::string(rest);
  o.all_day = !rest.empty() && rest.front() == 'a';
  xun::fuzz::require(!when_text(o).empty() || first.empty(), "a start gives a date text");
  return 0;
}
