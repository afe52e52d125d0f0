// iCalendar (RFC 5545) files: events written on libical in a shape real
// clients accept, and read back leniently. The only module that sees libical.
#pragma once

#include "calendar/dates.hpp"
#include "calendar/holidays.hpp"
#include "calendar/time_of_day.hpp"
#include "calendar/zones.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace xun::calendar {

struct Alarm {
  long minutes_before = 0; // a VALARM TRIGGER of -PT…
  std::string description;
  friend bool operator==(const Alarm &, const Alarm &) = default;
};

struct Event {
  std::string uid;
  std::string title;
  std::string description;
  std::string location;
  std::vector<std::string> categories;
  bool all_day = false;
  Date first_day{};  // all-day: first day
  Date end_day{};    // all-day: the day after the last (exclusive, as DTEND)
  LocalTime start{}; // timed: wall time in `zone`
  LocalTime end{};
  std::string zone; // IANA name; empty = floating (only read from files)
  int sequence = 0;
  std::optional<date::sys_seconds> last_modified;
  std::optional<date::sys_seconds> dtstamp; // else the calendar's
  std::vector<Alarm> alarms;
  bool busy = true;       // false: TRANSP:TRANSPARENT, blocks no one's free/busy
  bool cancelled = false; // STATUS:CANCELLED: kept in the feed so clients drop it (RFC 5545)
  friend bool operator==(const Event &, const Event &) = default;
};

struct CalendarFile {
  std::string name;                   // X-WR-CALNAME and NAME
  std::string description;            // X-WR-CALDESC
  std::string zone;                   // X-WR-TIMEZONE when set
  std::optional<int> refresh_minutes; // REFRESH-INTERVAL and X-PUBLISHED-TTL
  date::sys_seconds dtstamp{};        // a VEVENT's DTSTAMP unless it has its own
  std::vector<Event> events;
};

// Deterministic: the same CalendarFile gives the same bytes (CRLF, folded).
// One clean VTIMEZONE per zone used (no libical prefix, no LMT history).
// Throws UnknownZoneError naming an event zone the tz database lacks.
std::string write_ics(const CalendarFile &calendar);

struct IcsReadResult {
  CalendarFile calendar;
  std::vector<std::string> warnings; // lenient fixes, e.g. a missing PRODID
};
// Errors name the line of the text when libical gives one.
std::variant<IcsReadResult, TextError> read_ics(std::string_view text);

// A holiday set from an .ics of days off and make-up days: an event whose
// title says 上班 or 补班 marks working days, any other marks days off. Years
// covered are those with at least one event.
HolidaySet holiday_set_from_events(std::string name, const std::vector<Event> &events);

} // namespace xun::calendar
