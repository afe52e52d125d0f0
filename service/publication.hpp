// What is published right now: per plan, the scheduled revision with its
// rendered feeds, and the one live feed token. Readers (feeds are most of the
// traffic) share a lock; the token↔plan map is kept here and nowhere else.
#pragma once

#include "scheduler/plan.hpp"
#include "scheduler/schedule.hpp"
#include "service/feeds.hpp"

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace xun::service {

struct Published {
  int revision = 0;
  std::int64_t time = 0; // of the revision, Unix seconds
  scheduler::Plan plan;
  scheduler::Schedule schedule; // UIDs assigned
  std::shared_ptr<const FeedBody> all;
  std::map<std::string, std::shared_ptr<const FeedBody>> people;
};

class Publications {
public:
  std::shared_ptr<const Published> find(const std::string &plan_id) const;
  std::string token_of(const std::string &plan_id) const; // "" when none
  // nullptr when the token (or person) is unknown or revoked.
  std::shared_ptr<const FeedBody> feed(const std::string &token,
                                       const std::optional<std::string> &person) const;
  std::vector<std::string> zones() const;
  std::vector<std::string> plan_ids() const; // published or with a token

  void publish(const std::string &plan_id, std::shared_ptr<const Published> published);
  void set_token(const std::string &plan_id, const std::string &token); // replaces the old one
  void drop_token(const std::string &plan_id);
  void remove(const std::string &plan_id); // its publication and its token

private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<const Published>> published_;
  std::unordered_map<std::string, std::string> token_plan_;
  std::map<std::string, std::string> plan_token_;
};

} // namespace xun::service
