// The soft rules of PLAN.md §6.3, each a named function with its weight in
// one table, and the objective that scores any schedule with them, so two
// schedules (or a re-plan and its predecessor) can be compared.
#pragma once

#include "scheduler/schedule.hpp"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace xun::scheduler {

// In the order they weigh (§6.3); the weights below keep that order for any
// realistic plan: one broken rule outweighs every lighter one it could buy.
enum class SoftRule {
  keep_place,     // 1. re-planning: an occurrence moved from where it was
  makeup_day,     // 2. on a make-up workday (调休)
  holiday_edge,   // 2. last working day before / first after a block of 3+ days off
  likely_holiday, // 2. in a likely festival block of a year without official data
  same_day,       // 3. a person with two busy occurrences on one day
  day_peak,       // 3. a day busier than the plan's other days
  spread,         // 3. far from its even share of what window and predecessors leave
  prefer,         // 4. a `prefer` weekday or time missed
  soft_edge,      // 4. 月初/月中/月底 missed
  on_the_hour,    // 5. a start off the hour and half hour
};
constexpr std::size_t soft_rule_count = 10;

struct SoftRuleInfo {
  SoftRule rule;
  const char *name; // English, as in messages
  const char *zh;
  long weight; // per violation (spread and soft_edge: per day off)
};

// The one table of weights; the search's value order uses the same numbers.
constexpr std::array<SoftRuleInfo, soft_rule_count> soft_rules{{
    {SoftRule::keep_place, "moved from where it was", "调整了原定时间", 10'000'000},
    {SoftRule::makeup_day, "on a make-up workday", "安排在调休上班日", 100'000},
    {SoftRule::holiday_edge, "next to a holiday block", "紧邻长假", 100'000},
    // Above a make-up day: a likely day off is probably a day off once the notice is out.
    {SoftRule::likely_holiday, "on a likely holiday (no official data yet)", "可能放假的日子",
     200'000},
    {SoftRule::same_day, "a second busy occurrence of a person on one day", "同一人一天两项",
     10'000},
    {SoftRule::day_peak, "on a crowded day", "当天活动过多", 40},
    {SoftRule::spread, "away from an even spread", "分布不均", 10},
    {SoftRule::prefer, "a preference missed", "未按偏好", 35},
    {SoftRule::soft_edge, "away from 月初/月中/月底", "偏离月初/月中/月底", 10},
    {SoftRule::on_the_hour, "not on the hour or half hour", "非整点或半点开始", 5},
}};

constexpr const SoftRuleInfo &soft_rule(SoftRule r) {
  return soft_rules[static_cast<std::size_t>(r)];
}

struct SoftViolation {
  SoftRule rule;
  std::string occurrence; // display id, "study#0"
  std::string text;       // a sentence in the plan's words
  long cost = 0;
};

struct SoftScore {
  std::vector<SoftViolation> violations; // in schedule order
  std::array<int, soft_rule_count> counts{};
  long cost = 0;
};

// The day before a block of three or more days off, or the first working day
// after one (Spring Festival, National Day, three-day weekends).
bool next_to_holiday_block(const calendar::WorkingCalendar &calendar, calendar::Date day);

// The likely festival days off of the plan's year (calendar::likely_days_off)
// when its holiday set has no official data for it, by date, with the name.
std::map<calendar::Date, std::string> likely_days_off(const Plan &plan);

// Every soft rule on `schedule`; `previous` (re-planning) adds keep_place.
SoftScore evaluate(const Plan &plan, const Schedule &schedule, const Schedule *previous = nullptr);

} // namespace xun::scheduler
