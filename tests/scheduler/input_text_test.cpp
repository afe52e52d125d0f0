#include "scheduler/input_text.hpp"
#include "scheduler/plan_loader.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

namespace sch = xun::scheduler;

namespace {

sch::LoadResult load(const std::string &text) {
  const char *dir = std::getenv("XUN_DATA_DIR");
  REQUIRE(dir != nullptr);
  return sch::load_plan(text, "plan.yaml", dir);
}

std::string messages(const sch::LoadResult &r) {
  std::string out;
  for (const auto &e : r.errors)
    out += e.to_string() + "\n";
  return out;
}

const std::string head = "plan: 支部计划\nyear: 2026\nactivities:\n";

} // namespace

TEST_CASE("UTF-8 text passes the encoding check, BOM and all") {
  CHECK_FALSE(sch::encoding_problem("plan: 党员大会\n").has_value());
  CHECK_FALSE(sch::encoding_problem("\xEF\xBB\xBFplan: x\n").has_value());
  CHECK_FALSE(sch::encoding_problem("").has_value());
}

TEST_CASE("GBK text is refused, named, and located at its first non-UTF-8 byte") {
  // "plan: 党员大会" saved as GBK: 党 = B5 B3, 员 = D4 B1, 大 = B4 F3, 会 = BB E1.
  const std::string gbk = "year: 2026\nplan: \xB5\xB3\xD4\xB1\xB4\xF3\xBB\xE1\n";
  const auto problem = sch::encoding_problem(gbk);
  REQUIRE(problem.has_value());
  CHECK(problem->line == 2);
  CHECK(problem->column == 7);
  CHECK(problem->message.find("GB18030/GBK") != std::string::npos);
  CHECK(problem->message.find("请将文件另存为 UTF-8") != std::string::npos);
  CHECK(problem->message.find("save the file as UTF-8") != std::string::npos);

  const auto r = load(gbk);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].to_string().starts_with(
      "plan.yaml:2:7: 文件不是 UTF-8 编码，看起来是 GB18030/GBK"));
}

TEST_CASE("other bytes that are not UTF-8 are refused without naming GBK") {
  const auto problem = sch::encoding_problem("plan: a\xFF\n");
  REQUIRE(problem.has_value());
  CHECK(problem->message.find("GBK") == std::string::npos);
  CHECK(problem->message.find("0xFF") != std::string::npos);
  CHECK(problem->message.find("save the file as UTF-8") != std::string::npos);
  // An overlong form and a surrogate are not UTF-8 either.
  CHECK(sch::encoding_problem("\xC0\xAF").has_value());
  CHECK(sch::encoding_problem("\xED\xA0\x80").has_value());
}

TEST_CASE("full-width commas and digits in a flow list give one item each") {
  const auto n = sch::normalise_full_width("repeat: [５月，１１月]\n");
  CHECK(n.text == "repeat: [5月,11月]\n");
  CHECK(n.inserted.empty());
  const auto r =
      load(head + "  - {id: dues, title: 收取党费, kind: dues, repeat: [５月，１１月]}\n");
  INFO(messages(r));
  REQUIRE(r.plan.has_value());
  const auto &dues = r.plan->activities.front();
  REQUIRE(dues.repeat.windows.size() == 2);
  CHECK(dues.repeat.texts[0] == "5月");
  CHECK(dues.repeat.texts[1] == "11月");
}

TEST_CASE("full-width brackets and colons in flow maps are read as ASCII") {
  const auto n = sch::normalise_full_width("people: ［｛id：zhang，name：张青｝］\n");
  CHECK(n.text == "people: [{id: zhang,name: 张青}]\n");
  CHECK(n.inserted.size() == 2);
}

TEST_CASE("a full-width colon after a key is accepted and columns stay as written") {
  const auto r = load(head + "  - id: congress\n    title：党员大会\n    kind：meetin\n");
  REQUIRE(r.errors.size() == 1);
  // "    kind：meetin": the value starts at character 10 as written.
  CHECK(r.errors[0].line == 6);
  CHECK(r.errors[0].column == 10);
  CHECK(r.errors[0].message.find("'meetin'") != std::string::npos);
  const auto ok = load(head + "  - id: congress\n    title：党员大会：选举\n");
  INFO(messages(ok));
  REQUIRE(ok.plan.has_value());
  CHECK(ok.plan->activities.front().title == "党员大会：选举");
}

TEST_CASE("free text, quoted strings and comments keep their full-width characters") {
  const std::string text = "title: 第１次会议，选举\n"
                           "note: \"[５月，１１月]\"\n"
                           "when: ５月 # ［注］，１\n"
                           "description: |\n"
                           "  [１，２]\n";
  const auto n = sch::normalise_full_width(text);
  CHECK(n.text == "title: 第１次会议，选举\n"
                  "note: \"[５月，１１月]\"\n"
                  "when: 5月 # ［注］，１\n"
                  "description: |\n"
                  "  [１，２]\n");
}

TEST_CASE("a full-width colon the loader cannot read is reported on its line, named") {
  const auto r = load(head + "  - id: congress\n    标题：党员大会\n    kind: meeting\n");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 5);
  CHECK(r.errors[0].column == 7);
  CHECK(r.errors[0].message.find("全角冒号“：”") != std::string::npos);
}
