// The schedule as a table to download (GET /plans/{id}/schedule.csv and
// .xlsx): one row per occurrence in schedule order, Chinese headers
// 日期, 时间, 活动, 地点, 参加人员, 类别.
#pragma once

#include "scheduler/plan.hpp"
#include "scheduler/schedule.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace xun::http {

using ScheduleRow = std::array<std::string, 6>;

ScheduleRow schedule_header();
std::vector<ScheduleRow> schedule_rows(const scheduler::Plan &plan,
                                       const scheduler::Schedule &schedule);
// RFC 4180 with a UTF-8 byte order mark (Excel reads Chinese text right only then).
std::string schedule_csv(const scheduler::Plan &plan, const scheduler::Schedule &schedule);
// An .xlsx workbook (libxlsxwriter), its document dated `created` (Unix seconds).
std::string schedule_xlsx(const scheduler::Plan &plan, const scheduler::Schedule &schedule,
                          std::int64_t created);

} // namespace xun::http
