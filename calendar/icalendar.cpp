#include "calendar/icalendar.hpp"

#include <date/tz.h>
#include <libical/ical.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

namespace xun::calendar {

namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// ---------------------------------------------------------------- text helpers

// RFC 5545 §3.3.11 TEXT escaping, for the lines we write without libical.
std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case ';':
      out += "\\;";
      break;
    case ',':
      out += "\\,";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      if (i + 1 < text.size() && text[i + 1] == '\n')
        ++i;
      out += "\\n";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string unescape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      char n = text[++i];
      out += (n == 'n' || n == 'N') ? '\n' : n;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Values of a multi-valued TEXT property, split at unescaped commas.
std::vector<std::string> split_text_list(std::string_view raw) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= raw.size(); ++i) {
    if (i < raw.size() && raw[i] == '\\') {
      ++i;
      continue;
    }
    if (i == raw.size() || raw[i] == ',') {
      std::string part = unescape_text(raw.substr(start, i - start));
      if (!part.empty())
        parts.push_back(std::move(part));
      start = i + 1;
    }
  }
  return parts;
}

// Folds one content line at 75 octets, never inside a UTF-8 sequence.
void append_folded(std::string &out, std::string_view line) {
  constexpr std::size_t limit = 75;
  std::size_t pos = 0;
  std::size_t room = limit;
  while (line.size() - pos > room) {
    std::size_t cut = pos + room;
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
      --cut;
    if (cut == pos) // not UTF-8 at all: cut anywhere rather than loop
      cut = pos + room;
    out.append(line.substr(pos, cut - pos));
    out += "\r\n ";
    pos = cut;
    room = limit - 1; // the leading space counts
  }
  out.append(line.substr(pos));
  out += "\r\n";
}

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char &c : out)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string excerpt(std::string_view s) {
  if (s.size() <= 40)
    return std::string(s);
  std::size_t cut = 37;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    --cut;
  return std::string(s.substr(0, cut)) + "...";
}

// ----------------------------------------------------------------- time
// helpers

icaltimezone *utc_zone() {
  static icaltimezone *const zone = icaltimezone_get_utc_timezone();
  return zone;
}

icaltimetype ical_date(Date d) {
  date::year_month_day ymd{d};
  icaltimetype t = icaltime_null_date();
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return t;
}

icaltimetype ical_wall(date::local_seconds wall) {
  auto day = date::floor<date::days>(wall);
  date::year_month_day ymd{day};
  date::hh_mm_ss<seconds> tod{wall - day};
  icaltimetype t = icaltime_null_time();
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  t.hour = static_cast<int>(tod.hours().count());
  t.minute = static_cast<int>(tod.minutes().count());
  t.second = static_cast<int>(tod.seconds().count());
  return t;
}

icaltimetype ical_utc(date::sys_seconds s) {
  icaltimetype t = ical_wall(date::local_seconds{s.time_since_epoch()});
  t.zone = utc_zone();
  return t;
}

// libical writes a date after 3000 as 00000000: such a date is refused when
// read, so what is read can be written back.
constexpr int last_ical_year = 3000;

std::optional<Date> date_of(const icaltimetype &t) {
  if (t.year < 1 || t.year > last_ical_year)
    return std::nullopt;
  date::year_month_day ymd{date::year{t.year}, date::month{static_cast<unsigned>(t.month)},
                           date::day{static_cast<unsigned>(t.day)}};
  if (!ymd.ok())
    return std::nullopt;
  return Date{ymd};
}

std::optional<date::local_seconds> wall_of(const icaltimetype &t) {
  auto d = date_of(t);
  if (!d)
    return std::nullopt;
  return date::local_seconds{d->time_since_epoch()} + std::chrono::hours{t.hour} +
         minutes{t.minute} + seconds{t.second};
}

// A duration as libical holds it, in days, hours and minutes (never weeks:
// "P7D" reads better than "P1W" next to the plan's "7d").
// With in_days, a whole number of days is written as D (-P2DT15H); without,
// only hours and minutes (-PT63H).
icaldurationtype ical_duration(long total_minutes, bool in_days = true) {
  icaldurationtype d = icaldurationtype_null_duration();
  d.is_neg = total_minutes < 0 ? 1 : 0;
  long m = total_minutes < 0 ? -total_minutes : total_minutes;
  const long day = in_days ? 1440 : m + 1;
  d.days = static_cast<unsigned>(m / day);
  d.hours = static_cast<unsigned>(m % day / 60);
  d.minutes = static_cast<unsigned>(m % 60);
  return d;
}

// RFC 5545 counts a trigger's days as nominal (same wall time) and its hours
// as exact: across a DST change of a timed event only hours say one moment.
bool trigger_in_days(const Event &event, const Alarm &alarm) {
  if (event.all_day || event.zone.empty())
    return true;
  const date::time_zone *zone = date::locate_zone(event.zone);
  const auto start = zone->to_sys(event.start, date::choose::earliest);
  const auto fires = start - std::chrono::minutes{alarm.minutes_before};
  return zone->get_info(start).offset == zone->get_info(fires).offset;
}

// ---------------------------------------------------------------------- writer

struct ComponentDeleter {
  void operator()(icalcomponent *c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

// Lines libical would escape wrongly (X- values, CATEGORIES lists) are written
// by us: libical holds a numbered placeholder that is replaced afterwards.
constexpr std::string_view raw_marker = "X-XUN-RAW-LINE:";

class Writer {
public:
  void add_raw(icalcomponent *component, std::string line) {
    icalproperty *p = icalproperty_new_x(std::to_string(raw_lines_.size()).c_str());
    icalproperty_set_x_name(p, "X-XUN-RAW-LINE");
    icalcomponent_add_property(component, p);
    raw_lines_.push_back(std::move(line));
  }

  // Unfolds libical's output, substitutes our lines and folds everything
  // ourselves, so the folding rule is ours whatever libical's version does.
  std::string finish(const char *ical) const {
    std::vector<std::string> lines;
    std::string_view text(ical);
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t nl = text.find('\n', pos);
      std::size_t end = nl == std::string_view::npos ? text.size() : nl;
      std::string_view line = text.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
      if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !lines.empty())
        lines.back().append(line.substr(1));
      else if (!line.empty())
        lines.emplace_back(line);
      pos = end == text.size() ? end : end + 1;
    }
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    for (const auto &line : lines) {
      if (line.starts_with(raw_marker)) {
        std::size_t index = std::stoul(line.substr(raw_marker.size()));
        append_folded(out, raw_lines_.at(index));
      } else {
        append_folded(out, line);
      }
    }
    return out;
  }

private:
  std::vector<std::string> raw_lines_;
};

void add_observance(icalcomponent *vtimezone, bool daylight, date::local_seconds start,
                    seconds offset_from, seconds offset_to, const std::string &abbrev) {
  icalcomponent *o = daylight ? icalcomponent_new_xdaylight() : icalcomponent_new_xstandard();
  icalcomponent_add_property(o, icalproperty_new_dtstart(ical_wall(start)));
  icalcomponent_add_property(o,
                             icalproperty_new_tzoffsetfrom(static_cast<int>(offset_from.count())));
  icalcomponent_add_property(o, icalproperty_new_tzoffsetto(static_cast<int>(offset_to.count())));
  if (!abbrev.empty())
    icalcomponent_add_property(o, icalproperty_new_tzname(abbrev.c_str()));
  icalcomponent_add_component(vtimezone, o);
}

// A VTIMEZONE from the tz database: the offset in force when the first year
// begins (stated from 1970, so no LMT), then every transition up to the end
// of the last year, each as its own observance with an explicit DTSTART.
icalcomponent *make_vtimezone(const std::string &name, int first_year, int last_year) {
  const date::time_zone *tz = &zone_of(name); // UnknownZoneError names it
  using namespace date::literals;
  icalcomponent *vtz = icalcomponent_new_vtimezone();
  icalcomponent_add_property(vtz, icalproperty_new_tzid(name.c_str()));

  date::sys_seconds from = date::sys_days{date::year{first_year} / 1 / 1} - date::days{1};
  date::sys_seconds until = date::sys_days{date::year{last_year + 1} / 1 / 1} + date::days{1};
  date::sys_days epoch =
      std::min(date::sys_days{1970_y / 1 / 1}, date::sys_days{date::year{first_year} / 1 / 1});
  date::sys_info current = tz->get_info(from);
  add_observance(vtz, current.save != minutes{0}, date::local_seconds{epoch.time_since_epoch()},
                 current.offset, current.offset, current.abbrev);
  while (current.end < until) {
    date::sys_info next = tz->get_info(current.end);
    bool dst_changed = (next.save != minutes{0}) != (current.save != minutes{0});
    if (next.offset != current.offset || dst_changed)
      add_observance(vtz, next.save != minutes{0},
                     date::local_seconds{(current.end + current.offset).time_since_epoch()},
                     current.offset, next.offset, next.abbrev);
    current = next;
  }
  return vtz;
}

int year_of_local(LocalTime t) {
  return static_cast<int>(date::year_month_day{date::floor<date::days>(t)}.year());
}

icalproperty *time_property(icalproperty *p, const Event &event) {
  if (!event.all_day && !event.zone.empty() && event.zone != "UTC")
    icalproperty_add_parameter(p, icalparameter_new_tzid(event.zone.c_str()));
  return p;
}

icaltimetype event_time(const Event &event, bool start) {
  if (event.all_day)
    return ical_date(start ? event.first_day : event.end_day);
  LocalTime t = start ? event.start : event.end;
  icaltimetype it = ical_wall(date::local_seconds{t});
  if (event.zone == "UTC")
    it.zone = utc_zone();
  return it;
}

void add_event(Writer &writer, icalcomponent *vcalendar, const Event &event,
               const CalendarFile &calendar, std::size_t index) {
  icalcomponent *ve = icalcomponent_new_vevent();
  std::string uid = event.uid.empty() ? "event-" + std::to_string(index) + "@xun" : event.uid;
  icalcomponent_add_property(ve, icalproperty_new_uid(uid.c_str()));
  icalcomponent_add_property(
      ve, icalproperty_new_dtstamp(ical_utc(event.dtstamp.value_or(calendar.dtstamp))));
  // The TZID parameter is added by hand: icalproperty_new_dtstart alone
  // would leave the time floating.
  icalcomponent_add_property(
      ve, time_property(icalproperty_new_dtstart(event_time(event, true)), event));
  icalcomponent_add_property(
      ve, time_property(icalproperty_new_dtend(event_time(event, false)), event));
  icalcomponent_add_property(ve, icalproperty_new_summary(event.title.c_str()));
  if (!event.description.empty())
    icalcomponent_add_property(ve, icalproperty_new_description(event.description.c_str()));
  if (!event.location.empty())
    icalcomponent_add_property(ve, icalproperty_new_location(event.location.c_str()));
  if (!event.categories.empty()) {
    std::string line = "CATEGORIES:";
    for (std::size_t i = 0; i < event.categories.size(); ++i) {
      if (i > 0)
        line += ',';
      line += escape_text(event.categories[i]);
    }
    writer.add_raw(ve, std::move(line));
  }
  icalcomponent_add_property(ve, icalproperty_new_sequence(event.sequence));
  if (event.last_modified)
    icalcomponent_add_property(ve, icalproperty_new_lastmodified(ical_utc(*event.last_modified)));
  icalcomponent_add_property(
      ve, icalproperty_new_transp(event.busy ? ICAL_TRANSP_OPAQUE : ICAL_TRANSP_TRANSPARENT));
  if (event.cancelled)
    icalcomponent_add_property(ve, icalproperty_new_status(ICAL_STATUS_CANCELLED));
  for (const Alarm &alarm : event.alarms) {
    icalcomponent *va = icalcomponent_new_valarm();
    icalcomponent_add_property(va, icalproperty_new_action(ICAL_ACTION_DISPLAY));
    // DISPLAY alarms must have a DESCRIPTION; the title is what a phone shows.
    const std::string &text = !alarm.description.empty() ? alarm.description
                              : !event.title.empty()     ? event.title
                                                         : std::string("Reminder");
    icalcomponent_add_property(va, icalproperty_new_description(text.c_str()));
    icaltriggertype trigger{};
    trigger.time = icaltime_null_time();
    trigger.duration = ical_duration(-alarm.minutes_before, trigger_in_days(event, alarm));
    icalcomponent_add_property(va, icalproperty_new_trigger(trigger));
    icalcomponent_add_component(ve, va);
  }
  icalcomponent_add_component(vcalendar, ve);
}

} // namespace

std::string write_ics(const CalendarFile &calendar) {
  Writer writer;
  ComponentPtr root(icalcomponent_new_vcalendar());
  icalcomponent *vc = root.get();
  icalcomponent_add_property(vc, icalproperty_new_version("2.0"));
  icalcomponent_add_property(vc, icalproperty_new_prodid("-//Xun//Xun Planner//EN"));
  icalcomponent_add_property(vc, icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(vc, icalproperty_new_method(ICAL_METHOD_PUBLISH));
  if (!calendar.name.empty()) {
    icalcomponent_add_property(vc, icalproperty_new_name(calendar.name.c_str()));
    writer.add_raw(vc, "X-WR-CALNAME:" + escape_text(calendar.name));
  }
  if (!calendar.description.empty()) {
    icalcomponent_add_property(vc, icalproperty_new_description(calendar.description.c_str()));
    writer.add_raw(vc, "X-WR-CALDESC:" + escape_text(calendar.description));
  }
  if (!calendar.zone.empty())
    writer.add_raw(vc, "X-WR-TIMEZONE:" + escape_text(calendar.zone));
  if (calendar.refresh_minutes) {
    icalcomponent_add_property(
        vc, icalproperty_new_refreshinterval(ical_duration(*calendar.refresh_minutes)));
    writer.add_raw(vc, "X-PUBLISHED-TTL:" + format_iso_duration(*calendar.refresh_minutes));
  }

  // Zones used by timed events, with the years their events touch.
  std::map<std::string, std::pair<int, int>> zones;
  for (const Event &e : calendar.events) {
    if (e.all_day || e.zone.empty() || e.zone == "UTC")
      continue;
    int first = std::min(year_of_local(e.start), year_of_local(e.end));
    int last = std::max(year_of_local(e.start), year_of_local(e.end));
    auto [it, fresh] = zones.try_emplace(e.zone, first, last);
    if (!fresh)
      it->second = {std::min(it->second.first, first), std::max(it->second.second, last)};
  }
  for (const auto &[name, years] : zones)
    icalcomponent_add_component(vc, make_vtimezone(name, years.first, years.second));

  for (std::size_t i = 0; i < calendar.events.size(); ++i)
    add_event(writer, vc, calendar.events[i], calendar, i);

  char *text = icalcomponent_as_ical_string_r(vc);
  std::unique_ptr<char, decltype(&std::free)> owned(text, &std::free);
  return writer.finish(text);
}

// ---------------------------------------------------------------------- reader

namespace {

TextError error_at(std::size_t line, const std::string &message) {
  return TextError{1, "line " + std::to_string(line) + ": " + message, {}};
}

// What is read before libical sees the text: Debian 12's libical 3.0.16
// predates OSS-Fuzz's fixes for long lines, deep nesting and recurrence
// rules, so those are bounded here (docs/LIMITS.md).
constexpr std::size_t max_ics_bytes = 32 << 20;
constexpr std::size_t max_line_bytes = 256 << 10; // a content line, unfolded
constexpr std::size_t max_components = 200000;    // BEGIN lines
constexpr std::size_t max_depth = 8;              // VCALENDAR > VEVENT > VALARM is 3
constexpr std::size_t max_rule_bytes = 1000;      // RRULE, EXRULE, RDATE, EXDATE values

bool is_recurrence_property(const std::string &name) {
  return name == "RRULE" || name == "EXRULE" || name == "RDATE" || name == "EXDATE";
}

struct RawEvent {
  std::size_t begin_line = 0;
  std::map<std::string, std::size_t> lines;  // property → first line
  std::map<std::string, std::string> values; // property → first raw value
  std::vector<std::string> categories;       // raw CATEGORIES values
};

struct Scan {
  std::vector<RawEvent> events;
  std::size_t last_line = 1;
};

// Our own pass over the lines: libical accepts almost anything and reports no
// line numbers, so structure is checked here, with lines people can find.
std::variant<Scan, TextError> scan(std::string_view text) {
  Scan result;
  struct Logical {
    std::size_t line;
    std::string text;
  };
  std::vector<Logical> logical;
  std::size_t pos = 0, line_no = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    pos = end == text.size() ? end : end + 1;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      if (logical.empty())
        return error_at(line_no, "a continuation line (starting with a space) comes "
                                 "before any content line; the file should start with "
                                 "BEGIN:VCALENDAR");
      logical.back().text.append(line.substr(1));
      if (logical.back().text.size() > max_line_bytes)
        return error_at(logical.back().line, "the content line is longer than " +
                                                 std::to_string(max_line_bytes) +
                                                 " bytes (unfolded), the limit of this reader");
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos)
      continue; // blank lines are tolerated
    if (line.size() > max_line_bytes)
      return error_at(line_no, "the content line is longer than " + std::to_string(max_line_bytes) +
                                   " bytes, the limit of this reader");
    logical.push_back({line_no, std::string(line)});
  }
  result.last_line = std::max<std::size_t>(line_no, 1);
  if (logical.empty())
    return error_at(1, "the text is empty; an iCalendar file starts with BEGIN:VCALENDAR");

  struct Open {
    std::string name;
    std::size_t line;
  };
  std::vector<Open> stack;
  std::size_t components = 0;
  bool seen_calendar = false;
  for (const auto &[line, content] : logical) {
    std::size_t n = 0;
    while (n < content.size() &&
           (std::isalnum(static_cast<unsigned char>(content[n])) || content[n] == '-'))
      ++n;
    if (n == 0 || n == content.size() || (content[n] != ':' && content[n] != ';'))
      return error_at(line, "found \"" + excerpt(content) +
                                "\" where a content line NAME:value (or "
                                "NAME;PARAM=x:value) was expected");
    std::size_t colon = std::string::npos;
    bool quoted = false;
    for (std::size_t i = n; i < content.size(); ++i) {
      if (content[i] == '"')
        quoted = !quoted;
      else if (content[i] == ':' && !quoted) {
        colon = i;
        break;
      }
    }
    std::string name = ascii_upper(std::string_view(content).substr(0, n));
    if (colon == std::string::npos)
      return error_at(line, "property " + name +
                                " has parameters but no ':' before its value; write " + name +
                                ";PARAM=x:value");
    std::string value = content.substr(colon + 1);
    if (is_recurrence_property(name) && value.size() > max_rule_bytes)
      return error_at(line, name + " is " + std::to_string(value.size()) + " bytes long; at most " +
                                std::to_string(max_rule_bytes) + " are read");
    if (name == "BEGIN") {
      if (++components > max_components)
        return error_at(line, "more than " + std::to_string(max_components) +
                                  " components (BEGIN lines), the limit of this reader");
      if (stack.size() >= max_depth)
        return error_at(line, "BEGIN:" + value + " nests components more than " +
                                  std::to_string(max_depth) + " deep, the limit of this reader");
      std::string what = ascii_upper(value);
      if (stack.empty() && what != "VCALENDAR")
        return error_at(line, "found BEGIN:" + value +
                                  " outside a calendar; an iCalendar file starts with "
                                  "BEGIN:VCALENDAR");
      if (what == "VCALENDAR" && !stack.empty())
        return error_at(line, "BEGIN:VCALENDAR inside BEGIN:" + stack.back().name + " of line " +
                                  std::to_string(stack.back().line));
      if (what == "VEVENT" && stack.size() == 1)
        result.events.push_back(RawEvent{line, {}, {}, {}});
      stack.push_back({what, line});
      seen_calendar = true;
      continue;
    }
    if (name == "END") {
      std::string what = ascii_upper(value);
      if (stack.empty())
        return error_at(line, "END:" + value + " without a matching BEGIN:" + value);
      if (stack.back().name != what)
        return error_at(line, "END:" + value + " where END:" + stack.back().name +
                                  " was expected (BEGIN:" + stack.back().name + " is on line " +
                                  std::to_string(stack.back().line) + ")");
      stack.pop_back();
      continue;
    }
    if (stack.empty())
      return error_at(line, seen_calendar
                                ? "found \"" + excerpt(content) +
                                      "\" after END:VCALENDAR; nothing may follow it"
                                : "found \"" + excerpt(content) +
                                      "\"; an iCalendar file starts with BEGIN:VCALENDAR");
    if (stack.size() == 2 && stack.back().name == "VEVENT") {
      RawEvent &ev = result.events.back();
      ev.lines.try_emplace(name, line);
      ev.values.try_emplace(name, value);
      if (name == "CATEGORIES")
        ev.categories.push_back(value);
    }
  }
  if (!stack.empty())
    return error_at(result.last_line,
                    "BEGIN:" + stack.back().name + " of line " + std::to_string(stack.back().line) +
                        " is never closed: END:" + stack.back().name + " is missing");
  return result;
}

std::string x_value(icalcomponent *c, std::string_view x_name) {
  for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
       p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY)) {
    const char *name = icalproperty_get_x_name(p);
    const char *value = icalproperty_get_x(p);
    if (name && value && ascii_upper(name) == x_name)
      return value;
  }
  return {};
}

std::string text_of(icalcomponent *c, icalproperty_kind kind) {
  icalproperty *p = icalcomponent_get_first_property(c, kind);
  if (!p)
    return {};
  icalvalue *v = icalproperty_get_value(p);
  if (!v)
    return {};
  const char *s = icalvalue_isa(v) == ICAL_TEXT_VALUE ? icalvalue_get_text(v)
                                                      : icalproperty_get_value_as_string(p);
  return s ? s : "";
}

const char *tzid_of(icalproperty *p) {
  icalparameter *param = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
  return param ? icalparameter_get_tzid(param) : nullptr;
}

// An IANA name for a TZID, also when a writer prefixed it
// ("/freeassociation.sourceforge.net/Europe/Berlin").
std::optional<std::string> iana_zone(std::string_view tzid) {
  if (find_zone(tzid))
    return std::string(tzid);
  for (std::size_t p = tzid.find('/'); p != std::string_view::npos; p = tzid.find('/', p + 1))
    if (p + 1 < tzid.size() && find_zone(tzid.substr(p + 1)))
      return std::string(tzid.substr(p + 1));
  return std::nullopt;
}

struct Reader {
  std::vector<std::string> warnings;

  void warn(std::size_t line, const std::string &what) {
    warnings.push_back((line ? "line " + std::to_string(line) + ": " : std::string()) + what);
  }

  // The zone of a DATE-TIME: "UTC" for Z, the TZID's IANA name, "" floating.
  std::string zone_of(icalproperty *p, const icaltimetype &t, std::size_t line) {
    if (icaltime_is_utc(t))
      return "UTC";
    const char *tzid = tzid_of(p);
    if (!tzid)
      return {};
    if (auto zone = iana_zone(tzid))
      return *zone;
    warn(line, std::string("TZID \"") + tzid +
                   "\" is not an IANA time zone name (such as Asia/Shanghai); "
                   "kept as written");
    return tzid;
  }

  std::optional<date::sys_seconds> utc_instant(icalproperty *p) {
    icaltimetype t = icalvalue_get_datetime(icalproperty_get_value(p));
    auto wall = wall_of(t);
    if (!wall)
      return std::nullopt;
    const char *tzid = tzid_of(p);
    if (tzid && !icaltime_is_utc(t))
      if (auto zone = iana_zone(tzid))
        return find_zone(*zone)->to_sys(*wall, date::choose::earliest);
    return date::sys_seconds{wall->time_since_epoch()};
  }
};

std::variant<Event, TextError> read_event(Reader &reader, icalcomponent *ve, const RawEvent *raw) {
  auto line_of = [&](const std::string &name) -> std::size_t {
    if (!raw)
      return 0;
    auto it = raw->lines.find(name);
    return it != raw->lines.end() ? it->second : raw->begin_line;
  };
  auto raw_value = [&](const std::string &name) {
    if (!raw || !raw->values.contains(name))
      return std::string();
    return " \"" + excerpt(raw->values.at(name)) + "\"";
  };
  auto fail = [&](const std::string &name, const std::string &what) {
    std::size_t line = line_of(name);
    return TextError{1, (line ? "line " + std::to_string(line) + ": " : std::string()) + what, {}};
  };

  std::vector<std::string> libical_errors;
  for (icalproperty *p = icalcomponent_get_first_property(ve, ICAL_XLICERROR_PROPERTY); p;
       p = icalcomponent_get_next_property(ve, ICAL_XLICERROR_PROPERTY))
    libical_errors.push_back(icalproperty_get_xlicerror(p) ? icalproperty_get_xlicerror(p) : "");
  auto libical_error_about = [&](const std::string &name) -> std::string {
    for (const auto &e : libical_errors)
      if (e.find(" " + name + " ") != std::string::npos)
        return e;
    return {};
  };

  Event event;
  event.uid = text_of(ve, ICAL_UID_PROPERTY);
  if (event.uid.empty())
    reader.warn(line_of("BEGIN"), "the event has no UID; it is read without one");

  icalproperty *start = icalcomponent_get_first_property(ve, ICAL_DTSTART_PROPERTY);
  if (!start) {
    if (raw && raw->lines.contains("DTSTART"))
      return fail("DTSTART", "DTSTART value" + raw_value("DTSTART") +
                                 " is not a date or date-time; write 20260224T090000 "
                                 "(with TZID=Asia/Shanghai), 20260224T010000Z or "
                                 "VALUE=DATE:20260224");
    return TextError{1,
                     (raw ? "line " + std::to_string(raw->begin_line) + ": " : std::string()) +
                         "the event \"" + excerpt(event.uid) +
                         "\" has no DTSTART; every event needs one",
                     {}};
  }
  icaltimetype st = icalproperty_get_dtstart(start);
  icalproperty *end = icalcomponent_get_first_property(ve, ICAL_DTEND_PROPERTY);
  if (!end && raw && raw->lines.contains("DTEND"))
    return fail("DTEND",
                "DTEND value" + raw_value("DTEND") + " is not a date or date-time; " +
                    (libical_error_about("DTEND").empty() ? std::string("write it like DTSTART")
                                                          : libical_error_about("DTEND")));
  icalproperty *duration = icalcomponent_get_first_property(ve, ICAL_DURATION_PROPERTY);
  long duration_minutes = 0;
  if (duration)
    duration_minutes = icaldurationtype_as_int(icalproperty_get_duration(duration)) / 60;

  if (st.is_date) {
    event.all_day = true;
    auto first = date_of(st);
    if (!first)
      return fail("DTSTART", "DTSTART" + raw_value("DTSTART") +
                                 " is not a valid calendar date of the years 1–3000");
    event.first_day = *first;
    event.end_day = *first + date::days{1};
    if (end) {
      auto last = date_of(icalproperty_get_dtend(end));
      if (!last)
        return fail("DTEND", "DTEND" + raw_value("DTEND") +
                                 " is not a valid calendar date of the years 1–3000");
      event.end_day = *last;
    } else if (duration) {
      event.end_day = *first + date::days{std::max(1L, duration_minutes / 1440)};
    }
    if (event.end_day <= event.first_day) {
      reader.warn(line_of("DTEND"), "DTEND is not after DTSTART; the event is read as one day");
      event.end_day = event.first_day + date::days{1};
    }
  } else {
    auto wall = wall_of(st);
    if (!wall)
      return fail("DTSTART", "DTSTART" + raw_value("DTSTART") +
                                 " is not a valid date-time of the years 1–3000");
    event.zone = reader.zone_of(start, st, line_of("DTSTART"));
    event.start = date::floor<minutes>(*wall);
    event.end = event.start;
    if (end) {
      icaltimetype et = icalproperty_get_dtend(end);
      auto end_wall = wall_of(et);
      if (!end_wall)
        return fail("DTEND",
                    "DTEND" + raw_value("DTEND") + " is not a valid date-time of the years 1–3000");
      std::string end_zone = et.is_date ? event.zone : reader.zone_of(end, et, line_of("DTEND"));
      const date::time_zone *from = find_zone(end_zone);
      const date::time_zone *to = find_zone(event.zone);
      if (end_zone != event.zone && from && to) {
        auto instant = from->to_sys(*end_wall, date::choose::earliest);
        end_wall = to->to_local(instant);
      } else if (end_zone != event.zone) {
        reader.warn(line_of("DTEND"), "DTEND is in another zone than DTSTART; its wall "
                                      "time is read as in DTSTART's zone");
      }
      event.end = date::floor<minutes>(*end_wall);
    } else if (duration) {
      event.end = event.start + minutes{duration_minutes};
    }
  }

  event.title = text_of(ve, ICAL_SUMMARY_PROPERTY);
  event.description = text_of(ve, ICAL_DESCRIPTION_PROPERTY);
  event.location = text_of(ve, ICAL_LOCATION_PROPERTY);
  if (raw) {
    for (const auto &value : raw->categories)
      for (auto &c : split_text_list(value))
        event.categories.push_back(std::move(c));
  } else {
    for (icalproperty *p = icalcomponent_get_first_property(ve, ICAL_CATEGORIES_PROPERTY); p;
         p = icalcomponent_get_next_property(ve, ICAL_CATEGORIES_PROPERTY))
      if (const char *c = icalproperty_get_categories(p))
        event.categories.emplace_back(c);
  }
  if (icalproperty *p = icalcomponent_get_first_property(ve, ICAL_SEQUENCE_PROPERTY))
    event.sequence = icalproperty_get_sequence(p);
  if (icalproperty *p = icalcomponent_get_first_property(ve, ICAL_LASTMODIFIED_PROPERTY))
    event.last_modified = reader.utc_instant(p);
  if (icalproperty *p = icalcomponent_get_first_property(ve, ICAL_TRANSP_PROPERTY))
    event.busy = icalproperty_get_transp(p) != ICAL_TRANSP_TRANSPARENT;
  if (icalproperty *p = icalcomponent_get_first_property(ve, ICAL_STATUS_PROPERTY))
    event.cancelled = icalproperty_get_status(p) == ICAL_STATUS_CANCELLED;

  for (icalcomponent *va = icalcomponent_get_first_component(ve, ICAL_VALARM_COMPONENT); va;
       va = icalcomponent_get_next_component(ve, ICAL_VALARM_COMPONENT)) {
    icalproperty *tp = icalcomponent_get_first_property(va, ICAL_TRIGGER_PROPERTY);
    if (!tp) {
      reader.warn(line_of("BEGIN"), "an alarm of event \"" + excerpt(event.uid) +
                                        "\" has no TRIGGER; it is left out");
      continue;
    }
    icaltriggertype trigger = icalproperty_get_trigger(tp);
    if (!icaltime_is_null_time(trigger.time)) {
      reader.warn(line_of("BEGIN"), "an alarm of event \"" + excerpt(event.uid) +
                                        "\" has an absolute TRIGGER; only alarms "
                                        "relative to the start are read");
      continue;
    }
    long before = -icaldurationtype_as_int(trigger.duration) / 60;
    icalparameter *related = icalproperty_get_first_parameter(tp, ICAL_RELATED_PARAMETER);
    if (related && icalparameter_get_related(related) == ICAL_RELATED_END) {
      long length = event.all_day ? (event.end_day - event.first_day).count() * 1440L
                                  : (event.end - event.start).count();
      before -= length;
    }
    Alarm alarm{before, text_of(va, ICAL_DESCRIPTION_PROPERTY)};
    // We write the title when an alarm has no text of its own: undo that.
    if (alarm.description == event.title)
      alarm.description.clear();
    event.alarms.push_back(std::move(alarm));
  }

  for (const auto &e : libical_errors)
    reader.warn(line_of("BEGIN"), "in event \"" + excerpt(event.uid) + "\": " + e);
  return event;
}

} // namespace

std::variant<IcsReadResult, TextError> read_ics(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF"))
    text.remove_prefix(3);
  if (text.size() > max_ics_bytes)
    return error_at(1, "the text is " + std::to_string(text.size()) + " bytes; this reader takes " +
                           "at most " + std::to_string(max_ics_bytes));
  auto scanned = scan(text);
  if (auto *error = std::get_if<TextError>(&scanned))
    return *error;
  const Scan &raw = std::get<Scan>(scanned);

  std::string owned(text);
  ComponentPtr root(icalparser_parse_string(owned.c_str()));
  if (!root)
    return error_at(1, "libical could not read the text as iCalendar");

  std::vector<icalcomponent *> calendars;
  if (icalcomponent_isa(root.get()) == ICAL_VCALENDAR_COMPONENT) {
    calendars.push_back(root.get());
  } else {
    for (icalcomponent *c = icalcomponent_get_first_component(root.get(), ICAL_VCALENDAR_COMPONENT);
         c; c = icalcomponent_get_next_component(root.get(), ICAL_VCALENDAR_COMPONENT))
      calendars.push_back(c);
  }
  if (calendars.empty())
    return error_at(1, "no VCALENDAR found; an iCalendar file starts with BEGIN:VCALENDAR");

  Reader reader;
  IcsReadResult result;
  CalendarFile &cal = result.calendar;
  icalcomponent *first = calendars.front();
  if (!icalcomponent_get_first_property(first, ICAL_PRODID_PROPERTY))
    reader.warn(1, "the calendar has no PRODID (RFC 5545 requires one); read anyway");
  if (!icalcomponent_get_first_property(first, ICAL_VERSION_PROPERTY))
    reader.warn(1, "the calendar has no VERSION (RFC 5545 requires "
                   "VERSION:2.0); read anyway");
  cal.name = x_value(first, "X-WR-CALNAME");
  if (cal.name.empty())
    cal.name = text_of(first, ICAL_NAME_PROPERTY);
  cal.description = x_value(first, "X-WR-CALDESC");
  if (cal.description.empty())
    cal.description = text_of(first, ICAL_DESCRIPTION_PROPERTY);
  cal.zone = x_value(first, "X-WR-TIMEZONE");
  if (icalproperty *p = icalcomponent_get_first_property(first, ICAL_REFRESHINTERVAL_PROPERTY)) {
    cal.refresh_minutes = icaldurationtype_as_int(icalproperty_get_refreshinterval(p)) / 60;
  } else if (std::string ttl = x_value(first, "X-PUBLISHED-TTL"); !ttl.empty()) {
    icaldurationtype d = icaldurationtype_from_string(ttl.c_str());
    if (!icaldurationtype_is_bad_duration(d))
      cal.refresh_minutes = icaldurationtype_as_int(d) / 60;
  }

  std::vector<icalcomponent *> vevents;
  for (icalcomponent *c : calendars) {
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY))
      reader.warn(0, icalproperty_get_xlicerror(p) ? icalproperty_get_xlicerror(p) : "");
    for (icalcomponent *ve = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT); ve;
         ve = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT))
      vevents.push_back(ve);
  }
  // Our scan and libical see the same events in the same order; if not, read
  // without line numbers rather than pair the wrong ones.
  bool aligned = vevents.size() == raw.events.size();
  for (std::size_t i = 0; i < vevents.size(); ++i) {
    auto event = read_event(reader, vevents[i], aligned ? &raw.events[i] : nullptr);
    if (auto *error = std::get_if<TextError>(&event))
      return *error;
    if (i == 0)
      if (icalproperty *p = icalcomponent_get_first_property(vevents[i], ICAL_DTSTAMP_PROPERTY))
        if (auto stamp = reader.utc_instant(p))
          cal.dtstamp = *stamp;
    cal.events.push_back(std::move(std::get<Event>(event)));
  }
  result.warnings = std::move(reader.warnings);
  return result;
}

namespace {

// "上班(补春节假期)" and "春节假期" both belong to 春节.
std::string holiday_name(std::string title) {
  for (std::string_view drop : {"上班", "补班", "假期", "(", ")", "（", "）"}) {
    for (std::size_t p = title.find(drop); p != std::string::npos; p = title.find(drop))
      title.erase(p, drop.size());
  }
  if (title.starts_with("补"))
    title.erase(0, std::string_view("补").size());
  return title;
}

} // namespace

HolidaySet holiday_set_from_events(std::string name, const std::vector<Event> &events) {
  std::map<Date, HolidayDay> days;
  std::set<int> years;
  for (const Event &e : events) {
    bool working =
        e.title.find("上班") != std::string::npos || e.title.find("补班") != std::string::npos;
    Date first =
        e.all_day ? e.first_day : Date{date::floor<date::days>(e.start).time_since_epoch()};
    Date last = e.all_day ? e.end_day - date::days{1}
                          : Date{date::floor<date::days>(e.end).time_since_epoch()};
    if (last < first)
      last = first;
    years.insert(year_of(first));
    for (Date d = first; d <= last; d += date::days{1}) {
      HolidayDay day{d, !working, holiday_name(e.title)};
      auto [it, fresh] = days.try_emplace(d, day);
      // A make-up working day overrides a day off given for the same date.
      if (!fresh && working)
        it->second = day;
    }
  }
  std::vector<HolidayDay> list;
  list.reserve(days.size());
  for (auto &[d, day] : days)
    list.push_back(std::move(day));
  return HolidaySet(std::move(name), std::move(list), std::move(years));
}

} // namespace xun::calendar
