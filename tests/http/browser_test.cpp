// ctest-labels: no-sanitize
// The plan page in headless Chromium: it renders the year, and a screenshot is
// kept as a test artefact (${XUN_BUILD_DIR}/test-artifacts/plan-page.png).
#include "http/support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace xun::http;
using namespace xun::http::test;

namespace {

std::string chromium(const std::filesystem::path &profile, const std::string &what) {
  return "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic "
         "--no-first-run --disable-background-networking --disable-component-update --disable-sync "
         "--user-data-dir=" +
         shell_quote(profile.string()) + " --window-size=1280,2000 " + what;
}

} // namespace

TEST_CASE(
    "headless Chromium renders the demo plan's year month by month and a screenshot is kept") {
  TestServer s;
  const auto plan =
      read_file(std::filesystem::path(env("XUN_DATA_DIR")) / "plans" / "party-branch-2026.yaml");
  auto created = s.send("POST", "/api/plans?file=party-branch-2026.yaml", plan);
  REQUIRE(created.status == 201);
  // The owner's link: the page shows its subscribe links only with the feed token.
  const std::string feed = nlohmann::json::parse(created.body)["feeds"]["https"];
  const auto at = feed.find("/feeds/") + 7;
  const std::string key = feed.substr(at, feed.find('.', at) - at);
  const std::string url =
      "http://127.0.0.1:" + std::to_string(s.port) + "/plans/shiba-branch-2026?key=" + key;

  int rc = 0;
  const std::string dom = run_output(
      chromium(s.dir.path / "profile-dom", "--dump-dom " + shell_quote(url)) + " 2>/dev/null", &rc);
  REQUIRE(rc == 0);
  for (int m = 1; m <= 12; ++m)
    CHECK(dom.find("id=\"month-" + std::to_string(m) + "\"") != std::string::npos);
  CHECK(dom.find("id=\"feed-webcal\"") != std::string::npos);
  CHECK(dom.find("webcal://127.0.0.1:" + std::to_string(s.port) + "/feeds/") != std::string::npos);
  CHECK(dom.find("class=\"holiday\"") != std::string::npos);
  CHECK(dom.find("class=\"makeup\"") != std::string::npos);
  CHECK(dom.find("data-occurrence=\"") != std::string::npos);

  const auto artifacts = std::filesystem::path(env("XUN_BUILD_DIR")) / "test-artifacts";
  std::filesystem::create_directories(artifacts);
  const auto shot = artifacts / "plan-page.png";
  std::filesystem::remove(shot);
  run_output(chromium(s.dir.path / "profile-shot",
                      "--screenshot=" + shell_quote(shot.string()) + " " + shell_quote(url)) +
                 " 2>&1",
             &rc);
  CHECK(rc == 0);
  REQUIRE(std::filesystem::exists(shot));
  CHECK(std::filesystem::file_size(shot) > 20000);
  CHECK(read_file(shot).substr(1, 3) == "PNG");
}
