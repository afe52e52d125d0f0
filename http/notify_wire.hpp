// The JSON of delivery channels, a plan's notify settings and its outbox
// (docs/API.md "Reminders that reach people"). Bad bodies throw ApiError
// 400 (not JSON) or 422 (each problem at its JSON pointer).
#pragma once

#include "notify/notify.hpp"
#include "store/store.hpp"

#include <string>
#include <vector>

namespace xun::http {

notify::ChannelSettings parse_channel_body(const std::string &body);
std::string channel_json(const store::StoredChannel &channel);
std::string channels_json(const std::vector<store::StoredChannel> &channels);
std::string send_result_json(const std::string &channel_id, const notify::SendResult &result);

store::PlanNotify parse_notify_body(const std::string &body);
std::string notify_json(const std::string &plan_id, const std::optional<store::PlanNotify> &notify);
// {"problems": [{pointer, message}]}: the members a 422 problem carries.
std::string pointer_problems(const std::string &pointer, const std::string &message);
std::string outbox_json(const std::string &plan_id, const std::vector<store::OutboxRow> &rows);

} // namespace xun::http
