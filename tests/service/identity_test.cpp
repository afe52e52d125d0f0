// Stable occurrence identity (PLAN.md §6.4): once a UID is published for an
// occurrence key it never changes, whatever happens to the numbering.
#include "service/service.hpp"
#include "store/open.hpp"
#include "support/process.hpp"
#include "support/scratch_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <map>
#include <set>

using namespace xun;

namespace {

struct Fixture {
  xun::testing::ScratchDir dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<service::Service> service;
  std::int64_t clock = 1767225600;

  Fixture() { open(); }
  void open() {
    service.reset();
    store = store::open_store((dir.path / "xun.db").string());
    service = std::make_unique<service::Service>(service::Config{
        store.get(), xun::testing::ctest_env("XUN_DATA_DIR"), [this] { return clock; }});
  }
  // Occurrence display id → UID, of what is published now.
  std::map<std::string, std::string> uids(const std::string &id) {
    std::map<std::string, std::string> out;
    auto pub = service->published(id);
    REQUIRE(pub);
    for (const auto &o : pub->schedule.occurrences)
      out[o.id()] = o.uid(pub->plan);
    return out;
  }
  // The UIDs in the published whole-plan feed.
  std::set<std::string> feed_uids(const std::string &id) {
    std::set<std::string> out;
    const std::string bytes = service->feed(service->feed_token_of(id), std::nullopt)->bytes;
    for (auto at = bytes.find("\r\nUID:"); at != std::string::npos;
         at = bytes.find("\r\nUID:", at + 1)) {
      const auto from = at + 6;
      out.insert(bytes.substr(from, bytes.find("\r\n", from) - from));
    }
    return out;
  }
  std::string submit(const std::string &text) {
    clock += 3600;
    auto s = service->create_plan(text, "p.yaml");
    REQUIRE(s.revision.status == store::RevisionStatus::ok);
    return s.revision.plan_id;
  }
  void resubmit(const std::string &id, const std::string &text) {
    clock += 3600;
    auto s = service->update_plan(id, text, "p.yaml");
    REQUIRE(s.revision.status == store::RevisionStatus::ok);
  }
};

std::string plan_with(const std::string &activity) {
  return "plan: 身份\nid: ids-2026\nyear: 2026\npeople:\n  - {id: zhang, name: 张青}\n"
         "activities:\n" +
         activity;
}

std::string study(int count) {
  return plan_with("  - id: study\n    title: 学习\n    when: 全年\n    attendees: [zhang]\n"
                   "    count: " +
                   std::to_string(count) + "\n");
}

std::string listed(const std::string &windows) {
  return plan_with("  - id: report\n    title: 汇报\n    repeat: [" + windows +
                   "]\n    attendees: [zhang]\n");
}

} // namespace

TEST_CASE("a first publication gives UIDs in the form activity-index@plan.xun") {
  Fixture f;
  const auto id = f.submit(study(3));
  const auto uids = f.uids(id);
  CHECK(uids.at("study#0") == "study-0@ids-2026.xun");
  CHECK(uids.at("study#2") == "study-2@ids-2026.xun");
}

TEST_CASE("raising a count from 3 to 4 keeps every published UID and adds one") {
  Fixture f;
  const auto id = f.submit(study(3));
  const auto before = f.feed_uids(id);
  f.resubmit(id, study(4));
  const auto after = f.feed_uids(id);
  CHECK(after.size() == 4);
  for (const auto &uid : before)
    CHECK(after.contains(uid));
}

TEST_CASE("removing an earlier listed window keeps the UIDs of the later occurrences") {
  Fixture f;
  const auto id = f.submit(listed("3月, 6月, 9月"));
  const auto before = f.uids(id); // report#0 March, #1 June, #2 September
  f.resubmit(id, listed("6月, 9月"));
  const auto after = f.uids(id); // report#0 is now June
  CHECK(after.at("report#0") == before.at("report#1"));
  CHECK(after.at("report#1") == before.at("report#2"));
  // And a new window later gets a UID no other occurrence ever had.
  f.resubmit(id, listed("6月, 9月, 12月"));
  const auto added = f.uids(id).at("report#2");
  for (const auto &[occurrence, uid] : before)
    CHECK(uid != added);
}

TEST_CASE("UIDs survive a restart, and a key that comes back gets its old UID") {
  Fixture f;
  const auto id = f.submit(listed("3月, 6月"));
  const auto march = f.uids(id).at("report#0");
  f.resubmit(id, listed("6月"));
  f.open();
  CHECK(f.uids(id).at("report#0") != march);
  f.resubmit(id, listed("3月, 6月"));
  CHECK(f.uids(id).at("report#0") == march);
}

TEST_CASE(
    "a plan published by the first release keeps its UIDs when re-planned after the upgrade") {
  Fixture f;
  const auto id = f.submit(listed("3月, 6月, 9月"));
  const auto before = f.uids(id);
  f.service.reset();
  f.store.reset();
  { // What the first release stored: no keys, no UIDs kept by key.
    sqlite3 *db = nullptr;
    REQUIRE(sqlite3_open((f.dir.path / "xun.db").c_str(), &db) == SQLITE_OK);
    sqlite3_stmt *read = nullptr;
    sqlite3_prepare_v2(db, "SELECT number, schedule_state FROM revisions", -1, &read, nullptr);
    std::vector<std::pair<int, std::string>> rows;
    while (sqlite3_step(read) == SQLITE_ROW) {
      auto state =
          nlohmann::json::parse(reinterpret_cast<const char *>(sqlite3_column_text(read, 1)));
      for (auto &o : state["occurrences"])
        for (const char *key : {"period", "ordinal", "uid"})
          o.erase(key);
      rows.emplace_back(sqlite3_column_int(read, 0), state.dump());
    }
    sqlite3_finalize(read);
    for (const auto &[number, state] : rows) {
      const std::string sql = "UPDATE revisions SET schedule_state = '" + state +
                              "' WHERE number = " + std::to_string(number);
      CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    CHECK(sqlite3_exec(db, "DELETE FROM occurrence_uids", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  f.open();
  CHECK(f.uids(id) == before); // served as published
  f.resubmit(id, listed("6月, 9月"));
  const auto after = f.uids(id);
  CHECK(after.at("report#0") == before.at("report#1"));
  CHECK(after.at("report#1") == before.at("report#2"));
}
