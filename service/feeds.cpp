#include "service/feeds.hpp"

#include <date/date.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

namespace xun::service {

namespace {

std::uint64_t fnv1a(const std::string &s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string start_text(const calendar::Event &e) {
  if (e.all_day)
    return calendar::format_iso_date(e.first_day);
  return date::format("%FT%R", e.start) + " " + e.zone;
}

std::string end_text(const calendar::Event &e) {
  if (e.all_day)
    return calendar::format_iso_date(e.end_day);
  return date::format("%FT%R", e.end) + " " + e.zone;
}

// Everything a client shows, apart from the times (which decide SEQUENCE).
std::string digest(const calendar::Event &e) {
  std::ostringstream out;
  out << e.title << '\x1f' << e.description << '\x1f' << e.location << '\x1f';
  for (const auto &c : e.categories)
    out << c << '\x1e';
  out << '\x1f';
  for (const auto &a : e.alarms)
    out << a.minutes_before << '\x1e' << a.description << '\x1e';
  return hex64(fnv1a(out.str()));
}

} // namespace

std::vector<EventState> changed_event_states(const std::map<std::string, EventState> &previous,
                                             const calendar::CalendarFile &events,
                                             std::int64_t now) {
  std::vector<EventState> changed;
  for (const auto &e : events.events) {
    // A cancellation counts as a move (SEQUENCE + 1, RFC 5546): it rides on
    // the stored start text, which is opaque to the store.
    EventState next{e.uid,       0,        now, start_text(e) + (e.cancelled ? " CANCELLED" : ""),
                    end_text(e), digest(e)};
    auto it = previous.find(e.uid);
    if (it != previous.end()) {
      const EventState &old = it->second;
      if (old.start == next.start && old.end == next.end && old.digest == next.digest)
        continue;
      const bool moved = old.start != next.start || old.end != next.end;
      next.sequence = old.sequence + (moved ? 1 : 0);
    }
    changed.push_back(std::move(next));
  }
  return changed;
}

std::string render_feed(calendar::CalendarFile calendar,
                        const std::map<std::string, EventState> &states) {
  calendar.refresh_minutes = feed_refresh_minutes;
  for (auto &e : calendar.events) {
    auto it = states.find(e.uid);
    if (it == states.end())
      continue;
    e.sequence = it->second.sequence;
    e.last_modified = date::sys_seconds{std::chrono::seconds{it->second.last_modified}};
    e.dtstamp = e.last_modified;
  }
  return calendar::write_ics(calendar);
}

FeedBody make_feed_body(std::string bytes, std::int64_t last_modified) {
  FeedBody body;
  body.etag = strong_etag(bytes);
  body.bytes = std::move(bytes);
  body.last_modified = last_modified;
  return body;
}

FeedBody next_feed_body(std::string bytes, std::int64_t now, const FeedBody *before) {
  if (before && before->bytes == bytes)
    return *before;
  if (!before)
    return make_feed_body(std::move(bytes), now);
  FeedBody body = make_feed_body(std::move(bytes), std::max(now, before->last_modified));
  body.shares_second = body.last_modified == before->last_modified;
  return body;
}

std::string feed_state_uid(const std::string &person) { return "feed:" + person; }

FeedBody kept_feed_body(std::string bytes, const std::map<std::string, EventState> &states,
                        const std::string &person, std::int64_t now, const FeedBody *before,
                        std::vector<EventState> *changed) {
  const std::string uid = feed_state_uid(person);
  const auto it = states.find(uid);
  const EventState *stored = it == states.end() ? nullptr : &it->second;
  FeedBody body = next_feed_body(std::move(bytes), now, before);
  if (stored && stored->digest == body.etag) {
    // This version as stored: its Last-Modified is the one every replica serves.
    if (body.last_modified != stored->last_modified) {
      body.last_modified = stored->last_modified;
      body.shares_second =
          before && before->etag != body.etag && before->last_modified == body.last_modified;
    }
    return body;
  }
  if (stored && body.last_modified <= stored->last_modified) {
    // The stored version is an earlier one (perhaps another replica's): never
    // go back before it, and a date alone cannot tell the two apart.
    body.last_modified = stored->last_modified;
    body.shares_second = true;
  }
  if (changed)
    changed->push_back({uid, 0, body.last_modified, "", "", body.etag});
  return body;
}

std::string strong_etag(const std::string &bytes) { return "\"" + hex64(fnv1a(bytes)) + "\""; }

} // namespace xun::service
