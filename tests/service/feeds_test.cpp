// Feed stability rules, each alone: which events keep their state, which get
// a higher SEQUENCE.
#include "service/feeds.hpp"

#include <doctest/doctest.h>

using namespace xun;
using namespace xun::service;

namespace {

calendar::Event timed(const std::string &uid, int day, int hour) {
  calendar::Event e;
  e.uid = uid;
  e.title = "会议";
  e.zone = "Asia/Shanghai";
  const auto d = calendar::make_date(2026, 3, static_cast<unsigned>(day));
  e.start =
      calendar::LocalTime{std::chrono::duration_cast<std::chrono::minutes>(d.time_since_epoch()) +
                          std::chrono::hours{hour}};
  e.end = e.start + std::chrono::hours{1};
  return e;
}

} // namespace

TEST_CASE("a new event starts at SEQUENCE 0 with LAST-MODIFIED now") {
  calendar::CalendarFile cal;
  cal.events = {timed("a@x", 2, 9)};
  auto changed = changed_event_states({}, cal, 1000);
  REQUIRE(changed.size() == 1);
  CHECK(changed[0].sequence == 0);
  CHECK(changed[0].last_modified == 1000);
}

TEST_CASE("an unchanged event keeps its state") {
  calendar::CalendarFile cal;
  cal.events = {timed("a@x", 2, 9)};
  auto first = changed_event_states({}, cal, 1000);
  std::map<std::string, EventState> states{{"a@x", first[0]}};
  CHECK(changed_event_states(states, cal, 2000).empty());
}

TEST_CASE("a moved event keeps its UID and gets SEQUENCE + 1") {
  calendar::CalendarFile cal;
  cal.events = {timed("a@x", 2, 9)};
  std::map<std::string, EventState> states{{"a@x", changed_event_states({}, cal, 1000)[0]}};
  cal.events = {timed("a@x", 5, 14)};
  auto changed = changed_event_states(states, cal, 2000);
  REQUIRE(changed.size() == 1);
  CHECK(changed[0].uid == "a@x");
  CHECK(changed[0].sequence == 1);
  CHECK(changed[0].last_modified == 2000);
}

TEST_CASE("a retitled event that did not move gets a new LAST-MODIFIED but the same SEQUENCE") {
  calendar::CalendarFile cal;
  cal.events = {timed("a@x", 2, 9)};
  std::map<std::string, EventState> states{{"a@x", changed_event_states({}, cal, 1000)[0]}};
  cal.events[0].title = "党员大会";
  auto changed = changed_event_states(states, cal, 2000);
  REQUIRE(changed.size() == 1);
  CHECK(changed[0].sequence == 0);
  CHECK(changed[0].last_modified == 2000);
}

TEST_CASE("each event's DTSTAMP is its own LAST-MODIFIED") {
  calendar::CalendarFile cal;
  cal.name = "测试";
  cal.dtstamp = date::sys_seconds{std::chrono::seconds{5000}};
  cal.events = {timed("a@x", 2, 9), timed("b@x", 3, 9)};
  std::map<std::string, EventState> states{{"a@x", {"a@x", 0, 1000, "", "", ""}},
                                           {"b@x", {"b@x", 2, 3000, "", "", ""}}};
  const auto text = render_feed(cal, states);
  const auto a = text.find("UID:a@x");
  const auto b = text.find("UID:b@x");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  const auto a_block = text.substr(text.rfind("BEGIN:VEVENT", a),
                                   text.find("END:VEVENT", a) - text.rfind("BEGIN:VEVENT", a));
  const auto b_block = text.substr(text.rfind("BEGIN:VEVENT", b),
                                   text.find("END:VEVENT", b) - text.rfind("BEGIN:VEVENT", b));
  CHECK(a_block.find("DTSTAMP:19700101T001640Z") != std::string::npos);
  CHECK(b_block.find("DTSTAMP:19700101T005000Z") != std::string::npos);
  CHECK(b_block.find("SEQUENCE:2") != std::string::npos);
  CHECK(text.find("REFRESH-INTERVAL") != std::string::npos);
  CHECK(render_feed(cal, states) == text); // deterministic
}

TEST_CASE("the strong ETag is a digest of the bytes") {
  CHECK(strong_etag("abc") == strong_etag("abc"));
  CHECK(strong_etag("abc") != strong_etag("abd"));
  CHECK(strong_etag("abc").front() == '"');
}
