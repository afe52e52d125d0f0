// Reminders and change notices that reach people (robots, webhooks, e-mail):
// which outbox rows a plan's publication brings — written in the same
// transaction as the change — and the worker that claims and sends them.
// The rows' life (pending → sending → sent | failed | unknown) is the store's;
// what a message says and how it is sent is notify/'s.
#pragma once

#include "notify/notify.hpp"
#include "service/publication.hpp"
#include "service/secrets.hpp"
#include "store/store.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace xun::service {

// Change notices look this far ahead: a move in March matters in February,
// one in December can wait for its reminder.
inline constexpr std::int64_t change_horizon_seconds = 30 * 86400;
// A reminder whose time passed this little ago is still sent (a re-plan
// landing between its time and the worker's next claim must not lose it).
inline constexpr std::int64_t late_grace_seconds = 600;

struct OutboxInput {
  const Published &after;            // the publication being committed (UIDs assigned)
  const Published *before = nullptr; // the one it replaces, for change notices
  const store::PlanNotify &notify;
  // The plan's channels that exist, with their settings (secrets not needed).
  std::vector<std::pair<store::StoredChannel, notify::ChannelType>> channels;
  std::int64_t now = 0;
  std::string page_url; // the plan's page, linked from every message
};

// Every reminder, deadline-day notice or digest still to come, and the change
// notices `before` → `after` brings; pending rows of the first three kinds
// that are no longer wanted are superseded (OutboxWrite::replace_kinds).
store::OutboxWrite outbox_rows(const OutboxInput &in);

struct DeliveryConfig {
  store::Store *store = nullptr;
  std::function<std::int64_t()> clock; // Unix seconds (the service's)
  SealKey key;                         // unseals channel secrets
  std::string owner;                   // this process, in leases ("" = host:pid)
  int workers = 2;
  // A claimed batch is sent one by one, each up to the send timeout (10 s)
  // plus a robot's pacing (≤ 3 s): the lease must outlast the whole batch, or
  // another worker finds it expired and marks the row under way `unknown`.
  int batch = 4;
  int lease_seconds = 120;
  int max_attempts = 12; // then the row fails for good
  std::chrono::milliseconds poll{500};
};

// The sending workers: each claims due rows (a lease), commits that the
// request started, sends, and records the answer. Stopped by the destructor.
class Deliverer {
public:
  explicit Deliverer(DeliveryConfig config);
  ~Deliverer();
  Deliverer(const Deliverer &) = delete;
  Deliverer &operator=(const Deliverer &) = delete;

  void wake(); // something was enqueued: claim now
  // One claim-and-send pass on the calling thread; how many rows it claimed.
  int run_once();

private:
  void loop();
  void deliver(const store::OutboxRow &row);
  std::int64_t pace_wait_ms(const std::string &channel_id, notify::ChannelType type);
  DeliveryConfig config_;
  notify::RateLimiter limiter_;
  std::mutex mutex_;
  std::condition_variable woken_;
  bool wake_ = false;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

} // namespace xun::service
