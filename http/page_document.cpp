// The year as the plan's own document, for paper: by quarter (第一季度) and
// month (三月份), items numbered within each quarter as work plans number
// them ("1、2月24日（周二）上午9:00 党员大会"), no ids. The screen shows it
// at #document; print shows nothing else (page_style.cpp).
#include "http/page_parts.hpp"

#include "calendar/date_words.hpp"

#include <date/date.h>

#include <algorithm>
#include <array>
#include <vector>

namespace xun::http::page {

namespace {

struct Item {
  const scheduler::Occurrence *occurrence;
  bool cancelled;
};

std::vector<Item> items_of(const scheduler::Schedule &schedule) {
  std::vector<Item> items;
  for (const auto &o : schedule.occurrences)
    items.push_back({&o, false});
  for (const auto &o : schedule.cancelled)
    items.push_back({&o, true});
  // By start; equal starts keep the schedule's order, so they print the same
  // way every time.
  std::stable_sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
    return a.occurrence->start < b.occurrence->start;
  });
  return items;
}

constexpr std::array<const char *, 12> chinese_months = {
    "一月份", "二月份", "三月份", "四月份", "五月份",   "六月份",
    "七月份", "八月份", "九月份", "十月份", "十一月份", "十二月份"};
constexpr std::array<const char *, 4> chinese_quarters = {"第一季度", "第二季度", "第三季度",
                                                          "第四季度"};
constexpr std::array<const char *, 4> english_quarters = {"First quarter", "Second quarter",
                                                          "Third quarter", "Fourth quarter"};

int minutes_of(calendar::LocalTime t) {
  return static_cast<int>(
      std::chrono::duration_cast<std::chrono::minutes>(t - date::floor<date::days>(t)).count());
}

calendar::Date last_day(const scheduler::Occurrence &o) {
  calendar::Date last = calendar::local_date(o.end);
  // An end at midnight belongs to the day before (always so for all-day).
  if (o.end > o.start && date::floor<date::days>(o.end) == o.end)
    last -= date::days{1};
  return std::max(last, calendar::local_date(o.start));
}

// "2月24日（周二）上午9:00", "5月6日（周三）", "5月6日（周三）至8日（周五）";
// "Tue 24 Feb 09:00", "Wed 6 May to Fri 8 May".
std::string when_text(const Context &c, const scheduler::Occurrence &o) {
  const calendar::Date first = calendar::local_date(o.start), last = last_day(o);
  if (c.in.lang == Lang::en) {
    std::string text = day_label(Lang::en, first);
    if (!o.all_day)
      text += " " + date::format("%R", o.start);
    if (last > first)
      text += std::string(" ") + c.w.to + " " + day_label(Lang::en, last);
    return text;
  }
  std::string text = calendar::chinese_day(first);
  if (!o.all_day)
    text += calendar::chinese_time_of_day(minutes_of(o.start));
  if (last > first)
    text += c.w.to + calendar::chinese_day(last, first);
  return text;
}

void write_item(std::ostream &out, const Context &c, const Item &item, int number) {
  const bool zh = c.in.lang == Lang::zh;
  const auto &o = *item.occurrence;
  const auto *a = c.plan.find_activity(o.activity);
  out << "<li" << (item.cancelled ? " class=\"cancelled\"" : "") << "><span class=\"n\">" << number
      << (zh ? "、" : ". ") << "</span><span class=\"when\">" << html_escape(when_text(c, o))
      << "</span> <span class=\"what\">" << html_escape(title_of(c, o)) << "</span>";
  if (item.cancelled)
    out << "<span class=\"state\">" << (zh ? "（" : " (") << c.w.mark_cancelled << (zh ? "）" : ")")
        << "</span>";
  if (a) {
    const std::string room = room_name(c, *a);
    if (!room.empty())
      out << "<span class=\"where\">" << (zh ? "，" : ", ") << c.w.room << html_escape(room)
          << "</span>";
  }
  out << "</li>\n";
}

std::string month_name(Lang lang, unsigned month) {
  return lang == Lang::zh ? chinese_months[month - 1]
                          : std::string(calendar::english_month_name(month));
}

// What falls after December (a window reaching into the next year), under
// its own year and months, numbered on.
void write_after_the_year(std::ostream &out, const Context &c, std::vector<Item>::const_iterator it,
                          std::vector<Item>::const_iterator end) {
  if (it == end)
    return;
  out << "<section class=\"quarter\"><h2>"
      << (c.in.lang == Lang::zh ? std::to_string(c.plan.year + 1) + "年"
                                : std::to_string(c.plan.year + 1))
      << "</h2>\n";
  int number = 0;
  while (it != end) {
    const calendar::Date first = calendar::local_date(it->occurrence->start);
    out << "<h3>"
        << html_escape(
               month_heading(c.in.lang, calendar::year_of(first), calendar::month_of(first)))
        << "</h3>\n<ol>\n";
    for (; it != end && calendar::month_of(calendar::local_date(it->occurrence->start)) ==
                            calendar::month_of(first);
         ++it)
      write_item(out, c, *it, ++number);
    out << "</ol>\n";
  }
  out << "</section>\n";
}

} // namespace

void write_document(std::ostream &out, const Context &c) {
  const bool zh = c.in.lang == Lang::zh;
  const auto items = items_of(c.schedule);
  out << "<article class=\"document\" id=\"document\" lang=\"" << c.w.html_lang << "\">\n<h1>"
      << html_escape(c.plan.title) << "</h1>\n";
  // The year under the title, unless the title says it ("… 2026 年工作计划").
  if (c.plan.title.find(std::to_string(c.plan.year)) == std::string::npos)
    out << "<p class=\"doc-year\">"
        << (zh ? std::to_string(c.plan.year) + "年度工作安排"
               : "Work plan for " + std::to_string(c.plan.year))
        << "</p>\n";
  auto next = items.begin();
  for (unsigned quarter = 0; quarter < 4; ++quarter) {
    out << "<section class=\"quarter\"><h2>"
        << (zh ? chinese_quarters[quarter] : english_quarters[quarter]) << "</h2>\n";
    int number = 0;
    for (unsigned month = quarter * 3 + 1; month <= quarter * 3 + 3; ++month) {
      const auto in_month = [&](auto it) {
        return it != items.end() &&
               calendar::month_of(calendar::local_date(it->occurrence->start)) == month &&
               calendar::year_of(calendar::local_date(it->occurrence->start)) == c.plan.year;
      };
      // Anything before January (a fixed date in the year before) is not
      // this year's plan: left out. After December: write_after_the_year.
      while (next != items.end() &&
             calendar::year_of(calendar::local_date(next->occurrence->start)) < c.plan.year)
        ++next;
      if (!in_month(next))
        continue;
      out << "<h3>" << html_escape(month_name(c.in.lang, month)) << "</h3>\n<ol>\n";
      for (; in_month(next); ++next)
        write_item(out, c, *next, ++number);
      out << "</ol>\n";
    }
    if (number == 0)
      out << "<p class=\"none\">" << (zh ? "本季度无安排。" : "Nothing this quarter.") << "</p>\n";
    out << "</section>\n";
  }
  write_after_the_year(out, c, next, items.end());
  out << "</article>\n";
}

} // namespace xun::http::page
