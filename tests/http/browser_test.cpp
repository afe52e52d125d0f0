// ctest-labels: no-sanitize
// The plan page in headless Chromium against a real `xun serve` child: the
// year renders; the living year shows on it (done with attendance, cancelled,
// not recorded, progress, the last re-plan's moves); the owner records from
// the page's form (tests/tools/page_browser.py, Selenium with Debian's
// chromium-driver); the phone layout at 390 px. Screenshots are kept as test
// artefacts in ${XUN_BUILD_DIR}/test-artifacts/.
#include "http/support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;
using namespace xun::http;
using namespace xun::http::test;

namespace {

std::string chromium(const std::filesystem::path &profile, const std::string &what) {
  return "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic "
         "--no-first-run --disable-background-networking --disable-component-update --disable-sync "
         "--accept-lang=zh-CN --user-data-dir=" +
         shell_quote(profile.string()) + " --window-size=1280,2000 " + what;
}

std::filesystem::path artifacts() {
  const auto dir = std::filesystem::path(env("XUN_BUILD_DIR")) / "test-artifacts";
  std::filesystem::create_directories(dir);
  return dir;
}

std::string seed_plan(const std::string &file) {
  return read_file(std::filesystem::path(env("XUN_DATA_DIR")) / "plans" / file);
}

// The feed token in a plan's answer: the owner's ?key=.
std::string key_of(const std::string &answer) {
  const std::string feed = json::parse(answer)["feeds"]["https"];
  const auto at = feed.find("/feeds/") + 7;
  return feed.substr(at, feed.find('.', at) - at);
}

HttpResponse send_json(int port, const std::string &method, const std::string &path,
                       const std::string &body) {
  return http_request("127.0.0.1", port, method, path, auth(), body, "application/json");
}

// `xun serve` as a child, its clock at 2026-06-15 10:00 in Shanghai: the
// first half of the year is past.
struct LivingServer {
  TempDir dir;
  int port = free_port();
  std::unique_ptr<ChildServer> child;
  LivingServer() {
    setenv("XUN_NOW", "1781488800", 1); // 2026-06-15T02:00:00Z
    child = std::make_unique<ChildServer>(dir.path / "xun.db", port, dir.path / "serve.log");
    unsetenv("XUN_NOW");
  }
  HttpResponse get(const std::string &path, const HttpHeaders &headers = {}) const {
    return http_request("127.0.0.1", port, "GET", path, headers);
  }
  std::string url(const std::string &path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
};

// The committee plan with its 百分考核, and what happened in its first half:
// two studies held (7 of 8 present, one on leave; all 8), one cancelled, the
// first research report written.
std::string committee_with_records(const LivingServer &s) {
  const auto created = http_request("127.0.0.1", s.port, "POST", "/api/plans", auth(),
                                    seed_plan("committee-2026.yaml"), "application/yaml");
  REQUIRE(created.status == 201);
  // Public (issue 11's privacy): the page is read without a session or read link.
  REQUIRE(
      send_json(s.port, "PATCH", "/api/plans/cppcc-committee-2026", R"({"public": true})").status ==
      200);
  const std::string records = "/api/plans/cppcc-committee-2026/records/";
  const std::vector<std::pair<std::string, std::string>> held = {
      {"study%230", R"({"status":"done","present":["director","deputy","secretary","zhang",)"
                    R"("lin","he","guo"],"leave":["luo"],"note":"学习全会精神"})"},
      {"two-sessions-study%230", R"({"status":"done","present":["everyone"]})"},
      {"study%231", R"({"status":"cancelled","note":"与区政协会议冲突"})"},
      {"research-report%230", R"({"status":"done"})"}};
  for (const auto &[occ, body] : held) {
    const auto r = send_json(s.port, "PUT", records + occ, body);
    INFO(occ, r.body);
    REQUIRE(r.status == 200);
  }
  return key_of(created.body);
}

} // namespace

TEST_CASE(
    "headless Chromium renders the demo plan's year month by month and a screenshot is kept") {
  TestServer s;
  auto created =
      s.send("POST", "/api/plans?file=party-branch-2026.yaml", seed_plan("party-branch-2026.yaml"));
  REQUIRE(created.status == 201);
  // The owner's link: the page shows its subscribe links only with the feed token.
  const std::string url = "http://127.0.0.1:" + std::to_string(s.port) +
                          "/plans/shiba-branch-2026?key=" + key_of(created.body);

  int rc = 0;
  const std::string dom = run_output(
      chromium(s.dir.path / "profile-dom", "--dump-dom " + shell_quote(url)) + " 2>/dev/null", &rc);
  REQUIRE(rc == 0);
  for (int m = 1; m <= 12; ++m)
    CHECK(dom.find("id=\"month-" + std::to_string(m) + "\"") != std::string::npos);
  CHECK(dom.find("<h2>2026年1月</h2>") != std::string::npos);
  CHECK(dom.find("id=\"feed-webcal\"") != std::string::npos);
  CHECK(dom.find("webcal://127.0.0.1:" + std::to_string(s.port) + "/feeds/") != std::string::npos);
  CHECK(dom.find("class=\"holiday") != std::string::npos);
  CHECK(dom.find("class=\"makeup") != std::string::npos);
  CHECK(dom.find("data-occurrence=\"") != std::string::npos);
  CHECK(dom.find("id=\"legend\"") != std::string::npos);

  const auto shot = artifacts() / "plan-page.png";
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

TEST_CASE("the page shows what happened and the progress, in Chinese, and English on request") {
  LivingServer s;
  const std::string key = committee_with_records(s);
  const auto page = s.get("/plans/cppcc-committee-2026");
  REQUIRE(page.status == 200);
  CHECK(page.header("referrer-policy") == "no-referrer");
  CHECK(page.header("content-security-policy").find("script-src 'self'") != std::string::npos);
  const std::string &html = page.body;
  CHECK(html.find("<html lang=\"zh-CN\">") != std::string::npos);
  CHECK(html.find("<h2>2026年1月</h2>") != std::string::npos);
  CHECK(html.find("✓ 7/8") != std::string::npos);
  CHECK(html.find("<s>") != std::string::npos);
  CHECK(html.find("已取消") != std::string::npos);
  CHECK(html.find("未记录") != std::string::npos);
  CHECK(html.find("id=\"points-earned\">16<") != std::string::npos); // 2 × 3 + 10 by hand
  CHECK(html.find("id=\"points-possible\">90<") != std::string::npos);
  CHECK(html.find("aria-current=\"date\" data-date=\"2026-06-15\"") != std::string::npos);
  // A reader gets no form; the owner (with the key) does.
  CHECK(html.find("id=\"record-form\"") == std::string::npos);
  CHECK(s.get("/plans/cppcc-committee-2026?key=" + key).body.find("id=\"record-form\"") !=
        std::string::npos);

  const auto english =
      s.get("/plans/cppcc-committee-2026", {{"Accept-Language", "en-GB,en;q=0.9"}});
  CHECK(english.body.find("<html lang=\"en\">") != std::string::npos);
  CHECK(english.body.find("<h2>January 2026</h2>") != std::string::npos);
  CHECK(english.body.find(">cancelled<") != std::string::npos);
  CHECK(english.body.find("not recorded") != std::string::npos);
  CHECK(s.get("/plans/cppcc-committee-2026", {{"Accept-Language", "zh-CN,en;q=0.5"}})
            .body.find("<h2>2026年1月</h2>") != std::string::npos);
  // A record that moves an occurrence: the page lists the last re-plan's move.
  CHECK(s.get("/plans/cppcc-committee-2026").body.find("id=\"moves\"") != std::string::npos);
  const auto moved =
      send_json(s.port, "PUT", "/api/plans/cppcc-committee-2026/records/briefing%231",
                R"({"status":"moved","start":"2026-07-10T10:00"})");
  INFO(moved.body);
  REQUIRE(moved.status == 200);
  const std::string after = s.get("/plans/cppcc-committee-2026").body;
  const auto moves = after.find("id=\"moves\"");
  REQUIRE(moves != std::string::npos);
  const std::string section = after.substr(moves, after.find("</section>", moves) - moves);
  CHECK(section.find("<li data-occurrence=\"briefing#1\">") != std::string::npos);
  CHECK(section.find("9月21日（周一） 09:00 → 7月10日（周五） 10:00") != std::string::npos);
  CHECK(after.find("已改期") != std::string::npos);
  const auto script = s.get("/assets/plan-page.js");
  CHECK(script.status == 200);
  CHECK(script.header("content-type").find("javascript") != std::string::npos);
}

TEST_CASE("the owner's page printed to PDF in Chromium shows the year and never the feed key") {
  LivingServer s;
  const std::string key = committee_with_records(s);
  const auto pdf = artifacts() / "plan-page.pdf";
  std::filesystem::remove(pdf);
  int rc = 0;
  // Headless Chromium prints its header and footer (the date, the address)
  // unless the page leaves no margin for them.
  run_output(chromium(s.dir.path / "profile-pdf",
                      "--print-to-pdf=" + shell_quote(pdf.string()) + " " +
                          shell_quote(s.url("/plans/cppcc-committee-2026?key=" + key))) +
                 " 2>&1",
             &rc);
  REQUIRE(rc == 0);
  REQUIRE(std::filesystem::exists(pdf));
  const std::string text = run_output("pdftotext " + shell_quote(pdf.string()) + " - 2>&1", &rc);
  REQUIRE(rc == 0);
  // The plan's own document, not the grid: quarters, months, numbered items.
  CHECK(text.find("第一季度") != std::string::npos);
  CHECK(text.find("1、") != std::string::npos);
  CHECK(text.find("cppcc-committee-2026") == std::string::npos);
  CHECK(text.find("镇政协工委") != std::string::npos);
  CHECK(text.find(key) == std::string::npos);
  CHECK(text.find("key=") == std::string::npos);
  CHECK(text.find("/feeds/") == std::string::npos);
}

TEST_CASE("the owner records from the page in Chromium; the phone list fits 390 px; screenshots "
          "are kept") {
  LivingServer s;
  const std::string key = committee_with_records(s);
  const auto dir = artifacts();
  for (const char *name : {"progress-panel.png", "plan-page-1280.png", "plan-page-390.png",
                           "record-form.png", "failure.png"})
    std::filesystem::remove(dir / name);
  const json config = {
      {"url", s.url("/plans/cppcc-committee-2026?key=" + key)},
      {"token", admin},
      {"artifacts", dir.string()},
      {"done", {{"occ", "study#0"}, {"text", "✓ 7/8"}}},
      {"cancelled", "study#1"},
      {"not_recorded", "assign-tasks#0"},
      {"today", "2026-06-15"},
      {"earned", "16"},
      {"possible", "90"},
      {"quota", {{"activity", "study"}, {"done", "1"}, {"quota", "4"}}},
      {"record",
       {{"occ", "assign-tasks#0"}, {"leave", "director"}, {"absent", "deputy"}, {"text", "✓ 6/8"}}},
      {"bad_record", "briefing#1"}};
  write_file(s.dir.path / "browser.json", config.dump());
  int rc = 0;
  const std::string out =
      run_output("timeout 300 /usr/bin/python3 " +
                     shell_quote(env("XUN_SOURCE_DIR") + "/tests/tools/page_browser.py") + " " +
                     shell_quote((s.dir.path / "browser.json").string()) + " 2>&1",
                 &rc);
  INFO(out);
  CHECK(rc == 0);
  for (const char *name :
       {"progress-panel.png", "plan-page-1280.png", "plan-page-390.png", "record-form.png"}) {
    CAPTURE(name);
    REQUIRE(std::filesystem::exists(dir / name));
    CHECK(read_file(dir / name).substr(1, 3) == "PNG");
  }
  // The form's record reached the store as the page said: one on leave, one absent.
  const json records = json::parse(s.get("/api/plans/cppcc-committee-2026/records").body);
  bool seen = false;
  for (const auto &r : records["records"])
    if (r["id"] == "assign-tasks#0") {
      seen = true;
      CHECK(r["status"] == "done");
      CHECK(r["leave"] == json::array({"director"}));
      CHECK(r["present"].size() == 6);
      CHECK(r["note"] == "浏览器测试");
    }
  CHECK(seen);
  CHECK(records["records"].size() == 5); // the bad record stored nothing
}
