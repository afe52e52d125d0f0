#include "scheduler/plan.hpp"

#include <algorithm>

namespace xun::scheduler {

namespace {

template <typename T>
const T *find_by_id(const std::vector<T> &items, const std::string &id) {
  const auto it = std::find_if(items.begin(), items.end(),
                               [&](const T &item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

} // namespace

const Activity *Plan::find_activity(const std::string &wanted) const {
  return find_by_id(activities, wanted);
}

const Person *Plan::find_person(const std::string &wanted) const {
  return find_by_id(people, wanted);
}

const Room *Plan::find_room(const std::string &wanted) const {
  return find_by_id(rooms, wanted);
}

} // namespace xun::scheduler
