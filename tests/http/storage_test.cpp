// The SQLite storage alone: revisions, event states, tokens, settings.
#include "http/storage.hpp"
#include "http/support.hpp"

#include <doctest/doctest.h>

using namespace xun::http;
using namespace xun::http::test;

namespace {

Revision revision(const std::string &plan, int n, RevisionStatus status) {
  Revision r;
  r.plan_id = plan;
  r.number = n;
  r.created_at = 100 * n;
  r.file_name = "p.yaml";
  r.source = "text " + std::to_string(n);
  r.status = status;
  return r;
}

} // namespace

TEST_CASE("revisions are kept in order and only ok ones are published") {
  TempDir dir;
  Storage s(dir.path / "s.db");
  s.save_revision(revision("a", 1, RevisionStatus::ok), {}, std::string("tok1"));
  s.save_revision(revision("a", 2, RevisionStatus::draft), {}, std::nullopt);
  auto p = s.find_plan("a");
  REQUIRE(p);
  CHECK(p->current_revision == 2);
  CHECK(p->published_revision == 1);
  CHECK(s.revision_summaries("a").size() == 2);
  CHECK(s.revision("a", 2)->source == "text 2");
  CHECK(s.revision("a", 2)->status == RevisionStatus::draft);
  CHECK_FALSE(s.revision("a", 3).has_value());
}

TEST_CASE("everything survives reopening the database") {
  TempDir dir;
  {
    Storage s(dir.path / "s.db");
    s.save_revision(revision("a", 1, RevisionStatus::ok), {{"u@x", 3, 42, "s", "e", "d"}},
                    std::string("tok"));
    s.set_setting("k", "v");
  }
  Storage s(dir.path / "s.db");
  CHECK(s.event_states("a").at("u@x") == EventState{"u@x", 3, 42, "s", "e", "d"});
  CHECK(s.setting("k") == "v");
  REQUIRE(s.active_tokens().size() == 1);
  CHECK(s.active_tokens()[0].token == "tok");
}

TEST_CASE("revoking and deleting take the tokens away, and deleted ids stay taken") {
  TempDir dir;
  Storage s(dir.path / "s.db");
  s.save_revision(revision("a", 1, RevisionStatus::ok), {}, std::string("t1"));
  s.revoke_tokens("a", 500, std::string("t2"));
  REQUIRE(s.active_tokens().size() == 1);
  CHECK(s.active_tokens()[0].token == "t2");
  CHECK(s.delete_plan("a", 600));
  CHECK(s.active_tokens().empty());
  CHECK_FALSE(s.find_plan("a").has_value());
  CHECK(s.plan_id_taken("a"));
  CHECK(s.plans().empty());
}

TEST_CASE("a database that cannot be opened is a StorageError naming the file") {
  CHECK_THROWS_AS(Storage("/nonexistent-dir/x/y.db"), StorageError);
}
