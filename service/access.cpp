#include "service/access.hpp"

#include "service/secrets.hpp"

#include <sstream>

namespace xun::service {

namespace {

std::string read_link_key(const std::string &plan_id) { return "plan/" + plan_id + "/read-link"; }
std::string public_key(const std::string &plan_id) { return "plan/" + plan_id + "/public"; }

// A session id is 64 hex digits; anything else never reaches the store.
bool is_session_id(const std::string &id) {
  return id.size() == session_bytes * 2 &&
         id.find_first_not_of("0123456789abcdef") == std::string::npos;
}
std::string session_key(const std::string &session_id) {
  return "session/" + sha256_hex(session_id);
}

// Writes `value` unless the setting holds it already (or is absent and `value` is "").
void put(store::Store &store, const std::string &key, const std::string &value) {
  if (store.setting(key).value_or("") != value)
    store.set_setting(key, value);
}

} // namespace

PlanAccess plan_access(store::Store &store, const std::string &plan_id) {
  PlanAccess a;
  a.is_public = store.setting(public_key(plan_id)).value_or("") == "1";
  a.has_read_link = !store.setting(read_link_key(plan_id)).value_or("").empty();
  return a;
}

bool read_link_matches(store::Store &store, const std::string &plan_id, const std::string &given) {
  if (given.empty() || given.size() > 128)
    return false;
  const auto digest = SecretDigest::decode(store.setting(read_link_key(plan_id)).value_or(""));
  return digest && digest->matches(given);
}

std::string issue_read_link(store::Store &store, const std::string &plan_id) {
  const std::string secret = random_token(token_bytes);
  store.set_setting(read_link_key(plan_id), SecretDigest::of(secret).encoded());
  return secret;
}

void revoke_read_link(store::Store &store, const std::string &plan_id) {
  put(store, read_link_key(plan_id), "");
}

void set_public(store::Store &store, const std::string &plan_id, bool is_public) {
  put(store, public_key(plan_id), is_public ? "1" : "");
}

void forget_access(store::Store &store, const std::string &plan_id) {
  revoke_read_link(store, plan_id);
  set_public(store, plan_id, false);
}

std::string open_session(store::Store &store, std::int64_t now) {
  const std::string id = random_token(session_bytes);
  store.set_setting(session_key(id), std::to_string(now) + " " + std::to_string(now));
  return id;
}

bool session_valid(store::Store &store, const std::string &session_id, std::int64_t now) {
  if (!is_session_id(session_id))
    return false;
  const std::string key = session_key(session_id);
  std::istringstream in(store.setting(key).value_or(""));
  std::int64_t created = 0, last_seen = 0;
  if (!(in >> created >> last_seen))
    return false;
  if (now - created >= session_lifetime || now - last_seen >= session_idle)
    return false;
  if (now - last_seen >= 300)
    store.set_setting(key, std::to_string(created) + " " + std::to_string(now));
  return true;
}

void close_session(store::Store &store, const std::string &session_id) {
  if (is_session_id(session_id))
    put(store, session_key(session_id), "");
}

} // namespace xun::service
