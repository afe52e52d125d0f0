// The use cases of delivery channels (issue 10): channels with sealed
// secrets, which channels a plan's reminders go to, the outbox rows a
// publication brings, a channel's test message, and the sending workers.
#pragma once

#include "notify/notify.hpp"
#include "service/delivery.hpp"
#include "service/publication.hpp"
#include "service/secrets.hpp"
#include "store/store.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace xun::service {

class Notifications {
public:
  Notifications(store::Store &store, std::function<std::int64_t()> clock, SealKey key,
                std::string public_url);
  ~Notifications();

  store::StoredChannel create_channel(const notify::ChannelSettings &settings);
  std::vector<store::StoredChannel> channels();
  void delete_channel(const std::string &id); // NotFound
  // Sends one message now, outside the outbox; a success clears a stopped
  // channel, a permanent error stops it.
  notify::SendResult test_channel(const std::string &id); // NotFound

  std::optional<store::PlanNotify> plan_notify(const std::string &plan_id);
  // The rows `after` brings (with `notify` in place of the stored settings
  // when given); nullopt when the plan sends nothing anywhere.
  std::optional<store::OutboxWrite> rows_for(const Published &after, const Published *before,
                                             const std::optional<store::PlanNotify> &notify = {});
  std::vector<store::OutboxRow> outbox(const std::string &plan_id);
  std::string page_url(const std::string &plan_id) const;
  void set_public_url(std::string url); // before serving: links in messages

  void start_delivery(DeliveryConfig config); // store, clock and key are filled in
  void wake();                                // rows were written

private:
  store::Store &store_;
  std::function<std::int64_t()> clock_;
  SealKey key_;
  std::string public_url_;
  std::unique_ptr<Deliverer> deliverer_;
};

} // namespace xun::service
