// ctest-labels: no-sanitize
// Real clients read the feed fetched over HTTP: python3-icalendar, vobject,
// ical.js, and a subscription through vdirsyncer's http storage listed by khal.
#include "http/support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;
using namespace xun::http;
using namespace xun::http::test;

namespace {

std::string path_of(const std::string &url) {
  const auto host = url.find("//");
  return url.substr(url.find('/', host + 2));
}

std::string demo_plan() {
  return read_file(std::filesystem::path(env("XUN_DATA_DIR")) / "plans" / "party-branch-2026.yaml");
}

} // namespace

TEST_CASE("the feed fetched over HTTP is accepted by python3-icalendar, vobject and ical.js") {
  TestServer s;
  auto created = s.send("POST", "/api/plans?file=party-branch-2026.yaml", demo_plan());
  REQUIRE(created.status == 201);
  auto j = json::parse(created.body);
  const std::string source = env("XUN_SOURCE_DIR");
  std::vector<std::string> feeds = {path_of(j["feeds"]["https"])};
  for (const auto &[id, links] : j["feeds"]["people"].items()) {
    feeds.push_back(path_of(links["https"]));
    break; // one person's feed is enough to check the filtered shape
  }
  for (const auto &feed : feeds) {
    CAPTURE(feed);
    auto r = s.get(feed);
    REQUIRE(r.status == 200);
    const auto file = s.dir.path / "feed.ics";
    write_file(file, r.body);
    CHECK(run("/usr/bin/python3 " + shell_quote(source + "/tests/tools/check_ics_icalendar.py") +
              " " + shell_quote(file.string())) == 0);
    CHECK(run("/usr/bin/python3 " + shell_quote(source + "/tests/tools/check_ics_vobject.py") +
              " " + shell_quote(file.string())) == 0);
    CHECK(run("node " + shell_quote(source + "/tests/js/check_ics.mjs") + " " +
              shell_quote(file.string())) == 0);
  }
}

TEST_CASE("vdirsyncer subscribes to the feed over HTTP and khal lists the events, before and after "
          "a re-plan") {
  TestServer s;
  auto created = s.send("POST", "/api/plans", small_plan("3月"));
  REQUIRE(created.status == 201);
  const std::string url = json::parse(created.body)["feeds"]["https"];
  const auto d = s.dir.path;
  std::filesystem::create_directories(d / "cal");
  std::filesystem::create_directories(d / "status");
  write_file(d / "vdirsyncer.conf",
             "[general]\nstatus_path = \"" + (d / "status").string() +
                 "/\"\n\n[pair xun]\na = \"xun_remote\"\nb = \"xun_local\"\n"
                 "collections = null\nconflict_resolution = \"a wins\"\n\n"
                 "[storage xun_remote]\ntype = \"http\"\nurl = \"" +
                 url + "\"\n\n[storage xun_local]\ntype = \"filesystem\"\npath = \"" +
                 (d / "cal").string() + "/\"\nfileext = \".ics\"\n");
  write_file(d / "khal.conf",
             "[calendars]\n[[xun]]\npath = " + (d / "cal").string() +
                 "/\ntype = calendar\n[locale]\ntimeformat = %H:%M\n"
                 "dateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
                 "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
                 "default_timezone = Asia/Shanghai\nlocal_timezone = Asia/Shanghai\n");
  const std::string envs = "cd " + shell_quote(d.string()) + " && HOME=" + shell_quote(d.string()) +
                           " XDG_DATA_HOME=" + shell_quote((d / "data").string()) +
                           " XDG_CONFIG_HOME=" + shell_quote((d / "config").string()) + " ";
  const std::string sync = envs + "vdirsyncer -c vdirsyncer.conf sync 2>&1";
  int rc = 0;
  auto discover = run_output(envs + "vdirsyncer -c vdirsyncer.conf discover 2>&1", &rc);
  REQUIRE_MESSAGE(rc == 0, discover);
  auto first = run_output(sync, &rc);
  REQUIRE_MESSAGE(rc == 0, first);
  std::size_t files = 0;
  for (const auto &entry : std::filesystem::directory_iterator(d / "cal"))
    files += entry.path().extension() == ".ics" ? 1 : 0;
  CHECK(files == 3);
  auto listed = run_output(envs + "khal -c khal.conf list 2026-01-01 365d 2>&1", &rc);
  CHECK_MESSAGE(rc == 0, listed);
  CHECK(listed.find("党员大会") != std::string::npos);
  CHECK(listed.find("专题党课") != std::string::npos);

  // The lecture moves to June: the next sync updates it in place.
  s.clock->store(s.clock->load() + 3600);
  REQUIRE(s.send("PUT", "/api/plans/small-2026", small_plan("6月")).status == 200);
  auto second = run_output(sync, &rc);
  REQUIRE_MESSAGE(rc == 0, second);
  auto march = run_output(envs + "khal -c khal.conf list 2026-03-01 31d 2>&1", &rc);
  CHECK(march.find("专题党课") == std::string::npos);
  auto june = run_output(envs + "khal -c khal.conf list 2026-06-01 30d 2>&1", &rc);
  CHECK(june.find("专题党课") != std::string::npos);
}
