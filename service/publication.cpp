#include "service/publication.hpp"

#include <mutex>

namespace xun::service {

std::shared_ptr<const Published> Publications::find(const std::string &plan_id) const {
  std::shared_lock lock(mutex_);
  auto it = published_.find(plan_id);
  return it == published_.end() ? nullptr : it->second;
}

std::string Publications::token_of(const std::string &plan_id) const {
  std::shared_lock lock(mutex_);
  auto it = plan_token_.find(plan_id);
  return it == plan_token_.end() ? "" : it->second;
}

std::shared_ptr<const FeedBody> Publications::feed(const std::string &token,
                                                   const std::optional<std::string> &person) const {
  std::shared_lock lock(mutex_);
  auto t = token_plan_.find(token);
  if (t == token_plan_.end())
    return nullptr;
  auto p = published_.find(t->second);
  if (p == published_.end())
    return nullptr;
  if (!person)
    return p->second->all;
  auto it = p->second->people.find(*person);
  return it == p->second->people.end() ? nullptr : it->second;
}

std::vector<std::string> Publications::zones() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  for (const auto &[id, p] : published_)
    out.push_back(p->plan.timezone);
  return out;
}

std::vector<std::string> Publications::plan_ids() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  for (const auto &[id, p] : published_)
    out.push_back(id);
  for (const auto &[id, token] : plan_token_)
    if (!published_.contains(id))
      out.push_back(id);
  return out;
}

void Publications::publish(const std::string &plan_id, std::shared_ptr<const Published> published) {
  std::unique_lock lock(mutex_);
  published_[plan_id] = std::move(published);
}

void Publications::set_token(const std::string &plan_id, const std::string &token) {
  std::unique_lock lock(mutex_);
  if (auto it = plan_token_.find(plan_id); it != plan_token_.end())
    token_plan_.erase(it->second);
  plan_token_[plan_id] = token;
  token_plan_[token] = plan_id;
}

void Publications::drop_token(const std::string &plan_id) {
  std::unique_lock lock(mutex_);
  if (auto it = plan_token_.find(plan_id); it != plan_token_.end()) {
    token_plan_.erase(it->second);
    plan_token_.erase(it);
  }
}

void Publications::remove(const std::string &plan_id) {
  std::unique_lock lock(mutex_);
  published_.erase(plan_id);
  if (auto it = plan_token_.find(plan_id); it != plan_token_.end()) {
    token_plan_.erase(it->second);
    plan_token_.erase(it);
  }
}

} // namespace xun::service
