#include "calendar/holiday_notice.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

using namespace xun::calendar;

namespace {

std::string read(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::filesystem::path source_dir() {
  const char *env = std::getenv("XUN_SOURCE_DIR");
  REQUIRE(env != nullptr);
  return env;
}

std::string notice_text(int year) {
  return read(source_dir() / "tests/data/notices" / (std::to_string(year) + ".txt"));
}

std::string bundled(int year) {
  return read(source_dir() / "data/holidays/cn" / (std::to_string(year) + ".json"));
}

// A notice with the given items (one a line) under the 2026 title.
std::string notice(const std::string &items) {
  return "国务院办公厅关于2026年部分节假日安排的通知\n各省、自治区、直辖市人民政府：\n" + items;
}

const std::string seven_2026 =
    "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。\n"
    "二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。"
    "2月14日（周六）、2月28日（周六）上班。\n"
    "三、清明节：4月4日（周六）至6日（周一）放假，共3天。\n"
    "四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。\n"
    "五、端午节：6月19日（周五）至21日（周日）放假，共3天。\n"
    "六、中秋节：9月25日（周五）至27日（周日）放假，共3天。\n"
    "七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）"
    "上班。\n";

// The seven items with one line replaced: a problem in one place only.
std::string with_item(int index, const std::string &line) {
  std::istringstream in(seven_2026);
  std::string out, l;
  for (int i = 1; std::getline(in, l); ++i)
    out += (i == index ? line : l) + "\n";
  return notice(out);
}

std::string problems_of(const NoticeParse &parse) {
  std::string out;
  for (const auto &p : parse.problems)
    out += p.to_string("n.txt") + "\n";
  return out;
}

NoticeProblem only_problem(const std::string &text, std::optional<int> year = std::nullopt) {
  const auto parse = parse_holiday_notice(text, year);
  INFO(problems_of(parse));
  REQUIRE(parse.problems.size() == 1);
  CHECK_FALSE(parse.notice);
  return parse.problems.front();
}

// The problem is at LINE:COLUMN and its message says `fragment`.
void check_located(const NoticeProblem &p, int line, int column, const std::string &fragment) {
  INFO(p.to_string("n.txt"));
  CHECK(p.line == line);
  CHECK(p.column == column);
  CHECK(p.message.find(fragment) != std::string::npos);
}

const HolidayDay *day(const HolidayNotice &n, Date d) {
  for (const auto &h : n.days)
    if (h.date == d)
      return &h;
  return nullptr;
}

} // namespace

TEST_CASE("the 2026 notice imports to exactly the bundled 2026.json, byte for byte") {
  const auto parse = parse_holiday_notice(notice_text(2026));
  INFO(problems_of(parse));
  REQUIRE(parse.notice);
  CHECK(parse.notice->year == 2026);
  CHECK(holiday_cn_json(*parse.notice) == bundled(2026));
}

TEST_CASE(
    "the 2025 notice (a one-day 元旦, 国庆节、中秋节 merged) imports to the bundled 2025.json") {
  const auto parse = parse_holiday_notice(notice_text(2025));
  INFO(problems_of(parse));
  REQUIRE(parse.notice);
  CHECK(holiday_cn_json(*parse.notice) == bundled(2025));
}

TEST_CASE("without the source URL the notice gives the same days, and no papers") {
  std::string text = notice_text(2026);
  text = text.substr(0, text.find("来源"));
  const auto parse = parse_holiday_notice(text);
  REQUIRE(parse.notice);
  CHECK(parse.notice->papers.empty());
  CHECK(parse.notice->days == parse_holiday_cn_json(bundled(2026), "2026.json"));
}

TEST_CASE("the composed 2027 notice imports: 春节 Feb 5–12, 国庆 Oct 1–7, make-up weekends") {
  const auto parse = parse_holiday_notice(notice_text(2027));
  INFO(problems_of(parse));
  REQUIRE(parse.notice);
  const HolidayNotice &n = *parse.notice;
  CHECK(n.year == 2027);
  CHECK(n.days.size() == 3 + 8 + 2 + 3 + 5 + 2 + 1 + 1 + 7 + 2);
  for (unsigned d = 5; d <= 12; ++d)
    CHECK(day(n, make_date(2027, 2, d))->off);
  CHECK_FALSE(day(n, make_date(2027, 2, 20))->off);
  CHECK(day(n, make_date(2027, 6, 9))->name == "端午节");
  CHECK(day(n, make_date(2027, 10, 7))->name == "国庆节");
  CHECK_FALSE(day(n, make_date(2027, 9, 26))->off);
  CHECK(std::is_sorted(n.days.begin(), n.days.end(),
                       [](const auto &a, const auto &b) { return a.date < b.date; }));
}

TEST_CASE("half-width punctuation and 星期 read the same as full-width and 周") {
  std::string items = seven_2026;
  const auto replace_all = [&](const std::string &from, const std::string &to) {
    for (auto at = items.find(from); at != std::string::npos; at = items.find(from, at + to.size()))
      items.replace(at, from.size(), to);
  };
  replace_all("（", "(");
  replace_all("）", ")");
  replace_all("：", ":");
  replace_all("，", ",");
  replace_all("周", "星期");
  replace_all("至", "—");
  const auto a = parse_holiday_notice(notice(seven_2026));
  const auto b = parse_holiday_notice(notice(items));
  INFO(problems_of(b));
  REQUIRE(a.notice);
  REQUIRE(b.notice);
  CHECK(a.notice->days == b.notice->days);
}

TEST_CASE("older shapes: 与周末连休, 补休, explicit years across New Year, a bare D日 in a list") {
  const std::string items =
      "一、元旦：2025年12月31日（星期三）至2026年1月1日放假调休，共2天。"
      "2025年12月27日（星期六）上班。\n"
      "二、春节：2月15日至23日放假调休，共9天。\n"
      "三、清明节：4月6日放假，与周末连休。\n"
      "四、劳动节：5月1日放假，5月4日（星期一）补休。\n"
      "五、端午节：6月19日（周五）放假1天。\n"
      "六、中秋节：9月25日放假。\n"
      "七、国庆节：10月1日至7日放假调休，共7天。10月10日（星期六）、11日（星期日）"
      "上班。鼓励各单位结合带薪年休假等制度落实，安排职工在10月8日（周四）休息。\n";
  const auto parse = parse_holiday_notice(notice(items));
  INFO(problems_of(parse));
  REQUIRE(parse.notice);
  const HolidayNotice &n = *parse.notice;
  CHECK(day(n, make_date(2025, 12, 31))->off);
  CHECK_FALSE(day(n, make_date(2025, 12, 27))->off);
  CHECK(day(n, make_date(2026, 4, 6))->off);
  CHECK(day(n, make_date(2026, 4, 5)) == nullptr); // the weekend is not part of the set
  CHECK(day(n, make_date(2026, 5, 4))->off);
  CHECK_FALSE(day(n, make_date(2026, 10, 11))->off);
  CHECK(day(n, make_date(2026, 10, 8)) == nullptr); // advice, not a day off
}

TEST_CASE("an item broken over two lines is read as one") {
  const auto parse = parse_holiday_notice(with_item(
      2, "二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，\n"
         "  共9天。2月14日（周六）、2月28日（周六）上班。"));
  INFO(problems_of(parse));
  REQUIRE(parse.notice);
  CHECK(parse.notice->days.size() == 39);
}

TEST_CASE("a wrong count is located at 共N天 and says what the dates add up to") {
  check_located(
      only_problem(with_item(
          2, "二、春节：2月15日（周日）至23日（周一）放假调休，共8天。2月14日（周六）上班。")),
      4, 28, "写的是8天，但2月15日至2月23日是9天：天数应为9");
}

TEST_CASE("a make-up workday on a weekday is refused: make-up days are weekends") {
  check_located(
      only_problem(with_item(1, "一、元旦：1月1日至3日放假调休，共3天。1月5日（周一）上班。")), 3,
      22, "应是周六或周日");
}

TEST_CASE("a weekday in parentheses must be the date's") {
  check_located(only_problem(with_item(3, "三、清明节：4月4日（周五）至6日（周一）放假，共3天。")),
                5, 12, "4月4日是周六，不是“周五”");
}

TEST_CASE("a date that does not exist is located at the date") {
  check_located(only_problem(with_item(5, "五、端午节：6月31日放假1天。")), 7, 7,
                "2026年6月没有31日");
}

TEST_CASE("an unknown festival name is refused, with the notice's spelling when it is an alias") {
  check_located(only_problem(with_item(3, "三、清明：4月4日至6日放假，共3天。")), 5, 3,
                "通知里写作“清明节”");
  check_located(only_problem(with_item(3, "三、植树节：4月4日至6日放假，共3天。")), 5, 3,
                "不认识的节日“植树节”");
}

TEST_CASE("the year comes from the title, or from the caller; they must agree") {
  std::string items = seven_2026;
  const auto p = only_problem("一些没有标题的文字\n" + items);
  CHECK(p.line == 1);
  CHECK(p.message.find("找不到标题") != std::string::npos);
  const auto given = parse_holiday_notice(items, 2026);
  REQUIRE(given.notice);
  CHECK(given.notice->year == 2026);
  check_located(only_problem(notice(items), 2027), 1, 9, "标题说的是2026年");
}

TEST_CASE("every problem is reported at once, in text order") {
  const auto parse =
      parse_holiday_notice(notice("一、元旦：1月1日（周五）至3日放假调休，共3天。\n"
                                  "二、春节：2月15日至23日放假调休，共9天。2月16日（周一）上班。\n"
                                  "三、清明节：4月4日至6日放假，共4天。\n"
                                  "四、劳动节：5月1日至5日放假调休，共5天。\n"
                                  "五、端午节：6月19日至21日放假，共3天。\n"
                                  "六、中秋节：9月25日至27日放假，共3天。\n"
                                  "七、国庆节：10月1日至7日放假调休，共7天。\n"));
  REQUIRE(parse.problems.size() == 4);
  CHECK(parse.problems[0].line == 3);
  CHECK(parse.problems[1].line == 4); // weekday of the make-up day
  CHECK(parse.problems[2].line == 4); // the make-up day inside the block
  CHECK(parse.problems[3].line == 5);
}

TEST_CASE("a missing festival, a date in two items, an open parenthesis are each refused") {
  std::string six = seven_2026.substr(0, seven_2026.find("\n七、") + 1);
  CHECK(only_problem(notice(six)).message.find("没有“国庆节”的安排") != std::string::npos);
  CHECK(only_problem(with_item(6, "六、中秋节：10月1日放假1天。")).message.find("已在第") !=
        std::string::npos);
  const auto p = only_problem(with_item(3, "三、清明节：4月4日（周六至6日放假，共3天。"));
  CHECK(p.message.find("括号没有闭合") != std::string::npos);
  CHECK(only_problem(notice("没有条目的通知\n")).message.find("没有节假日条目") !=
        std::string::npos);
}

TEST_CASE("text that is not UTF-8 is located at its first bad byte") {
  const auto p = only_problem(notice("一、元旦：1月\xff日放假。\n"));
  CHECK(p.line == 3);
  CHECK(p.column == 8);
}

TEST_CASE("no input crashes, throws or takes long: mutations, truncations, large inputs") {
  const std::string base = notice_text(2026);
  std::mt19937 rng(20261201);
  for (std::size_t cut = 0; cut <= base.size(); cut += 7)
    CHECK_NOTHROW(parse_holiday_notice(base.substr(0, cut)));
  const std::string alphabet =
      "一、：:（）()至~-日月年共天放假调休上班补休。，,0123456789 \n\xe5\xff";
  for (int round = 0; round < 3000; ++round) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 3) {
      case 0:
        text[at] = alphabet[rng() % alphabet.size()];
        break;
      case 1:
        text.erase(at, 1 + rng() % 6);
        break;
      default:
        text.insert(at, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    const auto parse = parse_holiday_notice(text);
    CHECK((parse.notice.has_value() != !parse.problems.empty()));
  }
  const auto started = std::chrono::steady_clock::now();
  std::string big = "国务院办公厅关于2026年部分节假日安排的通知\n";
  while (big.size() < 250 * 1024)
    big += "一、元旦：1月1日（周四（周四（周四、、、、至至至至9999999999999\n";
  CHECK_FALSE(parse_holiday_notice(big).problems.empty());
  std::string one_line(250 * 1024, '(');
  CHECK_FALSE(parse_holiday_notice("一、元旦：" + one_line, 2026).problems.empty());
  CHECK_FALSE(parse_holiday_notice(std::string(300 * 1024, 'x')).problems.empty());
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
}
