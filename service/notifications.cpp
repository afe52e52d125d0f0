#include "service/notifications.hpp"

#include "notify/stored.hpp"
#include "service/errors.hpp"

namespace xun::service {

Notifications::Notifications(store::Store &store, std::function<std::int64_t()> clock, SealKey key,
                             std::string public_url)
    : store_(store), clock_(std::move(clock)), key_(key), public_url_(std::move(public_url)) {}

Notifications::~Notifications() {
  if (deliverer_)
    store_.on_outbox(nullptr); // before the workers go
}

store::StoredChannel Notifications::create_channel(const notify::ChannelSettings &settings) {
  const auto parts = notify::store_parts(settings);
  store::StoredChannel c;
  c.id = "ch-" + random_token(6);
  c.type = notify::type_name(settings.type);
  c.name = settings.name;
  c.settings_json = parts.settings;
  c.sealed_secrets = seal(key_, parts.secrets);
  c.created_at = clock_();
  c.health_at = c.created_at;
  store_.put_channel(c);
  return c;
}

std::vector<store::StoredChannel> Notifications::channels() { return store_.channels(); }

void Notifications::delete_channel(const std::string &id) {
  if (!store_.find_channel(id))
    throw NotFound("There is no channel with id '" + id + "'. GET /api/channels lists them.");
  store_.delete_channel(id, clock_());
}

notify::SendResult Notifications::test_channel(const std::string &id) {
  const auto channel = store_.find_channel(id);
  if (!channel)
    throw NotFound("There is no channel with id '" + id + "'. GET /api/channels lists them.");
  const auto settings =
      notify::from_parts(channel->settings_json, unseal(key_, channel->sealed_secrets));
  const std::int64_t now = clock_();
  auto message = notify::test_message(settings, id + "/test/" + std::to_string(now));
  auto result = notify::send(settings, message, {now});
  if (result.outcome == notify::Outcome::sent)
    store_.set_channel_health(id, "ok", now, false);
  else if (result.outcome == notify::Outcome::permanent)
    store_.set_channel_health(id, result.error, now, true);
  return result;
}

std::optional<store::PlanNotify> Notifications::plan_notify(const std::string &plan_id) {
  return store_.plan_notify(plan_id);
}

std::optional<store::OutboxWrite>
Notifications::rows_for(const Published &after, const Published *before,
                        const std::optional<store::PlanNotify> &notify) {
  const auto settings = notify ? notify : store_.plan_notify(after.plan.id);
  if (!settings)
    return std::nullopt;
  OutboxInput in{after, before, *settings, {}, clock_(), page_url(after.plan.id)};
  for (const auto &id : settings->channels)
    if (auto channel = store_.find_channel(id))
      if (const auto type = notify::parse_type(channel->type))
        in.channels.emplace_back(std::move(*channel), *type);
  return outbox_rows(in);
}

std::vector<store::OutboxRow> Notifications::outbox(const std::string &plan_id) {
  return store_.outbox(plan_id);
}

std::string Notifications::page_url(const std::string &plan_id) const {
  return public_url_ + "/plans/" + plan_id;
}

void Notifications::set_public_url(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  public_url_ = std::move(url);
}

void Notifications::start_delivery(DeliveryConfig config) {
  config.store = &store_;
  config.clock = clock_;
  config.key = key_;
  deliverer_ = std::make_unique<Deliverer>(std::move(config));
  // Rows committed by another replica (PostgreSQL NOTIFY) wake the workers too.
  store_.on_outbox([this] { wake(); });
}

void Notifications::wake() {
  if (deliverer_)
    deliverer_->wake();
}

} // namespace xun::service
