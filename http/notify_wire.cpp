#include "http/notify_wire.hpp"

#include "calendar/time_of_day.hpp"
#include "http/errors.hpp"
#include "http/wire.hpp"

#include <nlohmann/json.hpp>

namespace xun::http {

namespace {

using json = nlohmann::json;

std::string dump(const json &j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

json body_object(const std::string &body, const char *what) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw bad_request(std::string("The body is not JSON; send ") + what + ".");
  if (!j.is_object())
    throw ApiError(
        422, "invalid-body", "The body is not valid",
        std::string("The body must be a JSON object: ") + what + ".",
        json{{"problems",
              json::array({{{"pointer", ""}, {"message", "应为 JSON 对象 / a JSON object"}}})}}
            .dump());
  return j;
}

[[noreturn]] void refuse(const char *type, const char *title,
                         const std::vector<notify::FieldProblem> &problems) {
  auto list = json::array();
  for (const auto &p : problems)
    list.push_back({{"pointer", p.pointer}, {"message", p.message}});
  const auto &first = problems.front();
  throw ApiError(422, type, title,
                 "Nothing was stored; " + (first.pointer.empty() ? "/" : first.pointer) + ": " +
                     first.message,
                 json{{"problems", list}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

} // namespace

notify::ChannelSettings parse_channel_body(const std::string &body) {
  const auto j = body_object(
      body, R"({"type": "wecom"|"dingtalk"|"feishu"|"webhook"|"email", "name", "url", …})");
  auto parsed = notify::parse_channel(j);
  if (!parsed.problems.empty() || !parsed.channel)
    refuse("invalid-channel", "The channel is not valid",
           parsed.problems.empty()
               ? std::vector<notify::FieldProblem>{{"", "the channel does not read"}}
               : parsed.problems);
  return *parsed.channel;
}

std::string channel_json(const store::StoredChannel &c) {
  // The stored settings are the public view already: no secret is in them.
  json j = json::parse(c.settings_json, nullptr, false);
  if (!j.is_object())
    j = json::object();
  j["id"] = c.id;
  j["type"] = c.type;
  j["name"] = c.name;
  j["health"] = c.health;
  j["health_at"] = utc_iso(c.health_at);
  j["stopped"] = c.stopped;
  j["created_at"] = utc_iso(c.created_at);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string channels_json(const std::vector<store::StoredChannel> &channels) {
  json list = json::array();
  for (const auto &c : channels)
    list.push_back(json::parse(channel_json(c)));
  return dump({{"channels", list}});
}

std::string send_result_json(const std::string &channel_id, const notify::SendResult &r) {
  static constexpr const char *names[] = {"sent", "retry", "permanent"};
  json j = {{"channel", channel_id},
            {"outcome", names[static_cast<int>(r.outcome)]},
            {"status", r.http_status},
            {"answer", r.answer},
            {"error", r.error}};
  if (r.retry_after_seconds)
    j["retry_after"] = *r.retry_after_seconds;
  return dump(j);
}

store::PlanNotify parse_notify_body(const std::string &body) {
  const auto j = body_object(body, R"({"channels": [ids], "digest_at": "08:30", "changes": true})");
  std::vector<notify::FieldProblem> problems;
  store::PlanNotify out;
  for (const auto &[name, value] : j.items())
    if (name != "channels" && name != "digest_at" && name != "changes")
      problems.push_back({"/" + name, "未知字段 / unknown member: the members are channels, "
                                      "digest_at and changes"});
  const auto channels = j.find("channels");
  if (channels == j.end() || !channels->is_array())
    problems.push_back(
        {"/channels", "应为渠道 id 的列表 / a list of channel ids, e.g. [\"ch-1a2b\"]"});
  else
    for (std::size_t i = 0; i < channels->size(); ++i) {
      const auto &id = (*channels)[i];
      if (!id.is_string() || id.get<std::string>().empty())
        problems.push_back({"/channels/" + std::to_string(i), "应为渠道 id / a channel id (text)"});
      else
        out.channels.push_back(id.get<std::string>());
    }
  if (const auto at = j.find("digest_at"); at != j.end() && !at->is_null()) {
    const auto parsed = at->is_string() ? calendar::parse_time_of_day(at->get<std::string>())
                                        : std::variant<int, calendar::TextError>{};
    if (!at->is_string() || !std::holds_alternative<int>(parsed))
      problems.push_back({"/digest_at", "应为时刻 / a time of day like \"08:30\", or null"});
    else
      out.digest_at = calendar::format_time_of_day(std::get<int>(parsed));
  }
  if (const auto changes = j.find("changes"); changes != j.end()) {
    if (!changes->is_boolean())
      problems.push_back({"/changes", "应为 true 或 false / true or false"});
    else
      out.changes = changes->get<bool>();
  }
  if (!problems.empty())
    refuse("invalid-notify", "The notify settings are not valid", problems);
  return out;
}

std::string notify_json(const std::string &plan_id, const std::optional<store::PlanNotify> &n) {
  const store::PlanNotify shown = n ? *n : store::PlanNotify{plan_id, {}, std::nullopt, true};
  return dump({{"plan", plan_id},
               {"channels", shown.channels},
               {"digest_at", shown.digest_at ? json(*shown.digest_at) : json(nullptr)},
               {"changes", shown.changes}});
}

std::string pointer_problems(const std::string &pointer, const std::string &message) {
  return json{{"problems", json::array({{{"pointer", pointer}, {"message", message}}})}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::string outbox_json(const std::string &plan_id, const std::vector<store::OutboxRow> &rows) {
  json list = json::array();
  for (const auto &r : rows)
    list.push_back({{"key", r.key},
                    {"kind", r.kind},
                    {"channel", r.channel_id},
                    {"uid", r.uid},
                    {"due", utc_iso(r.due_at)},
                    {"status", store::outbox_status_name(r.status)},
                    {"attempts", r.attempts},
                    {"last_error", r.last_error},
                    {"answer", r.answer}});
  return dump({{"plan", plan_id}, {"outbox", list}});
}

} // namespace xun::http
