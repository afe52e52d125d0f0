// Who may read a plan, and the admin's sign-in sessions, kept as the store's
// settings (docs/EXTENSIONS.md, *Privacy*):
//   plan/ID/read-link  the read link's salted digest ("" when revoked)
//   plan/ID/public     "1" when anyone may read the plan
//   session/DIGEST     "CREATED LAST_SEEN" (Unix seconds) of a session whose
//                      id has that SHA-256; "" once signed out
// Only digests are kept: a copy of the database signs no one in and reads no
// plan. Every check reads the store, so replicas agree at once.
#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <string>

namespace xun::service {

struct PlanAccess {
  bool is_public = false;     // anyone may read the page, schedule, source and records
  bool has_read_link = false; // a read link is out (it is never shown again)
};

// A session lasts 7 days from sign-in, and ends after 12 hours unused.
inline constexpr std::int64_t session_lifetime = 7 * 24 * 3600;
inline constexpr std::int64_t session_idle = 12 * 3600;

PlanAccess plan_access(store::Store &store, const std::string &plan_id);
bool read_link_matches(store::Store &store, const std::string &plan_id, const std::string &given);
std::string issue_read_link(store::Store &store, const std::string &plan_id); // the new secret
void revoke_read_link(store::Store &store, const std::string &plan_id);
void set_public(store::Store &store, const std::string &plan_id, bool is_public);
// A new id takes nothing over from an earlier plan of that id (a draft deleted).
void forget_access(store::Store &store, const std::string &plan_id);

std::string open_session(store::Store &store, std::int64_t now); // the new session id
// True while the session is open and fresh; notes its use (at most every 5 minutes).
bool session_valid(store::Store &store, const std::string &session_id, std::int64_t now);
void close_session(store::Store &store, const std::string &session_id);

} // namespace xun::service
