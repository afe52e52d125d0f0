#include "service/delivery.hpp"

#include "calendar/dates.hpp"
#include "calendar/icalendar.hpp"
#include "calendar/time_of_day.hpp"
#include "calendar/zones.hpp"
#include "notify/stored.hpp"
#include "scheduler/alarms.hpp"
#include "scheduler/output.hpp"
#include "scheduler/reminders.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>

namespace xun::service {

namespace {

using scheduler::Occurrence;
using scheduler::Plan;

date::sys_seconds at(std::int64_t unix_seconds) {
  return date::sys_seconds{std::chrono::seconds{unix_seconds}};
}

std::int64_t unix_of(date::sys_seconds t) { return t.time_since_epoch().count(); }

std::int64_t utc_of(const Plan &plan, calendar::LocalTime t) {
  return unix_of(calendar::to_utc(plan.timezone, t));
}

// When an occurrence is over for the purpose of notices: a timed one at its
// start (nothing is sent once it began), an all-day one when its day ends —
// a dues day's notice goes out that morning.
std::int64_t begun_at(const Plan &plan, const Occurrence &o) {
  return utc_of(plan, o.all_day ? o.end : o.start);
}

// A short stable hash (FNV-1a), for keys that must change with content.
std::string short_hash(const std::string &text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i, h >>= 4)
    out += digits[h & 0xf];
  return out;
}

// What a message says, for its key's hash: without the plan page's link,
// which names the address a replica was started on (XUN_PUBLIC_URL unset:
// each its own) and is no news — a re-plan through another replica must not
// make a reminder already sent a new message.
std::string said(const notify::Message &m, const std::string &link) {
  std::string text = m.subject + m.text;
  if (!link.empty())
    for (auto at = text.find(link); at != std::string::npos; at = text.find(link, at))
      text.erase(at, link.size());
  return text;
}

std::string utc_stamp(std::int64_t t) { return date::format("%Y%m%dT%H%M%SZ", at(t)); }

std::vector<notify::Person> attendees_of(const Plan &plan, const scheduler::Activity *a) {
  std::vector<notify::Person> out;
  if (!a)
    return out;
  for (const auto &id : a->people)
    if (const auto *p = plan.find_person(id))
      out.push_back({p->name.empty() ? p->id : p->name, p->email, p->mobile});
    else
      out.push_back({id, "", ""});
  return out;
}

// The occurrence alone as an iCalendar file, for e-mail: one tap adds it.
std::string occurrence_ics(const Published &p, const Occurrence &o) {
  scheduler::Schedule one;
  one.occurrences.push_back(o);
  return calendar::write_ics(scheduler::schedule_calendar(p.plan, one, at(p.time)));
}

notify::OccurrenceView view_of(const Published &p, const Occurrence &o, const std::string &link) {
  const Plan &plan = p.plan;
  const auto *a = plan.find_activity(o.activity);
  notify::OccurrenceView v;
  v.plan_title = plan.title;
  v.title = a ? a->title : o.activity;
  v.kind = a ? a->kind : "other";
  v.all_day = o.all_day;
  v.start_text = scheduler::wall_time_text(o.start, o.all_day);
  v.end_text = scheduler::wall_time_text(o.end, o.all_day); // all-day: exclusive, as in §5
  if (a && a->room)
    if (const auto *room = plan.find_room(*a->room))
      v.room = room->name.empty() ? room->id : room->name;
  v.description = a ? a->description : "";
  v.link = link;
  v.attendees = attendees_of(plan, a);
  v.uid = o.uid(plan);
  return v;
}

bool has_email(const std::vector<notify::Person> &people) {
  return std::any_of(people.begin(), people.end(), [](const auto &p) { return !p.email.empty(); });
}

struct Target {
  const store::StoredChannel *channel;
  notify::ChannelType type;
};

// Builds the rows of one plan for every channel (RowBuilder::rows).
class RowBuilder {
public:
  explicit RowBuilder(const OutboxInput &in) : in_(in) {
    for (const auto &[channel, type] : in.channels)
      targets_.push_back({&channel, type});
  }

  store::OutboxWrite rows() {
    store::OutboxWrite out;
    out.plan_id = in_.after.plan.id;
    out.replace_kinds = {"reminder", "deadline", "digest"};
    if (targets_.empty())
      return out;
    collect_reminders();
    collect_deadlines();
    if (in_.notify.digest_at)
      add_digests();
    else
      add_singles();
    if (in_.notify.changes && in_.before)
      add_changes();
    out.rows = std::move(rows_);
    std::sort(out.rows.begin(), out.rows.end(),
              [](const auto &x, const auto &y) { return x.key < y.key; });
    return out;
  }

private:
  // One reminder or deadline-day notice before it becomes a row per channel.
  struct Item {
    std::string kind; // reminder | deadline
    std::int64_t due = 0;
    const Occurrence *occurrence = nullptr;
  };

  void collect_reminders() {
    const Plan &plan = in_.after.plan;
    for (const auto &r : scheduler::reminders_between(
             plan, in_.after.schedule, at(in_.now - late_grace_seconds), at(in_.now + 800 * 86400)))
      if (wanted(*r.occurrence))
        items_.push_back({"reminder", unix_of(r.at), r.occurrence});
  }

  // Deadline and dues days get a notice on the day at defaults.remind_at,
  // unless that is not before a timed occurrence's start (its reminders do).
  void collect_deadlines() {
    const Plan &plan = in_.after.plan;
    for (const auto &o : in_.after.schedule.occurrences) {
      const auto *a = plan.find_activity(o.activity);
      if (!a || (a->kind != "deadline" && a->kind != "dues") || !wanted(o))
        continue;
      const auto day = date::floor<date::days>(o.start);
      const auto due =
          utc_of(plan, calendar::LocalTime{day} + std::chrono::minutes{plan.remind_at});
      if (!o.all_day && due >= utc_of(plan, o.start))
        continue;
      if (due >= in_.now - late_grace_seconds)
        items_.push_back({"deadline", due, &o});
    }
  }

  bool wanted(const Occurrence &o) const {
    using State = scheduler::OccurrenceState;
    return o.state != State::done && o.state != State::not_recorded &&
           begun_at(in_.after.plan, o) > in_.now;
  }

  // Without its key: push gives each channel's copy its own.
  notify::Payload payload(const Item &item) const {
    const auto v = view_of(in_.after, *item.occurrence, in_.page_url);
    notify::Payload p;
    p.message =
        item.kind == "deadline" ? notify::deadline_message(v, "") : notify::reminder_message(v, "");
    p.event_json = scheduler::occurrence_json_text(in_.after.plan, *item.occurrence);
    p.message.ics = occurrence_ics(in_.after, *item.occurrence);
    p.starts_at = begun_at(in_.after.plan, *item.occurrence);
    return p;
  }

  void push(const Target &t, std::string key, const std::string &kind, const std::string &uid,
            std::int64_t due, notify::Payload p) {
    if (t.type == notify::ChannelType::email && !has_email(p.message.attendees))
      return; // nobody to write to: not a failure to report every time
    p.message.key = key;
    store::OutboxRow row;
    row.key = std::move(key);
    row.plan_id = in_.after.plan.id;
    row.channel_id = t.channel->id;
    row.kind = kind;
    row.uid = uid;
    row.due_at = due;
    row.next_attempt_at = due;
    row.payload = notify::encode_payload(p);
    rows_.push_back(std::move(row));
  }

  // Key: UID + alarm time + channel + kind, and a hash of what it says, so
  // a changed room is a new message while an unchanged one stays one row.
  // Composed once per item (its text and .ics are the same on every
  // channel); push gives each channel's copy its own key.
  void add_singles() {
    if (targets_.empty())
      return;
    for (const auto &item : items_) {
      const std::string uid = item.occurrence->uid(in_.after.plan);
      const notify::Payload composed = payload(item);
      const std::string hash = short_hash(said(composed.message, in_.page_url));
      for (const auto &t : targets_)
        push(t,
             uid + "/" + utc_stamp(item.due) + "/" + t.channel->id + "/" + item.kind + "/" + hash,
             item.kind, uid, item.due, composed);
    }
  }

  // With digest_at: one message per channel per day, at that time, listing
  // what fires that day; an item whose time is earlier in the day than the
  // digest goes into the day before's, so it is never late.
  void add_digests() {
    const Plan &plan = in_.after.plan;
    const auto parsed = calendar::parse_time_of_day(*in_.notify.digest_at);
    const int digest_minute = std::holds_alternative<int>(parsed) ? std::get<int>(parsed) : 510;
    std::map<date::local_days, std::vector<const Item *>> by_day;
    for (const auto &item : items_) {
      const auto local = calendar::to_local(plan.timezone, at(item.due));
      auto day = date::floor<date::days>(local);
      if ((local - day).count() < digest_minute)
        day -= date::days{1};
      by_day[day].push_back(&item);
    }
    for (const auto &[day, items] : by_day) {
      const std::int64_t due =
          utc_of(plan, calendar::LocalTime{day} + std::chrono::minutes{digest_minute});
      if (due < in_.now - late_grace_seconds)
        continue;
      std::vector<notify::OccurrenceView> views;
      std::set<std::string> seen; // an occurrence with two reminders that day: listed once
      for (const Item *item : items)
        if (seen.insert(item->occurrence->uid(plan)).second)
          views.push_back(view_of(in_.after, *item->occurrence, in_.page_url));
      const std::string day_text =
          calendar::format_iso_date(calendar::Date{day.time_since_epoch()});
      for (const auto &t : targets_) {
        notify::Payload p;
        p.message = notify::digest_message(plan.title, day_text, views, "");
        std::vector<notify::Person> everyone;
        for (const auto &v : views)
          everyone.insert(everyone.end(), v.attendees.begin(), v.attendees.end());
        if (p.message.attendees.empty())
          p.message.attendees = everyone;
        const std::string key = plan.id + "/" + day_text + "/" + t.channel->id + "/digest/" +
                                short_hash(said(p.message, in_.page_url));
        push(t, key, "digest", "", due, std::move(p));
      }
    }
  }

  // A move or cancellation of an occurrence within the next 30 days that has
  // not begun: one notice per channel, due now.
  void add_changes() {
    const Published &before = *in_.before;
    const Plan &plan = in_.after.plan;
    // A cancelled occurrence has left `occurrences`: gone is gone, whether
    // recorded cancelled or dropped from the plan.
    std::map<std::string, const Occurrence *> now_placed;
    for (const auto &o : in_.after.schedule.occurrences)
      now_placed[o.uid(plan)] = &o;
    const auto soon = [&](std::int64_t t) {
      return t > in_.now && t <= in_.now + change_horizon_seconds;
    };
    for (const auto &old : before.schedule.occurrences) {
      const std::string uid = old.uid(before.plan);
      const std::int64_t old_begun = begun_at(before.plan, old);
      const auto placed = now_placed.find(uid);
      const bool gone = placed == now_placed.end();
      if (gone && old_begun > in_.now && soon(old_begun)) {
        change(old, nullptr, uid);
        continue;
      }
      if (gone)
        continue;
      const Occurrence &neu = *placed->second;
      if (neu.start == old.start && neu.end == old.end && neu.all_day == old.all_day)
        continue;
      const std::int64_t new_begun = begun_at(plan, neu);
      if ((old_begun > in_.now || new_begun > in_.now) && (soon(old_begun) || soon(new_begun)))
        change(old, &neu, uid);
    }
  }

  void change(const Occurrence &old, const Occurrence *neu, const std::string &uid) {
    const auto before_view = view_of(*in_.before, old, in_.page_url);
    const auto after_view = neu ? view_of(in_.after, *neu, in_.page_url) : before_view;
    const std::string to = neu ? utc_stamp(utc_of(in_.after.plan, neu->start)) : "cancelled";
    for (const auto &t : targets_) {
      const std::string key = uid + "/change/" + to + "/" + t.channel->id;
      notify::Payload p;
      p.message = notify::change_message(before_view, after_view, neu == nullptr, key);
      p.event_json = scheduler::occurrence_json_text(neu ? in_.after.plan : in_.before->plan,
                                                     neu ? *neu : old);
      if (neu)
        p.message.ics = occurrence_ics(in_.after, *neu);
      p.starts_at = 0; // a notice says what changed even as the day comes
      push(t, key, "change", uid, in_.now, std::move(p));
    }
  }

  const OutboxInput &in_;
  std::vector<Target> targets_;
  std::vector<Item> items_;
  std::vector<store::OutboxRow> rows_;
};

std::string default_owner() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0)
    host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + random_token(4);
}

std::uint64_t seed_of(const std::string &key, int attempts) {
  std::uint64_t h = 1469598103934665603ull ^ static_cast<std::uint64_t>(attempts);
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace

store::OutboxWrite outbox_rows(const OutboxInput &in) { return RowBuilder(in).rows(); }

Deliverer::Deliverer(DeliveryConfig config) : config_(std::move(config)), limiter_(steady_ms) {
  if (config_.owner.empty())
    config_.owner = default_owner();
  for (int i = 0; i < config_.workers; ++i)
    threads_.emplace_back([this] { loop(); });
}

Deliverer::~Deliverer() {
  stop_ = true;
  woken_.notify_all();
  for (auto &t : threads_)
    t.join();
}

void Deliverer::wake() {
  {
    std::lock_guard lock(mutex_);
    wake_ = true;
  }
  woken_.notify_all();
}

void Deliverer::loop() {
  while (!stop_) {
    int claimed = 0;
    try {
      claimed = run_once();
    } catch (const std::exception &e) {
      std::cerr << "xun serve: delivery: " << e.what() << "\n"; // the store is down: try later
    }
    if (claimed > 0)
      continue; // more may be due
    std::unique_lock lock(mutex_);
    woken_.wait_for(lock, config_.poll, [this] { return wake_ || stop_.load(); });
    wake_ = false;
  }
}

int Deliverer::run_once() {
  const auto rows = config_.store->claim_due(config_.clock(), config_.lease_seconds, config_.batch,
                                             config_.owner);
  for (const auto &row : rows) {
    if (stop_)
      break; // the lease runs out; the row was not started, so it goes back to pending
    deliver(row);
  }
  return static_cast<int>(rows.size());
}

// The store's shared pace when replicas share the channel (PostgreSQL; on
// the wall clock, which their hosts keep in step), else this process's own.
std::int64_t Deliverer::pace_wait_ms(const std::string &channel_id, notify::ChannelType type) {
  const auto rate = notify::rate_of(type);
  const auto wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  if (const auto shared =
          config_.store->take_send_slot(channel_id, wall_ms, rate.interval_ms, rate.burst))
    return *shared;
  return limiter_.wait_ms(channel_id, type);
}

void Deliverer::deliver(const store::OutboxRow &row) {
  store::Store &store = *config_.store;
  const auto finish = [&](store::SendOutcome outcome, std::string answer, std::string error,
                          std::int64_t retry_at = 0) {
    store.finish_send(row.key, config_.owner,
                      {outcome, config_.clock(), std::move(answer), std::move(error), retry_at});
  };
  if (!store.find_plan(row.plan_id)) {
    finish(store::SendOutcome::failed, "", "计划已删除 / the plan was deleted");
    return;
  }
  const auto channel = store.find_channel(row.channel_id);
  if (!channel || channel->stopped) {
    finish(store::SendOutcome::failed, "",
           channel ? "渠道已停用 / the channel is stopped: " + channel->health
                   : "渠道已删除 / the channel was deleted");
    return;
  }
  notify::ChannelSettings settings;
  notify::Payload payload;
  try {
    settings =
        notify::from_parts(channel->settings_json, unseal(config_.key, channel->sealed_secrets));
    payload = notify::decode_payload(row.payload);
  } catch (const std::exception &e) {
    finish(store::SendOutcome::failed, "", e.what());
    return;
  }
  const std::int64_t now = config_.clock();
  if (payload.starts_at != 0 && now >= payload.starts_at) {
    finish(store::SendOutcome::failed, "", "已开始，不再提醒 / it has begun: not sent");
    return;
  }
  // Under the robot's limit: wait a little here, or hand the row back.
  for (std::int64_t wait = pace_wait_ms(channel->id, settings.type); wait > 0;
       wait = pace_wait_ms(channel->id, settings.type)) {
    if (wait > 3000 || stop_) {
      finish(store::SendOutcome::retry, "", "", now + (wait + 999) / 1000);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  }
  // Committed before the request: a crash from here on makes the row
  // `unknown` (it may have reached the far end), never a silent second send.
  if (!store.mark_request_started(row.key, config_.owner, config_.clock()))
    return;
  const auto result = notify::send(settings, payload.message, {config_.clock()});
  switch (result.outcome) {
  case notify::Outcome::sent:
    finish(store::SendOutcome::sent, result.answer, "");
    if (channel->health != "ok")
      store.set_channel_health(channel->id, "ok", config_.clock(), false);
    return;
  case notify::Outcome::retry:
    if (row.attempts >= config_.max_attempts) {
      finish(store::SendOutcome::failed, result.answer, result.error);
      return;
    }
    finish(store::SendOutcome::retry, result.answer, result.error,
           config_.clock() +
               (result.retry_after_seconds
                    ? *result.retry_after_seconds
                    : notify::retry_delay_seconds(row.attempts, seed_of(row.key, row.attempts))));
    return;
  case notify::Outcome::permanent:
    finish(store::SendOutcome::failed, result.answer, result.error);
    // A bad key or signature fails every message alike: stop until fixed.
    store.set_channel_health(channel->id, result.error, config_.clock(), true);
    return;
  }
}

} // namespace xun::service
