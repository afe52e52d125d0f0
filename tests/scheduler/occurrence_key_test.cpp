// Occurrence keys and the UIDs kept for them, each rule alone.
#include "scheduler/occurrence_key.hpp"

#include <doctest/doctest.h>

using namespace xun;
using namespace xun::scheduler;

namespace {

Plan plan_of(Repeat::Kind kind) {
  Plan p;
  p.id = "p";
  p.year = 2026;
  Activity a;
  a.id = "a";
  a.repeat.kind = kind;
  p.activities.push_back(a);
  return p;
}

calendar::Window from(unsigned month, unsigned day) {
  return calendar::Window{{calendar::make_date(2026, month, day)}, calendar::Prefer::none, {}};
}

Occurrence occ(int index, int period, int ordinal) {
  Occurrence o;
  o.activity = "a";
  o.index = index;
  o.period = period;
  o.ordinal = ordinal;
  return o;
}

} // namespace

TEST_CASE("a monthly period is its month, whatever other months the activity has") {
  const Plan p = plan_of(Repeat::Kind::monthly);
  CHECK(period_number(p.activities[0], from(3, 1), 2026) == 3);
  CHECK(period_number(p.activities[0], from(3, 21), 2026) == 3); // 月底 inside March
}

TEST_CASE("quarters, halves and weeks are numbered by the calendar") {
  CHECK(period_number(plan_of(Repeat::Kind::quarterly).activities[0], from(8, 1), 2026) == 3);
  CHECK(period_number(plan_of(Repeat::Kind::half_yearly).activities[0], from(7, 1), 2026) == 2);
  // 2026-01-01 is a Thursday: Jan 1-4 are week slot 0, Monday Jan 5 starts slot 1.
  const Activity weekly = plan_of(Repeat::Kind::weekly).activities[0];
  CHECK(period_number(weekly, from(1, 4), 2026) == 0);
  CHECK(period_number(weekly, from(1, 5), 2026) == 1);
}

TEST_CASE("a listed window is its first day of the year; no repeat is period 0") {
  CHECK(period_number(plan_of(Repeat::Kind::list).activities[0], from(2, 1), 2026) == 31);
  CHECK(period_number(plan_of(Repeat::Kind::none).activities[0], from(6, 1), 2026) == 0);
}

TEST_CASE("a key published before keeps its UID; a new key gets the next free index") {
  const Plan p = plan_of(Repeat::Kind::list);
  Schedule s;
  s.occurrences = {occ(0, 150, 0), occ(1, 240, 0), occ(2, 330, 0)};
  const std::map<OccurrenceKey, std::string> published = {
      {{"a", 59, 0}, "a-0@p.xun"}, {{"a", 150, 0}, "a-1@p.xun"}, {{"a", 240, 0}, "a-2@p.xun"}};
  const auto added = assign_uids(p, s, published);
  CHECK(s.occurrences[0].uid(p) == "a-1@p.xun");
  CHECK(s.occurrences[1].uid(p) == "a-2@p.xun");
  CHECK(s.occurrences[2].uid(p) == "a-3@p.xun"); // a-2 is taken
  CHECK(added == std::map<OccurrenceKey, std::string>{{{"a", 330, 0}, "a-3@p.xun"}});
}

TEST_CASE("keys derived for a stored schedule number ordinals within each period") {
  Plan p = plan_of(Repeat::Kind::monthly);
  Schedule s;
  s.occurrences = {occ(0, 0, 0), occ(1, 0, 0), occ(2, 0, 0)};
  s.occurrences[0].window = from(3, 1);
  s.occurrences[1].window = from(3, 1);
  s.occurrences[2].window = from(4, 1);
  derive_keys(p, s);
  CHECK(key_of(s.occurrences[0]) == OccurrenceKey{"a", 3, 0});
  CHECK(key_of(s.occurrences[1]) == OccurrenceKey{"a", 3, 1});
  CHECK(key_of(s.occurrences[2]) == OccurrenceKey{"a", 4, 0});
}
