#include "notify/message.hpp"

#include "calendar/date_words.hpp"
#include "notify/text.hpp"

#include <optional>
#include <utility>

namespace xun::notify {

namespace {

constexpr std::size_t max_description_bytes = 300;

struct LocalTime {
  calendar::Date date;
  std::optional<int> minutes; // since midnight; nullopt for a date alone
};

// "2026-02-24", "2026-02-24 09:00", "2026-02-24T09:00:00+08:00" (the local
// part); nullopt for anything else.
std::optional<LocalTime> parse_local(const std::string &text) {
  if (text.size() < 10)
    return std::nullopt;
  const auto date = calendar::parse_iso_date(std::string_view(text).substr(0, 10));
  if (!date)
    return std::nullopt;
  if (text.size() == 10)
    return LocalTime{*date, std::nullopt};
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() < 16 || (text[10] != ' ' && text[10] != 'T') || !digit(11) || !digit(12) ||
      text[13] != ':' || !digit(14) || !digit(15))
    return std::nullopt;
  const int hours = (text[11] - '0') * 10 + (text[12] - '0');
  const int minutes = (text[14] - '0') * 10 + (text[15] - '0');
  if (hours > 23 || minutes > 59)
    return std::nullopt;
  return LocalTime{*date, hours * 60 + minutes};
}

using calendar::chinese_day;
using calendar::hour_minute;

std::string moment_text(const LocalTime &t) {
  return chinese_day(t.date) + calendar::chinese_time_of_day(*t.minutes);
}

std::string all_day_text(const LocalTime &start, const std::optional<LocalTime> &end) {
  const bool several_days = end && end->date > start.date + date::days{1};
  if (!several_days)
    return chinese_day(start.date) + "全天";
  const auto last = end->date - date::days{1};
  return chinese_day(start.date) + "至" + chinese_day(last, start.date) + "全天";
}

std::string timed_text(const LocalTime &start, const std::optional<LocalTime> &end) {
  if (!end || !end->minutes)
    return moment_text(start);
  if (end->date == start.date)
    return moment_text(start) + "–" + hour_minute(*end->minutes);
  return moment_text(start) + " 至 " + moment_text(*end);
}

// The start alone: "2月24日（周二）上午9:00", "5月6日（周三）".
std::string start_text(const OccurrenceView &o) {
  const auto start = parse_local(o.start_text);
  if (!start)
    return o.start_text;
  return start->minutes && !o.all_day ? moment_text(*start) : chinese_day(start->date);
}

std::string names_of(const std::vector<Person> &people) {
  std::string names;
  for (const auto &person : people)
    names += (names.empty() ? "" : "、") + person.name;
  return names;
}

// The lines every occurrence message ends with: where, who, what, whose, link.
std::string detail_lines(const OccurrenceView &o, const std::string &room_line) {
  std::string text;
  if (!room_line.empty())
    text += "地点：" + room_line + "\n";
  if (!o.attendees.empty())
    text += "参加：" + names_of(o.attendees) + "\n";
  if (!o.description.empty())
    text += "说明：" + truncate_utf8(o.description, max_description_bytes) + "\n";
  if (!o.plan_title.empty())
    text += "计划：" + o.plan_title + "\n";
  if (!o.link.empty())
    text += "详情：" + o.link + "\n";
  return text;
}

Message occurrence_message(const OccurrenceView &o, std::string key, std::string kind,
                           std::string subject, std::string text) {
  Message m;
  m.key = std::move(key);
  m.kind = std::move(kind);
  m.subject = std::move(subject);
  m.text = std::move(text);
  m.attendees = o.attendees;
  return m;
}

std::string room_change(const std::string &before, const std::string &after) {
  if (before == after)
    return after;
  if (before.empty())
    return after;
  if (after.empty())
    return before + " → （未定）";
  return before + " → " + after;
}

} // namespace

std::string when_text(const OccurrenceView &o) {
  const auto start = parse_local(o.start_text);
  if (!start)
    return o.start_text;
  const auto end = o.end_text.empty() ? std::nullopt : parse_local(o.end_text);
  if (o.all_day || !start->minutes)
    return all_day_text(*start, end);
  return timed_text(*start, end);
}

Message reminder_message(const OccurrenceView &o, std::string key) {
  const auto when = when_text(o);
  return occurrence_message(o, std::move(key), "reminder", "提醒：「" + o.title + "」" + when,
                            "时间：" + when + "\n" + detail_lines(o, o.room));
}

Message change_message(const OccurrenceView &before, const OccurrenceView &after_or_cancelled,
                       bool cancelled, std::string key) {
  if (cancelled)
    return occurrence_message(before, std::move(key), "change",
                              "「" + before.title + "」已取消（原定 " + start_text(before) + "）",
                              "已取消，原定：" + when_text(before) + "\n" +
                                  detail_lines(before, before.room));
  const auto &after = after_or_cancelled;
  return occurrence_message(after, std::move(key), "change",
                            "「" + after.title + "」改期：从 " + start_text(before) + " 改到 " +
                                start_text(after),
                            "原定：" + when_text(before) + "\n改为：" + when_text(after) + "\n" +
                                detail_lines(after, room_change(before.room, after.room)));
}

Message deadline_message(const OccurrenceView &o, std::string key) {
  const std::string what = o.kind == "dues" ? "缴纳日" : "截止日";
  return occurrence_message(o, std::move(key), "deadline",
                            "今天是「" + o.title + "」的" + what + "：" + when_text(o),
                            "时间：" + when_text(o) + "\n" + detail_lines(o, o.room));
}

Message digest_message(const std::string &plan_title, const std::string &day_text,
                       const std::vector<OccurrenceView> &occurrences, std::string key) {
  const auto day = calendar::parse_iso_date(day_text);
  Message m;
  m.key = std::move(key);
  m.kind = "digest";
  m.subject = (plan_title.empty() ? "" : plan_title + "：") + (day ? chinese_day(*day) : day_text) +
              "的提醒（" + std::to_string(occurrences.size()) + " 项）";
  for (const auto &o : occurrences) {
    m.text += "· " + when_text(o) + "「" + o.title + "」";
    if (!o.room.empty())
      m.text += " 地点：" + o.room;
    m.text += "\n";
    if (!o.link.empty())
      m.text += "  详情：" + o.link + "\n";
    for (const auto &person : o.attendees)
      if (std::find(m.attendees.begin(), m.attendees.end(), person) == m.attendees.end())
        m.attendees.push_back(person);
  }
  return m;
}

Message test_message(const ChannelSettings &channel, std::string key) {
  Message m;
  m.key = std::move(key);
  m.kind = "test";
  m.subject = "测试：寻（Xun）通知渠道「" + channel.name + "」";
  if (channel.smtp)
    m.attendees.push_back({channel.name, channel.smtp->from, ""});
  m.text = "这是一条测试消息，收到即说明此渠道可用。\nThis is a test message from Xun: the "
           "channel works.\n";
  return m;
}

} // namespace xun::notify
