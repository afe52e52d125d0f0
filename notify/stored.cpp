#include "notify/stored.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace xun::notify {

namespace {

nlohmann::json parse_object(const std::string &text, const char *what) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object())
    throw std::runtime_error(std::string("stored ") + what + " does not read as a JSON object");
  return j;
}

std::string dump(const nlohmann::json &j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

StoredParts store_parts(const ChannelSettings &channel) {
  return {dump(settings_json(channel)), dump(secrets_json(channel))};
}

ChannelSettings from_parts(const std::string &settings, const std::string &secrets) {
  return from_stored(parse_object(settings, "channel settings"),
                     parse_object(secrets.empty() ? "{}" : secrets, "channel secrets"));
}

std::string encode_payload(const Payload &payload) {
  const Message &m = payload.message;
  auto attendees = nlohmann::json::array();
  for (const auto &p : m.attendees)
    attendees.push_back({{"name", p.name}, {"email", p.email}, {"mobile", p.mobile}});
  nlohmann::json j = {{"key", m.key},
                      {"kind", m.kind},
                      {"subject", m.subject},
                      {"text", m.text},
                      {"attendees", std::move(attendees)},
                      {"ics", m.ics},
                      {"event", m.event.is_null() && !payload.event_json.empty()
                                    ? nlohmann::json::parse(payload.event_json, nullptr, false)
                                    : m.event},
                      {"starts_at", payload.starts_at}};
  return dump(j);
}

Payload decode_payload(const std::string &text) {
  const auto j = parse_object(text, "outbox payload");
  Payload out;
  Message &m = out.message;
  m.key = j.value("key", "");
  m.kind = j.value("kind", "");
  m.subject = j.value("subject", "");
  m.text = j.value("text", "");
  if (const auto it = j.find("attendees"); it != j.end() && it->is_array())
    for (const auto &p : *it)
      if (p.is_object())
        m.attendees.push_back({p.value("name", ""), p.value("email", ""), p.value("mobile", "")});
  m.ics = j.value("ics", "");
  if (const auto it = j.find("event"); it != j.end())
    m.event = *it;
  out.starts_at = j.value("starts_at", std::int64_t{0});
  return out;
}

} // namespace xun::notify
