// Every published byte of the seed plans (data/plans/*.yaml), pinned: the
// schedule JSON, the plan's API answer, the whole-plan and per-person feeds,
// reminders and the pages, served with a fixed clock. Refactoring must keep
// them identical. When a change is meant to alter them (the solver places
// differently), regenerate with scripts/update-golden.sh (XUN_UPDATE_GOLDEN=1)
// and review the diff.
#include "http/support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

using nlohmann::json;
using namespace xun::http;
using namespace xun::http::test;

namespace {

namespace fs = std::filesystem;

bool updating() {
  const char *v = std::getenv("XUN_UPDATE_GOLDEN");
  return v && *v && std::string(v) != "0";
}

fs::path golden_dir() { return fs::path(env("XUN_SOURCE_DIR")) / "tests" / "data" / "golden"; }

std::vector<fs::path> seed_plans() {
  std::vector<fs::path> out;
  for (const auto &e : fs::directory_iterator(fs::path(env("XUN_DATA_DIR")) / "plans"))
    if (e.path().extension() == ".yaml")
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Random parts of an answer (the feed token, the test's port) made constant.
struct Normalise {
  std::map<std::string, std::string> replace;
  std::string operator()(std::string text) const {
    for (const auto &[from, to] : replace)
      for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
  }
};

// Compares with (or, when updating, writes) tests/data/golden/NAME.
void pin(const std::string &name, const std::string &actual) {
  const fs::path file = golden_dir() / name;
  if (updating()) {
    fs::create_directories(file.parent_path());
    write_file(file, actual);
    return;
  }
  INFO("golden file ", file.string(),
       " differs; if the change is intended, run scripts/update-golden.sh and review the diff");
  REQUIRE(fs::exists(file));
  const std::string expected = read_file(file);
  if (expected != actual)
    write_file(fs::path(env("XUN_BUILD_DIR")) /
                   ("golden-actual-" + fs::path(name).filename().string()),
               actual);
  CHECK(expected == actual);
}

struct Seeded {
  std::string id;
  std::string token;
  std::string read; // the read link's secret
  std::vector<std::string> people;
};

// Everything a reader (with the read link), a subscriber and the admin are
// served for one plan.
void pin_plan(const TestServer &s, const Seeded &p, const Normalise &norm) {
  const std::string dir = p.id + "/";
  auto get = [&](const std::string &path, const HttpHeaders &headers = {}) {
    auto r = s.get(path, headers);
    INFO(path);
    CHECK(r.status == 200);
    return norm(r.body);
  };
  const std::string read = "read=" + p.read;
  pin(dir + "schedule.json", get("/api/plans/" + p.id + "/schedule?" + read));
  pin(dir + "schedule-march.json", get("/api/plans/" + p.id + "/schedule?month=3&" + read));
  pin(dir + "plan.json", get("/api/plans/" + p.id + "?" + read));
  pin(dir + "plan-admin.json", get("/api/plans/" + p.id, auth()));
  pin(dir + "reminders.json",
      get("/api/plans/" + p.id + "/reminders?now=2026-02-20T08:00&within=30d&" + read));
  pin(dir + "feed.ics", get("/feeds/" + p.token + ".ics"));
  for (const auto &person : p.people)
    pin(dir + "people/" + person + ".ics", get("/feeds/" + p.token + "/people/" + person + ".ics"));
  pin(dir + "page.html", get("/plans/" + p.id + "?" + read));
  pin(dir + "schedule.csv", get("/plans/" + p.id + "/schedule.csv?" + read));
  pin(dir + "page-key.html", get("/plans/" + p.id + "?key=" + p.token));
}

} // namespace

TEST_CASE("the seed plans' schedules, feeds and pages are byte-identical to the golden files") {
  TestServer s;
  Normalise norm;
  std::string port_key = "127.0.0.1:" + std::to_string(s.port);
  norm.replace[port_key] = "HOST";
  std::vector<Seeded> seeded;
  for (const auto &file : seed_plans()) {
    CAPTURE(file.string());
    auto r = s.send("POST", "/api/plans?file=" + file.filename().string(), read_file(file));
    REQUIRE(r.status == 201);
    auto j = json::parse(r.body);
    Seeded p;
    p.id = j["id"];
    const std::string https = j["feeds"]["https"];
    const auto at = https.find("/feeds/") + 7;
    p.token = https.substr(at, https.find('.', at) - at);
    for (const auto &[person, links] : j["feeds"]["people"].items())
      p.people.push_back(person);
    norm.replace[p.token] = "TOKEN-" + p.id;
    pin(p.id + "/created.json", norm(r.body));
    const std::string link =
        json::parse(s.send("POST", "/api/plans/" + p.id + "/read-link", "").body)["read_link"];
    p.read = link.substr(link.find("?read=") + 6);
    norm.replace[p.read] = "READ-" + p.id;
    seeded.push_back(p);
  }
  REQUIRE(seeded.size() >= 3);
  for (const auto &p : seeded)
    pin_plan(s, p, norm);
  pin("plans.json", norm(s.get("/api/plans").body));
  pin("plans-admin.json", norm(s.get("/api/plans", auth()).body));
  pin("index.html", norm(s.get("/").body));
  pin("index-admin.html", norm(s.get("/", auth()).body));

  // The reload path: feeds and pages rebuilt from what the database kept.
  s.restart();
  norm.replace.erase(port_key);
  port_key = "127.0.0.1:" + std::to_string(s.port);
  norm.replace[port_key] = "HOST";
  for (const auto &p : seeded)
    pin_plan(s, p, norm);

  // A re-plan with the same text a day later: revision 2, and what it serves.
  s.clock->store(s.clock->load() + 86400);
  for (std::size_t i = 0; i < seeded.size(); ++i) {
    const auto &p = seeded[i];
    auto r = s.send("PUT", "/api/plans/" + p.id, read_file(seed_plans()[i]));
    REQUIRE(r.status == 200);
    pin("resubmitted/" + p.id + "/updated.json", norm(r.body));
    pin("resubmitted/" + p.id + "/feed.ics", norm(s.get("/feeds/" + p.token + ".ics").body));
    pin("resubmitted/" + p.id + "/page-key.html",
        norm(s.get("/plans/" + p.id + "?key=" + p.token).body));
  }
}
