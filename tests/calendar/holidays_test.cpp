#include "calendar/holidays.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <unistd.h>

using namespace xun::calendar;

namespace {

std::filesystem::path data_dir() {
  const char *env = std::getenv("XUN_DATA_DIR");
  REQUIRE(env != nullptr);
  return env;
}

Date d(int y, unsigned m, unsigned day) { return make_date(y, m, day); }

// A scratch data directory with the given files under holidays/cn.
struct ScratchData {
  std::filesystem::path root;
  explicit ScratchData(const std::string &tag) {
    root = std::filesystem::temp_directory_path() /
           ("xun-holidays-test-" + tag + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "holidays" / "cn");
  }
  ~ScratchData() { std::filesystem::remove_all(root); }
  void write(const std::string &name, const std::string &text) const {
    std::ofstream(root / "holidays" / "cn" / name) << text;
  }
};

std::string error_of(const std::string &name, const std::filesystem::path &dir) {
  try {
    load_holiday_set(name, dir);
  } catch (const HolidayDataError &e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("the cn set knows the 2026 Spring Festival days off and its make-up "
          "Saturdays") {
  const HolidaySet set = load_holiday_set("cn", data_dir());
  CHECK(set.name() == "cn");
  for (unsigned day = 15; day <= 23; ++day)
    CHECK(set.is_day_off(d(2026, 2, day)));
  CHECK_FALSE(set.is_day_off(d(2026, 2, 24)));
  CHECK(set.is_makeup_workday(d(2026, 2, 14)));
  CHECK(set.is_makeup_workday(d(2026, 2, 28)));
  REQUIRE(set.find(d(2026, 2, 17)) != nullptr);
  CHECK(set.find(d(2026, 2, 17))->name == "春节");
  CHECK(set.find(d(2026, 3, 2)) == nullptr);
}

TEST_CASE("the cn set merges every year's file and covers only years with data") {
  const HolidaySet set = load_holiday_set("cn", data_dir());
  CHECK(set.covers(2025));
  CHECK(set.covers(2026));
  CHECK_FALSE(set.covers(2027)); // its file has empty days
  CHECK_FALSE(set.covers(2024));
  CHECK(set.is_day_off(d(2025, 10, 8)));
  CHECK(set.is_makeup_workday(d(2025, 9, 28)));
  CHECK(set.is_day_off(d(2026, 1, 1)));
  CHECK(set.is_makeup_workday(d(2026, 1, 4)));
}

TEST_CASE("a date in the next year's file is merged into the set") {
  ScratchData scratch("merge");
  scratch.write("2025.json", R"({"year": 2025, "days": [
      {"name": "国庆节", "date": "2025-10-01", "isOffDay": true}]})");
  scratch.write("2026.json", R"({"year": 2026, "days": [
      {"name": "元旦", "date": "2025-12-31", "isOffDay": true},
      {"name": "元旦", "date": "2026-01-01", "isOffDay": true}]})");
  const HolidaySet set = load_holiday_set("cn", scratch.root);
  CHECK(set.is_day_off(d(2025, 12, 31)));
  CHECK(set.is_day_off(d(2025, 10, 1)));
  CHECK(set.days().size() == 3);
  CHECK(set.covered_years() == std::set<int>{2025, 2026});
}

TEST_CASE("none is the empty set") {
  const HolidaySet set = load_holiday_set("none", data_dir());
  CHECK(set.empty());
  CHECK(set.name() == "none");
  CHECK_FALSE(set.is_day_off(d(2026, 2, 17)));
}

TEST_CASE("an unknown set name is refused with the list of known sets") {
  const std::string message = error_of("us", data_dir());
  CHECK(message.find("\"us\"") != std::string::npos);
  CHECK(message.find("cn") != std::string::npos);
  CHECK(message.find("none") != std::string::npos);
  CHECK(error_of("../cn", data_dir()).find("known sets") != std::string::npos);
}

TEST_CASE("malformed holiday data names the file and the JSON pointer") {
  ScratchData scratch("bad");
  scratch.write("2026.json", R"({"year": 2026, "days": [
      {"name": "春节", "date": "2026-02-15", "isOffDay": true},
      {"name": "春节", "date": "2026-02-30", "isOffDay": true}]})");
  const std::string message = error_of("cn", scratch.root);
  CHECK(message.find("2026.json") != std::string::npos);
  CHECK(message.find("/days/1/date") != std::string::npos);
  CHECK(message.find("2026-02-30") != std::string::npos);
}

TEST_CASE("parse_holiday_cn_json reports a missing field, a wrong type and "
          "broken JSON") {
  int year = 0;
  const auto days = parse_holiday_cn_json(
      R"({"year": 2026, "days": [{"name": "x", "date": "2026-02-14", "isOffDay": false}]})", "doc",
      &year);
  CHECK(year == 2026);
  REQUIRE(days.size() == 1);
  CHECK_FALSE(days[0].off);

  auto message = [](const std::string &text) {
    try {
      parse_holiday_cn_json(text, "doc.json");
    } catch (const HolidayDataError &e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message(R"({"days": []})").find("doc.json: /year") == 0);
  CHECK(message(R"({"year": "2026", "days": []})").find("/year") != std::string::npos);
  CHECK(message(R"({"year": 2026, "days": [{"name": "x", "date": "2026-02-14"}]})")
            .find("/days/0/isOffDay") != std::string::npos);
  CHECK(message(R"({"year": 2026, "days": {}})").find("/days") != std::string::npos);
  CHECK(message("{\"year\": 2026,").find("not valid JSON") != std::string::npos);
}
