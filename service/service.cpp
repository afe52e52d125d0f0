#include "service/service.hpp"

#include "scheduler/occurrence_key.hpp"
#include "scheduler/output.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/records.hpp"
#include "service/errors.hpp"
#include "service/secrets.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>

namespace xun::service {

namespace {

using store::RevisionStatus;

std::string slug(const std::string &text) {
  std::string out;
  bool dash = false;
  for (unsigned char c : text) {
    if (std::isalnum(c) && c < 128) {
      if (dash && !out.empty())
        out += '-';
      dash = false;
      out += static_cast<char>(std::tolower(c));
    } else if (c == '-' || !out.empty()) {
      dash = true;
    }
  }
  return out.empty() ? "plan" : out.substr(0, 64);
}

bool is_id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// The id a text that failed to load probably meant, so its draft is findable:
// the first line `id: NAME` (optionally quoted). One pass over the text — a
// regex here overflowed the stack on a long id line.
std::string guessed_id(const std::string &text, const std::string &file_name) {
  for (std::size_t line = 0; line < text.size();) {
    if (text.compare(line, 3, "id:") == 0) {
      std::size_t i = line + 3;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
        ++i;
      if (i < text.size() && (text[i] == '"' || text[i] == '\''))
        ++i;
      const std::size_t start = i;
      while (i < text.size() && is_id_char(text[i]))
        ++i;
      if (i > start)
        return text.substr(start, std::min<std::size_t>(i - start, 200));
    }
    const std::size_t next = text.find('\n', line);
    line = next == std::string::npos ? text.size() : next + 1;
  }
  return scheduler::default_plan_id(file_name);
}

date::sys_seconds at(std::int64_t unix_seconds) {
  return date::sys_seconds{std::chrono::seconds{unix_seconds}};
}

} // namespace

struct Service::Impl {
  Config config;
  store::Store &store;
  std::mutex write_mutex; // one change at a time: revisions number up without gaps
  Publications publications;
  // Imported notices, replaced whole (under write_mutex): a plan evaluated
  // outside that lock keeps the overlay it started with.
  std::mutex holidays_mutex;
  std::shared_ptr<const calendar::HolidayOverlay> holidays =
      std::make_shared<const calendar::HolidayOverlay>();

  std::shared_ptr<const calendar::HolidayOverlay> holiday_overlay() {
    std::lock_guard lock(holidays_mutex);
    return holidays;
  }

  void set_holiday_overlay(calendar::HolidayOverlay overlay) {
    auto next = std::make_shared<const calendar::HolidayOverlay>(std::move(overlay));
    std::lock_guard lock(holidays_mutex);
    holidays = std::move(next);
  }

  // What a reader is told of each plan's latest revision, kept so that a GET
  // does not decode the whole revision (source, schedule, feed) from the store.
  struct Latest {
    int number = 0;
    store::RevisionStatus status = RevisionStatus::invalid;
    std::vector<scheduler::Diagnostic> problems;
    std::optional<scheduler::Conflict> conflict;
  };
  std::mutex latest_mutex;
  std::map<std::string, std::shared_ptr<const Latest>> latest;

  void remember_latest(const store::Revision &r) {
    auto l = std::make_shared<const Latest>(Latest{r.number, r.status, r.problems, r.conflict});
    std::lock_guard lock(latest_mutex);
    latest[r.plan_id] = std::move(l);
  }

  std::shared_ptr<const Latest> latest_of(const store::PlanRecord &record) {
    {
      std::lock_guard lock(latest_mutex);
      const auto it = latest.find(record.id);
      if (it != latest.end() && it->second->number == record.current_revision)
        return it->second;
    }
    auto current = store.revision(record.id, record.current_revision);
    if (!current)
      return nullptr;
    remember_latest(*current);
    std::lock_guard lock(latest_mutex);
    return latest[record.id];
  }

  Notifications notifications;

  explicit Impl(Config c)
      : config(std::move(c)), store(*config.store),
        notifications(
            store, [this] { return now(); }, config.seal_key, config.public_url) {}

  std::int64_t now() const {
    if (config.clock)
      return config.clock();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  store::PlanRecord require_plan(const std::string &id) {
    auto p = store.find_plan(id);
    if (!p)
      throw NotFound(no_such_plan(id));
    return *p;
  }

  // Renders the feeds of each person; a feed whose bytes did not change keeps
  // its Last-Modified (from its stored state, else from `before`).
  void render_people(Published &p, const std::map<std::string, store::EventState> &states,
                     const std::shared_ptr<const Published> &before,
                     std::vector<store::EventState> *changed) {
    for (const auto &person : p.plan.people) {
      scheduler::OutputFilter filter;
      filter.person = person.id;
      auto cal = scheduler::schedule_calendar(p.plan, p.schedule, at(p.time), filter);
      const FeedBody *previous = nullptr;
      if (before)
        if (auto it = before->people.find(person.id); it != before->people.end())
          previous = it->second.get();
      p.people[person.id] = std::make_shared<const FeedBody>(kept_feed_body(
          render_feed(std::move(cal), states), states, person.id, p.time, previous, changed));
    }
  }

  struct Outcome {
    store::RevisionWrite write;
    std::shared_ptr<Published> published;
    bool solver_failed = false;
    std::vector<std::string> refused; // §6.5: nothing is stored
  };

  // Loads, solves and (when it schedules) gives UIDs to one submitted text.
  // The stored records, read back (a record that no longer reads is named on
  // stderr and left out rather than blocking every change).
  std::vector<scheduler::Record> stored_records(const std::string &plan_id) {
    std::vector<scheduler::Record> out;
    for (const auto &stored : store.records(plan_id)) {
      auto loaded = scheduler::load_record(stored.json, "record " + stored.uid);
      if (loaded.records.empty()) {
        std::cerr << "xun serve: plan " << plan_id << ": stored record of " << stored.uid
                  << " does not read; left out\n";
        continue;
      }
      loaded.records.front().occurrence = stored.uid;
      out.push_back(std::move(loaded.records.front()));
    }
    return out;
  }

  // The service's clock as the re-plan's as-of, in the plan's zone.
  static calendar::LocalTime local_now(const scheduler::Plan &plan, std::int64_t time) {
    return calendar::to_local(plan.timezone, date::sys_seconds{std::chrono::seconds{time}});
  }

  Outcome evaluate(const std::string &plan_id, int number, const std::string &text,
                   const std::string &file_name, std::int64_t time,
                   const std::shared_ptr<const Published> &before,
                   const std::vector<scheduler::Record> *records_override = nullptr) {
    Outcome out;
    store::Revision &r = out.write.revision;
    r.plan_id = plan_id;
    r.number = number;
    r.created_at = time;
    r.file_name = file_name;
    r.source = text;
    scheduler::LoadResult loaded;
    try {
      loaded = scheduler::load_plan(text, file_name, config.data_dir, *holiday_overlay());
    } catch (const std::exception &e) {
      loaded.plan.reset();
      loaded.errors.push_back({file_name, 1, 1, e.what()});
    }
    if (!loaded.errors.empty() || !loaded.plan) {
      if (loaded.errors.empty())
        loaded.errors.push_back({file_name, 1, 1, "the plan could not be read"});
      r.status = RevisionStatus::invalid;
      r.problems = std::move(loaded.errors);
      return out;
    }
    auto p = std::make_shared<Published>();
    p->revision = number;
    p->time = time;
    p->plan = std::move(*loaded.plan);
    try {
      calendar::preload_zone(p->plan.timezone);
      scheduler::SolveOptions options;
      scheduler::Replan replan;
      if (before) {
        // §6.5 on every change: the records are facts, and what started before
        // now + replan.freeze stays where it was.
        options.previous = &before->schedule;
        const auto records = records_override ? *records_override : stored_records(plan_id);
        auto resolved = scheduler::resolve_records(p->plan, before->schedule, records, "records");
        for (const auto &problem : resolved.problems)
          out.refused.push_back("a stored record no longer fits the plan: " + problem.message);
        if (!out.refused.empty())
          return out;
        replan.records = std::move(resolved.records);
        replan.as_of = local_now(p->plan, time);
        replan.freeze_minutes = p->plan.replan_freeze_minutes;
        options.replan = &replan;
      }
      p->schedule = scheduler::solve(p->plan, options);
      out.refused = p->schedule.would_move;
      if (!out.refused.empty())
        return out;
    } catch (const std::exception &e) {
      out.solver_failed = true;
      r.conflict =
          scheduler::Conflict{std::string("the scheduler failed: ") + e.what(), {}, {}, {}};
    }
    if (!r.conflict && p->schedule.conflict)
      r.conflict = p->schedule.conflict;
    if (!r.conflict && p->schedule.stopped) // no schedule in time: kept as a draft too
      r.conflict = scheduler::Conflict{p->schedule.stopped->message, {}, {}, {}};
    if (r.conflict) {
      r.status = RevisionStatus::draft;
      return out;
    }
    r.status = RevisionStatus::ok;
    out.published = p;
    return out;
  }

  // A published UID is kept for its key for good; a plan published before
  // keys were stored contributes the UIDs its feeds carry.
  void assign_uids(Outcome &out, const std::shared_ptr<const Published> &before) {
    Published &p = *out.published;
    auto known = store.published_uids(out.write.revision.plan_id);
    store::UidMap legacy;
    if (before)
      for (const auto &o : before->schedule.occurrences)
        if (const auto key = scheduler::key_of(o); !known.contains(key))
          legacy.emplace(key, o.uid(before->plan));
    known.insert(legacy.begin(), legacy.end());
    out.write.new_uids = scheduler::assign_uids(p.plan, p.schedule, known);
    out.write.new_uids.merge(legacy);
  }

  // Gives an evaluated revision its UIDs, renders its feeds and the outbox
  // rows it brings: the costly part, done outside the write lock for a new plan.
  void prepare(Outcome &out, const std::shared_ptr<const Published> &before) {
    store::Revision &r = out.write.revision;
    if (!out.published)
      return;
    assign_uids(out, before);
    Published &p = *out.published;
    auto states = store.event_states(r.plan_id);
    auto cal = scheduler::schedule_calendar(p.plan, p.schedule, at(p.time));
    out.write.changed = changed_event_states(states, cal, p.time);
    for (const auto &e : out.write.changed)
      states[e.uid] = e;
    auto bytes = render_feed(std::move(cal), states);
    r.ics = bytes;
    r.schedule = p.schedule;
    std::vector<store::EventState> feeds_changed;
    p.all = std::make_shared<const FeedBody>(kept_feed_body(std::move(bytes), states, "", p.time,
                                                            before ? before->all.get() : nullptr,
                                                            &feeds_changed));
    render_people(p, states, before, &feeds_changed);
    out.write.changed.insert(out.write.changed.end(), feeds_changed.begin(), feeds_changed.end());
    // Reminders and change notices ride in the same transaction.
    if (auto rows = notifications.rows_for(p, before.get()))
      out.write.outbox = std::move(*rows);
  }

  // Stores a prepared revision (one transaction) and publishes it.
  void store_and_publish(Outcome &out) {
    store::Revision &r = out.write.revision;
    store.save_revision(out.write);
    if (out.write.outbox)
      notifications.wake();
    remember_latest(r);
    if (out.published)
      publications.publish(r.plan_id, out.published);
    if (out.write.new_token)
      publications.set_token(r.plan_id, *out.write.new_token);
  }

  void commit(Outcome &out, const std::shared_ptr<const Published> &before) {
    prepare(out, before);
    store_and_publish(out);
  }

  // Ids handed to new plans still being prepared (under write_mutex).
  std::set<std::string> reserved_ids;

  std::string new_plan_id(const std::string &wanted) {
    const std::string base = slug(wanted);
    std::string id = base;
    for (int n = 2; store.plan_id_taken(id) || reserved_ids.contains(id); ++n)
      id = base + "-" + std::to_string(n);
    return id;
  }

  RecordChange change_record(const std::string &id, const std::string &occurrence,
                             const std::optional<std::string> &body);

  // A moved record (the one for `uid`) whose new time clashes with what the
  // re-plan keeps fixed: refused as the record's own problem (422).
  std::vector<scheduler::Diagnostic> move_clashes(const Published &before,
                                                  const std::vector<scheduler::Record> &records,
                                                  const std::string &uid) {
    scheduler::Replan replan;
    replan.records =
        scheduler::resolve_records(before.plan, before.schedule, records, "records").records;
    replan.as_of = local_now(before.plan, now());
    replan.freeze_minutes = before.plan.replan_freeze_minutes;
    std::vector<scheduler::Diagnostic> out;
    for (auto &clash :
         scheduler::moved_record_clashes(before.plan, before.schedule, replan, "record"))
      if (clash.uid == uid)
        out.push_back(std::move(clash.problem));
    return out;
  }

  Submission submission(Outcome &out) {
    Submission s;
    s.solver_failed = out.solver_failed;
    s.refused = out.refused;
    if (out.published)
      s.timezone = out.published->plan.timezone;
    s.record = require_plan(out.write.revision.plan_id);
    s.revision = std::move(out.write.revision);
    return s;
  }

  Submission create(const std::string &text, const std::string &file_name) {
    // Loading and solving take the time; they need no lock (a new plan has no
    // previous schedule), so other writes go on meanwhile.
    Outcome out = evaluate("", 1, text, file_name, now(), nullptr);
    std::string id;
    {
      std::lock_guard lock(write_mutex);
      // The id comes from the plan itself when it loads; else from its text.
      const std::string wanted =
          out.published ? out.published->plan.id : guessed_id(text, file_name);
      id = new_plan_id(wanted);
      reserved_ids.insert(id);
      forget_access(store, id); // an id freed by a deleted draft
    }
    // Rendering a big plan's feeds takes seconds: other writes go on meanwhile.
    struct Release {
      Impl &impl;
      const std::string &id;
      ~Release() {
        std::lock_guard lock(impl.write_mutex);
        impl.reserved_ids.erase(id);
      }
    } release{*this, id};
    out.write.revision.plan_id = id;
    out.write.new_token = random_token(token_bytes);
    prepare(out, nullptr);
    {
      std::lock_guard lock(write_mutex);
      store_and_publish(out);
    }
    return submission(out);
  }

  PlanView view(const store::PlanRecord &record, bool with_token) {
    PlanView v;
    v.record = record;
    if (auto current = latest_of(record)) {
      v.status = current->status;
      v.problems = current->problems;
      v.conflict = current->conflict;
    }
    v.published = publications.find(record.id);
    if (with_token) {
      v.feed_token = publications.token_of(record.id);
      v.access = plan_access(store, record.id);
    }
    return v;
  }

  // The seconds in which more than one revision of the plan was made: a feed
  // dated one of them cannot be told from another version by its date alone
  // (FeedBody::shares_second). Replicas and restarts mark what the writer did.
  std::set<std::int64_t> seconds_revised_twice(const std::string &id) {
    std::set<std::int64_t> seen, twice;
    for (const auto &r : store.revisions(id))
      if (!seen.insert(r.created_at).second)
        twice.insert(r.created_at);
    return twice;
  }

  static void mark_shared_seconds(Published &p, const std::set<std::int64_t> &seconds) {
    const auto mark = [&](std::shared_ptr<const FeedBody> &body) {
      if (!seconds.contains(body->last_modified))
        return;
      auto copy = std::make_shared<FeedBody>(*body);
      copy->shares_second = true;
      body = std::move(copy);
    };
    mark(p.all);
    for (auto &[person, body] : p.people)
      mark(body);
  }

  // The published revision of a plan as stored; nullptr when it no longer loads.
  std::shared_ptr<Published> load(const store::PlanRecord &record) {
    auto r = store.revision(record.id, *record.published_revision);
    if (!r)
      return nullptr;
    auto loaded =
        scheduler::load_plan(r->source, r->file_name, config.data_dir, *holiday_overlay());
    if (!loaded.plan) {
      std::cerr << "xun serve: plan " << record.id << " revision " << r->number
                << " no longer loads; its feeds are offline\n";
      return nullptr;
    }
    auto p = std::make_shared<Published>();
    p->revision = r->number;
    p->time = r->created_at;
    p->plan = std::move(*loaded.plan);
    calendar::preload_zone(p->plan.timezone);
    p->schedule = std::move(r->schedule);
    if (!r->keyed)
      scheduler::derive_keys(p->plan, p->schedule);
    const auto states = store.event_states(record.id);
    p->all = std::make_shared<const FeedBody>(
        kept_feed_body(r->ics, states, "", r->created_at, nullptr, nullptr));
    render_people(*p, states, nullptr, nullptr);
    mark_shared_seconds(*p, seconds_revised_twice(record.id));
    return p;
  }

  std::map<std::string, std::string> active_tokens() { // by plan
    std::map<std::string, std::string> out;
    for (const auto &t : store.active_tokens())
      out[t.plan_id] = t.token;
    return out;
  }

  // Brings one plan's publication and token up to what is stored (another
  // replica may have changed them); a publication already current is kept.
  void refresh(const std::string &id, const std::map<std::string, std::string> &tokens) {
    const auto record = store.find_plan(id);
    if (!record) {
      publications.remove(id);
      return;
    }
    if (!record->published_revision) {
      publications.remove(id);
    } else if (auto now = publications.find(id);
               !now || now->revision != *record->published_revision) {
      try {
        if (auto p = load(*record))
          publications.publish(id, p);
        else
          publications.remove(id);
      } catch (const store::Unavailable &) {
        throw;
      } catch (const std::exception &e) {
        std::cerr << "xun serve: plan " << id << " could not be loaded: " << e.what() << "\n";
        publications.remove(id);
      }
    }
    if (auto t = tokens.find(id); t != tokens.end())
      publications.set_token(id, t->second);
    else
      publications.drop_token(id);
  }

  // Drops what is cached for `plan_id` ("": for every plan) and loads it again.
  void refresh_changed(const std::string &plan_id) {
    std::lock_guard lock(write_mutex); // never between a commit and its publishing
    const auto tokens = active_tokens();
    if (!plan_id.empty())
      return refresh(plan_id, tokens);
    std::set<std::string> ids;
    for (const auto &record : store.plans())
      ids.insert(record.id);
    for (const auto &id : publications.plan_ids())
      ids.insert(id);
    for (const auto &id : ids)
      refresh(id, tokens);
  }

  void load_published() {
    for (const auto &t : store.active_tokens())
      publications.set_token(t.plan_id, t.token);
    for (const auto &record : store.plans()) {
      if (!record.published_revision)
        continue;
      try {
        if (auto p = load(record))
          publications.publish(record.id, p);
      } catch (const std::exception &e) {
        std::cerr << "xun serve: plan " << record.id << " could not be loaded: " << e.what()
                  << "\n";
      }
    }
  }
};

namespace {

// The store keeps each imported year as its holiday-cn text under
// "holidays/cn/YYYY", and the list of those years under "holidays/cn".
const std::string holiday_years_key = "holidays/cn";

std::string holiday_key(int year) { return holiday_years_key + "/" + std::to_string(year); }

std::vector<int> imported_years(store::Store &store) {
  std::vector<int> years;
  std::istringstream in(store.setting(holiday_years_key).value_or(""));
  for (int y = 0; in >> y;)
    years.push_back(y);
  return years;
}

} // namespace

Service::Service(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {
  calendar::HolidayOverlay imported;
  for (const int year : imported_years(impl_->store)) {
    const auto text = impl_->store.setting(holiday_key(year));
    try {
      if (text)
        imported.push_back({"cn", year, calendar::parse_holiday_cn_json(*text, holiday_key(year))});
    } catch (const calendar::HolidayDataError &e) {
      std::cerr << "xun serve: the imported holidays of " << year << " are unreadable: " << e.what()
                << "\n";
    }
  }
  impl_->set_holiday_overlay(std::move(imported));
  // Other replicas on the same database: what they commit is served here too.
  // Listening starts first, so nothing committed during the loading is missed.
  impl_->store.on_change([impl = impl_.get()](const std::string &plan_id) {
    try {
      impl->refresh_changed(plan_id);
    } catch (const std::exception &e) {
      std::cerr << "xun serve: refreshing plan '" << plan_id << "' failed: " << e.what() << "\n";
    }
  });
  try {
    std::lock_guard lock(impl_->write_mutex);
    impl_->load_published();
  } catch (...) {
    impl_->store.on_change(nullptr); // the callback must not outlive impl_
    throw;
  }
}

HolidayImport Service::import_holidays(const std::string &text, std::optional<int> year,
                                       bool force) {
  HolidayImport out;
  auto parse = calendar::parse_holiday_notice(text, year);
  for (const auto &p : parse.problems)
    out.problems.push_back({"notice.txt", p.line, p.column, p.message});
  if (!parse.notice)
    return out;
  const calendar::HolidayNotice &notice = *parse.notice;
  const auto official =
      impl_->config.data_dir / "holidays" / "cn" / (std::to_string(notice.year) + ".json");
  if (!force) {
    out.refusal = calendar::replacement_refusal(official, notice.days);
    if (!out.refusal.empty())
      return out;
  }
  std::lock_guard lock(impl_->write_mutex);
  auto years = imported_years(impl_->store);
  if (std::find(years.begin(), years.end(), notice.year) == years.end())
    years.push_back(notice.year);
  std::sort(years.begin(), years.end());
  std::string list;
  for (const int y : years)
    list += (list.empty() ? "" : " ") + std::to_string(y);
  impl_->store.set_setting(holiday_key(notice.year), calendar::holiday_cn_json(notice));
  impl_->store.set_setting(holiday_years_key, list);
  auto overlay = *impl_->holiday_overlay();
  std::erase_if(overlay, [&](const auto &h) { return h.year == notice.year; });
  overlay.push_back({"cn", notice.year, notice.days});
  impl_->set_holiday_overlay(std::move(overlay));
  out.notice = notice;
  return out;
}

Service::~Service() { impl_->store.on_change(nullptr); }

std::int64_t Service::now() const { return impl_->now(); }

std::vector<std::string> Service::zones() const { return impl_->publications.zones(); }

std::string Service::store_problem() {
  try {
    impl_->store.check_health();
    return {};
  } catch (const std::exception &e) {
    return e.what();
  }
}

Submission Service::create_plan(const std::string &text, const std::string &file_name) {
  return impl_->create(text, file_name);
}

Submission Service::update_plan(const std::string &id, const std::string &text,
                                const std::string &file_name) {
  // Solved outside the write lock against the revision published now; if
  // another change came first, solved again under the lock (rare).
  auto record = impl_->require_plan(id);
  auto before = impl_->publications.find(id);
  Impl::Outcome out =
      impl_->evaluate(id, record.current_revision + 1, text, file_name, impl_->now(), before);
  {
    std::lock_guard lock(impl_->write_mutex);
    auto now_record = impl_->require_plan(id);
    auto now_before = impl_->publications.find(id);
    if (now_record.published_revision &&
        (!now_before || now_before->revision != *now_record.published_revision)) {
      // Another replica published since (its notice is on the way): re-plan from that.
      impl_->refresh(id, impl_->active_tokens());
      now_before = impl_->publications.find(id);
    }
    if (now_record.current_revision != record.current_revision || now_before != before) {
      before = now_before;
      out = impl_->evaluate(id, now_record.current_revision + 1, text, file_name, impl_->now(),
                            before);
    }
    if (out.refused.empty())
      impl_->commit(out, before);
  }
  return impl_->submission(out);
}

Submission Service::preview_update(const std::string &id, const std::string &text,
                                   const std::string &file_name) {
  const auto record = impl_->require_plan(id);
  Impl::Outcome out = impl_->evaluate(id, record.current_revision + 1, text, file_name,
                                      impl_->now(), impl_->publications.find(id));
  if (out.published) { // the UIDs it would publish, for the moves' names
    impl_->assign_uids(out, impl_->publications.find(id));
    out.write.revision.schedule = out.published->schedule;
  }
  Submission s;
  s.refused = out.refused;
  s.solver_failed = out.solver_failed;
  if (out.published)
    s.timezone = out.published->plan.timezone;
  s.record = record;
  s.revision = std::move(out.write.revision);
  s.dry_run = true;
  if (s.refused.empty())
    s.preview = out.published;
  return s;
}

std::vector<RecordEntry> Service::records(const std::string &id) {
  impl_->require_plan(id);
  const auto published = impl_->publications.find(id);
  std::map<std::string, std::string> ids; // uid → id
  if (published)
    for (const auto *list : {&published->schedule.occurrences, &published->schedule.cancelled})
      for (const auto &o : *list)
        ids[o.uid(published->plan)] = o.id();
  std::vector<RecordEntry> out;
  for (const auto &stored : impl_->store.records(id)) {
    auto loaded = scheduler::load_record(stored.json, "record " + stored.uid);
    if (loaded.records.empty())
      continue;
    RecordEntry e;
    e.record = std::move(loaded.records.front());
    e.record.occurrence = stored.uid;
    e.uid = stored.uid;
    e.id = ids.contains(stored.uid) ? ids[stored.uid] : std::string();
    e.updated_at = stored.updated_at;
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<scheduler::Progress> Service::progress(const std::string &id,
                                                     std::optional<calendar::Date> as_of) {
  impl_->require_plan(id);
  const auto published = impl_->publications.find(id);
  if (!published)
    return std::nullopt;
  auto resolved = scheduler::resolve_records(published->plan, published->schedule,
                                             impl_->stored_records(id), "records");
  const calendar::Date day =
      as_of ? *as_of : calendar::local_date(Impl::local_now(published->plan, impl_->now()));
  return scheduler::progress(published->plan, published->schedule, resolved.records, day);
}

YearSoFar Service::year_so_far(const std::string &id, const Published &published) {
  YearSoFar out;
  out.now = Impl::local_now(published.plan, impl_->now());
  // Records that no longer fit the schedule are left out, as progress() does.
  out.records = scheduler::resolve_records(published.plan, published.schedule,
                                           impl_->stored_records(id), "records")
                    .records;
  out.progress = scheduler::progress(published.plan, published.schedule, out.records,
                                     calendar::local_date(out.now));
  return out;
}

Service::NextYearResult Service::next_year(const std::string &id) {
  const auto record = impl_->require_plan(id);
  const int number = record.published_revision.value_or(record.current_revision);
  const auto revision = impl_->store.revision(id, number);
  if (!revision)
    throw NotFound("Plan '" + id + "' has no revision to start next year's plan from.");
  NextYearResult out;
  const std::string file = scheduler::default_plan_id(revision->file_name) + "-next.yaml";
  out.next =
      scheduler::next_year(revision->source, revision->file_name, file, impl_->config.data_dir);
  if (out.next.text)
    out.submission = create_plan(*out.next.text, file);
  return out;
}

namespace {

// The occurrence a path names, by UID or id, in the published schedule.
const scheduler::Occurrence *named_occurrence(const Published &p, const std::string &name) {
  for (const auto *list : {&p.schedule.occurrences, &p.schedule.cancelled})
    for (const auto &o : *list)
      if (o.uid(p.plan) == name || o.id() == name)
        return &o;
  return nullptr;
}

} // namespace

RecordChange Service::put_record(const std::string &id, const std::string &occurrence,
                                 const std::string &body) {
  return impl_->change_record(id, occurrence, body);
}

RecordChange Service::delete_record(const std::string &id, const std::string &occurrence) {
  return impl_->change_record(id, occurrence, std::nullopt);
}

// PUT (body) or DELETE (no body) of one record: the published revision's text
// re-planned with the records as they would be, stored only if it schedules.
RecordChange Service::Impl::change_record(const std::string &id, const std::string &occurrence,
                                          const std::optional<std::string> &body) {
  Impl &impl = *this;
  RecordChange change;
  std::lock_guard lock(impl.write_mutex);
  const auto record = impl.require_plan(id);
  const auto before = impl.publications.find(id);
  if (!before || !record.published_revision)
    throw NotFound("Plan '" + id +
                   "' has no schedule yet: occurrences can be recorded once it "
                   "is scheduled.");
  const scheduler::Occurrence *occ = named_occurrence(*before, occurrence);
  if (!occ)
    throw NotFound("Plan '" + id + "' has no occurrence '" + occurrence +
                   "' (name it by id, e.g. study#0, or by UID; GET /api/plans/" + id +
                   "/schedule lists them).");
  const std::string uid = occ->uid(before->plan);
  std::vector<scheduler::Record> records = impl.stored_records(id);
  std::erase_if(records, [&](const scheduler::Record &r) { return r.occurrence == uid; });
  std::optional<scheduler::ResolvedRecord> resolved;
  if (body) {
    auto loaded = scheduler::load_record(*body, "record");
    if (!loaded.problems.empty()) {
      change.problems = std::move(loaded.problems);
      return change;
    }
    scheduler::Record r = std::move(loaded.records.front());
    if (!r.occurrence.empty() && r.occurrence != uid && r.occurrence != occ->id()) {
      const auto pos = r.field_pos["occurrence"];
      change.problems.push_back({"record", pos.line, pos.column,
                                 "occurrence '" + r.occurrence + "' is not " + occ->id() +
                                     ", which the path names; leave it out or make them agree"});
      return change;
    }
    r.occurrence = uid;
    auto checked = scheduler::resolve_records(before->plan, before->schedule, {r}, "record");
    if (!checked.problems.empty()) {
      change.problems = std::move(checked.problems);
      return change;
    }
    resolved = checked.records.front();
    records.push_back(std::move(r));
    change.problems = impl.move_clashes(*before, records, uid);
    if (!change.problems.empty())
      return change;
  }
  const auto source = impl.store.revision(id, *record.published_revision);
  if (!source)
    throw NotFound("Plan '" + id + "' has lost its published revision.");
  const std::int64_t now = impl.now();
  Outcome out = impl.evaluate(id, record.current_revision + 1, source->source, source->file_name,
                              now, before, &records);
  if (out.refused.empty() && out.published) {
    if (resolved) {
      out.write.put_records.push_back({uid, scheduler::record_json(*resolved), now});
      change.entry = RecordEntry{resolved->record, uid, resolved->id, now};
      change.entry->record.occurrence = uid;
    } else {
      out.write.deleted_records.push_back(uid);
    }
    impl.commit(out, before);
  }
  change.submission = impl.submission(out);
  return change;
}

void Service::delete_plan(const std::string &id) {
  std::lock_guard lock(impl_->write_mutex);
  impl_->require_plan(id);
  impl_->store.delete_plan(id, impl_->now());
  impl_->publications.remove(id);
  forget_access(impl_->store, id);
}

PlanAccess Service::access(const std::string &id) {
  impl_->require_plan(id);
  return plan_access(impl_->store, id);
}

bool Service::read_link_matches(const std::string &id, const std::string &secret) {
  return service::read_link_matches(impl_->store, id, secret);
}

std::string Service::issue_read_link(const std::string &id) {
  std::lock_guard lock(impl_->write_mutex);
  impl_->require_plan(id);
  return service::issue_read_link(impl_->store, id);
}

void Service::revoke_read_link(const std::string &id) {
  std::lock_guard lock(impl_->write_mutex);
  impl_->require_plan(id);
  service::revoke_read_link(impl_->store, id);
}

void Service::set_public(const std::string &id, bool is_public) {
  std::lock_guard lock(impl_->write_mutex);
  impl_->require_plan(id);
  service::set_public(impl_->store, id, is_public);
}

std::string Service::open_session() { return service::open_session(impl_->store, impl_->now()); }

bool Service::session_valid(const std::string &session_id) {
  return service::session_valid(impl_->store, session_id, impl_->now());
}

void Service::close_session(const std::string &session_id) {
  service::close_session(impl_->store, session_id);
}

Validation Service::validate(const std::string &text, const std::string &file_name) {
  auto out = impl_->evaluate("", 1, text, file_name, impl_->now(), nullptr);
  Validation v;
  v.revision = std::move(out.write.revision);
  v.published = std::move(out.published);
  return v;
}

std::vector<PlanTemplate> Service::templates() const {
  std::vector<PlanTemplate> out;
  std::error_code ec;
  for (const auto &e : std::filesystem::directory_iterator(impl_->config.data_dir / "plans", ec)) {
    if (e.path().extension() != ".yaml")
      continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out.push_back({e.path().filename().string(), text.str()});
  }
  std::sort(out.begin(), out.end(),
            [](const auto &a, const auto &b) { return a.file_name < b.file_name; });
  return out;
}

Notifications &Service::notifications() { return impl_->notifications; }

store::PlanNotify Service::set_notify(const std::string &id, store::PlanNotify notify) {
  std::lock_guard lock(impl_->write_mutex);
  impl_->require_plan(id);
  notify.plan_id = id;
  for (std::size_t i = 0; i < notify.channels.size(); ++i)
    if (!impl_->store.find_channel(notify.channels[i]))
      throw Unprocessable("/channels/" + std::to_string(i),
                          "没有这个渠道 / there is no channel '" + notify.channels[i] +
                              "': POST /api/channels creates one, GET /api/channels lists them");
  store::OutboxWrite rows;
  rows.plan_id = id;
  rows.replace_kinds = {"reminder", "deadline", "digest"};
  if (const auto published = impl_->publications.find(id))
    if (auto wanted = impl_->notifications.rows_for(*published, nullptr, notify))
      rows = std::move(*wanted);
  impl_->store.set_plan_notify(notify, rows);
  impl_->notifications.wake();
  return notify;
}

PlanView Service::plan(const std::string &id, bool with_token) {
  return impl_->view(impl_->require_plan(id), with_token);
}

std::vector<PlanView> Service::plans(bool with_token) {
  std::vector<PlanView> out;
  for (const auto &record : impl_->store.plans())
    out.push_back(impl_->view(record, with_token));
  return out;
}

std::vector<store::RevisionSummary> Service::revisions(const std::string &id) {
  impl_->require_plan(id);
  return impl_->store.revisions(id);
}

std::string Service::source(const std::string &id, std::optional<int> revision) {
  auto record = impl_->require_plan(id);
  const int number = revision.value_or(record.current_revision);
  auto r = impl_->store.revision(id, number);
  if (!r)
    throw NotFound("Plan '" + id + "' has no revision " + std::to_string(number) +
                   "; its revisions are 1 to " + std::to_string(record.current_revision) + ".");
  return r->source;
}

std::shared_ptr<const Published> Service::published(const std::string &id) {
  impl_->require_plan(id);
  return impl_->publications.find(id);
}

Reminders Service::reminders(const std::string &id, std::int64_t now, long within_minutes) {
  Reminders out;
  out.published = published(id);
  if (out.published)
    out.items = scheduler::reminders_between(out.published->plan, out.published->schedule, at(now),
                                             at(now + within_minutes * 60));
  return out;
}

std::string Service::rotate_feed_token(const std::string &id) {
  std::lock_guard lock(impl_->write_mutex);
  impl_->require_plan(id);
  const std::string token = random_token(token_bytes);
  impl_->store.replace_tokens(id, impl_->now(), token);
  impl_->publications.set_token(id, token);
  return token;
}

void Service::revoke_feed_token(const std::string &id) {
  std::lock_guard lock(impl_->write_mutex);
  impl_->require_plan(id);
  impl_->store.replace_tokens(id, impl_->now(), std::nullopt);
  impl_->publications.drop_token(id);
}

std::string Service::feed_token_of(const std::string &id) const {
  return impl_->publications.token_of(id);
}

std::shared_ptr<const FeedBody> Service::feed(const std::string &token,
                                              const std::optional<std::string> &person) const {
  return impl_->publications.feed(token, person);
}

AdminToken Service::admin_token(const std::string &from_env) {
  AdminToken out;
  if (!from_env.empty()) {
    out.digest = SecretDigest::of(from_env);
    return out;
  }
  if (auto stored = impl_->store.setting("admin_token"); stored && !stored->empty()) {
    if (auto digest = SecretDigest::decode(*stored)) {
      out.digest = *digest;
      return out;
    }
    // Kept in clear by an older Xun: from now on only its digest is kept.
    out.digest = SecretDigest::of(*stored);
    impl_->store.set_setting("admin_token", out.digest.encoded());
    return out;
  }
  out.generated = random_token(token_bytes);
  out.digest = SecretDigest::of(out.generated);
  impl_->store.set_setting("admin_token", out.digest.encoded());
  return out;
}

std::string Service::ensure_seeded(const std::string &key, const std::filesystem::path &file) {
  const std::string setting = "seed:" + key;
  if (auto id = impl_->store.setting(setting); id && impl_->store.find_plan(*id))
    return *id;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw NotFound("cannot read the plan file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  auto out = impl_->create(text.str(), file.filename().string());
  impl_->store.set_setting(setting, out.revision.plan_id);
  return out.revision.plan_id;
}

} // namespace xun::service
