// Outbox keys stay the same when only the page link in a message differs:
// replicas started without XUN_PUBLIC_URL link to their own addresses, and a
// re-plan through the other one must not make already-sent reminders new
// messages (found by bench/delivery_bench.sh: every reminder of the last ten
// minutes sent twice).
#include "service/service.hpp"
#include "store/open.hpp"
#include "support/process.hpp"
#include "support/scratch_dir.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace xun;

namespace {

// 2026-01-06 08:20 in Shanghai: the 09:00 reminders (30m) are still to come.
constexpr std::int64_t tuesday_0820 = 1767225600 + 5 * 86400 + 20 * 60;

const std::string plan_text = R"(id: keys-2026
plan: 键测试支部
year: 2026
activities:
  - {id: congress, title: 党员大会, when: 2026-01-06, at: "09:00", duration: 1h, reminders: [30m]}
  - {id: review, title: 组织生活会, when: 2026-01-20, at: "14:30", duration: 1h}
)";

std::set<std::string> keys_of(service::Service &s, const std::string &status) {
  std::set<std::string> out;
  for (const auto &row : s.notifications().outbox("keys-2026"))
    if (store::outbox_status_name(row.status) == status)
      out.insert(row.key);
  return out;
}

} // namespace

TEST_CASE("a message's key does not depend on the page link it carries") {
  xun::testing::ScratchDir dir;
  const auto db = store::open_store((dir.path / "xun.db").string());
  std::int64_t clock = tuesday_0820;
  service::Service s(
      service::Config{db.get(), xun::testing::ctest_env("XUN_DATA_DIR"), [&] { return clock; }});
  s.notifications().set_public_url("http://127.0.0.1:8081");
  REQUIRE(s.create_plan(plan_text, "p.yaml").revision.status == store::RevisionStatus::ok);
  const auto channel = s.notifications().create_channel(
      {notify::ChannelType::webhook, "hook", "http://127.0.0.1:9/webhook", "", std::nullopt});
  s.set_notify("keys-2026", {"keys-2026", {channel.id}, std::nullopt, true});
  const auto first = keys_of(s, "pending");
  REQUIRE(first.size() == 1);

  // The same text through a replica that links to another address: one new
  // revision, the same reminder row (a changed link is no news).
  s.notifications().set_public_url("http://127.0.0.1:8082");
  clock += 60;
  REQUIRE(s.update_plan("keys-2026", plan_text, "p.yaml").revision.status ==
          store::RevisionStatus::ok);
  CHECK(keys_of(s, "pending") == first);
  CHECK(keys_of(s, "superseded").empty());
}
