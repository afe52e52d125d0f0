#include "http/downloads.hpp"

#include "calendar/dates.hpp"
#include "calendar/time_of_day.hpp"
#include "calendar/zones.hpp"

#include <xlsxwriter.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace xun::http {

namespace {

const std::map<std::string, std::string> &kind_names() {
  static const std::map<std::string, std::string> names = {
      {"meeting", "会议"}, {"inspection", "检查"}, {"study", "学习"},    {"research", "调研"},
      {"dues", "党费"},    {"report", "报告"},     {"deadline", "截止"}, {"other", "其他"}};
  return names;
}

std::string join(const std::vector<std::string> &parts, const std::string &sep) {
  std::string out;
  for (const auto &p : parts)
    out += (out.empty() ? "" : sep) + p;
  return out;
}

int minutes_of_day(calendar::LocalTime t) {
  return static_cast<int>((t - date::floor<date::days>(t)).count());
}

std::string day_range(const scheduler::Occurrence &o) {
  const auto first = calendar::local_date(o.start);
  auto last = calendar::local_date(o.end);
  if (o.all_day || (o.end > o.start && date::floor<date::days>(o.end) == o.end))
    last -= date::days{1}; // an exclusive midnight end belongs to the day before
  last = std::max(first, last);
  const std::string text = calendar::format_iso_date(first);
  return last == first ? text : text + " 至 " + calendar::format_iso_date(last);
}

std::string time_range(const scheduler::Occurrence &o) {
  if (o.all_day)
    return "全天";
  return calendar::format_time_of_day(minutes_of_day(o.start)) + "-" +
         calendar::format_time_of_day(minutes_of_day(o.end));
}

// In the order the plan lists its people (the order people are used to).
std::string people_names(const scheduler::Plan &plan, const scheduler::Activity &a) {
  std::vector<std::string> names;
  for (const auto &p : plan.people)
    if (std::find(a.people.begin(), a.people.end(), p.id) != a.people.end())
      names.push_back(p.name.empty() ? p.id : p.name);
  return join(names, "、");
}

std::string room_name(const scheduler::Plan &plan, const scheduler::Activity &a) {
  if (!a.room)
    return "";
  for (const auto &r : plan.rooms)
    if (r.id == *a.room)
      return r.name.empty() ? r.id : r.name;
  return *a.room;
}

std::string csv_field(const std::string &text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos)
    return text;
  std::string out = "\"";
  for (const char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// libxlsxwriter writes to a file: a private temporary one, read back and removed.
struct TempFile {
  std::string path;
  TempFile() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "xun-schedule-XXXXXX.xlsx").string();
    const int fd = ::mkstemps(pattern.data(), 5);
    if (fd < 0)
      throw std::runtime_error("cannot create a temporary file for the workbook");
    ::close(fd);
    path = pattern;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

} // namespace

ScheduleRow schedule_header() { return {"日期", "时间", "活动", "地点", "参加人员", "类别"}; }

std::vector<ScheduleRow> schedule_rows(const scheduler::Plan &plan,
                                       const scheduler::Schedule &schedule) {
  std::vector<ScheduleRow> rows;
  for (const auto &o : schedule.occurrences) {
    const auto *a = plan.find_activity(o.activity);
    const std::string kind = a ? a->kind : "other";
    const auto named = kind_names().find(kind);
    rows.push_back({day_range(o), time_range(o), a ? a->title : o.activity,
                    a ? room_name(plan, *a) : "", a ? people_names(plan, *a) : "",
                    named == kind_names().end() ? kind : named->second});
  }
  return rows;
}

std::string schedule_csv(const scheduler::Plan &plan, const scheduler::Schedule &schedule) {
  std::string out = "\xEF\xBB\xBF";
  auto rows = schedule_rows(plan, schedule);
  rows.insert(rows.begin(), schedule_header());
  for (const auto &row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i)
      out += (i ? "," : "") + csv_field(row[i]);
    out += "\r\n";
  }
  return out;
}

std::string schedule_xlsx(const scheduler::Plan &plan, const scheduler::Schedule &schedule,
                          std::int64_t created) {
  TempFile file;
  lxw_workbook *book = workbook_new(file.path.c_str());
  if (!book)
    throw std::runtime_error("libxlsxwriter cannot start a workbook");
  lxw_doc_properties properties{};
  std::string title = plan.title;
  properties.title = title.data();
  properties.created = static_cast<time_t>(created);
  workbook_set_properties(book, &properties);
  lxw_worksheet *sheet = workbook_add_worksheet(book, "日程");
  lxw_format *bold = workbook_add_format(book);
  format_set_bold(bold);
  const auto header = schedule_header();
  for (std::size_t c = 0; c < header.size(); ++c)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold);
  const auto rows = schedule_rows(plan, schedule);
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      worksheet_write_string(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                             rows[r][c].c_str(), nullptr);
  const double widths[] = {24, 13, 36, 16, 36, 8};
  for (lxw_col_t c = 0; c < 6; ++c)
    worksheet_set_column(sheet, c, c, widths[c], nullptr);
  worksheet_freeze_panes(sheet, 1, 0);
  if (workbook_close(book) != LXW_NO_ERROR)
    throw std::runtime_error("libxlsxwriter could not write the workbook");
  std::ifstream in(file.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

} // namespace xun::http
