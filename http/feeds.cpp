#include "http/feeds.hpp"

#include <date/date.h>

#include <chrono>
#include <cstdio>
#include <sstream>

namespace xun::http {

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

// The value of a (possibly folded) content line starting at `lines[i]`.
std::string unfolded(const std::vector<std::string> &lines, std::size_t i) {
  std::string value = lines[i];
  for (std::size_t j = i + 1;
       j < lines.size() && !lines[j].empty() && (lines[j][0] == ' ' || lines[j][0] == '\t'); ++j)
    value += lines[j].substr(1);
  return value;
}

} // namespace

std::vector<EventState> changed_event_states(const std::map<std::string, EventState> &previous,
                                             const calendar::CalendarFile &events,
                                             std::int64_t now) {
  std::vector<EventState> changed;
  for (const auto &e : events.events) {
    EventState next{e.uid, 0, now, start_text(e), end_text(e), digest(e)};
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
  }
  const std::string text = calendar::write_ics(calendar);

  // Split into lines, keeping the terminator the writer used.
  const std::string eol = text.find("\r\n") != std::string::npos ? "\r\n" : "\n";
  std::vector<std::string> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t next = text.find(eol, pos);
    if (next == std::string::npos) {
      lines.push_back(text.substr(pos));
      break;
    }
    lines.push_back(text.substr(pos, next - pos));
    pos = next + eol.size();
  }
  const bool trailing =
      text.size() >= eol.size() && text.compare(text.size() - eol.size(), eol.size(), eol) == 0;

  // Each VEVENT's DTSTAMP becomes its own LAST-MODIFIED.
  std::size_t event_begin = std::string::npos;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == "BEGIN:VEVENT") {
      event_begin = i;
    } else if (lines[i] == "END:VEVENT" && event_begin != std::string::npos) {
      std::string uid;
      std::size_t stamp = std::string::npos;
      int depth = 0;
      for (std::size_t j = event_begin + 1; j < i; ++j) {
        if (lines[j].rfind("BEGIN:", 0) == 0)
          ++depth;
        else if (lines[j].rfind("END:", 0) == 0)
          --depth;
        else if (depth == 0 && lines[j].rfind("UID", 0) == 0 && lines[j].size() > 3 &&
                 (lines[j][3] == ':' || lines[j][3] == ';')) {
          std::string value = unfolded(lines, j);
          uid = value.substr(value.find(':') + 1);
        } else if (depth == 0 && lines[j].rfind("DTSTAMP:", 0) == 0)
          stamp = j;
      }
      auto it = states.find(uid);
      if (it != states.end() && stamp != std::string::npos)
        lines[stamp] = "DTSTAMP:" + ics_utc(it->second.last_modified);
      event_begin = std::string::npos;
    }
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size() || trailing)
      out += eol;
  }
  return out;
}

FeedBody make_feed_body(std::string bytes, std::int64_t last_modified) {
  FeedBody body;
  body.etag = strong_etag(bytes);
  body.bytes = std::move(bytes);
  body.last_modified = last_modified;
  return body;
}

std::string strong_etag(const std::string &bytes) { return "\"" + hex64(fnv1a(bytes)) + "\""; }

std::string http_date(std::int64_t unix_seconds) {
  const date::sys_seconds t{std::chrono::seconds{unix_seconds}};
  return date::format("%a, %d %b %Y %H:%M:%S GMT", t);
}

std::optional<std::int64_t> parse_http_date(const std::string &text) {
  // IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"), as clients send it.
  static constexpr const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char weekday[4] = {};
  char month[4] = {};
  int day = 0, year = 0, h = 0, m = 0, s = 0;
  if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d GMT", weekday, &day, month, &year, &h, &m,
                  &s) != 7)
    return std::nullopt;
  unsigned mon = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (std::string(month) == months[i])
      mon = i + 1;
  const date::year_month_day ymd{date::year{year}, date::month{mon},
                                 date::day{static_cast<unsigned>(day)}};
  if (mon == 0 || !ymd.ok() || h > 23 || m > 59 || s > 60 || h < 0 || m < 0 || s < 0)
    return std::nullopt;
  return date::sys_days{ymd}.time_since_epoch().count() * 86400 + h * 3600 + m * 60 + s;
}

std::string ics_utc(std::int64_t unix_seconds) {
  const date::sys_seconds t{std::chrono::seconds{unix_seconds}};
  return date::format("%Y%m%dT%H%M%SZ", t);
}

bool etag_matches(const std::string &if_none_match, const std::string &etag) {
  std::size_t pos = 0;
  while (pos < if_none_match.size()) {
    std::size_t comma = if_none_match.find(',', pos);
    std::string item =
        if_none_match.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    if (item == "*" || item == etag || item == "W/" + etag)
      return true;
    if (comma == std::string::npos)
      break;
    pos = comma + 1;
  }
  return false;
}

} // namespace xun::http
