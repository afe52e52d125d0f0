// Who may read a plan and the admin's sessions, as kept in a real store's
// settings (service/access.cpp): only digests are stored; sessions end idle
// or old; read links are replaced, revoked and forgotten with their plan id.
#include "service/access.hpp"
#include "service/secrets.hpp"
#include "store/open.hpp"
#include "support/scratch_dir.hpp"

#include <doctest/doctest.h>

using namespace xun;
using namespace xun::service;

TEST_CASE("a session is kept as its digest and ends 12 hours idle or 7 days after sign-in") {
  xun::testing::ScratchDir dir;
  auto store = store::open_store((dir.path / "s.db").string());
  const std::int64_t t0 = 1'767'225'600;
  const std::string id = open_session(*store, t0);
  CHECK(id.size() == 64);
  CHECK(store->setting("session/" + sha256_hex(id)) ==
        std::to_string(t0) + " " + std::to_string(t0));
  CHECK(session_valid(*store, id, t0 + 11 * 3600));
  CHECK(session_valid(*store, id, t0 + 22 * 3600)); // last used 11 hours before
  CHECK_FALSE(session_valid(*store, id, t0 + 35 * 3600));
  // Another id (its first digit changed; "f" + the rest was the id itself one time in 16).
  CHECK_FALSE(session_valid(*store, (id[0] == 'f' ? "0" : "f") + id.substr(1), t0));
  CHECK_FALSE(session_valid(*store, "not hex", t0));
  CHECK_FALSE(session_valid(*store, "", t0));

  const std::string old = open_session(*store, t0);
  std::int64_t t = t0;
  for (; t + 10 * 3600 < t0 + session_lifetime; t += 10 * 3600)
    CHECK(session_valid(*store, old, t));
  CHECK_FALSE(session_valid(*store, old, t0 + session_lifetime));

  const std::string closed = open_session(*store, t0);
  close_session(*store, closed);
  CHECK_FALSE(session_valid(*store, closed, t0 + 1));
}

TEST_CASE("a read link is kept as a salted digest, replaced, revoked and forgotten") {
  xun::testing::ScratchDir dir;
  auto store = store::open_store((dir.path / "s.db").string());
  CHECK_FALSE(plan_access(*store, "p").has_read_link);
  const std::string first = issue_read_link(*store, "p");
  CHECK(first.size() == token_bytes * 2);
  CHECK(store->setting("plan/p/read-link")->find(first) == std::string::npos);
  CHECK(read_link_matches(*store, "p", first));
  CHECK_FALSE(read_link_matches(*store, "q", first));
  CHECK(plan_access(*store, "p").has_read_link);
  const std::string second = issue_read_link(*store, "p");
  CHECK_FALSE(read_link_matches(*store, "p", first));
  CHECK(read_link_matches(*store, "p", second));
  revoke_read_link(*store, "p");
  CHECK_FALSE(read_link_matches(*store, "p", second));
  CHECK_FALSE(read_link_matches(*store, "p", ""));

  set_public(*store, "p", true);
  issue_read_link(*store, "p");
  CHECK(plan_access(*store, "p").is_public);
  forget_access(*store, "p"); // the id is used again by a new plan
  CHECK_FALSE(plan_access(*store, "p").is_public);
  CHECK_FALSE(plan_access(*store, "p").has_read_link);
}
