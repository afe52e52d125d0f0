// The iCalendar reader (calendar/icalendar): any text reads or gives a
// located error; what was read is written and reads back with as many events.
#include "calendar/icalendar.hpp"
#include "calendar/zones.hpp"
#include "check.hpp"
#include "harness.hpp"

using namespace xun::calendar;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const auto read = read_ics(xun::fuzz::text_of(data, size));
  const auto *ok = std::get_if<IcsReadResult>(&read);
  if (!ok) {
    xun::fuzz::require(!std::get<TextError>(read).message.empty(), "an error says what is wrong");
    return 0;
  }
  (void)holiday_set_from_events("fuzz", ok->calendar.events);
  std::string written;
  try {
    written = write_ics(ok->calendar);
  } catch (const UnknownZoneError &) {
    return 0; // documented: a TZID the tz database lacks is named, not written
  }
  const auto again = read_ics(written);
  const auto *back = std::get_if<IcsReadResult>(&again);
  xun::fuzz::require(back != nullptr, "what was written reads back");
  xun::fuzz::require(back->calendar.events.size() == ok->calendar.events.size(),
                     "as many events read back as were written");
  return 0;
}
