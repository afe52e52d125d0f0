#include "http/page_text.hpp"

#include "calendar/date_words.hpp"

#include <cctype>
#include <cstdlib>

namespace xun::http {

namespace {

constexpr Words chinese{
    .html_lang = "zh-CN",
    .plan = "计划",
    .revision_before = "第 ",
    .revision_after = " 版",
    .occurrences_after = " 项安排",
    .subscribe = "订阅：",
    .webcal_label = "日历订阅（苹果、Outlook、Thunderbird）",
    .feed_hidden = "订阅链接只给计划的负责人看：请用 xun serve 启动时给出的链接打开本页，"
                   "或用管理令牌从接口返回的 feeds 中取得。",
    .latest_invalid = "最新的第 {n} 版不是有效的计划，已作为草稿保存。",
    .latest_draft = "最新的第 {n} 版无法排期，已作为草稿保存：",
    .shown_revision = "这里显示的是第 {n} 版。",
    .warnings = "提示",
    .nothing_scheduled = "尚无排期：这个计划还没有能排期的版本。请修正上面的问题后重新提交。",
    .all_plans = "全部计划",
    .schedule_json = "排期 JSON",
    .switch_language = "en",
    .switch_label = "English",
    .legend = "图例",
    .day_off = "休 放假",
    .makeup_day = "班 调休上班",
    .weekend = "周末",
    .today = "今天",
    .mark_done = "✓ 已完成（出席/应到）",
    .mark_cancelled = "已取消",
    .mark_not_recorded = "未记录",
    .mark_moved = "已改期",
    .kind_meeting = "会议",
    .kind_inspection = "检查",
    .kind_study = "学习",
    .kind_research = "调研",
    .kind_dues = "党费",
    .kind_report = "报告",
    .kind_deadline = "截止",
    .kind_other = "其他",
    .all_day = "全天",
    .to = "至",
    .room = "地点：",
    .attendees = "参加：",
    .note = "备注：",
    .record_this = "记录…",
    .nothing_this_month = "本月无安排",
    .closed_tag = "休",
    .opened_tag = "班",
    .holiday_tag = "休",
    .makeup_tag = "补班",
    .people_more = "等 {n} 人",
    .document_link = "计划文本（按季度、月份）",
    .print_plan = "打印计划",
    .sharing = "谁能看到这个计划",
    .sharing_help = "私有的计划只有登录的管理员和持阅读链接的人能看；公开的任何人都能看。"
                    "订阅链接另有自己的密钥，不受影响。",
    .make_public = "设为公开",
    .make_private = "设为私有",
    .new_read_link = "生成阅读链接（旧链接作废）",
    .revoke_read_link = "撤销阅读链接",
    .copy = "复制",
    .moves = "上次调整",
    .moves_none = "上次修改没有移动任何已排的活动。",
    .progress = "进度",
    .as_of = "截至 ",
    .points = "考核得分",
    .at_risk = "可能完不成",
    .records_missing = "待补记录",
    .on_track = "按计划进行的 {n} 项",
    .done_of = "已完成",
    .cancelled = "已取消",
    .not_recorded = "未记录",
    .upcoming = "待开展",
    .attendance = "出勤率",
    .required = "要求 ≥ ",
    .no_attendance = "未记出勤",
    .item = "考核项目",
    .earned = "得分",
    .why = "说明",
    .record = "记录活动情况",
    .record_help = "选一项活动，说明它开了、取消了还是改期了；保存后整个计划按记录重新安排。",
    .occurrence = "活动",
    .status = "情况",
    .status_done = "已开",
    .status_cancelled = "取消",
    .status_moved = "改期",
    .status_clear = "撤销记录",
    .who_came = "出席情况",
    .present = "出席",
    .on_leave = "请假",
    .absent = "缺席",
    .new_start = "新的开始时间",
    .new_end = "新的结束时间（可不填）",
    .note_field = "备注",
    .token = "管理令牌",
    .token_help = "只保存在本标签页（sessionStorage），关闭即忘。",
    .save = "保存记录",
    .reload = "刷新页面",
    .plans_heading = "Xun 旬 — 全部计划",
    .no_plans = "还没有计划。用 POST /api/plans 提交一个（见 docs/API.md），"
                "或用 --demo 启动服务。",
    .status_ok = "正常",
    .status_draft = "草稿（无法排期）",
    .status_invalid = "无效",
};

constexpr Words english{
    .html_lang = "en",
    .plan = "plan",
    .revision_before = "revision ",
    .revision_after = "",
    .occurrences_after = " occurrences",
    .subscribe = "Subscribe:",
    .webcal_label = "webcal (Apple, Outlook, Thunderbird)",
    .feed_hidden = "Subscribe links are shown to the plan's owner only: open this page through "
                   "the link xun serve prints, or take them from feeds in the API's answer "
                   "(with the admin token).",
    .latest_invalid = "The latest revision ({n}) is not a valid plan and is kept as a draft.",
    .latest_draft = "The latest revision ({n}) cannot be scheduled and is kept as a draft: ",
    .shown_revision = "Shown here: revision {n}.",
    .warnings = "Warnings",
    .nothing_scheduled = "Nothing is scheduled yet: no revision of this plan could be "
                         "scheduled. Fix the problems above and submit it again.",
    .all_plans = "all plans",
    .schedule_json = "schedule JSON",
    .switch_language = "zh",
    .switch_label = "中文",
    .legend = "Legend",
    .day_off = "day off",
    .makeup_day = "make-up workday",
    .weekend = "weekend",
    .today = "today",
    .mark_done = "✓ done (present/expected)",
    .mark_cancelled = "cancelled",
    .mark_not_recorded = "not recorded",
    .mark_moved = "moved",
    .kind_meeting = "meeting",
    .kind_inspection = "inspection",
    .kind_study = "study",
    .kind_research = "research",
    .kind_dues = "dues",
    .kind_report = "report",
    .kind_deadline = "deadline",
    .kind_other = "other",
    .all_day = "all day",
    .to = "to",
    .room = "Room: ",
    .attendees = "Attendees: ",
    .note = "Note: ",
    .record_this = "Record…",
    .nothing_this_month = "Nothing this month",
    .closed_tag = "closed",
    .opened_tag = "open",
    .holiday_tag = "off",
    .makeup_tag = "workday",
    .people_more = "and {n} more",
    .document_link = "The plan as a document (by quarter and month)",
    .print_plan = "Print the plan",
    .sharing = "Who can see this plan",
    .sharing_help = "A private plan is seen only by the signed-in admin and holders of its read "
                    "link; a public one by anyone. Feed links keep their own secret.",
    .make_public = "Make public",
    .make_private = "Make private",
    .new_read_link = "New read link (the old one stops working)",
    .revoke_read_link = "Revoke the read link",
    .copy = "Copy",
    .moves = "Last re-plan",
    .moves_none = "The last change moved nothing that was planned.",
    .progress = "Progress",
    .as_of = "as of ",
    .points = "Assessment",
    .at_risk = "at risk",
    .records_missing = "records missing",
    .on_track = "{n} on track",
    .done_of = "done",
    .cancelled = "cancelled",
    .not_recorded = "not recorded",
    .upcoming = "upcoming",
    .attendance = "attendance",
    .required = "required ≥ ",
    .no_attendance = "no attendance recorded",
    .item = "Item",
    .earned = "Points",
    .why = "Why",
    .record = "Record what happened",
    .record_help = "Pick an occurrence and say whether it was held, cancelled or moved; saving "
                   "re-plans the year around the record.",
    .occurrence = "Occurrence",
    .status = "What happened",
    .status_done = "held",
    .status_cancelled = "cancelled",
    .status_moved = "moved",
    .status_clear = "remove the record",
    .who_came = "Attendance",
    .present = "present",
    .on_leave = "on leave",
    .absent = "absent",
    .new_start = "New start",
    .new_end = "New end (optional)",
    .note_field = "Note",
    .token = "Admin token",
    .token_help = "Kept in this tab only (sessionStorage), forgotten when it closes.",
    .save = "Save the record",
    .reload = "Reload the page",
    .plans_heading = "Xun — plans",
    .no_plans = "No plans yet. Submit one with POST /api/plans (see docs/API.md), or start the "
                "server with --demo.",
    .status_ok = "ok",
    .status_draft = "draft (cannot be scheduled)",
    .status_invalid = "invalid",
};

// The q-value of one Accept-Language item ("en-GB;q=0.8" → 0.8; none → 1).
double q_value(const std::string &item) {
  const auto at = item.find(";q=");
  return at == std::string::npos ? 1.0 : std::strtod(item.c_str() + at + 3, nullptr);
}

std::string lower_prefix(const std::string &item, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < item.size() && i < n; ++i)
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(item[i])));
  return out;
}

} // namespace

Lang page_language(const std::string &accept_language, const std::optional<std::string> &param) {
  if (param == "en")
    return Lang::en;
  if (param == "zh")
    return Lang::zh;
  double best_zh = -1, best_en = -1;
  std::size_t from = 0;
  while (from <= accept_language.size()) {
    auto end = accept_language.find(',', from);
    if (end == std::string::npos)
      end = accept_language.size();
    std::string item = accept_language.substr(from, end - from);
    item.erase(0, item.find_first_not_of(' '));
    const std::string tag = lower_prefix(item, 2);
    const double q = q_value(item);
    if (tag == "zh" && q > best_zh)
      best_zh = q;
    if (tag == "en" && q > best_en)
      best_en = q;
    from = end + 1;
  }
  return best_en > 0 && best_en > best_zh ? Lang::en : Lang::zh;
}

const Words &words(Lang lang) { return lang == Lang::en ? english : chinese; }

std::string month_heading(Lang lang, int year, unsigned month) {
  if (lang == Lang::en)
    return std::string(calendar::english_month_name(month)) + " " + std::to_string(year);
  return std::to_string(year) + "年" + std::to_string(month) + "月";
}

std::string weekday_short(Lang lang, unsigned weekday) {
  return std::string(lang == Lang::en ? calendar::english_weekday_abbrev(weekday)
                                      : calendar::chinese_weekday_name(weekday));
}

std::string day_label(Lang lang, calendar::Date d) {
  const unsigned w = calendar::weekday_index(d);
  if (lang == Lang::en)
    return weekday_short(lang, w) + " " + std::to_string(calendar::day_of(d)) + " " +
           std::string(calendar::english_month_abbrev(calendar::month_of(d)));
  return calendar::chinese_day(d);
}

std::string long_date(Lang lang, calendar::Date d) {
  if (lang == Lang::en)
    return std::to_string(calendar::day_of(d)) + " " +
           std::string(calendar::english_month_name(calendar::month_of(d))) + " " +
           std::to_string(calendar::year_of(d));
  return std::to_string(calendar::year_of(d)) + "年" + std::to_string(calendar::month_of(d)) +
         "月" + std::to_string(calendar::day_of(d)) + "日";
}

} // namespace xun::http
