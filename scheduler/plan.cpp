#include "scheduler/plan.hpp"

#include <algorithm>

namespace xun::scheduler {

namespace {

template <typename T> const T *find_by_id(const std::vector<T> &items, const std::string &id) {
  const auto it =
      std::find_if(items.begin(), items.end(), [&](const T &item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

} // namespace

const Activity *Plan::find_activity(const std::string &wanted) const {
  // The index is a hint: an entry is used only if it still names the right
  // activity, so a plan edited after indexing stays correct, only slower.
  if (auto it = activity_index.find(wanted); it != activity_index.end() &&
                                             it->second < activities.size() &&
                                             activities[it->second].id == wanted)
    return &activities[it->second];
  return find_by_id(activities, wanted);
}

void Plan::index_activities() {
  activity_index.clear();
  for (std::size_t i = 0; i < activities.size(); ++i)
    activity_index.emplace(activities[i].id, i);
}

const Person *Plan::find_person(const std::string &wanted) const {
  return find_by_id(people, wanted);
}

const Room *Plan::find_room(const std::string &wanted) const { return find_by_id(rooms, wanted); }

} // namespace xun::scheduler
