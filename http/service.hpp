// What the HTTP API does, without HTTP: plans submitted as text, kept with
// their revision history, solved, published as feeds and pages. Every answer
// is JSON or bytes; every failure is an ApiError.
#pragma once

#include "http/feeds.hpp"
#include "http/page.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace xun::http {

struct ServiceConfig {
  std::filesystem::path db_path;
  std::filesystem::path data_dir;      // holiday sets
  std::function<std::int64_t()> clock; // Unix seconds; default the system clock
};

// Where the request came from, to build absolute links: "http://host:port".
struct Origin {
  std::string scheme = "http";
  std::string host; // host[:port] as the client named it
  std::string http_base() const { return scheme + "://" + host; }
  std::string webcal_base() const { return "webcal://" + host; }
};

struct Reply {
  int status = 200;
  std::string body;     // JSON
  std::string location; // set for a created plan
};

class Service {
public:
  explicit Service(ServiceConfig config); // opens the database, loads published plans
  ~Service();
  Service(const Service &) = delete;
  Service &operator=(const Service &) = delete;

  std::int64_t now() const;
  std::vector<std::string> zones() const; // of the loaded plans, for preloading

  // 201 (scheduled), or ApiError 422 (invalid) / 409 (unschedulable) whose
  // problem still names the id: the text is kept as a draft revision.
  Reply create_plan(const std::string &text, const std::string &file_name, const Origin &origin);
  Reply update_plan(const std::string &id, const std::string &text, const std::string &file_name,
                    const Origin &origin);
  // `feeds` (the secret feed URLs) only when the caller is the admin.
  Reply get_plan(const std::string &id, const Origin &origin, bool with_feeds);
  Reply list_plans(const Origin &origin, bool with_feeds);
  void delete_plan(const std::string &id);
  std::string source(const std::string &id, std::optional<int> revision);
  std::string schedule(const std::string &id, std::optional<std::string> month);
  std::string reminders(const std::string &id, std::optional<std::string> now,
                        std::optional<std::string> within);
  Reply rotate_feed_token(const std::string &id, const Origin &origin);
  void revoke_feed_token(const std::string &id);

  // nullptr when the token (or person) is unknown or revoked.
  std::shared_ptr<const FeedBody> feed(const std::string &token,
                                       const std::optional<std::string> &person) const;

  // The subscribe links only for the admin or the holder of the current feed
  // token (`key`); anyone else sees the year and a sentence in their place.
  std::string plan_page(const std::string &id, const Origin &origin, bool admin,
                        const std::optional<std::string> &key);
  std::string index_page(bool admin); // the admin's links carry ?key=TOKEN

  // The admin token: $XUN_ADMIN_TOKEN wins; else the stored one; else a new
  // one is stored and `generated` set, so the caller prints it once.
  std::string admin_token(const std::string &from_env, bool &generated);
  // Loads the plan file unless a plan was already loaded from it under this
  // key (idempotent across restarts); returns the plan's id.
  std::string ensure_seeded(const std::string &key, const std::filesystem::path &file,
                            const Origin &origin);
  std::string feed_token_of(const std::string &id) const; // "" when none

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string random_token(std::size_t bytes); // hex, from std::random_device
// Compares secrets in time independent of where they differ; never equal to "".
bool same_secret(const std::string &given, const std::string &secret);

} // namespace xun::http
