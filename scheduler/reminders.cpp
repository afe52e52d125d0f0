#include "scheduler/reminders.hpp"

#include "calendar/zones.hpp"

#include <algorithm>

namespace xun::scheduler {

std::vector<Reminder> reminders_between(const Plan &plan, const Schedule &schedule,
                                        date::sys_seconds from, date::sys_seconds to) {
  std::vector<Reminder> out;
  for (const auto &o : schedule.occurrences) {
    const Activity *a = plan.find_activity(o.activity);
    if (!a)
      continue;
    const date::sys_seconds start = calendar::to_utc(plan.timezone, o.start);
    for (long m : a->reminder_minutes) {
      const date::sys_seconds at = start - std::chrono::minutes{m};
      if (at >= from && at < to)
        out.push_back({at, m, &o, a});
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
