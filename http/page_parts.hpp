// The parts of the plan page (page.cpp puts them together): what each part
// needs to know, and how one occurrence stands (done, cancelled, …).
#pragma once

#include "http/page.hpp"

#include <map>
#include <ostream>
#include <string>

namespace xun::http::page {

struct Context {
  const PageInput &in;
  const Words &w;
  const scheduler::Plan &plan;
  const scheduler::Schedule &schedule;
  std::map<std::string, const scheduler::ResolvedRecord *> records; // by UID
  calendar::LocalTime now{};
  calendar::Date today{};
};

// What the page says of one occurrence, from its record and the clock.
struct Standing {
  enum class Kind { upcoming, done, cancelled, moved, not_recorded };
  Kind kind = Kind::upcoming;
  bool past = false;                               // ended before today
  std::optional<std::pair<long, long>> attendance; // present, expected
  const scheduler::ResolvedRecord *record = nullptr;
};
Standing standing_of(const Context &c, const scheduler::Occurrence &o, bool cancelled);

// page_style.cpp
std::string head(const std::string &title, const Words &w);
// page_month.cpp: the year, month by month, and the legend
void write_legend(std::ostream &out, const Context &c);
void write_year(std::ostream &out, const Context &c);
std::string time_range(const Context &c,
                       const scheduler::Occurrence &o); // 2月24日（周二）09:00–11:00
std::string title_of(const Context &c, const scheduler::Occurrence &o);
std::string room_name(const Context &c, const scheduler::Activity &a); // its name, else its id
// page_sharing.cpp: the admin's panel of who may read the plan
void write_sharing(std::ostream &out, const PageInput &in, const Words &w);
// page_document.cpp: the year as the plan's own document (print)
void write_document(std::ostream &out, const Context &c);
// page_living.cpp: the last re-plan's moves, the progress panel, the record form
void write_moves(std::ostream &out, const Context &c);
void write_progress(std::ostream &out, const Context &c);
void write_record_form(std::ostream &out, const Context &c);

std::string replace_n(std::string text, long n); // "{n}" → n

} // namespace xun::http::page
