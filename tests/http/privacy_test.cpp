// Who may read a plan, over a real socket: the admin (bearer token or the
// session cookie of a sign-in), holders of the plan's read link, anyone when
// it is public; everyone else is answered as if the plan did not exist. And
// the sign-in itself: cookie attributes, CSRF refusals, sign-out, expiry; the
// checker behind the editor (POST /api/validate); drafts whose id is freed;
// the schedule as CSV and .xlsx.
#include "http/support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <set>

using nlohmann::json;
using namespace xun::http;
using namespace xun::http::test;

namespace {

const std::string id = "small-2026";

// Every read route of a plan but its feeds.
std::vector<std::string> read_routes(const std::string &plan) {
  return {"/plans/" + plan,
          "/plans/" + plan + "/schedule.csv",
          "/plans/" + plan + "/schedule.xlsx",
          "/api/plans/" + plan,
          "/api/plans/" + plan + "/schedule",
          "/api/plans/" + plan + "/source",
          "/api/plans/" + plan + "/source?revision=1",
          "/api/plans/" + plan + "/records",
          "/api/plans/" + plan + "/progress?as_of=2026-06-30",
          "/api/plans/" + plan + "/reminders?now=2026-02-01&within=30d"};
}

std::string with_query(const std::string &path, const std::string &query) {
  return path + (path.find('?') == std::string::npos ? "?" : "&") + query;
}

std::string replaced(std::string text, const std::string &from, const std::string &to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::string read_secret(const TestServer &s, const std::string &plan) {
  auto r = s.send("POST", "/api/plans/" + plan + "/read-link", "");
  REQUIRE(r.status == 201);
  const std::string url = json::parse(r.body)["read_link"];
  CHECK(url == "http://127.0.0.1:" + std::to_string(s.port) + "/plans/" + plan +
                   url.substr(url.find("?read=")));
  return url.substr(url.find("?read=") + 6);
}

// Signs in through the form; the session cookie's value ("" when refused).
std::string sign_in(const TestServer &s, const std::string &token = admin, HttpHeaders headers = {},
                    HttpResponse *answer = nullptr) {
  auto r = http_request("127.0.0.1", s.port, "POST", "/signin", headers,
                        "token=" + token + "&next=%2Fnew", "application/x-www-form-urlencoded");
  if (answer)
    *answer = r;
  const std::string cookie = r.header("set-cookie");
  const std::string name = "xun_session=";
  if (r.status != 303 || cookie.rfind(name, 0) != 0)
    return "";
  return cookie.substr(name.size(), cookie.find(';') - name.size());
}

HttpHeaders with_cookie(const std::string &session, HttpHeaders more = {}) {
  more.emplace_back("Cookie", "theme=dark; xun_session=" + session);
  return more;
}

// The CSRF token the editor page carries for this session.
std::string csrf_of(const TestServer &s, const std::string &session) {
  auto page = s.get("/new", with_cookie(session));
  REQUIRE(page.status == 200);
  const std::string marker = "name=\"xun-csrf\" content=\"";
  const auto at = page.body.find(marker);
  REQUIRE(at != std::string::npos);
  const auto from = at + marker.size();
  return page.body.substr(from, page.body.find('"', from) - from);
}

const std::string two_mistakes = "plan: 两处错误\n"
                                 "id: mistakes-2026\n"
                                 "year: 2026\n"
                                 "activities:\n"
                                 "  - id: congress\n"
                                 "    title: 党员大会\n"
                                 "    when: 2月30日\n"
                                 "    kindd: meeting\n";

} // namespace

TEST_CASE("without the admin or a read link every read route of a private plan is a 404 like "
          "a plan that does not exist") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  for (const auto &path : read_routes(id)) {
    CAPTURE(path);
    auto hidden = s.get(path);
    CHECK(hidden.status == 404);
    // The same bytes as for a plan that was never there: nothing confirms it exists.
    auto missing = s.get(replaced(path, id, "nothing-here"));
    CHECK(missing.status == 404);
    CHECK(hidden.body == replaced(missing.body, "nothing-here", id));
    CHECK(hidden.header("referrer-policy") == "no-referrer");
    CHECK(s.get(path, auth()).status == 200);
  }
  // A wrong read link, or the read link of another plan, opens nothing.
  CHECK(s.get("/plans/" + id + "?read=0123456789abcdef0123456789abcdef0123456789abcdef").status ==
        404);
  REQUIRE(
      s.send("POST", "/api/plans", replaced(small_plan("4月"), "id: small-2026", "id: other-2026"))
          .status == 201);
  const std::string other = read_secret(s, "other-2026");
  CHECK(s.get("/plans/" + id + "?read=" + other).status == 404);
  CHECK(s.get("/plans/other-2026?read=" + other).status == 200);
}

TEST_CASE("the read link opens every read route of its plan, until it is revoked or replaced") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  const std::string secret = read_secret(s, id);
  CHECK(secret.size() == 48); // 192 random bits
  for (const auto &path : read_routes(id)) {
    CAPTURE(path);
    CHECK(s.get(with_query(path, "read=" + secret)).status == 200);
  }
  // The page's own links keep the secret (the downloads, the JSON), and never print it.
  auto page = s.get("/plans/" + id + "?read=" + secret);
  CHECK(page.body.find("/plans/" + id + "/schedule.xlsx?read=" + secret) != std::string::npos);
  CHECK(page.body.find("class=\"secret\"") != std::string::npos);
  CHECK(page.body.find(".secret { display: none; }") != std::string::npos);
  CHECK(page.body.find("/feeds/") == std::string::npos); // a reader is no subscriber
  // The admin sees that a read link is out, never the link itself.
  auto plan = json::parse(s.get("/api/plans/" + id, auth()).body);
  CHECK(plan["access"] == json{{"public", false}, {"read_link", true}});
  CHECK(s.get("/api/plans/" + id, auth()).body.find(secret) == std::string::npos);

  const std::string fresh = read_secret(s, id);
  CHECK(fresh != secret);
  CHECK(s.get("/plans/" + id + "?read=" + secret).status == 404);
  CHECK(s.get("/plans/" + id + "?read=" + fresh).status == 200);
  CHECK(s.send("DELETE", "/api/plans/" + id + "/read-link", "").status == 204);
  for (const auto &path : read_routes(id)) {
    CAPTURE(path);
    CHECK(s.get(with_query(path, "read=" + fresh)).status == 404);
  }
  // Opened in a browser, the link becomes a cookie and leaves the address bar.
  const std::string kept_link = read_secret(s, id);
  auto swapped = s.get("/plans/" + id + "?read=" + kept_link, {{"Sec-Fetch-Mode", "navigate"}});
  CHECK(swapped.status == 303);
  CHECK(swapped.header("location") == "/plans/" + id);
  const std::string cookie = swapped.header("set-cookie");
  CHECK(cookie.rfind("xun_read_" + id + "=" + kept_link + "; Path=/;", 0) == 0);
  CHECK(cookie.find("; HttpOnly; SameSite=Lax") != std::string::npos);
  const HttpHeaders jar = {{"Cookie", "xun_read_" + id + "=" + kept_link}};
  for (const auto &path : read_routes(id)) {
    CAPTURE(path);
    CHECK(s.get(path, jar).status == 200);
  }
  auto by_cookie = s.get("/plans/" + id, jar);
  CHECK(by_cookie.body.find("read=") == std::string::npos); // its links need no secret
  CHECK(s.get("/plans/other", {{"Cookie", "xun_read_other=" + kept_link}}).status == 404);
  // Kept across a restart: only its digest is in the database.
  const std::string kept = read_secret(s, id);
  s.restart();
  CHECK(s.get("/api/plans/" + id + "/source?read=" + kept).status == 200);
  CHECK(read_file(s.dir.path / "xun.db").find(kept) == std::string::npos);
  // Issuing and revoking are the admin's.
  CHECK(s.send("POST", "/api/plans/" + id + "/read-link", "", {}).status == 401);
  CHECK(s.send("DELETE", "/api/plans/" + id + "/read-link", "", {}).status == 401);
}

TEST_CASE("the feed token opens the page it was printed for, not the source") {
  TestServer s;
  auto created = json::parse(s.send("POST", "/api/plans", small_plan()).body);
  const std::string https = created["feeds"]["https"];
  const auto at = https.find("/feeds/") + 7;
  const std::string token = https.substr(at, https.find('.', at) - at);
  CHECK(s.get("/plans/" + id + "?key=" + token).status == 200);
  CHECK(s.get("/api/plans/" + id + "/source?key=" + token).status == 404);
  CHECK(s.get("/api/plans/" + id + "/schedule?key=" + token).status == 404);
}

TEST_CASE("a public plan is readable by anyone; its feeds still need their token") {
  TestServer s;
  auto created = json::parse(s.send("POST", "/api/plans", small_plan()).body);
  CHECK(s.send("PATCH", "/api/plans/" + id, R"({"public": true})", {}).status == 401);
  auto made = s.send("PATCH", "/api/plans/" + id, R"({"public": true})");
  REQUIRE(made.status == 200);
  CHECK(json::parse(made.body)["access"]["public"] == true);
  for (const auto &path : read_routes(id)) {
    CAPTURE(path);
    CHECK(s.get(path).status == 200);
  }
  CHECK(s.get("/plans/" + id).body.find("/feeds/") == std::string::npos);
  CHECK(s.get("/feeds/0123456789abcdef0123456789abcdef0123456789abcdef.ics").status == 404);
  // The index still lists plans only to the admin.
  CHECK(s.get("/").body.find(id) == std::string::npos);
  CHECK(json::parse(s.get("/api/plans").body)["plans"].empty());
  CHECK(s.send("PATCH", "/api/plans/" + id, R"({"public": "yes"})").status == 422);
  CHECK(s.send("PATCH", "/api/plans/" + id, R"({"public": false})").status == 200);
  CHECK(s.get("/plans/" + id).status == 404);
  CHECK(s.send("PATCH", "/api/plans/nothing-here", R"({"public": true})").status == 404);
}

TEST_CASE("the index lists the plans to the admin only; anyone else gets a sign-in link") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  auto anonymous = s.get("/");
  REQUIRE(anonymous.status == 200);
  CHECK(anonymous.body.find(id) == std::string::npos);
  CHECK(anonymous.body.find("href=\"/signin\"") != std::string::npos);
  CHECK(anonymous.body.find("登录") != std::string::npos);
  CHECK(anonymous.header("referrer-policy") == "no-referrer");
  auto listed = s.get("/", auth());
  CHECK(listed.body.find("href=\"/plans/" + id + "\"") != std::string::npos);
  CHECK(listed.body.find("href=\"/plans/" + id + "/edit\"") != std::string::npos);
  CHECK(listed.body.find("?key=") == std::string::npos); // the admin needs no secret in URLs
}

TEST_CASE("signing in sets an HttpOnly, SameSite=Strict session cookie that makes the admin") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  auto form = s.get("/signin?next=/new");
  REQUIRE(form.status == 200);
  CHECK(form.body.find("action=\"/signin\"") != std::string::npos);
  CHECK(form.body.find("type=\"password\"") != std::string::npos);
  CHECK(form.header("content-security-policy").find("form-action 'self'") != std::string::npos);

  HttpResponse wrong;
  CHECK(sign_in(s, "not-the-token", {}, &wrong).empty());
  CHECK(wrong.status == 401);
  CHECK(wrong.header("set-cookie").empty());
  CHECK(wrong.body.find("令牌不对") != std::string::npos);

  HttpResponse ok;
  const std::string session = sign_in(s, admin, {}, &ok);
  REQUIRE(session.size() == 64); // 256 random bits
  CHECK(ok.header("location") == "/new");
  const std::string cookie = ok.header("set-cookie");
  CHECK(cookie.find("; HttpOnly") != std::string::npos);
  CHECK(cookie.find("; SameSite=Strict") != std::string::npos);
  CHECK(cookie.find("; Path=/") != std::string::npos);
  CHECK(cookie.find("Max-Age=604800") != std::string::npos);
  CHECK(cookie.find("Secure") == std::string::npos); // plain http: a Secure cookie would be lost
  HttpResponse https;
  sign_in(s, admin, {{"X-Forwarded-Proto", "https"}}, &https);
  CHECK(https.header("set-cookie").find("; Secure") != std::string::npos);
  // Only the session's digest is kept.
  CHECK(read_file(s.dir.path / "xun.db").find(session) == std::string::npos);

  for (const auto &path : read_routes(id)) {
    CAPTURE(path);
    CHECK(s.get(path, with_cookie(session)).status == 200);
  }
  CHECK(s.get("/", with_cookie(session)).body.find("id=\"signout\"") != std::string::npos);
  CHECK(json::parse(s.get("/api/plans", with_cookie(session)).body)["plans"].size() == 1);
  CHECK(s.get("/api/plans/" + id, with_cookie((session[0] == 'f' ? "e" : "f") + session.substr(1)))
            .status == 404);
  // A next that leaves the site is not followed.
  auto away = http_request("127.0.0.1", s.port, "POST", "/signin", {},
                           "token=" + admin + "&next=%2F%2Fevil.example%2F",
                           "application/x-www-form-urlencoded");
  CHECK(away.header("location") == "/");
}

TEST_CASE("a change made with the session cookie needs the CSRF token and a same-origin request") {
  TestServer s;
  const std::string session = sign_in(s);
  REQUIRE(!session.empty());
  const std::string csrf = csrf_of(s, session);
  REQUIRE(csrf.size() >= 32);
  const std::string own = "http://127.0.0.1:" + std::to_string(s.port);
  const auto post = [&](const HttpHeaders &h) {
    return http_request("127.0.0.1", s.port, "POST", "/api/plans", h, small_plan(),
                        "application/yaml");
  };
  auto no_token = post(with_cookie(session));
  CHECK(no_token.status == 403);
  CHECK(json::parse(no_token.body)["type"] == "https://xun.invalid/problems/csrf");
  CHECK(post(with_cookie(session, {{"X-CSRF-Token", csrf.substr(1) + "0"}})).status == 403);
  CHECK(post(with_cookie(session, {{"X-CSRF-Token", csrf}, {"Origin", "http://evil.example"}}))
            .status == 403);
  CHECK(post(with_cookie(session, {{"X-CSRF-Token", csrf}, {"Sec-Fetch-Site", "cross-site"}}))
            .status == 403);
  CHECK(post(with_cookie(session, {{"X-CSRF-Token", csrf}, {"Origin", "null"}})).status == 403);
  CHECK(json::parse(s.get("/api/plans", auth()).body)["plans"].empty()); // nothing was made
  auto made = post(with_cookie(
      session, {{"X-CSRF-Token", csrf}, {"Origin", own}, {"Sec-Fetch-Site", "same-origin"}}));
  CHECK(made.status == 201);
  // Without a cookie, as before: the bearer token, and no CSRF token asked for.
  CHECK(s.send("DELETE", "/api/plans/" + id, "").status == 204);
  // A sign-in from another site's form is refused too.
  HttpResponse cross;
  CHECK(sign_in(s, admin, {{"Origin", "http://evil.example"}}, &cross).empty());
  CHECK(cross.status == 403);
}

TEST_CASE("signing out ends the session; an idle or old session ends by itself") {
  TestServer s;
  const std::string session = sign_in(s);
  const std::string csrf = csrf_of(s, session);
  const auto sign_out = [&](const std::string &body) {
    return http_request("127.0.0.1", s.port, "POST", "/signout", with_cookie(session), body,
                        "application/x-www-form-urlencoded");
  };
  CHECK(sign_out("csrf=wrong").status == 403);
  CHECK(s.get("/new", with_cookie(session)).status == 200);
  auto out = sign_out("csrf=" + csrf);
  CHECK(out.status == 303);
  CHECK(out.header("set-cookie").find("xun_session=; Path=/; Max-Age=0") == 0);
  auto after = s.get("/new", with_cookie(session));
  CHECK(after.status == 303);
  CHECK(after.header("location") == "/signin?next=/new");

  const std::string idle = sign_in(s);
  s.clock->store(s.clock->load() + 11 * 3600);
  CHECK(s.get("/new", with_cookie(idle)).status == 200); // used: 12 hours from now
  s.clock->store(s.clock->load() + 11 * 3600);
  CHECK(s.get("/new", with_cookie(idle)).status == 200);
  s.clock->store(s.clock->load() + 13 * 3600);
  CHECK(s.get("/new", with_cookie(idle)).status == 303);
  const std::string old = sign_in(s);
  for (int hour = 0; hour < 7 * 24; hour += 10) {
    s.clock->store(s.clock->load() + 10 * 3600);
    if (hour + 10 < 7 * 24)
      CHECK(s.get("/new", with_cookie(old)).status == 200);
  }
  CHECK(s.get("/new", with_cookie(old)).status == 303);
}

TEST_CASE("the editor is the signed-in admin's; its script comes from the server") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  CHECK(s.get("/new").status == 303);
  auto edit_anonymous = s.get("/plans/" + id + "/edit");
  CHECK(edit_anonymous.status == 303);
  CHECK(edit_anonymous.header("location") == "/signin?next=/plans/" + id + "/edit");
  const std::string session = sign_in(s);
  auto fresh = s.get("/new", with_cookie(session));
  REQUIRE(fresh.status == 200);
  CHECK(fresh.body.find("id=\"template\"") != std::string::npos);
  CHECK(fresh.body.find("party-branch-2026.yaml") != std::string::npos);
  CHECK(fresh.body.find("<script src=\"/editor.js\">") != std::string::npos);
  CHECK(fresh.header("content-security-policy").find("script-src 'self'") != std::string::npos);
  auto edit = s.get("/plans/" + id + "/edit", with_cookie(session));
  REQUIRE(edit.status == 200);
  CHECK(edit.body.find("测试支部 2026 年计划") != std::string::npos); // the text to edit
  CHECK(s.get("/plans/nothing-here/edit", with_cookie(session)).status == 404);
  auto script = s.get("/editor.js");
  CHECK(script.status == 200);
  CHECK(script.header("content-type").find("javascript") != std::string::npos);
  CHECK(script.body.find("/api/validate") != std::string::npos);
}

TEST_CASE("validate locates every problem and summarises a good plan, storing nothing") {
  TestServer s;
  auto bad = s.send("POST", "/api/validate", two_mistakes);
  REQUIRE(bad.status == 200);
  auto b = json::parse(bad.body);
  CHECK(b["ok"] == false);
  CHECK(b["status"] == "invalid");
  std::set<int> lines;
  for (const auto &p : b["problems"])
    lines.insert(p["line"].get<int>());
  CHECK(lines == std::set<int>{7, 8});
  auto good = json::parse(s.send("POST", "/api/validate", small_plan()).body);
  CHECK(good["ok"] == true);
  CHECK(good["problems"].empty());
  CHECK(good["summary"]["activities"] == 3);
  CHECK(good["summary"]["occurrences"] == 3);
  CHECK(good["summary"]["first"].get<std::string>().rfind("2026-02-", 0) == 0);
  CHECK(good["summary"]["last"].get<std::string>().rfind("2026-05-", 0) == 0);
  CHECK(good["schedule"]["occurrences"].size() == 3);
  auto clash = json::parse(s.send("POST", "/api/validate", clashing_plan()).body);
  CHECK(clash["ok"] == false);
  CHECK(clash["status"] == "draft");
  CHECK(!clash["conflict"]["message"].get<std::string>().empty());
  CHECK(json::parse(s.get("/api/plans", auth()).body)["plans"].empty());
  CHECK(s.send("POST", "/api/validate", small_plan(), {}).status == 401);
}

TEST_CASE("a failed first submission is a draft fixed with PUT; a deleted draft frees its id") {
  TestServer s;
  auto first = s.send("POST", "/api/plans", two_mistakes);
  REQUIRE(first.status == 422);
  CHECK(json::parse(first.body)["id"] == "mistakes-2026");
  CHECK(json::parse(s.get("/api/plans/mistakes-2026", auth()).body)["status"] == "invalid");
  CHECK(s.get("/api/plans/mistakes-2026").status == 404); // private, like any plan
  // Deleted before it ever published: the id is free again.
  CHECK(s.send("DELETE", "/api/plans/mistakes-2026", "").status == 204);
  CHECK(s.get("/api/plans/mistakes-2026", auth()).status == 404);
  REQUIRE(s.send("POST", "/api/plans", two_mistakes).status == 422);
  auto again = json::parse(s.get("/api/plans/mistakes-2026", auth()).body);
  CHECK(again["revision"] == 1);
  // Fixed with PUT: the draft becomes the published plan.
  std::string fixed = replaced(replaced(two_mistakes, "2月30日", "2月下旬"), "kindd", "kind");
  auto put = s.send("PUT", "/api/plans/mistakes-2026", fixed);
  REQUIRE(put.status == 200);
  CHECK(json::parse(put.body)["status"] == "ok");
  CHECK(json::parse(put.body)["revision"] == 2);
  // Once published, deleting keeps the id taken: its feeds were handed out.
  CHECK(s.send("DELETE", "/api/plans/mistakes-2026", "").status == 204);
  auto later = s.send("POST", "/api/plans", fixed);
  CHECK(json::parse(later.body)["id"] == "mistakes-2026-2");
}

TEST_CASE("the schedule downloads as CSV with a BOM and as an .xlsx that opens") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  auto csv = s.get("/plans/" + id + "/schedule.csv", auth());
  REQUIRE(csv.status == 200);
  INFO(csv.body);
  CHECK(csv.header("content-type") == "text/csv; charset=utf-8");
  CHECK(csv.header("content-disposition") == "attachment; filename=\"" + id + ".csv\"");
  CHECK(csv.body.rfind("\xEF\xBB\xBF日期,时间,活动,地点,参加人员,类别\r\n", 0) == 0);
  CHECK(csv.body.find("2026-05-") != std::string::npos);
  CHECK(csv.body.find(",全天,收取党费,,李明,党费\r\n") != std::string::npos);
  CHECK(csv.body.find("党员大会,,张青、李明,会议") != std::string::npos);

  auto xlsx = s.get("/plans/" + id + "/schedule.xlsx", auth());
  REQUIRE(xlsx.status == 200);
  CHECK(xlsx.header("content-type").find("spreadsheetml") != std::string::npos);
  CHECK(xlsx.body.substr(0, 2) == "PK");
  const auto file = s.dir.path / "schedule.xlsx";
  write_file(file, xlsx.body);
  int rc = 0;
  const std::string cells = run_output(
      "/usr/bin/python3 -c " +
          shell_quote("import openpyxl,sys\n"
                      "ws = openpyxl.load_workbook(sys.argv[1]).active\n"
                      "print(ws.title)\n"
                      "for row in ws.iter_rows(values_only=True): print('|'.join(c or '' for c in "
                      "row))") +
          " " + shell_quote(file.string()) + " 2>&1",
      &rc);
  INFO(cells);
  CHECK(rc == 0);
  CHECK(cells.find("日程\n日期|时间|活动|地点|参加人员|类别\n") == 0);
  CHECK(cells.find("|全天|收取党费||李明|党费") != std::string::npos);
  // The same bytes until the plan changes.
  CHECK(s.get("/plans/" + id + "/schedule.xlsx", auth()).body == xlsx.body);
}

TEST_CASE("the signed-in admin's page carries the sharing panel with that session's CSRF token") {
  TestServer s;
  REQUIRE(s.send("POST", "/api/plans", small_plan()).status == 201);
  const std::string one = sign_in(s), two = sign_in(s);
  REQUIRE(!one.empty());
  REQUIRE(!two.empty());
  const std::string csrf_one = csrf_of(s, one), csrf_two = csrf_of(s, two);
  REQUIRE(csrf_one != csrf_two);
  // The page is rendered once for every admin; each session gets its own token in it.
  auto page_one = s.get("/plans/" + id, with_cookie(one));
  auto page_two = s.get("/plans/" + id, with_cookie(two));
  REQUIRE(page_one.status == 200);
  CHECK(page_one.body.find("id=\"sharing\"") != std::string::npos);
  CHECK(page_one.body.find("data-csrf=\"" + csrf_one + "\"") != std::string::npos);
  CHECK(page_one.body.find(csrf_two) == std::string::npos);
  CHECK(page_two.body.find("data-csrf=\"" + csrf_two + "\"") != std::string::npos);
  CHECK(page_one.header("cache-control").find("no-store") != std::string::npos);
  // With the panel's token the session makes the plan public, as the page's script does.
  const std::string own = "http://127.0.0.1:" + std::to_string(s.port);
  auto made_public = http_request("127.0.0.1", s.port, "PATCH", "/api/plans/" + id,
                                  with_cookie(one, {{"X-CSRF-Token", csrf_one}, {"Origin", own}}),
                                  R"({"public": true})", "application/json");
  CHECK(made_public.status == 200);
  CHECK(s.get("/plans/" + id).status == 200);
  // A read link's holder, the feed token's owner and a public reader get no panel.
  const std::string secret = read_secret(s, id);
  for (const auto &reader : {s.get("/plans/" + id + "?read=" + secret), s.get("/plans/" + id)}) {
    CHECK(reader.status == 200);
    CHECK(reader.body.find("id=\"sharing\"") == std::string::npos);
    CHECK(reader.body.find("data-csrf") == std::string::npos);
  }
}
