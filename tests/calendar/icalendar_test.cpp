// ctest-labels: checkers
#include "calendar/icalendar.hpp"

#include "support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace xun::calendar;
using xun::testing::Run;
using xun::testing::TempDir;
using namespace date::literals;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

LocalTime at(date::year_month_day day, int hour, int minute = 0) {
  return LocalTime{date::local_days{day}} + hours{hour} + minutes{minute};
}

Event timed(std::string uid, std::string zone, date::year_month_day day, int hour, int length_h) {
  Event e;
  e.uid = std::move(uid);
  e.title = "会议 " + e.uid;
  e.zone = std::move(zone);
  e.start = at(day, hour);
  e.end = e.start + hours{length_h};
  return e;
}

Event all_day(std::string uid, Date first, int days) {
  Event e;
  e.uid = std::move(uid);
  e.title = "全天 " + e.uid;
  e.all_day = true;
  e.first_day = first;
  e.end_day = first + date::days{days};
  return e;
}

CalendarFile sample_calendar() {
  CalendarFile cal;
  cal.name = "石坝支部 2026";
  cal.description = "年度工作计划";
  cal.zone = "Asia/Shanghai";
  cal.refresh_minutes = 60;
  cal.dtstamp = date::sys_days{2026_y / 1 / 5} + hours{8};
  Event congress = timed("congress-0@shiba.xun", "Asia/Shanghai", 2026_y / 2 / 24, 9, 2);
  congress.title = "党员大会，选举支委；第一次";
  congress.description = "议程：\n1. 述职, 2. 选举; 3. 讨论\\总结";
  congress.location = "会议室 A";
  congress.categories = {"meeting", "党建,组织"};
  congress.alarms = {{7 * 1440, ""}, {1440, "明天开会"}, {120, ""}};
  congress.sequence = 2;
  congress.last_modified = date::sys_days{2026_y / 1 / 4} + hours{3};
  cal.events.push_back(congress);
  Event berlin_winter = timed("berlin-winter@xun", "Europe/Berlin", 2026_y / 1 / 15, 14, 1);
  Event berlin_summer = timed("berlin-summer@xun", "Europe/Berlin", 2026_y / 7 / 1, 10, 3);
  cal.events.push_back(berlin_winter);
  cal.events.push_back(berlin_summer);
  Event dues = all_day("dues-0@shiba.xun", date::sys_days{2026_y / 5 / 6}, 1);
  dues.busy = false;
  dues.alarms = {{7 * 1440, ""}, {1440, ""}};
  dues.categories = {"deadline"};
  cal.events.push_back(dues);
  cal.events.push_back(all_day("spring@xun", date::sys_days{2026_y / 2 / 15}, 9));
  return cal;
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find("\r\n", pos);
    if (end == std::string::npos)
      end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

// The content lines with folding undone, to look for whole properties.
std::string unfolded(const std::string &text) {
  std::string out;
  for (const auto &line : lines_of(text)) {
    if (!line.empty() && line[0] == ' ')
      out += line.substr(1);
    else
      out += (out.empty() ? "" : "\n") + line;
  }
  return out + "\n";
}

bool has_line(const std::string &text, const std::string &line) {
  return unfolded(text).find(line + "\n") != std::string::npos;
}

std::size_t count_of(const std::string &text, const std::string &needle) {
  std::size_t n = 0;
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1))
    ++n;
  return n;
}

// The VTIMEZONE block for `tzid`, unfolded.
std::string vtimezone_of(const std::string &text, const std::string &tzid) {
  std::string all = unfolded(text);
  std::size_t p = all.find("BEGIN:VTIMEZONE\nTZID:" + tzid + "\n");
  if (p == std::string::npos)
    return {};
  return all.substr(p, all.find("END:VTIMEZONE\n", p) - p);
}

IcsReadResult read_ok(const std::string &text) {
  auto result = read_ics(text);
  if (auto *error = std::get_if<TextError>(&result))
    FAIL("read_ics failed: " << error->message);
  return std::get<IcsReadResult>(result);
}

std::string read_error(const std::string &text) {
  auto result = read_ics(text);
  REQUIRE(std::holds_alternative<TextError>(result));
  return std::get<TextError>(result).message;
}

std::string calendar_text(const std::string &body) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" + body + "END:VCALENDAR\r\n";
}

std::filesystem::path source_dir() { return xun::testing::ctest_env("XUN_SOURCE_DIR"); }

// A command's exit status and its stdout and stderr together, in order.
Run run(const std::string &command) { return xun::testing::run_piped(command + " 2>&1"); }

std::string quoted(const std::filesystem::path &p) { return xun::testing::shell_quote(p.string()); }

// The three outside checkers, as shell commands taking the file last. Missing
// tools make the test fail with the way to install them, never skip.
std::vector<std::string> checker_commands() {
  auto src = source_dir();
  if (run("/usr/bin/python3 -c 'import icalendar, vobject'").status != 0)
    FAIL("/usr/bin/python3 lacks icalendar or vobject: run scripts/setup.sh "
         "--test");
  if (!std::filesystem::exists(src / "tests/js/node_modules/ical.js/package.json") ||
      run("node --version").status != 0)
    FAIL("node or ical.js (tests/js/node_modules) is missing: run "
         "scripts/setup.sh --test");
  return {"/usr/bin/python3 " + quoted(src / "tests/tools/check_ics_icalendar.py"),
          "/usr/bin/python3 " + quoted(src / "tests/tools/check_ics_vobject.py"),
          "node " + quoted(src / "tests/js/check_ics.mjs")};
}

void require_checkers_accept(const std::string &ics, const std::string &name, std::size_t events) {
  const TempDir dir("icalendar-test");
  auto path = dir.write(name, ics);
  for (const auto &checker : checker_commands()) {
    Run r = run(checker + " " + quoted(path) + " --events " + std::to_string(events));
    INFO(checker << "\n" << r.out);
    CHECK(r.status == 0);
  }
}

} // namespace

TEST_CASE("write_ics writes the calendar properties clients look for") {
  std::string ics = write_ics(sample_calendar());
  CHECK(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Xun//Xun Planner//EN\r\n"));
  CHECK(has_line(ics, "CALSCALE:GREGORIAN"));
  CHECK(has_line(ics, "METHOD:PUBLISH"));
  CHECK(has_line(ics, "NAME:石坝支部 2026"));
  CHECK(has_line(ics, "X-WR-CALNAME:石坝支部 2026"));
  CHECK(has_line(ics, "DESCRIPTION:年度工作计划"));
  CHECK(has_line(ics, "X-WR-CALDESC:年度工作计划"));
  CHECK(has_line(ics, "X-WR-TIMEZONE:Asia/Shanghai"));
  CHECK(has_line(ics, "REFRESH-INTERVAL;VALUE=DURATION:PT1H"));
  CHECK(has_line(ics, "X-PUBLISHED-TTL:PT1H"));
  CHECK(ics.ends_with("END:VCALENDAR\r\n"));
}

TEST_CASE("write_ics leaves out the optional calendar properties that are not set") {
  CalendarFile cal;
  std::string ics = write_ics(cal);
  CHECK(ics.find("NAME") == std::string::npos);
  CHECK_FALSE(has_line(ics, "X-WR-TIMEZONE:"));
  CHECK(ics.find("REFRESH-INTERVAL") == std::string::npos);
  CHECK(ics.find("X-PUBLISHED-TTL") == std::string::npos);
  CHECK(ics.find("X-WR-CALDESC") == std::string::npos);
  CHECK(ics.find("BEGIN:VTIMEZONE") == std::string::npos);
}

TEST_CASE("write_ics refuses a zone the tz database does not know, naming it") {
  CalendarFile cal;
  cal.events.push_back(timed("u", "Asia/Peking", 2026_y / 3 / 1, 9, 1));
  CHECK_THROWS_WITH_AS(write_ics(cal), doctest::Contains("\"Asia/Peking\""), UnknownZoneError);
}

TEST_CASE("A timed event keeps its TZID and is not written floating") {
  std::string ics = write_ics(sample_calendar());
  CHECK(has_line(ics, "DTSTART;TZID=Asia/Shanghai:20260224T090000"));
  CHECK(has_line(ics, "DTEND;TZID=Asia/Shanghai:20260224T110000"));
  CHECK(has_line(ics, "DTSTART;TZID=Europe/Berlin:20260701T100000"));
  CHECK(has_line(ics, "DTSTAMP:20260105T080000Z"));
  CHECK(has_line(ics, "LAST-MODIFIED:20260104T030000Z"));
  CHECK(ics.find("freeassociation") == std::string::npos);
  CHECK(ics.find("DTSTART:20260224T090000") == std::string::npos);
}

TEST_CASE("Asia/Shanghai gets one clean STANDARD observance from 1970") {
  std::string ics = write_ics(sample_calendar());
  std::string vtz = vtimezone_of(ics, "Asia/Shanghai");
  REQUIRE_FALSE(vtz.empty());
  CHECK(count_of(vtz, "BEGIN:STANDARD") == 1);
  CHECK(count_of(vtz, "BEGIN:DAYLIGHT") == 0);
  CHECK(vtz.find("DTSTART:19700101T000000\nTZOFFSETFROM:+0800\nTZOFFSETTO:+0800\n") !=
        std::string::npos);
  CHECK(vtz.find("LMT") == std::string::npos);
  CHECK(count_of(ics, "BEGIN:VTIMEZONE") == 2); // Shanghai and Berlin, nothing else
}

TEST_CASE("Europe/Berlin gets the 2026 daylight saving transitions") {
  std::string ics = write_ics(sample_calendar());
  std::string vtz = vtimezone_of(ics, "Europe/Berlin");
  REQUIRE_FALSE(vtz.empty());
  CHECK(vtz.find("BEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\n"
                 "TZOFFSETTO:+0100\nTZNAME:CET\n") != std::string::npos);
  CHECK(vtz.find("BEGIN:DAYLIGHT\nDTSTART:20260329T020000\nTZOFFSETFROM:+0100\n"
                 "TZOFFSETTO:+0200\nTZNAME:CEST\n") != std::string::npos);
  CHECK(vtz.find("BEGIN:STANDARD\nDTSTART:20261025T030000\nTZOFFSETFROM:+0200\n"
                 "TZOFFSETTO:+0100\nTZNAME:CET\n") != std::string::npos);
  CHECK(count_of(vtz, "BEGIN:DAYLIGHT") == 1);
  CHECK(count_of(vtz, "BEGIN:STANDARD") == 2);
}

TEST_CASE("A VTIMEZONE covers every year its events span") {
  CalendarFile cal;
  cal.name = "two years";
  cal.events.push_back(timed("a", "America/New_York", 2026_y / 12 / 31, 23, 2));
  cal.events.push_back(timed("b", "America/New_York", 2028_y / 6 / 1, 9, 1));
  std::string vtz = vtimezone_of(write_ics(cal), "America/New_York");
  CHECK(vtz.find("DTSTART:20260308T020000") != std::string::npos);
  CHECK(vtz.find("DTSTART:20271107T020000") != std::string::npos);
  CHECK(vtz.find("DTSTART:20281105T020000") != std::string::npos);
  CHECK(count_of(vtz, "BEGIN:DAYLIGHT") == 3);
}

TEST_CASE("An all-day event is written as dates with an exclusive DTEND") {
  std::string ics = write_ics(sample_calendar());
  CHECK(has_line(ics, "DTSTART;VALUE=DATE:20260215"));
  CHECK(has_line(ics, "DTEND;VALUE=DATE:20260224"));
  CHECK(has_line(ics, "DTSTART;VALUE=DATE:20260506"));
  CHECK(has_line(ics, "DTEND;VALUE=DATE:20260507"));
  CHECK(has_line(ics, "TRANSP:TRANSPARENT"));
  CHECK(has_line(ics, "TRANSP:OPAQUE"));
}

TEST_CASE("Each alarm is a DISPLAY VALARM with a description and a relative "
          "trigger") {
  std::string ics = write_ics(sample_calendar());
  std::string all = unfolded(ics);
  CHECK(all.find("DESCRIPTION:党员大会，选举支委；第一次\nTRIGGER:-P7D\n") != std::string::npos);
  CHECK(all.find("DESCRIPTION:明天开会\nTRIGGER:-P1D\n") != std::string::npos);
  CHECK(all.find("TRIGGER:-PT2H\n") != std::string::npos);
  CHECK(count_of(all, "BEGIN:VALARM\nACTION:DISPLAY\nDESCRIPTION:") == 5);
  CHECK(all.find("P1W") == std::string::npos);
}

TEST_CASE("a trigger across a DST change is written in hours, so every client fires alike") {
  CalendarFile cal;
  // Europe/Berlin springs forward on Sunday 2026-03-29: Friday 10:00 is 71 hours before
  // Monday 10:00, which -P3D would read as 72 in some clients and as 71 in others.
  Event spring = timed("spring@xun", "Europe/Berlin", 2026_y / 3 / 30, 10, 1);
  spring.alarms = {{71 * 60, ""}, {2 * 1440 + 15 * 60, ""}, {120, ""}};
  Event winter = timed("winter@xun", "Europe/Berlin", 2026_y / 1 / 20, 10, 1);
  winter.alarms = {{2 * 1440 + 15 * 60, ""}};
  Event day = all_day("day@xun", date::sys_days{2026_y / 3 / 30}, 1);
  day.alarms = {{2 * 1440 + 15 * 60, ""}};
  cal.events = {spring, winter, day};
  const std::string all = unfolded(write_ics(cal));
  CHECK(all.find("TRIGGER:-PT71H\n") != std::string::npos);
  CHECK(all.find("TRIGGER:-PT63H\n") != std::string::npos);
  // Within one offset (2h before, the winter event, an all-day date) days are safe.
  CHECK(all.find("TRIGGER:-PT2H\n") != std::string::npos);
  CHECK(count_of(all, "TRIGGER:-P2DT15H\n") == 2);
  const auto back = read_ics(write_ics(cal));
  REQUIRE(std::holds_alternative<IcsReadResult>(back));
  CHECK(std::get<IcsReadResult>(back).calendar.events[0].alarms == spring.alarms);
}

TEST_CASE("Text values escape commas, semicolons, backslashes and newlines") {
  CalendarFile cal;
  cal.name = "a,b;c\\d\ne";
  cal.description = "x,y";
  Event e = timed("u", "Asia/Shanghai", 2026_y / 3 / 1, 9, 1);
  e.title = "a,b;c";
  e.categories = {"x,y", "z;w"};
  cal.events.push_back(e);
  std::string ics = write_ics(cal);
  CHECK(has_line(ics, "X-WR-CALNAME:a\\,b\\;c\\\\d\\ne"));
  CHECK(has_line(ics, "NAME:a\\,b\\;c\\\\d\\ne"));
  CHECK(has_line(ics, "X-WR-CALDESC:x\\,y"));
  CHECK(has_line(ics, "SUMMARY:a\\,b\\;c"));
  CHECK(has_line(ics, "CATEGORIES:x\\,y,z\\;w"));
}

TEST_CASE("The same calendar gives the same bytes, CRLF lines folded at 75 octets") {
  CalendarFile cal = sample_calendar();
  cal.events[0].description = std::string(300, 'x') + "长长的说明文字，" +
                              "多字节字符不能被切开。" + std::string(7, 'y') +
                              "再来一些汉字让折行落在字符中间的位置上";
  cal.events[0].title = "标题" + std::string(71, 'z') + "标题标题";
  std::string first = write_ics(cal);
  CHECK(first == write_ics(cal));
  CHECK(count_of(first, "\n") == count_of(first, "\r\n"));
  bool folded = false;
  for (const auto &line : lines_of(first)) {
    INFO(line);
    CHECK(line.size() <= 75);
    REQUIRE_FALSE(line.empty());
    // A fold never leaves a UTF-8 continuation byte at a line's start.
    std::size_t body = line[0] == ' ' ? 1 : 0;
    folded = folded || body == 1;
    if (body < line.size())
      CHECK((static_cast<unsigned char>(line[body]) & 0xC0) != 0x80);
    // ... nor an unfinished sequence at its end.
    std::size_t lead = line.size();
    while (lead > 0 && (static_cast<unsigned char>(line[lead - 1]) & 0xC0) == 0x80)
      --lead;
    if (lead > 0 && static_cast<unsigned char>(line[lead - 1]) >= 0xC0) {
      unsigned char c = static_cast<unsigned char>(line[lead - 1]);
      std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      CHECK(line.size() - (lead - 1) == need);
    }
  }
  CHECK(folded);
  CHECK(std::get<IcsReadResult>(read_ics(first)).calendar.events[0] == cal.events[0]);
}

TEST_CASE("Writing then reading gives back equal events and calendar properties") {
  CalendarFile cal = sample_calendar();
  Event utc = timed("utc@xun", "UTC", 2026_y / 4 / 1, 6, 1);
  Event floating = timed("floating@xun", "", 2026_y / 4 / 2, 8, 1);
  Event overnight = timed("overnight@xun", "Europe/Berlin", 2026_y / 3 / 28, 23, 5);
  Event multi_day = all_day("multi@xun", date::sys_days{2026_y / 9 / 30}, 8);
  multi_day.title = "国庆，中秋; 假期\n第二行";
  multi_day.description = "含逗号, 分号; 反斜杠\\ 和换行\n结束";
  multi_day.location = "北京, 天安门";
  multi_day.categories = {"假期", "a,b", "c;d", "e\\f"};
  multi_day.alarms = {{0, ""}, {-30, "after start"}, {1500, "一天零一小时"}};
  multi_day.sequence = 7;
  cal.events.insert(cal.events.end(), {utc, floating, overnight, multi_day});

  IcsReadResult back = read_ok(write_ics(cal));
  CHECK(back.warnings.empty());
  CHECK(back.calendar.name == cal.name);
  CHECK(back.calendar.description == cal.description);
  CHECK(back.calendar.zone == cal.zone);
  CHECK(back.calendar.refresh_minutes == cal.refresh_minutes);
  CHECK(back.calendar.dtstamp == cal.dtstamp);
  REQUIRE(back.calendar.events.size() == cal.events.size());
  for (std::size_t i = 0; i < cal.events.size(); ++i) {
    INFO(cal.events[i].uid);
    CHECK(back.calendar.events[i] == cal.events[i]);
  }
}

TEST_CASE("A name with commas and newlines survives the X-WR-CALNAME round trip") {
  CalendarFile cal;
  cal.name = "支部, 计划; 2026\n第二行 \\ 结束";
  cal.description = "说明, 说明";
  CHECK(read_ok(write_ics(cal)).calendar.name == cal.name);
  CHECK(read_ok(write_ics(cal)).calendar.description == cal.description);
}

TEST_CASE("read_ics reads zones: TZID, libical's prefixed TZID, UTC and floating") {
  auto r = read_ok(
      calendar_text("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Europe/Berlin:20260301T090000\r\n"
                    "DTEND;TZID=Europe/Berlin:20260301T100000\r\nEND:VEVENT\r\n"
                    "BEGIN:VEVENT\r\nUID:b\r\n"
                    "DTSTART;TZID=/freeassociation.sourceforge.net/Asia/"
                    "Shanghai:20260301T090000\r\n"
                    "DURATION:PT90M\r\nEND:VEVENT\r\n"
                    "BEGIN:VEVENT\r\nUID:c\r\nDTSTART:20260301T010000Z\r\nDTEND:"
                    "20260301T020000Z\r\nEND:VEVENT\r\n"
                    "BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20260301T090000\r\nEND:VEVENT\r\n"));
  auto &events = r.calendar.events;
  REQUIRE(events.size() == 4);
  CHECK(events[0].zone == "Europe/Berlin");
  CHECK(events[0].start == at(2026_y / 3 / 1, 9));
  CHECK(events[1].zone == "Asia/Shanghai");
  CHECK(events[1].end == at(2026_y / 3 / 1, 10, 30));
  CHECK(events[2].zone == "UTC");
  CHECK(events[2].start == at(2026_y / 3 / 1, 1));
  CHECK(events[3].zone.empty());
  CHECK(events[3].end == events[3].start);
}

TEST_CASE("read_ics takes DTEND in another zone as the same instant in "
          "DTSTART's zone") {
  auto r = read_ok(
      calendar_text("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Asia/Shanghai:20260301T090000\r\n"
                    "DTEND:20260301T030000Z\r\nEND:VEVENT\r\n"));
  CHECK(r.calendar.events.at(0).end == at(2026_y / 3 / 1, 11));
}

TEST_CASE("read_ics reads an alarm relative to the end and warns about an "
          "absolute one") {
  auto r = read_ok(
      calendar_text("BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:x\r\nDTSTART;VALUE=DATE:20260301\r\n"
                    "DTEND;VALUE=DATE:20260302\r\n"
                    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER;RELATED=END:-"
                    "PT1H\r\nEND:VALARM\r\n"
                    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:y\r\n"
                    "TRIGGER;VALUE=DATE-TIME:20260228T090000Z\r\nEND:VALARM\r\n"
                    "END:VEVENT\r\n"));
  const Event &e = r.calendar.events.at(0);
  REQUIRE(e.alarms.size() == 1);
  CHECK(e.alarms[0].minutes_before == -1380); // 1h before a one-day event's end
  CHECK(e.alarms[0].description.empty());     // the title, written back as "no text
                                              // of its own"
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("absolute TRIGGER") != std::string::npos);
}

TEST_CASE("A calendar without PRODID or VERSION is read with warnings") {
  auto r = read_ok("BEGIN:VCALENDAR\r\nX-WR-CALNAME:n\r\nBEGIN:VEVENT\r\nUID:a\r\n"
                   "DTSTART;VALUE=DATE:20260301\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
  CHECK(r.calendar.name == "n");
  REQUIRE(r.warnings.size() == 2);
  CHECK(r.warnings[0].find("PRODID") != std::string::npos);
  CHECK(r.warnings[1].find("VERSION") != std::string::npos);
  CHECK(r.calendar.events.at(0).end_day == date::sys_days{2026_y / 3 / 2});
}

TEST_CASE("read_ics accepts LF line ends, folded lines and the NAME property") {
  auto r = read_ok("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nNAME:名\n "
                   "字\nBEGIN:VEVENT\nUID:a\n"
                   "SUMMARY:长\n  "
                   "标题\nDTSTART;VALUE=DATE:20260301\nEND:VEVENT\nEND:VCALENDAR\n");
  CHECK(r.calendar.name == "名字");
  CHECK(r.calendar.events.at(0).title == "长 标题");
}

TEST_CASE("Malformed text is a TextError that names the line") {
  CHECK(read_error("").find("line 1: the text is empty") == 0);
  CHECK(read_error("hello world\r\n").find("line 1: found \"hello world\"") == 0);
  CHECK(read_error("BEGIN:VEVENT\r\nEND:VEVENT\r\n").find("line 1: found BEGIN:VEVENT") == 0);
  CHECK(read_error(calendar_text("BEGIN:VEVENT\r\nUID:a\r\nSUMMARY\r\nEND:VEVENT\r\n"))
            .find("line 6: found \"SUMMARY\"") == 0);
  CHECK(read_error(calendar_text("BEGIN:VEVENT\r\nUID:a\r\n"))
            .find("line 6: END:VCALENDAR where END:VEVENT was expected "
                  "(BEGIN:VEVENT is on "
                  "line 4)") == 0);
  CHECK(read_error("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
            .find("line 2: BEGIN:VCALENDAR of line 1 is never closed") == 0);
  CHECK(read_error(calendar_text("") + "X:1\r\n").find("line 5: found \"X:1\" after END") == 0);
  CHECK(read_error(calendar_text("SUMMARY;LANGUAGE=zh\r\n"))
            .find("line 4: property SUMMARY has parameters but no ':'") == 0);
}

TEST_CASE("An event with a bad or missing DTSTART is a TextError at that line") {
  std::string bad =
      read_error(calendar_text("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:tomorrow\r\nEND:VEVENT\r\n"));
  CHECK(bad.find("line 6: DTSTART value \"tomorrow\" is not a date or date-time") == 0);
  std::string impossible =
      read_error(calendar_text("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:"
                               "20260301T090000\r\n\r\nDTEND:20260230T100000\r\n"
                               "END:VEVENT\r\n"));
  CHECK(impossible.find("line 8: DTEND \"20260230T100000\" is not a valid date-time") == 0);
  std::string missing =
      read_error(calendar_text("BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:x\r\nEND:VEVENT\r\n"));
  CHECK(missing.find("line 4: the event \"a\" has no DTSTART") == 0);
}

TEST_CASE("The holiday-cn calendar reads with a PRODID warning and all its events") {
  auto path = source_dir() / "tests/data/holiday-cn.ics";
  REQUIRE(std::filesystem::is_regular_file(path));
  auto r = read_ok(xun::testing::read_file(path));
  CHECK(r.calendar.name == "中国法定节假日");
  CHECK(r.calendar.events.size() == 62);
  bool prodid_warned = false;
  for (const auto &w : r.warnings)
    prodid_warned = prodid_warned || w.find("PRODID") != std::string::npos;
  CHECK(prodid_warned);

  HolidaySet set = holiday_set_from_events("cn-ics", r.calendar.events);
  CHECK(set.name() == "cn-ics");
  CHECK(set.covers(2026));
  CHECK_FALSE(set.covers(2030));
  for (Date d = date::sys_days{2026_y / 2 / 15}; d <= date::sys_days{2026_y / 2 / 23};
       d += date::days{1}) {
    INFO(format_iso_date(d));
    CHECK(set.is_day_off(d));
    CHECK(set.find(d)->name == "春节");
  }
  CHECK(set.is_makeup_workday(date::sys_days{2026_y / 2 / 14}));
  CHECK(set.is_makeup_workday(date::sys_days{2026_y / 2 / 28}));
  CHECK(set.find(date::sys_days{2026_y / 2 / 28})->name == "春节");
  CHECK_FALSE(set.is_day_off(date::sys_days{2026_y / 2 / 24}));
  CHECK_FALSE(set.is_day_off(date::sys_days{2026_y / 2 / 14}));
}

TEST_CASE("holiday_set_from_events marks 补班 days as working and covers event "
          "years only") {
  Event off = all_day("o", date::sys_days{2027_y / 10 / 1}, 3);
  off.title = "国庆节假期";
  Event work = all_day("w", date::sys_days{2027_y / 10 / 2}, 1);
  work.title = "补班";
  HolidaySet set = holiday_set_from_events("t", {off, work});
  CHECK(set.is_day_off(date::sys_days{2027_y / 10 / 1}));
  CHECK(set.is_makeup_workday(date::sys_days{2027_y / 10 / 2}));
  CHECK(set.is_day_off(date::sys_days{2027_y / 10 / 3}));
  CHECK_FALSE(set.is_day_off(date::sys_days{2027_y / 10 / 4}));
  CHECK(set.covered_years() == std::set<int>{2027});
}

TEST_CASE("python-icalendar, vobject and ical.js accept the sample calendar") {
  CalendarFile cal = sample_calendar();
  require_checkers_accept(write_ics(cal), "sample.ics", cal.events.size());
}

TEST_CASE("The outside checkers accept 500 events in Shanghai and Berlin, "
          "timed and all-day") {
  CalendarFile cal;
  cal.name = "五百个事件";
  cal.zone = "Asia/Shanghai";
  cal.refresh_minutes = 1440;
  cal.dtstamp = date::sys_days{2026_y / 1 / 1};
  for (int i = 0; i < 500; ++i) {
    date::year_month_day day{date::sys_days{2026_y / 1 / 1} + date::days{i % 365}};
    Event e = i % 5 == 4 ? all_day("e" + std::to_string(i) + "@xun", date::sys_days{day}, 1 + i % 3)
                         : timed("e" + std::to_string(i) + "@xun",
                                 i % 2 ? "Europe/Berlin" : "Asia/Shanghai", day, 8 + i % 10, 1);
    e.title += "，第" + std::to_string(i) + "项; 说明";
    e.categories = {"kind" + std::to_string(i % 4)};
    if (i % 3 == 0)
      e.alarms = {{1440, ""}, {60, "一小时后"}};
    cal.events.push_back(std::move(e));
  }
  std::string ics = write_ics(cal);
  CHECK(read_ok(ics).calendar.events == cal.events);
  require_checkers_accept(ics, "five-hundred.ics", 500);
}

TEST_CASE("Each outside checker rejects garbage, a missing VTIMEZONE and a "
          "missing PRODID") {
  auto commands = checker_commands();
  const TempDir dir("icalendar-test");
  std::string good = write_ics(sample_calendar());
  std::string no_vtimezone = good;
  std::size_t from = no_vtimezone.find("BEGIN:VTIMEZONE");
  std::size_t to = no_vtimezone.rfind("END:VTIMEZONE\r\n");
  REQUIRE(from != std::string::npos);
  no_vtimezone.erase(from, to + 15 - from);
  std::string no_prodid = good;
  no_prodid.erase(no_prodid.find("PRODID:"), no_prodid.find("\r\n", no_prodid.find("PRODID:")) + 2 -
                                                 no_prodid.find("PRODID:"));
  for (const auto &[name, text] :
       std::vector<std::pair<std::string, std::string>>{{"garbage.ics", "garbage\r\nmore\r\n"},
                                                        {"no-vtimezone.ics", no_vtimezone},
                                                        {"no-prodid.ics", no_prodid}}) {
    auto path = dir.write(name, text);
    for (const auto &checker : commands) {
      Run r = run(checker + " " + quoted(path));
      INFO(name << ": " << checker << "\n" << r.out);
      CHECK(r.status != 0);
    }
  }
}

TEST_CASE("ical.js rejects a VTIMEZONE whose offsets disagree with the tz database") {
  auto commands = checker_commands();
  std::string ics = write_ics(sample_calendar());
  std::size_t p = ics.find("TZOFFSETTO:+0200");
  REQUIRE(p != std::string::npos);
  ics.replace(p, 16, "TZOFFSETTO:+0300");
  const TempDir dir("icalendar-test");
  auto path = dir.write("wrong-offset.ics", ics);
  Run r = run(commands.back() + " " + quoted(path));
  INFO(r.out);
  CHECK(r.status != 0);
  CHECK(r.out.find("tz database") != std::string::npos);
}

// Debian 12's libical 3.0.16 predates OSS-Fuzz's fixes: what it is given is
// bounded first, each bound named in the error (docs/LIMITS.md).
TEST_CASE("read_ics bounds what libical reads: line length, components, nesting, rules") {
  CHECK(read_error(calendar_text("X-LONG:" + std::string(300 * 1024, 'a') + "\r\n")) ==
        "line 4: the content line is longer than 262144 bytes, the limit of this reader");
  std::string folded = "X-FOLDED:a\r\n";
  for (int i = 0; i < 3000; ++i)
    folded += " " + std::string(100, 'b') + "\r\n";
  CHECK(read_error(calendar_text(folded)) ==
        "line 4: the content line is longer than 262144 bytes (unfolded), the limit of this "
        "reader");

  std::string deep;
  for (int i = 0; i < 9; ++i)
    deep += "BEGIN:X-C" + std::to_string(i) + "\r\n";
  CHECK(read_error(calendar_text(deep)) ==
        "line 11: BEGIN:X-C7 nests components more than 8 deep, the limit of this reader");

  std::string many;
  for (int i = 0; i < 200001; ++i)
    many += "BEGIN:X-A\r\nEND:X-A\r\n";
  CHECK(read_error(calendar_text(many)) ==
        "line 400002: more than 200000 components (BEGIN lines), the limit of this reader");

  CHECK(read_error(calendar_text("BEGIN:VEVENT\r\nRRULE:FREQ=DAILY;BYMONTHDAY=" +
                                 std::string(1200, '1') + "\r\nEND:VEVENT\r\n")) ==
        "line 5: RRULE is 1222 bytes long; at most 1000 are read");

  CHECK(read_error(std::string(33 << 20, ' ')) ==
        "line 1: the text is 34603008 bytes; this reader takes at most 33554432");
}

// Found by fuzz/ics: libical writes a year after 3000 as 00000000, so such an
// event was read and then written as text that does not read back.
TEST_CASE("read_ics refuses a date after the year 3000, which libical cannot write") {
  const std::string event =
      "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Asia/Shanghai:30010604T090000\r\n"
      "END:VEVENT\r\n";
  CHECK(read_error(calendar_text(event)) ==
        "line 6: DTSTART \"30010604T090000\" is not a valid date-time of the years 1–3000");
  auto last = read_ics(calendar_text("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:30001231\r\n"
                                     "END:VEVENT\r\n"));
  REQUIRE(std::holds_alternative<IcsReadResult>(last));
  const auto written = write_ics(std::get<IcsReadResult>(last).calendar);
  CHECK(written.find("DTSTART;VALUE=DATE:30001231") != std::string::npos);
}
