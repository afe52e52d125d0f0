#include "scheduler/occurrence_key.hpp"

#include <algorithm>
#include <set>

namespace xun::scheduler {

OccurrenceKey key_of(const Occurrence &o) { return {o.activity, o.period, o.ordinal}; }

int period_number(const Activity &activity, const calendar::Window &window, int year) {
  if (window.empty())
    return 0;
  const calendar::Date first = window.dates.front();
  const calendar::Date jan1 = calendar::make_date(year, 1, 1);
  const int day = static_cast<int>((first - jan1).count());
  const int month = static_cast<int>(calendar::month_of(first));
  if (!activity.rrule.empty())
    return day;
  using K = Repeat::Kind;
  switch (activity.repeat.kind) {
  case K::none:
    return 0;
  case K::monthly:
    return month;
  case K::quarterly:
    return (month - 1) / 3 + 1;
  case K::half_yearly:
    return month <= 6 ? 1 : 2;
  case K::weekly:
  case K::biweekly: {
    const int lead = static_cast<int>((calendar::weekday_index(jan1) + 6) % 7); // Monday first
    return (day + lead) / 7;
  }
  case K::list:
    return day;
  }
  return 0;
}

void derive_keys(const Plan &plan, Schedule &schedule) {
  std::vector<Occurrence *> by_index;
  for (auto *list : {&schedule.occurrences, &schedule.cancelled})
    for (auto &o : *list)
      by_index.push_back(&o);
  std::stable_sort(by_index.begin(), by_index.end(), [](const Occurrence *a, const Occurrence *b) {
    return a->activity != b->activity ? a->activity < b->activity : a->index < b->index;
  });
  std::map<std::pair<std::string, int>, int> seen;
  for (Occurrence *o : by_index) {
    const Activity *a = plan.find_activity(o->activity);
    o->period = a ? period_number(*a, o->window, plan.year) : 0;
    o->ordinal = seen[{o->activity, o->period}]++;
  }
}

std::map<OccurrenceKey, std::string>
assign_uids(const Plan &plan, Schedule &schedule,
            const std::map<OccurrenceKey, std::string> &published) {
  std::set<std::string> taken;
  for (const auto &[key, uid] : published)
    taken.insert(uid);
  std::map<OccurrenceKey, std::string> added;
  std::vector<Occurrence *> fresh;
  for (auto &o : schedule.occurrences) {
    o.published_uid.clear();
    if (auto it = published.find(key_of(o)); it != published.end())
      o.published_uid = it->second;
    else
      fresh.push_back(&o);
  }
  for (Occurrence *o : fresh) {
    Occurrence probe = *o;
    while (taken.contains(probe.uid(plan)))
      ++probe.index;
    o->published_uid = probe.uid(plan);
    taken.insert(o->published_uid);
    added.emplace(key_of(*o), o->published_uid);
  }
  return added;
}

} // namespace xun::scheduler
