// IANA time zones (Howard Hinnant's date, on the system tzdata).
#pragma once

#include "calendar/dates.hpp"

#include <chrono>
#include <date/date.h>
#include <stdexcept>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace xun::calendar {

using LocalTime = date::local_time<std::chrono::minutes>;

// Thrown for a zone name the database does not know; the message names it.
struct UnknownZoneError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool is_known_zone(const std::string &name);
// The zone named; throws UnknownZoneError (the one error for an unknown zone).
const date::time_zone &zone_of(const std::string &name);
// The zone named, or nullptr, for readers that accept what they cannot place.
const date::time_zone *find_zone(std::string_view name);
// Loads the time zone database (and libical's zone for `name`) once, before
// threads start: first-time loading is not thread-safe everywhere.
void preload_zone(const std::string &name);
// Offset from UTC of local wall time `t` in `zone` (earliest if ambiguous).
std::chrono::seconds utc_offset(const std::string &zone, LocalTime t);
date::sys_seconds to_utc(const std::string &zone, LocalTime t);
// The wall time in `zone` at instant `t`, to the minute.
LocalTime to_local(const std::string &zone, date::sys_seconds t);
// "2026-02-24T09:00:00+08:00"
std::string format_local_iso(const std::string &zone, LocalTime t);
// The calendar day a wall time falls on.
Date local_date(LocalTime t);

} // namespace xun::calendar
