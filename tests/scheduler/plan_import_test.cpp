#include "scheduler/plan_import.hpp"
#include "scheduler/plan_loader.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace sch = xun::scheduler;

namespace {

sch::ImportResult draft(const std::string &text) { return sch::import_plan(text, {2026, "", ""}); }

// The draft as the loader reads it; every draft must load.
sch::Plan load(const sch::ImportResult &r) {
  const char *dir = std::getenv("XUN_DATA_DIR");
  REQUIRE(dir != nullptr);
  const auto loaded = sch::load_plan(r.yaml, "draft.yaml", dir);
  std::string errors;
  for (const auto &e : loaded.errors)
    errors += e.to_string() + "\n";
  INFO(r.yaml);
  INFO(errors);
  REQUIRE(loaded.plan.has_value());
  return *loaded.plan;
}

std::string seed_piece(int n) {
  const char *source = std::getenv("XUN_SOURCE_DIR");
  REQUIRE(source != nullptr);
  std::ifstream in(std::string(source) + "/tests/data/import/piece" + std::to_string(n) + ".txt");
  std::ostringstream text;
  text << in.rdbuf();
  REQUIRE(!text.str().empty());
  return text.str();
}

} // namespace

TEST_CASE("a dated item becomes one activity with its window, kind and title") {
  const auto r = draft("2月下旬，组织召开一次党员大会，选举支部委员\n");
  CHECK(r.items == 1);
  CHECK(r.unread == 0);
  const auto plan = load(r);
  REQUIRE(plan.activities.size() == 1);
  const auto &a = plan.activities[0];
  CHECK(a.when_text == "2月下旬");
  CHECK(a.kind == "meeting");
  CHECK(a.title == "组织召开一次党员大会，选举支部委员"); // 20 characters or fewer: whole
  CHECK_FALSE(a.has_count);
  CHECK(a.description == "2月下旬，组织召开一次党员大会，选举支部委员");
}

TEST_CASE("months listed with 分别 become a repeat list, one occurrence in each") {
  const auto plan = load(draft("3、5月份、11月份分别收取上下半年党费，并及时缴纳\n"));
  REQUIRE(plan.activities.size() == 1);
  const auto &dues = plan.activities[0];
  CHECK(dues.kind == "dues");
  CHECK(dues.all_day);
  CHECK(dues.repeat.texts == std::vector<std::string>{"5月份", "11月份"});
  CHECK(dues.title == "收取上下半年党费，并及时缴纳");
}

TEST_CASE("a count in a clause becomes count, a range as a range") {
  const auto plan = load(draft("1、加强理论学习。认真制定学习计划，全年举办2-3次学习讲座。\n"
                               "年内组织集体活动不少于4次。\n"));
  REQUIRE(plan.activities.size() == 2);
  CHECK(plan.activities[0].title == "举办学习讲座");
  CHECK(plan.activities[0].count_min == 2);
  CHECK(plan.activities[0].count_max == 3);
  CHECK(plan.activities[0].kind == "study");
  CHECK(plan.activities[1].count_min == 4);
  CHECK(plan.activities[1].when_text == "年内");
}

TEST_CASE("a month heading dates the numbered items under it, a section heading ends it") {
  const auto r = draft("(一)一、二月份：\n1、组织委员参加迎春茶话会。\n（三）五月份：\n"
                       "1、学习两会精神。\n2、联系走访委员\n二、基础工作\n1、做好档案管理。\n");
  const auto plan = load(r);
  REQUIRE(plan.activities.size() == 3);
  CHECK(plan.activities[0].when_text == "一、二月份");
  CHECK(plan.activities[1].when_text == "五月份");
  CHECK(plan.activities[1].kind == "study");
  CHECK(plan.activities[2].when_text == "五月份");
  CHECK(r.unread == 1);
  CHECK(r.yaml.find("  # 未识别: 1、做好档案管理。\n") != std::string::npos);
}

TEST_CASE("items listed 各一次 become one activity each in the same window") {
  const auto plan =
      load(draft("第三季度\n3、9月，召开党小组会、党支部委员会、党支部大会各一次，讨论发展党员\n"));
  REQUIRE(plan.activities.size() == 3);
  CHECK(plan.activities[0].title == "召开党小组会");
  CHECK(plan.activities[2].title == "召开党支部大会");
  for (const auto &a : plan.activities)
    CHECK(a.when_text == "9月");
}

TEST_CASE("每月初 at the start of a clause is a monthly repeat") {
  const auto plan = load(draft("1、加强档案管理；每月初做好党支部工作手册的填报记录工作。\n"));
  REQUIRE(plan.activities.size() == 1);
  CHECK(plan.activities[0].repeat.text == "每月初");
  CHECK(plan.activities[0].kind == "deadline");
}

TEST_CASE("every line not read is kept as a comment, in order, and counted") {
  const std::string text =
      "一、指导思想\n以科学发展观为指导，深入贯彻落实。\n\n2月下旬，召开党员大会\n"
      "#注意: 这一行以井号开头\n";
  const auto r = draft(text);
  CHECK(r.unread == 2);
  const auto first = r.yaml.find("# 未识别: 以科学发展观为指导");
  const auto activity = r.yaml.find("  - id: meeting-1");
  const auto last = r.yaml.find("# 未识别: #注意: 这一行以井号开头");
  CHECK(first < activity);
  CHECK(activity < last);
  CHECK(last != std::string::npos);
  load(r);
}

TEST_CASE("text that is not UTF-8 gives no draft, only the problem") {
  const auto r = draft("2\xD4\xC2\xCF\xC2\xD1\xAE\n"); // "2月下旬" saved as GBK
  REQUIRE(r.encoding.has_value());
  CHECK(r.encoding->message.find("GB18030/GBK") != std::string::npos);
  CHECK(r.yaml.empty());
}

TEST_CASE("a draft with no dated item is still a plan") {
  const auto r = draft("一些说明文字。\n");
  CHECK(r.items == 0);
  const auto plan = load(r);
  CHECK(plan.activities.empty());
}

TEST_CASE("the same text gives the same draft, byte for byte") {
  const std::string text = seed_piece(3);
  CHECK(draft(text).yaml == draft(text).yaml);
}

TEST_CASE("the seed's pieces 3, 4 and 5 give drafts the loader accepts as they are") {
  for (const int n : {3, 4, 5}) {
    INFO("piece " << n);
    const auto r = draft(seed_piece(n));
    CHECK(r.items > 0);
    load(r);
  }
}
