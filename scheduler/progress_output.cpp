#include "scheduler/progress_output.hpp"

#include "scheduler/points.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <string_view>

namespace xun::scheduler {

namespace {

using Json = nlohmann::ordered_json;

// Whole numbers as integers (10, not 10.0); others with their two decimals.
Json hundredths_json(long hundredths) {
  if (hundredths % 100 == 0)
    return hundredths / 100;
  return static_cast<double>(hundredths) / 100.0;
}

Json activity_json(const ActivityProgress &a) {
  Json j;
  j["activity"] = a.activity;
  j["title"] = a.title;
  j["quota"] = {{"min", a.quota.min}, {"max", a.quota.max}};
  j["planned"] = a.planned;
  j["done"] = a.done;
  j["cancelled"] = a.cancelled;
  j["not_recorded"] = a.not_recorded;
  j["upcoming"] = a.upcoming;
  j["attendance"] = a.attendance ? hundredths_json(*a.attendance) : Json(nullptr);
  j["at_risk"] = a.at_risk;
  j["attendance_not_recorded"] = a.attendance_not_recorded; // an extension: after §6.6's keys
  return j;
}

// Columns line up in a terminal: East Asian wide characters take two cells.
bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6);
}

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t c = n == 1 ? lead : lead & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    width += is_wide(c) ? 2 : 1;
    i += n;
  }
  return width;
}

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s);
  for (std::size_t w = display_width(s); w < width; ++w)
    out += ' ';
  return out;
}

std::string quota_text(const Quota &q) {
  return q.min == q.max ? std::to_string(q.min)
                        : std::to_string(q.min) + "-" + std::to_string(q.max);
}

std::string percent_text(const std::optional<long> &rate) {
  return rate ? std::to_string(*rate) + "%" : "—";
}

std::string format_row(const std::vector<std::string> &cells,
                       const std::vector<std::size_t> &widths) {
  std::string line = " ";
  for (std::size_t i = 0; i < cells.size(); ++i)
    line += " " + (i + 1 < cells.size() ? pad(cells[i], widths[i]) : cells[i]);
  while (!line.empty() && line.back() == ' ')
    line.pop_back();
  return line + "\n";
}

// What an at-risk activity still lacks, in a line.
std::string risk_line(const ActivityProgress &a) {
  const int reachable = a.done + a.upcoming;
  const std::string missing = std::to_string(a.quota.min - reachable);
  return "  ⚠ " + a.activity + "：定额 " + std::to_string(a.quota.min) + " 次，已完成 " +
         std::to_string(a.done) + "、待办 " + std::to_string(a.upcoming) + "，差 " + missing +
         " 次 / quota " + std::to_string(a.quota.min) + ", " + std::to_string(a.done) + " done + " +
         std::to_string(a.upcoming) + " upcoming: " + missing + " short\n";
}

} // namespace

std::string progress_json(const Progress &progress) {
  Json j;
  j["plan"] = progress.plan;
  j["as_of"] = calendar::format_iso_date(progress.as_of);
  auto activities = Json::array();
  for (const auto &a : progress.activities)
    activities.push_back(activity_json(a));
  j["activities"] = std::move(activities);
  auto items = Json::array();
  for (const auto &item : progress.items) {
    Json i;
    i["item"] = item.item;
    i["points"] = hundredths_json(item.points);
    i["earned"] = hundredths_json(item.earned);
    i["why"] = item.why;
    items.push_back(std::move(i));
  }
  j["assessment"] = {{"items", std::move(items)},
                     {"possible", hundredths_json(progress.possible)},
                     {"earned", hundredths_json(progress.earned)}};
  j["warnings"] = progress.warnings;
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string progress_text(const Plan &plan, const Progress &progress) {
  std::ostringstream out;
  out << plan.title << "\n进度 / Progress · 截至 as of "
      << calendar::format_iso_date(progress.as_of) << "\n\n";
  std::vector<const ActivityProgress *> rows;
  for (const auto &a : progress.activities)
    rows.push_back(&a);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto *a, const auto *b) { return a->at_risk && !b->at_risk; });
  std::vector<std::vector<std::string>> table = {
      {"", "活动", "定额", "计划", "完成", "取消", "未记录", "待办", "出勤率", "名称"}};
  for (const auto *a : rows)
    table.push_back({a->at_risk ? "⚠" : "", a->activity, quota_text(a->quota),
                     std::to_string(a->planned), std::to_string(a->done),
                     std::to_string(a->cancelled), std::to_string(a->not_recorded),
                     std::to_string(a->upcoming), percent_text(a->attendance), a->title});
  std::vector<std::size_t> widths(table.front().size(), 0);
  for (const auto &row : table)
    for (std::size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  for (const auto &row : table)
    out << format_row(row, widths);
  const bool any_risk = !rows.empty() && rows.front()->at_risk;
  if (any_risk) {
    out << "\n有风险 / At risk\n";
    for (const auto *a : rows)
      if (a->at_risk)
        out << risk_line(*a);
  }
  if (std::any_of(rows.begin(), rows.end(),
                  [](const auto *a) { return a->attendance_not_recorded; })) {
    out << "\n未记出勤 / Attendance not recorded (held, left out of 出勤率)\n";
    for (const auto *a : rows)
      if (a->attendance_not_recorded)
        out << "  " << a->activity << "：" << a->attendance_not_recorded << " 次 / "
            << a->attendance_not_recorded << " done\n";
  }
  if (!progress.items.empty()) {
    out << "\n考核 / Assessment\n";
    std::vector<std::vector<std::string>> items;
    for (const auto &item : progress.items)
      items.push_back({item.item,
                       item.points > 0 ? points_text(item.earned) + " / " + points_text(item.points)
                                       : points_text(item.earned),
                       item.why});
    std::vector<std::size_t> item_widths(3, 0);
    for (const auto &row : items)
      for (std::size_t i = 0; i < row.size(); ++i)
        item_widths[i] = std::max(item_widths[i], display_width(row[i]));
    for (const auto &row : items)
      out << format_row(row, item_widths);
    out << "合计 / Total: " << points_text(progress.earned) << " / "
        << points_text(progress.possible) << "\n";
  }
  if (!progress.warnings.empty()) {
    out << "\n提示 / Warnings\n";
    for (const auto &w : progress.warnings)
      out << "  - " << w << "\n";
  }
  return out.str();
}

} // namespace xun::scheduler
