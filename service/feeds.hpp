// iCalendar feeds that subscribed clients can trust: the bytes stay the same
// until the plan changes, an occurrence that did not change keeps its bytes,
// one that moved keeps its UID and gets a higher SEQUENCE.
#pragma once

#include "calendar/icalendar.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace xun::service {

using store::EventState;

// Clients re-fetch at about this pace (REFRESH-INTERVAL, X-PUBLISHED-TTL);
// revalidation is a cheap 304.
inline constexpr int feed_refresh_minutes = 60;

struct FeedBody {
  std::string bytes;
  std::string etag;               // strong: a quoted digest of the bytes
  std::int64_t last_modified = 0; // the revision's time, Unix seconds
  // Another version of this feed had the same Last-Modified second, so a
  // date alone cannot tell which one a client holds (HTTP dates have
  // one-second granularity): If-Modified-Since of that second is not a 304.
  bool shares_second = false;
};

// The state of every event of `events` after publishing them at `now`: an
// unchanged event keeps its state, a moved one gets SEQUENCE + 1, any change
// sets LAST-MODIFIED to `now`. Only the changed states are returned.
std::vector<EventState> changed_event_states(const std::map<std::string, EventState> &previous,
                                             const calendar::CalendarFile &events,
                                             std::int64_t now);

// Writes the calendar with each event's SEQUENCE and LAST-MODIFIED from
// `states` and its DTSTAMP equal to its LAST-MODIFIED (so an unchanged event
// keeps its bytes across revisions).
std::string render_feed(calendar::CalendarFile calendar,
                        const std::map<std::string, EventState> &states);

FeedBody make_feed_body(std::string bytes, std::int64_t last_modified);
// The body that follows `before` (null: the first): unchanged bytes keep its
// Last-Modified; changed ones get `now` (never earlier than before's).
FeedBody next_feed_body(std::string bytes, std::int64_t now, const FeedBody *before);

// A feed's Last-Modified is stored as a state of its own among the event
// states (uid "feed:" for the whole plan, "feed:PERSON" for one person's; its
// digest is the ETag), so every replica, and this one after a restart,
// serves the same Last-Modified with the same bytes.
std::string feed_state_uid(const std::string &person); // "" for the whole plan

// The body of a feed with these bytes, following `before` as next_feed_body
// does (shares_second included), except that a version already stored keeps
// the stored Last-Modified, and a new one is never dated before the stored
// (earlier) version. A state that is new or different is added to `changed`
// (when given) for storing.
FeedBody kept_feed_body(std::string bytes, const std::map<std::string, EventState> &states,
                        const std::string &person, std::int64_t now, const FeedBody *before,
                        std::vector<EventState> *changed);

std::string strong_etag(const std::string &bytes); // "\"<16 hex digits>\""

} // namespace xun::service
