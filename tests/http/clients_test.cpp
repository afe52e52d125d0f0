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

// A subscription to `url` through vdirsyncer's http storage into a
// filesystem calendar in `d`, and khal reading that calendar.
struct Subscriber {
  std::filesystem::path d;
  std::string envs;

  Subscriber(const std::filesystem::path &dir, const std::string &url) : d(dir) {
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
    envs = "cd " + shell_quote(d.string()) + " && HOME=" + shell_quote(d.string()) +
           " XDG_DATA_HOME=" + shell_quote((d / "data").string()) +
           " XDG_CONFIG_HOME=" + shell_quote((d / "config").string()) + " ";
    int rc = 0;
    auto discover = run_output(envs + "vdirsyncer -c vdirsyncer.conf discover 2>&1", &rc);
    REQUIRE_MESSAGE(rc == 0, discover);
  }
  void sync() const {
    int rc = 0;
    auto out = run_output(envs + "vdirsyncer -c vdirsyncer.conf sync 2>&1", &rc);
    REQUIRE_MESSAGE(rc == 0, out);
  }
  std::string khal_list(const std::string &from, const std::string &span) const {
    int rc = 0;
    auto listed = run_output(envs + "khal -c khal.conf list " + from + " " + span + " 2>&1", &rc);
    CHECK_MESSAGE(rc == 0, listed);
    return listed;
  }
  // The synced copies of the feed's events, one file each.
  std::vector<std::string> stored() const {
    std::vector<std::string> out;
    for (const auto &entry : std::filesystem::directory_iterator(d / "cal"))
      if (entry.path().extension() == ".ics")
        out.push_back(read_file(entry.path()));
    return out;
  }
};

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
  const Subscriber sub(s.dir.path, json::parse(created.body)["feeds"]["https"]);
  sub.sync();
  CHECK(sub.stored().size() == 3);
  auto listed = sub.khal_list("2026-01-01", "365d");
  CHECK(listed.find("党员大会") != std::string::npos);
  CHECK(listed.find("专题党课") != std::string::npos);

  // The lecture moves to June: the next sync updates it in place.
  s.clock->store(s.clock->load() + 3600);
  REQUIRE(s.send("PUT", "/api/plans/small-2026", small_plan("6月")).status == 200);
  sub.sync();
  CHECK(sub.khal_list("2026-03-01", "31d").find("专题党课") == std::string::npos);
  CHECK(sub.khal_list("2026-06-01", "30d").find("专题党课") != std::string::npos);
}

TEST_CASE("a subscriber sees an occurrence recorded cancelled: khal lists it as CANCELLED, the "
          "synced event has STATUS:CANCELLED and a higher SEQUENCE") {
  TestServer s;
  auto created = s.send("POST", "/api/plans", small_plan("3月"));
  REQUIRE(created.status == 201);
  const Subscriber sub(s.dir.path, json::parse(created.body)["feeds"]["https"]);
  sub.sync();
  const std::string before = sub.khal_list("2026-03-01", "31d");
  REQUIRE(before.find("专题党课") != std::string::npos);
  CHECK(before.find("CANCELLED") == std::string::npos);

  s.clock->store(s.clock->load() + 3600);
  const auto cancelled =
      http_request("127.0.0.1", s.port, "PUT", "/api/plans/small-2026/records/lecture%230", auth(),
                   R"({"status":"cancelled","note":"讲课人出差"})", "application/json");
  INFO(cancelled.body);
  REQUIRE(cancelled.status == 200);
  sub.sync();
  // khal's default format puts "CANCELLED " before a cancelled event.
  const std::string after = sub.khal_list("2026-03-01", "31d");
  INFO(after);
  const auto line_start = after.rfind('\n', after.find("专题党课"));
  const std::string line =
      after.substr(line_start + 1, after.find('\n', after.find("专题党课")) - line_start - 1);
  CHECK(line.find("CANCELLED") != std::string::npos);
  CHECK(sub.stored().size() == 3); // kept in the feed, not deleted
  bool seen = false;
  for (const auto &event : sub.stored())
    if (event.find("SUMMARY:专题党课") != std::string::npos) {
      seen = true;
      CHECK(event.find("STATUS:CANCELLED") != std::string::npos);
      CHECK(event.find("SEQUENCE:1") != std::string::npos);
    }
  CHECK(seen);
}
