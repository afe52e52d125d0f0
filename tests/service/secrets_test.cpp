// Secrets at rest (issue 12): the admin token is kept only as a salted
// digest, tokens come from the CSPRNG, comparisons take constant time.
#include "service/secrets.hpp"
#include "service/service.hpp"
#include "store/open.hpp"
#include "support/process.hpp"
#include "support/scratch_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <sys/stat.h>

using namespace xun;

namespace {

service::Service open_service(store::Store &store) {
  return service::Service(
      service::Config{&store, xun::testing::ctest_env("XUN_DATA_DIR"), [] { return 1767225600; }});
}

std::string file_bytes(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

TEST_CASE("a generated admin token is shown once and only its salted digest is stored") {
  xun::testing::ScratchDir dir;
  const auto db = dir.path / "xun.db";
  std::string token;
  {
    auto store = store::open_store(db.string());
    auto service = open_service(*store);
    const auto first = service.admin_token("");
    token = first.generated;
    CHECK(token.size() == 48); // 192 bits, hex
    CHECK(first.digest.matches(token));
    CHECK(!first.digest.matches(token + "x"));
    CHECK(!first.digest.matches(""));
    const auto stored = store->setting("admin_token");
    REQUIRE(stored);
    CHECK(stored->find(token) == std::string::npos);
    CHECK(service::SecretDigest::decode(*stored));
    const auto again = service.admin_token("");
    CHECK(again.generated.empty()); // not shown twice
    CHECK(again.digest.matches(token));
  }
  // Not in the database file, nor in its log, in clear.
  for (const char *suffix : {"", "-wal"})
    CHECK(file_bytes(db.string() + suffix).find(token) == std::string::npos);
}

TEST_CASE("an admin token an older Xun kept in clear is replaced by its digest") {
  xun::testing::ScratchDir dir;
  auto store = store::open_store((dir.path / "xun.db").string());
  store->set_setting("admin_token", "old-clear-token");
  auto service = open_service(*store);
  const auto admin = service.admin_token("");
  CHECK(admin.generated.empty());
  CHECK(admin.digest.matches("old-clear-token"));
  CHECK(store->setting("admin_token")->find("old-clear-token") == std::string::npos);
}

TEST_CASE("the admin token from the environment is not stored") {
  xun::testing::ScratchDir dir;
  auto store = store::open_store((dir.path / "xun.db").string());
  auto service = open_service(*store);
  const auto admin = service.admin_token("from-env");
  CHECK(admin.digest.matches("from-env"));
  CHECK(!store->setting("admin_token"));
}

TEST_CASE("the same secret gets a different salt each time") {
  const auto a = service::SecretDigest::of("s");
  const auto b = service::SecretDigest::of("s");
  CHECK(a.salt != b.salt);
  CHECK(a.digest != b.digest);
  CHECK(a.salt.size() == 32); // 128 bits
  CHECK(service::SecretDigest::decode(a.encoded())->digest == a.digest);
  CHECK(!service::SecretDigest::decode("sha256:zz:yy"));
  CHECK(!service::SecretDigest::decode("plain-token"));
}

TEST_CASE("tokens are 192 random bits, never repeated") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto t = service::random_token(service::token_bytes);
    CHECK(t.size() == 48);
    CHECK(t.find_first_not_of("0123456789abcdef") == std::string::npos);
    seen.insert(t);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("a new database file is created readable by its owner only, an old one narrowed") {
  xun::testing::ScratchDir dir;
  const auto db = dir.path / "xun.db";
  const auto old_mask = ::umask(022);
  { auto store = store::open_store(db.string()); }
  struct stat st {};
  REQUIRE(::stat(db.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  ::chmod(db.c_str(), 0644);
  { auto store = store::open_store(db.string()); }
  REQUIRE(::stat(db.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  ::umask(old_mask);
}
