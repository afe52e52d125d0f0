#include "http/service.hpp"

#include "http/errors.hpp"
#include "http/json.hpp"
#include "http/storage.hpp"
#include "scheduler/alarms.hpp"
#include "scheduler/output.hpp"
#include "scheduler/plan_loader.hpp"
#include "scheduler/schedule.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <regex>
#include <shared_mutex>
#include <sstream>
#include <unordered_map>

namespace xun::http {

using nlohmann::json;

std::string random_token(std::size_t bytes) {
  std::random_device device;
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(device()) & 0xffu;
    out += digits[b >> 4];
    out += digits[b & 0xfu];
  }
  return out;
}

bool same_secret(const std::string &given, const std::string &secret) {
  unsigned char diff = given.size() == secret.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    diff = static_cast<unsigned char>(diff | (given[i] ^ (i < secret.size() ? secret[i] : 0)));
  return diff == 0 && !secret.empty();
}

namespace {

constexpr std::size_t token_bytes = 24; // 192 random bits

struct Published {
  int revision = 0;
  std::int64_t time = 0;
  scheduler::Plan plan;
  scheduler::Schedule schedule;
  std::shared_ptr<const FeedBody> all;
  std::map<std::string, std::shared_ptr<const FeedBody>> people;
};

// Ends the text with a full stop unless it already ends a sentence.
std::string sentence(const std::string &text) {
  if (!text.empty() && (text.back() == '.' || text.back() == '?' || text.back() == '!'))
    return text;
  return text + ".";
}

std::string dump(const json &j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string percent_encode(const std::string &s) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xf];
    }
  }
  return out;
}

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

// The id a text that failed to load probably meant, so its draft is findable.
std::string guessed_id(const std::string &text, const std::string &file_name) {
  static const std::regex id_line(R"((?:^|\n)id:[ \t]*["']?([A-Za-z0-9_-]+))");
  std::smatch m;
  if (std::regex_search(text, m, id_line))
    return m[1].str();
  return scheduler::default_plan_id(file_name);
}

std::string start_text(const scheduler::Plan &plan, const scheduler::Occurrence &o) {
  if (o.all_day)
    return calendar::format_iso_date(
        calendar::Date{date::floor<date::days>(o.start).time_since_epoch()});
  return calendar::format_local_iso(plan.timezone, o.start);
}

json summary(const Published &p) {
  json months = json::object();
  for (const auto &o : p.schedule.occurrences) {
    const std::string key = date::format("%Y-%m", o.start);
    months[key] = months.value(key, 0) + 1;
  }
  json s = {{"occurrences", p.schedule.occurrences.size()},
            {"activities", p.plan.activities.size()},
            {"by_month", months},
            {"warnings", p.schedule.warnings}};
  for (const auto &w : p.plan.warnings)
    s["warnings"].push_back(w);
  if (!p.schedule.occurrences.empty()) {
    s["first"] = start_text(p.plan, p.schedule.occurrences.front());
    s["last"] = start_text(p.plan, p.schedule.occurrences.back());
  }
  return s;
}

} // namespace

struct Service::Impl {
  ServiceConfig config;
  Storage storage;
  std::mutex write_mutex; // one change at a time: revisions number up without gaps
  mutable std::shared_mutex cache_mutex;
  std::map<std::string, std::shared_ptr<const Published>> published;
  std::unordered_map<std::string, std::string> token_plan;
  std::map<std::string, std::string> plan_token;

  explicit Impl(ServiceConfig c) : config(std::move(c)), storage(config.db_path) {}

  std::int64_t now() const {
    if (config.clock)
      return config.clock();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  FeedLinks feed_links(const Origin &origin, const std::string &token,
                       const std::optional<std::string> &person = std::nullopt) const {
    std::string path = "/feeds/" + token;
    path += person ? "/people/" + percent_encode(*person) + ".ics" : ".ics";
    return {origin.http_base() + path, origin.webcal_base() + path};
  }

  std::shared_ptr<const Published> find_published(const std::string &id) const {
    std::shared_lock lock(cache_mutex);
    auto it = published.find(id);
    return it == published.end() ? nullptr : it->second;
  }

  std::string token_of(const std::string &id) const {
    std::shared_lock lock(cache_mutex);
    auto it = plan_token.find(id);
    return it == plan_token.end() ? "" : it->second;
  }

  PlanRecord require_plan(const std::string &id) {
    auto p = storage.find_plan(id);
    if (!p)
      throw not_found("There is no plan with id '" + id + "'. GET /api/plans lists the plans.");
    return *p;
  }

  // Renders the feeds of a scheduled revision; keeps the previous
  // Last-Modified of a feed whose bytes did not change.
  void render_people(Published &p, const std::map<std::string, EventState> &states,
                     const std::shared_ptr<const Published> &before) {
    for (const auto &person : p.plan.people) {
      scheduler::OutputFilter filter;
      filter.person = person.id;
      auto cal = scheduler::schedule_calendar(
          p.plan, p.schedule, date::sys_seconds{std::chrono::seconds{p.time}}, filter);
      auto bytes = render_feed(std::move(cal), states);
      std::int64_t modified = p.time;
      if (before) {
        auto it = before->people.find(person.id);
        if (it != before->people.end() && it->second->bytes == bytes)
          modified = it->second->last_modified;
      }
      p.people[person.id] =
          std::make_shared<const FeedBody>(make_feed_body(std::move(bytes), modified));
    }
  }

  struct Outcome {
    Revision revision;
    std::shared_ptr<Published> published;
    std::vector<scheduler::Diagnostic> problems;
    std::optional<scheduler::Conflict> conflict;
    bool solver_failed = false;
  };

  // Loads, solves and (when it schedules) renders one submitted text.
  Outcome evaluate(const std::string &plan_id, int number, const std::string &text,
                   const std::string &file_name, std::int64_t time,
                   const std::shared_ptr<const Published> &before) {
    Outcome out;
    Revision &r = out.revision;
    r.plan_id = plan_id;
    r.number = number;
    r.created_at = time;
    r.file_name = file_name;
    r.source = text;
    scheduler::LoadResult loaded;
    try {
      loaded = scheduler::load_plan(text, file_name, config.data_dir);
    } catch (const std::exception &e) {
      loaded.plan.reset();
      loaded.errors.push_back({file_name, 1, 1, e.what()});
    }
    if (!loaded.errors.empty() || !loaded.plan) {
      if (loaded.errors.empty())
        loaded.errors.push_back({file_name, 1, 1, "the plan could not be read"});
      r.status = RevisionStatus::invalid;
      r.problems_json = diagnostics_json(loaded.errors);
      out.problems = std::move(loaded.errors);
      return out;
    }
    auto p = std::make_shared<Published>();
    p->revision = number;
    p->time = time;
    p->plan = std::move(*loaded.plan);
    try {
      calendar::preload_zone(p->plan.timezone);
      scheduler::SolveOptions options;
      if (before)
        options.previous = &before->schedule;
      p->schedule = scheduler::solve(p->plan, options);
    } catch (const std::exception &e) {
      out.solver_failed = true;
      out.conflict = scheduler::Conflict{std::string("the scheduler failed: ") + e.what(), {}, {}, {}};
    }
    if (!out.conflict && p->schedule.conflict)
      out.conflict = p->schedule.conflict;
    if (!out.conflict && p->schedule.stopped) // no schedule in time: kept as a draft too
      out.conflict = scheduler::Conflict{p->schedule.stopped->message, {}, {}, {}};
    if (out.conflict) {
      r.status = RevisionStatus::draft;
      r.conflict_json = conflict_json(*out.conflict);
      return out;
    }
    r.status = RevisionStatus::ok;
    r.schedule_json = scheduler::schedule_json(p->plan, p->schedule);
    r.schedule_state = schedule_state_json(p->schedule);
    out.published = p;
    return out;
  }

  // Commits an evaluated revision (and its event states) and publishes it.
  void commit(Outcome &out, const std::shared_ptr<const Published> &before,
              const std::optional<std::string> &new_token) {
    std::vector<EventState> changed;
    if (out.published) {
      Published &p = *out.published;
      auto states = storage.event_states(out.revision.plan_id);
      auto cal = scheduler::schedule_calendar(p.plan, p.schedule,
                                              date::sys_seconds{std::chrono::seconds{p.time}});
      changed = changed_event_states(states, cal, p.time);
      for (const auto &e : changed)
        states[e.uid] = e;
      auto bytes = render_feed(std::move(cal), states);
      std::int64_t modified = p.time;
      if (before && before->all && before->all->bytes == bytes)
        modified = before->all->last_modified;
      out.revision.ics = bytes;
      p.all = std::make_shared<const FeedBody>(make_feed_body(std::move(bytes), modified));
      render_people(p, states, before);
    }
    storage.save_revision(out.revision, changed, new_token);
    std::unique_lock lock(cache_mutex);
    if (out.published)
      published[out.revision.plan_id] = out.published;
    if (new_token) {
      token_plan[*new_token] = out.revision.plan_id;
      plan_token[out.revision.plan_id] = *new_token;
    }
  }

  json plan_json(const PlanRecord &record, const Origin &origin, bool with_feeds) {
    auto current = storage.revision(record.id, record.current_revision);
    auto pub = find_published(record.id);
    json j = {{"id", record.id},
              {"revision", record.current_revision},
              {"status", current ? status_name(current->status) : "invalid"},
              {"created", utc_iso(record.created_at)},
              {"updated", utc_iso(record.updated_at)},
              {"published_revision",
               record.published_revision ? json(*record.published_revision) : json(nullptr)},
              {"page", origin.http_base() + "/plans/" + record.id},
              {"api", origin.http_base() + "/api/plans/" + record.id}};
    if (pub) {
      j["title"] = pub->plan.title;
      j["plan"] = pub->plan.id;
      j["year"] = pub->plan.year;
      j["summary"] = summary(*pub);
    }
    const std::string token = with_feeds ? token_of(record.id) : std::string();
    if (!token.empty()) {
      auto links = feed_links(origin, token);
      j["feeds"] = {{"https", links.https}, {"webcal", links.webcal}};
      if (pub) {
        json people = json::object();
        for (const auto &person : pub->plan.people) {
          auto l = feed_links(origin, token, person.id);
          people[person.id] = {{"name", person.name}, {"https", l.https}, {"webcal", l.webcal}};
        }
        j["feeds"]["people"] = people;
      }
    }
    if (current && current->status == RevisionStatus::invalid)
      j["problems"] = json::parse(current->problems_json, nullptr, false);
    if (current && current->status == RevisionStatus::draft)
      j["conflict"] = json::parse(current->conflict_json, nullptr, false);
    return j;
  }

  // The answer to a submission: the plan on success, else a problem that
  // still names where the draft was kept.
  Reply reply(Outcome &out, bool created, const Origin &origin) {
    const std::string &id = out.revision.plan_id;
    auto record = require_plan(id);
    json body = plan_json(record, origin, true); // the caller is the admin
    json where = {{"id", id},
                  {"revision", out.revision.number},
                  {"revision_status", status_name(out.revision.status)},
                  {"page", body["page"]},
                  {"api", body["api"]}};
    if (record.published_revision)
      where["published_revision"] = *record.published_revision;
    const std::string kept =
        " Nothing is lost: the text is kept as revision " + std::to_string(out.revision.number) +
        " of plan '" + id + "'" +
        (record.published_revision && *record.published_revision != out.revision.number
             ? "; the feeds still serve revision " + std::to_string(*record.published_revision) +
                   "."
             : ".");
    if (out.revision.status == RevisionStatus::invalid) {
      where["problems"] = json::parse(out.revision.problems_json, nullptr, false);
      std::string detail = "The plan has " + std::to_string(out.problems.size()) +
                           (out.problems.size() == 1 ? " problem" : " problems") + "; " +
                           (out.problems.size() == 1 ? "it is " : "the first is ") +
                           sentence(out.problems.front().to_string()) + kept;
      throw ApiError(422, "invalid-plan", "The plan is not valid", detail, where.dump());
    }
    if (out.revision.status == RevisionStatus::draft) {
      where["conflict"] = json::parse(out.revision.conflict_json, nullptr, false);
      if (out.solver_failed)
        throw ApiError(500, "scheduler-failed", "The scheduler failed",
                       sentence(out.conflict->message) + kept, where.dump());
      throw ApiError(409, "unschedulable", "The plan cannot be scheduled",
                     sentence(out.conflict->message) + kept, where.dump());
    }
    Reply r;
    r.status = created ? 201 : 200;
    r.body = dump(body);
    r.location = "/api/plans/" + id;
    return r;
  }

  std::string new_plan_id(const std::string &wanted) {
    const std::string base = slug(wanted);
    std::string id = base;
    for (int n = 2; storage.plan_id_taken(id); ++n)
      id = base + "-" + std::to_string(n);
    return id;
  }

  Outcome create(const std::string &text, const std::string &file_name) {
    std::lock_guard lock(write_mutex);
    const std::int64_t time = now();
    // The id comes from the plan itself when it loads; else from its text.
    Outcome out = evaluate("", 1, text, file_name, time, nullptr);
    const std::string wanted = out.published ? out.published->plan.id : guessed_id(text, file_name);
    out.revision.plan_id = new_plan_id(wanted);
    commit(out, nullptr, random_token(token_bytes));
    return out;
  }

  void load_published() {
    for (const auto &t : storage.active_tokens()) {
      token_plan[t.token] = t.plan_id;
      plan_token[t.plan_id] = t.token;
    }
    for (const auto &record : storage.plans()) {
      if (!record.published_revision)
        continue;
      try {
        auto r = storage.revision(record.id, *record.published_revision);
        if (!r)
          continue;
        auto loaded = scheduler::load_plan(r->source, r->file_name, config.data_dir);
        if (!loaded.plan) {
          std::cerr << "xun serve: plan " << record.id << " revision " << r->number
                    << " no longer loads; its feeds are offline\n";
          continue;
        }
        auto p = std::make_shared<Published>();
        p->revision = r->number;
        p->time = r->created_at;
        p->plan = std::move(*loaded.plan);
        calendar::preload_zone(p->plan.timezone);
        p->schedule = schedule_from_state(r->schedule_state);
        p->all = std::make_shared<const FeedBody>(make_feed_body(r->ics, r->created_at));
        render_people(*p, storage.event_states(record.id), nullptr);
        published[record.id] = p;
      } catch (const std::exception &e) {
        std::cerr << "xun serve: plan " << record.id << " could not be loaded: " << e.what()
                  << "\n";
      }
    }
  }
};

Service::Service(ServiceConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {
  impl_->load_published();
}

Service::~Service() = default;

std::int64_t Service::now() const { return impl_->now(); }

std::vector<std::string> Service::zones() const {
  std::shared_lock lock(impl_->cache_mutex);
  std::vector<std::string> out;
  for (const auto &[id, p] : impl_->published)
    out.push_back(p->plan.timezone);
  return out;
}

Reply Service::create_plan(const std::string &text, const std::string &file_name,
                           const Origin &origin) {
  auto out = impl_->create(text, file_name);
  return impl_->reply(out, true, origin);
}

Reply Service::update_plan(const std::string &id, const std::string &text,
                           const std::string &file_name, const Origin &origin) {
  Impl::Outcome out;
  {
    std::lock_guard lock(impl_->write_mutex);
    auto record = impl_->require_plan(id);
    auto before = impl_->find_published(id);
    out = impl_->evaluate(id, record.current_revision + 1, text, file_name, impl_->now(), before);
    impl_->commit(out, before, std::nullopt);
  }
  return impl_->reply(out, false, origin);
}

Reply Service::get_plan(const std::string &id, const Origin &origin, bool with_feeds) {
  auto record = impl_->require_plan(id);
  json j = impl_->plan_json(record, origin, with_feeds);
  json revisions = json::array();
  for (const auto &r : impl_->storage.revision_summaries(id))
    revisions.push_back({{"revision", r.number},
                         {"status", status_name(r.status)},
                         {"created", utc_iso(r.created_at)},
                         {"file", r.file_name}});
  j["revisions"] = revisions;
  return {200, dump(j), ""};
}

Reply Service::list_plans(const Origin &origin, bool with_feeds) {
  json plans = json::array();
  for (const auto &record : impl_->storage.plans())
    plans.push_back(impl_->plan_json(record, origin, with_feeds));
  return {200, dump({{"plans", plans}}), ""};
}

void Service::delete_plan(const std::string &id) {
  std::lock_guard lock(impl_->write_mutex);
  impl_->require_plan(id);
  impl_->storage.delete_plan(id, impl_->now());
  std::unique_lock cache(impl_->cache_mutex);
  impl_->published.erase(id);
  auto it = impl_->plan_token.find(id);
  if (it != impl_->plan_token.end()) {
    impl_->token_plan.erase(it->second);
    impl_->plan_token.erase(it);
  }
}

std::string Service::source(const std::string &id, std::optional<int> revision) {
  auto record = impl_->require_plan(id);
  const int number = revision.value_or(record.current_revision);
  auto r = impl_->storage.revision(id, number);
  if (!r)
    throw not_found("Plan '" + id + "' has no revision " + std::to_string(number) +
                    "; its revisions are 1 to " + std::to_string(record.current_revision) + ".");
  return r->source;
}

std::string Service::schedule(const std::string &id, std::optional<std::string> month) {
  auto record = impl_->require_plan(id);
  auto pub = impl_->find_published(id);
  if (!pub)
    throw ApiError(409, "not-scheduled", "The plan has no schedule yet",
                   "No revision of plan '" + id +
                       "' could be scheduled yet (the latest, revision " +
                       std::to_string(record.current_revision) +
                       ", is not schedulable); GET /api/plans/" + id + " shows why.");
  scheduler::OutputFilter filter;
  if (month) {
    static const std::regex form(R"((?:(\d{4})-)?(\d{1,2}))");
    std::smatch m;
    if (!std::regex_match(*month, m, form) || std::stoi(m[2].str()) < 1 ||
        std::stoi(m[2].str()) > 12)
      throw bad_request("month='" + *month + "' is not a month; write it as " +
                        std::to_string(pub->plan.year) + "-03 (or 3).");
    if (m[1].matched && std::stoi(m[1].str()) != pub->plan.year)
      throw bad_request("month='" + *month + "' is outside the plan, which covers " +
                        std::to_string(pub->plan.year) + "; ask for " +
                        std::to_string(pub->plan.year) + "-" + m[2].str() + ".");
    filter.month = static_cast<unsigned>(std::stoi(m[2].str()));
  }
  return scheduler::schedule_json(pub->plan, pub->schedule, filter);
}

std::string Service::reminders(const std::string &id, std::optional<std::string> now_text,
                               std::optional<std::string> within_text) {
  impl_->require_plan(id);
  auto pub = impl_->find_published(id);
  if (!pub)
    throw ApiError(409, "not-scheduled", "The plan has no schedule yet",
                   "No revision of plan '" + id + "' could be scheduled yet; GET /api/plans/" + id +
                       " shows why.");
  const auto &plan = pub->plan;
  std::int64_t now = impl_->now();
  if (now_text) {
    auto t = parse_instant(*now_text, plan.timezone);
    if (!t)
      throw bad_request("now='" + *now_text +
                        "' is not a time; write it as 2026-02-20T08:00:00+08:00, 2026-02-20T08:00 "
                        "(in the plan's zone) or 2026-02-20.");
    now = *t;
  }
  long within = 7 * 1440;
  const std::string within_shown = within_text.value_or("7d");
  if (within_text) {
    auto d = calendar::parse_duration(*within_text, true);
    if (auto *e = std::get_if<calendar::TextError>(&d))
      throw bad_request("within='" + *within_text + "' is not a duration (" + e->message +
                        "); write it as 7d, 2w or 12h.");
    within = std::get<calendar::Duration>(d).minutes;
    if (within <= 0 || within > 400 * 1440)
      throw bad_request("within='" + *within_text + "' must be between 1m and 400d.");
  }
  struct Item {
    std::int64_t at;
    calendar::LocalTime fires;
    long minutes; // the reminder as written
    const scheduler::Occurrence *occurrence;
  };
  std::vector<Item> items;
  for (const auto &o : pub->schedule.occurrences) {
    const auto *a = plan.find_activity(o.activity);
    if (!a)
      continue;
    // The same moments as the schedule's `alarms` (PLAN.md §6.2).
    const auto fires = scheduler::alarm_times(plan, o);
    for (std::size_t i = 0; i < fires.size() && i < a->reminders.size(); ++i) {
      const std::int64_t at =
          calendar::to_utc(plan.timezone, fires[i]).time_since_epoch().count();
      if (at >= now && at < now + within * 60)
        items.push_back({at, fires[i], a->reminders[i].minutes, &o});
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const Item &x, const Item &y) {
    if (x.at != y.at)
      return x.at < y.at;
    return x.occurrence->id() < y.occurrence->id();
  });
  json list = json::array();
  for (const auto &item : items) {
    const auto &o = *item.occurrence;
    const auto *a = plan.find_activity(o.activity);
    const auto *activity_people = &a->people;
    list.push_back({{"at", calendar::format_local_iso(plan.timezone, item.fires)},
                    {"before", calendar::format_iso_duration(item.minutes)},
                    {"occurrence", o.id()},
                    {"uid", o.uid(plan)},
                    {"title", a->title},
                    {"kind", a->kind},
                    {"all_day", o.all_day},
                    {"start", start_text(plan, o)},
                    {"attendees", *activity_people}});
  }
  json j = {{"plan", id},
            {"revision", pub->revision},
            {"now", utc_iso(now)},
            {"within", within_shown},
            {"reminders", list}};
  return dump(j);
}

Reply Service::rotate_feed_token(const std::string &id, const Origin &origin) {
  std::lock_guard lock(impl_->write_mutex);
  auto record = impl_->require_plan(id);
  const std::string token = random_token(token_bytes);
  impl_->storage.revoke_tokens(id, impl_->now(), token);
  {
    std::unique_lock cache(impl_->cache_mutex);
    auto it = impl_->plan_token.find(id);
    if (it != impl_->plan_token.end())
      impl_->token_plan.erase(it->second);
    impl_->plan_token[id] = token;
    impl_->token_plan[token] = id;
  }
  auto links = impl_->feed_links(origin, token);
  return {201, dump({{"id", id}, {"feeds", {{"https", links.https}, {"webcal", links.webcal}}}}),
          ""};
}

void Service::revoke_feed_token(const std::string &id) {
  std::lock_guard lock(impl_->write_mutex);
  impl_->require_plan(id);
  impl_->storage.revoke_tokens(id, impl_->now(), std::nullopt);
  std::unique_lock cache(impl_->cache_mutex);
  auto it = impl_->plan_token.find(id);
  if (it != impl_->plan_token.end()) {
    impl_->token_plan.erase(it->second);
    impl_->plan_token.erase(it);
  }
}

std::shared_ptr<const FeedBody> Service::feed(const std::string &token,
                                              const std::optional<std::string> &person) const {
  std::shared_lock lock(impl_->cache_mutex);
  auto t = impl_->token_plan.find(token);
  if (t == impl_->token_plan.end())
    return nullptr;
  auto p = impl_->published.find(t->second);
  if (p == impl_->published.end())
    return nullptr;
  if (!person)
    return p->second->all;
  auto it = p->second->people.find(*person);
  return it == p->second->people.end() ? nullptr : it->second;
}

std::string Service::plan_page(const std::string &id, const Origin &origin, bool admin,
                               const std::optional<std::string> &key) {
  auto record = impl_->require_plan(id);
  auto pub = impl_->find_published(id);
  PageInput in;
  in.api_id = id;
  in.current_revision = record.current_revision;
  in.revision = pub ? pub->revision : record.current_revision;
  auto current = impl_->storage.revision(id, record.current_revision);
  if (current && current->status != RevisionStatus::ok) {
    if (current->status == RevisionStatus::invalid) {
      auto problems = json::parse(current->problems_json, nullptr, false);
      if (problems.is_array())
        for (const auto &p : problems)
          in.problems.push_back(p.value("text", ""));
      in.status_note = "The latest revision (" + std::to_string(current->number) +
                       ") is not a valid plan and is kept as a draft.";
    } else {
      auto conflict = json::parse(current->conflict_json, nullptr, false);
      in.status_note = "The latest revision (" + std::to_string(current->number) +
                       ") cannot be scheduled and is kept as a draft: " +
                       (conflict.is_object() ? conflict.value("message", "") : std::string());
    }
    if (pub)
      in.status_note += " Shown here: revision " + std::to_string(pub->revision) + ".";
  }
  if (pub) {
    in.plan = &pub->plan;
    in.schedule = &pub->schedule;
  }
  // One read of the token: a key revoked meanwhile never shows the new one.
  const std::string token = impl_->token_of(id);
  in.feed_hidden = !token.empty() && pub && !admin && !(key && same_secret(*key, token));
  if (!token.empty() && pub && !in.feed_hidden) {
    in.feed = impl_->feed_links(origin, token);
    for (const auto &person : pub->plan.people)
      in.people.emplace_back(person.name.empty() ? person.id : person.name,
                             impl_->feed_links(origin, token, person.id));
  }
  return plan_page_html(in);
}

std::string Service::index_page(bool admin) {
  std::vector<PlanListItem> items;
  for (const auto &record : impl_->storage.plans()) {
    auto pub = impl_->find_published(record.id);
    auto current = impl_->storage.revision(record.id, record.current_revision);
    items.push_back({record.id, pub ? pub->plan.title : record.id,
                     current ? status_name(current->status) : "invalid", record.current_revision,
                     admin ? impl_->token_of(record.id) : std::string()});
  }
  return index_page_html(items);
}

std::string Service::admin_token(const std::string &from_env, bool &generated) {
  generated = false;
  if (!from_env.empty())
    return from_env;
  if (auto stored = impl_->storage.setting("admin_token"))
    return *stored;
  std::string token = random_token(24);
  impl_->storage.set_setting("admin_token", token);
  generated = true;
  return token;
}

std::string Service::ensure_seeded(const std::string &key, const std::filesystem::path &file,
                                   const Origin &) {
  const std::string setting = "seed:" + key;
  if (auto id = impl_->storage.setting(setting); id && impl_->storage.find_plan(*id))
    return *id;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw ApiError(404, "not-found", "Not found", "cannot read the plan file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  auto out = impl_->create(text.str(), file.filename().string());
  impl_->storage.set_setting(setting, out.revision.plan_id);
  return out.revision.plan_id;
}

std::string Service::feed_token_of(const std::string &id) const { return impl_->token_of(id); }

} // namespace xun::http
