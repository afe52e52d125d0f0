#include "calendar/zones.hpp"

#include <doctest/doctest.h>

using namespace xun::calendar;
using namespace std::chrono_literals;

namespace {

LocalTime local(int y, unsigned m, unsigned d, int h, int min) {
  return LocalTime{date::local_days{date::year{y} / m / d}} + std::chrono::hours{h} +
         std::chrono::minutes{min};
}

} // namespace

TEST_CASE("IANA zone names are known and made-up ones are not") {
  CHECK(is_known_zone("Asia/Shanghai"));
  CHECK(is_known_zone("UTC"));
  CHECK(is_known_zone("Europe/Berlin"));
  CHECK_FALSE(is_known_zone("Asia/Beijing"));
  CHECK_FALSE(is_known_zone(""));
}

TEST_CASE("preloading a zone works, and an unknown zone is a typed error naming it") {
  CHECK_NOTHROW(preload_zone("Asia/Shanghai"));
  try {
    preload_zone("Mars/Olympus");
    FAIL("no error");
  } catch (const UnknownZoneError &e) {
    CHECK(std::string(e.what()).find("Mars/Olympus") != std::string::npos);
  }
  CHECK_THROWS_AS(utc_offset("Nowhere/City", local(2026, 1, 1, 0, 0)), UnknownZoneError);
}

TEST_CASE("Shanghai is eight hours ahead of UTC all year") {
  CHECK(utc_offset("Asia/Shanghai", local(2026, 2, 24, 9, 0)) == 8h);
  CHECK(utc_offset("Asia/Shanghai", local(2026, 7, 1, 9, 0)) == 8h);
  const auto utc = to_utc("Asia/Shanghai", local(2026, 2, 24, 9, 0));
  CHECK(utc == date::sys_days{date::year{2026} / 2 / 24} + 1h);
}

TEST_CASE("local times are formatted in ISO 8601 with their offset") {
  CHECK(format_local_iso("Asia/Shanghai", local(2026, 2, 24, 9, 0)) == "2026-02-24T09:00:00+08:00");
  CHECK(format_local_iso("UTC", local(2026, 2, 24, 9, 0)) == "2026-02-24T09:00:00+00:00");
  CHECK(format_local_iso("America/New_York", local(2026, 1, 15, 14, 30)) ==
        "2026-01-15T14:30:00-05:00");
  CHECK(format_local_iso("Asia/Kolkata", local(2026, 1, 15, 14, 30)) ==
        "2026-01-15T14:30:00+05:30");
}

TEST_CASE("daylight saving changes follow the zone's rules") {
  CHECK(utc_offset("Europe/Berlin", local(2026, 7, 1, 12, 0)) == 2h);
  CHECK(utc_offset("Europe/Berlin", local(2026, 1, 1, 12, 0)) == 1h);
  // 02:30 on 2026-03-29 does not exist in Berlin: it moves to the jump, 03:00.
  CHECK(format_local_iso("Europe/Berlin", local(2026, 3, 29, 2, 30)) ==
        "2026-03-29T03:00:00+02:00");
  // 02:30 on 2026-10-25 happens twice: the earlier one, still at +02:00.
  CHECK(format_local_iso("Europe/Berlin", local(2026, 10, 25, 2, 30)) ==
        "2026-10-25T02:30:00+02:00");
}
