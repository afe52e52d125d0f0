#include "scheduler/reminders.hpp"

#include "calendar/zones.hpp"
#include "scheduler/alarms.hpp"

#include <algorithm>

namespace xun::scheduler {

std::vector<Reminder> reminders_between(const Plan &plan, const Schedule &schedule,
                                        date::sys_seconds from, date::sys_seconds to) {
  std::vector<Reminder> out;
  for (const auto &o : schedule.occurrences) {
    const Activity *a = plan.find_activity(o.activity);
    if (!a)
      continue;
    // The same moments as the schedule's `alarms` (PLAN.md §6.2).
    const auto fires = alarm_times(plan, o);
    for (std::size_t i = 0; i < fires.size() && i < a->reminders.size(); ++i) {
      const date::sys_seconds at = calendar::to_utc(plan.timezone, fires[i]);
      if (at >= from && at < to)
        out.push_back({at, a->reminders[i].minutes, &o, a});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Reminder &x, const Reminder &y) {
    if (x.at != y.at)
      return x.at < y.at;
    return x.occurrence->id() < y.occurrence->id();
  });
  return out;
}

} // namespace xun::scheduler
