#include "calendar/zones.hpp"

#include <date/tz.h>

#include <cstdio>
#include <cstdlib>

namespace xun::calendar {

const date::time_zone *find_zone(std::string_view name) {
  if (name.empty())
    return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error &) {
    return nullptr;
  }
}

const date::time_zone &zone_of(const std::string &name) {
  const date::time_zone *zone = find_zone(name);
  if (!zone)
    throw UnknownZoneError("unknown time zone \"" + name +
                           "\": not in the IANA time zone database (e.g. "
                           "Asia/Shanghai, Europe/Berlin, UTC)");
  return *zone;
}

Date local_date(LocalTime t) { return Date{date::floor<date::days>(t).time_since_epoch()}; }

bool is_known_zone(const std::string &name) {
  try {
    zone_of(name);
    return true;
  } catch (const UnknownZoneError &) {
    return false;
  }
}

void preload_zone(const std::string &name) {
  date::get_tzdb(); // the first call parses tzdata; later ones only read it
  zone_of(name);
}

date::sys_seconds to_utc(const std::string &zone, LocalTime t) {
  // A wall time skipped by a DST jump maps to the jump; a repeated one to the
  // earlier instant.
  return date::floor<std::chrono::seconds>(zone_of(zone).to_sys(t, date::choose::earliest));
}

LocalTime to_local(const std::string &zone, date::sys_seconds t) {
  return date::floor<std::chrono::minutes>(zone_of(zone).to_local(t));
}

std::chrono::seconds utc_offset(const std::string &zone, LocalTime t) {
  return zone_of(zone).get_info(to_utc(zone, t)).offset;
}

std::string format_local_iso(const std::string &zone, LocalTime t) {
  const auto *tz = &zone_of(zone);
  const auto instant = date::floor<std::chrono::seconds>(tz->to_sys(t, date::choose::earliest));
  const auto offset = tz->get_info(instant).offset;
  // The wall clock of the instant: differs from `t` only inside a DST gap.
  const auto local = date::local_seconds{instant.time_since_epoch() + offset};
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> clock{local - day};
  const long total = static_cast<long>(offset.count());
  const long magnitude = std::labs(total);
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02ld:%02ld:%02ld%c%02ld:%02ld",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(clock.hours().count()),
                static_cast<long>(clock.minutes().count()),
                static_cast<long>(clock.seconds().count()), total < 0 ? '-' : '+', magnitude / 3600,
                magnitude % 3600 / 60);
  return buffer;
}

} // namespace xun::calendar
