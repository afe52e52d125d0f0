// The words of the pages, Chinese by default and English on request
// (Accept-Language: en, or ?lang=en): one small table, and the few phrases
// that put numbers and dates in each language's order.
#pragma once

#include "calendar/dates.hpp"

#include <optional>
#include <string>

namespace xun::http {

enum class Lang { zh, en };

// ?lang=zh|en wins; else the first of zh/en in Accept-Language by q-value;
// else Chinese.
Lang page_language(const std::string &accept_language, const std::optional<std::string> &param);

struct Words {
  const char *html_lang;
  // header and banners
  const char *plan, *revision_before, *revision_after, *occurrences_after, *subscribe,
      *webcal_label, *feed_hidden, *latest_invalid, *latest_draft, *shown_revision, *warnings,
      *nothing_scheduled, *all_plans, *schedule_json, *switch_language, *switch_label;
  // legend
  const char *legend, *day_off, *makeup_day, *weekend, *today, *mark_done, *mark_cancelled,
      *mark_not_recorded, *mark_moved;
  const char *kind_meeting, *kind_inspection, *kind_study, *kind_research, *kind_dues, *kind_report,
      *kind_deadline, *kind_other;
  // an occurrence
  const char *all_day, *to, *room, *attendees, *note, *record_this, *nothing_this_month,
      *closed_tag, *opened_tag, *holiday_tag, *makeup_tag, *people_more;
  // the year as a document, and printing it
  const char *document_link, *print_plan;
  // who may read the plan (the admin's view)
  const char *sharing, *sharing_help, *make_public, *make_private, *new_read_link,
      *revoke_read_link, *copy;
  // the living year
  const char *moves, *moves_none, *progress, *as_of, *points, *at_risk, *records_missing, *on_track,
      *done_of, *cancelled, *not_recorded, *upcoming, *attendance, *required, *no_attendance, *item,
      *earned, *why;
  // the record form
  const char *record, *record_help, *occurrence, *status, *status_done, *status_cancelled,
      *status_moved, *status_clear, *who_came, *present, *on_leave, *absent, *new_start, *new_end,
      *note_field, *token, *token_help, *save, *reload;
  // index
  const char *plans_heading, *no_plans, *status_ok, *status_draft, *status_invalid;
};

const Words &words(Lang lang);

std::string month_heading(Lang lang, int year, unsigned month); // 2026年1月 / January 2026
std::string weekday_short(Lang lang, unsigned weekday);         // 周一 / Mon (0 = Sunday)
std::string day_label(Lang lang, calendar::Date d); // 2月24日（周二） / Tue 24 Feb
std::string long_date(Lang lang, calendar::Date d); // 2026年6月30日 / 30 June 2026

} // namespace xun::http
