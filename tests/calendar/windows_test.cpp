#include "calendar/edit_distance.hpp"
#include "calendar/holidays.hpp"
#include "calendar/windows.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

using namespace xun::calendar;

namespace {

struct Expected {
  const char *text;
  const char *first;
  const char *last;
  std::size_t count;
  Prefer prefer = Prefer::none;
};

const HolidaySet &cn_holidays() {
  static const HolidaySet set = [] {
    const char *dir = std::getenv("XUN_DATA_DIR");
    return load_holiday_set("cn", dir ? dir : "data");
  }();
  return set;
}

std::variant<Window, RelativeWindow, TextError> parse(const std::string &text, int year,
                                                      const HolidaySet *holidays = nullptr) {
  return parse_window(text, WindowContext{year, holidays});
}

Window absolute(const std::string &text, int year, const HolidaySet *holidays = nullptr) {
  auto result = parse(text, year, holidays);
  if (const auto *error = std::get_if<TextError>(&result)) {
    FAIL_CHECK("\"" << text << "\" failed at column " << error->column << ": " << error->message);
    return {};
  }
  REQUIRE_MESSAGE(std::holds_alternative<Window>(result), text << " is not absolute");
  return std::get<Window>(result);
}

RelativeWindow relative(const std::string &text) {
  auto result = parse(text, 2026);
  REQUIRE_MESSAGE(std::holds_alternative<RelativeWindow>(result), text << " is not relative");
  return std::get<RelativeWindow>(result);
}

TextError error_of(const std::string &text, int year, const HolidaySet *holidays = nullptr) {
  auto result = parse(text, year, holidays);
  REQUIRE_MESSAGE(std::holds_alternative<TextError>(result), text << " was accepted");
  return std::get<TextError>(result);
}

void check_rows(int year, std::initializer_list<Expected> rows,
                const HolidaySet *holidays = nullptr) {
  for (const auto &row : rows) {
    INFO(year << " " << std::string(row.text));
    const Window w = absolute(row.text, year, holidays);
    if (w.empty()) {
      continue;
    }
    CHECK(format_iso_date(w.dates.front()) == row.first);
    CHECK(format_iso_date(w.dates.back()) == row.last);
    CHECK(w.dates.size() == row.count);
    CHECK(prefer_name(w.prefer) == prefer_name(row.prefer));
    CHECK(std::is_sorted(w.dates.begin(), w.dates.end()));
  }
}

std::size_t count_in_year(const std::string &text, int year) {
  return apply_relative_in_year(relative(text), year).dates.size();
}

} // namespace

TEST_CASE("single days read as ISO, Chinese and English dates") {
  check_rows(2026, {{"2026-05-04", "2026-05-04", "2026-05-04", 1},
                    {"5月4日", "2026-05-04", "2026-05-04", 1},
                    {"5月4号", "2026-05-04", "2026-05-04", 1},
                    {"May 4", "2026-05-04", "2026-05-04", 1},
                    {"4 May", "2026-05-04", "2026-05-04", 1},
                    {"May 4th", "2026-05-04", "2026-05-04", 1},
                    {"五月四日", "2026-05-04", "2026-05-04", 1},
                    {"2026年5月4日", "2026-05-04", "2026-05-04", 1}});
  check_rows(2025, {{"2025-05-04", "2025-05-04", "2025-05-04", 1},
                    {"5月4日", "2025-05-04", "2025-05-04", 1},
                    {"May 4", "2025-05-04", "2025-05-04", 1},
                    {"4 May", "2025-05-04", "2025-05-04", 1}});
}

TEST_CASE("day ranges include both ends") {
  check_rows(2026, {{"2026-02-21..2026-02-28", "2026-02-21", "2026-02-28", 8},
                    {"2026-02-21 .. 2026-02-28", "2026-02-21", "2026-02-28", 8},
                    {"2026-02-21..28", "2026-02-21", "2026-02-28", 8},
                    {"2月21日至28日", "2026-02-21", "2026-02-28", 8},
                    {"2月21日-2月28日", "2026-02-21", "2026-02-28", 8},
                    {"2月21-28日", "2026-02-21", "2026-02-28", 8},
                    {"2月21日至3月5日", "2026-02-21", "2026-03-05", 13},
                    {"Feb 21-28", "2026-02-21", "2026-02-28", 8},
                    {"2025-12-30..2026-01-02", "2026-01-01", "2026-01-02", 2}});
  check_rows(2025, {{"2025-02-21..2025-02-28", "2025-02-21", "2025-02-28", 8},
                    {"2月21日至28日", "2025-02-21", "2025-02-28", 8}});
}

TEST_CASE("months read in every spelling") {
  for (const int year : {2025, 2026}) {
    const std::string y = std::to_string(year);
    for (const char *text : {"5月", "五月", "5月份", "May", "may", "2026-05", "２０２６－０５"}) {
      std::string t = text;
      if (t.rfind("2026", 0) == 0) {
        t.replace(0, 4, y);
      } else if (t.find("２０２６") == 0) {
        t = y + "-05";
      }
      INFO(t);
      const Window w = absolute(t, year);
      REQUIRE(w.dates.size() == 31);
      CHECK(format_iso_date(w.dates.front()) == y + "-05-01");
      CHECK(format_iso_date(w.dates.back()) == y + "-05-31");
    }
  }
  check_rows(2026, {{"十二月", "2026-12-01", "2026-12-31", 31},
                    {"十一月", "2026-11-01", "2026-11-30", 30},
                    {"2月", "2026-02-01", "2026-02-28", 28},
                    {"February", "2026-02-01", "2026-02-28", 28},
                    {"Sept", "2026-09-01", "2026-09-30", 30}});
  check_rows(2028, {{"2月", "2028-02-01", "2028-02-29", 29}});
}

TEST_CASE("month ranges include both end months in 2025 and 2026") {
  check_rows(2026, {{"5-7月", "2026-05-01", "2026-07-31", 92},
                    {"5月至7月", "2026-05-01", "2026-07-31", 92},
                    {"5月-7月", "2026-05-01", "2026-07-31", 92},
                    {"五至七月", "2026-05-01", "2026-07-31", 92},
                    {"May-July", "2026-05-01", "2026-07-31", 92},
                    {"May to July", "2026-05-01", "2026-07-31", 92},
                    {"2026-05..2026-07", "2026-05-01", "2026-07-31", 92}});
  check_rows(2025, {{"5-7月", "2025-05-01", "2025-07-31", 92},
                    {"五至七月", "2025-05-01", "2025-07-31", 92},
                    {"May-July", "2025-05-01", "2025-07-31", 92}});
}

TEST_CASE("month lists are the union of their months") {
  check_rows(2026, {{"一、二月份", "2026-01-01", "2026-02-28", 59},
                    {"一、三月", "2026-01-01", "2026-03-31", 62},
                    {"5月、11月", "2026-05-01", "2026-11-30", 61},
                    {"5月份、11月份", "2026-05-01", "2026-11-30", 61},
                    {"５月，１１月", "2026-05-01", "2026-11-30", 61},
                    {"May, November", "2026-05-01", "2026-11-30", 61},
                    {"二、四、六、八、十、十二月", "2026-02-01", "2026-12-31",
                     28 + 30 + 30 + 31 + 31 + 31}});
  check_rows(2028, {{"一、二月份", "2028-01-01", "2028-02-29", 60}});
  const Window w = absolute("一、三月", 2026);
  CHECK_FALSE(w.contains(make_date(2026, 2, 10)));
  CHECK(w.contains(make_date(2026, 3, 10)));
}

TEST_CASE("thirds of February in 2025 and 2026") {
  check_rows(2026, {{"2月上旬", "2026-02-01", "2026-02-10", 10},
                    {"2月中旬", "2026-02-11", "2026-02-20", 10},
                    {"2月下旬", "2026-02-21", "2026-02-28", 8},
                    {"early February", "2026-02-01", "2026-02-10", 10},
                    {"mid February", "2026-02-11", "2026-02-20", 10},
                    {"mid-February", "2026-02-11", "2026-02-20", 10},
                    {"late February", "2026-02-21", "2026-02-28", 8},
                    {"3月下旬", "2026-03-21", "2026-03-31", 11}});
  check_rows(2025, {{"2月上旬", "2025-02-01", "2025-02-10", 10},
                    {"2月中旬", "2025-02-11", "2025-02-20", 10},
                    {"2月下旬", "2025-02-21", "2025-02-28", 8},
                    {"late February", "2025-02-21", "2025-02-28", 8}});
  check_rows(2028, {{"2月下旬", "2028-02-21", "2028-02-29", 9}});
}

TEST_CASE("named thirds joined by 、 are their union") {
  check_rows(2026, {{"4月中、下旬", "2026-04-11", "2026-04-30", 20},
                    {"4月上、中旬", "2026-04-01", "2026-04-20", 20},
                    {"4月中下旬", "2026-04-11", "2026-04-30", 20},
                    {"mid to late April", "2026-04-11", "2026-04-30", 20}});
  check_rows(2025, {{"4月中、下旬", "2025-04-11", "2025-04-30", 20},
                    {"4月上、中旬", "2025-04-01", "2025-04-20", 20}});
  const Window gap = absolute("4月上、下旬", 2026);
  CHECK(gap.dates.size() == 20);
  CHECK_FALSE(gap.contains(make_date(2026, 4, 15)));
}

TEST_CASE("soft edges of a month prefer early, middle or late days") {
  for (const int year : {2025, 2026}) {
    INFO(year);
    const std::string y = std::to_string(year);
    for (const char *text : {"3月初", "beginning of March", "start of March"}) {
      const Window w = absolute(text, year);
      CHECK(w.prefer == Prefer::early);
      CHECK(format_iso_date(w.dates.front()) == y + "-03-01");
      CHECK(format_iso_date(w.dates.back()) == y + "-03-10");
      CHECK(w.dates.size() == 10);
      CHECK_FALSE(w.target.has_value());
    }
    for (const char *text : {"3月中", "middle of March"}) {
      const Window w = absolute(text, year);
      CHECK(w.prefer == Prefer::middle);
      CHECK(format_iso_date(w.dates.front()) == y + "-03-11");
      CHECK(format_iso_date(w.dates.back()) == y + "-03-20");
      REQUIRE(w.target.has_value());
      CHECK(format_iso_date(*w.target) == y + "-03-15");
    }
    for (const char *text : {"2月底", "2月末", "end of February", "the end of February"}) {
      const Window w = absolute(text, year);
      CHECK(w.prefer == Prefer::late);
      CHECK(format_iso_date(w.dates.front()) == y + "-02-21");
      CHECK(format_iso_date(w.dates.back()) == y + "-02-28");
      CHECK(w.dates.size() == 8);
    }
  }
}

TEST_CASE("end of February in a leap year without holiday data runs to the 29th") {
  const Window w = absolute("2月底", 2028);
  REQUIRE(w.dates.size() == 9);
  CHECK(format_iso_date(w.dates.front()) == "2028-02-21");
  CHECK(format_iso_date(w.dates.back()) == "2028-02-29");
  CHECK(w.prefer == Prefer::late);
}

TEST_CASE("quarters, halves and the parts of a year") {
  check_rows(2026, {{"第一季度", "2026-01-01", "2026-03-31", 90},
                    {"一季度", "2026-01-01", "2026-03-31", 90},
                    {"第1季度", "2026-01-01", "2026-03-31", 90},
                    {"Q1", "2026-01-01", "2026-03-31", 90},
                    {"q2", "2026-04-01", "2026-06-30", 91},
                    {"第三季度", "2026-07-01", "2026-09-30", 92},
                    {"Q4", "2026-10-01", "2026-12-31", 92},
                    {"上半年", "2026-01-01", "2026-06-30", 181},
                    {"H1", "2026-01-01", "2026-06-30", 181},
                    {"下半年", "2026-07-01", "2026-12-31", 184},
                    {"H2", "2026-07-01", "2026-12-31", 184},
                    {"年初", "2026-01-01", "2026-01-31", 31},
                    {"年底", "2026-12-01", "2026-12-31", 31},
                    {"年末", "2026-12-01", "2026-12-31", 31},
                    {"年内", "2026-01-01", "2026-12-31", 365},
                    {"全年", "2026-01-01", "2026-12-31", 365},
                    {"all year", "2026-01-01", "2026-12-31", 365}});
  check_rows(2025, {{"第一季度", "2025-01-01", "2025-03-31", 90},
                    {"一季度", "2025-01-01", "2025-03-31", 90},
                    {"Q3", "2025-07-01", "2025-09-30", 92},
                    {"上半年", "2025-01-01", "2025-06-30", 181},
                    {"H2", "2025-07-01", "2025-12-31", 184},
                    {"年初", "2025-01-01", "2025-01-31", 31},
                    {"年末", "2025-12-01", "2025-12-31", 31},
                    {"全年", "2025-01-01", "2025-12-31", 365},
                    {"all year", "2025-01-01", "2025-12-31", 365}});
  check_rows(2028,
             {{"Q1", "2028-01-01", "2028-03-31", 91}, {"全年", "2028-01-01", "2028-12-31", 366}});
}

TEST_CASE("ISO weeks run Monday to Sunday, clipped to the year") {
  check_rows(2026, {{"第10周", "2026-03-02", "2026-03-08", 7},
                    {"week 10", "2026-03-02", "2026-03-08", 7},
                    {"第十周", "2026-03-02", "2026-03-08", 7},
                    {"第1周", "2026-01-01", "2026-01-04", 4},
                    {"第53周", "2026-12-28", "2026-12-31", 4},
                    {"2026-W10", "2026-03-02", "2026-03-08", 7}});
  check_rows(2025, {{"第10周", "2025-03-03", "2025-03-09", 7},
                    {"week 10", "2025-03-03", "2025-03-09", 7},
                    {"第1周", "2025-01-01", "2025-01-05", 5},
                    {"week 52", "2025-12-22", "2025-12-28", 7}});
  const Window w = absolute("第10周", 2026);
  CHECK(weekday_index(w.dates.front()) == 1u);
}

TEST_CASE("week 53 exists only in a year that has it") {
  const TextError e = error_of("第53周", 2025);
  CHECK(e.column == 2);
  CHECK(e.message.find("1–52") != std::string::npos);
  CHECK(error_of("week 53", 2025).column == 6);
}

TEST_CASE("festival windows of 2026 follow the holiday blocks") {
  const HolidaySet &cn = cn_holidays();
  check_rows(2026,
             {{"春节前", "2026-02-05", "2026-02-14", 10},
              {"春节后", "2026-02-24", "2026-03-05", 10},
              {"七一前", "2026-06-21", "2026-06-30", 10},
              {"before 国庆", "2026-09-21", "2026-09-30", 10},
              {"国庆节前", "2026-09-21", "2026-09-30", 10},
              {"before National Day", "2026-09-21", "2026-09-30", 10},
              {"国庆后", "2026-10-08", "2026-10-17", 10},
              {"after 劳动节", "2026-05-06", "2026-05-15", 10},
              {"劳动节", "2026-04-24", "2026-05-08", 15},
              {"五一", "2026-04-24", "2026-05-08", 15},
              {"七一", "2026-06-24", "2026-07-08", 15},
              {"around 青年节", "2026-04-27", "2026-05-11", 15},
              {"十一", "2026-09-24", "2026-10-08", 15}},
             &cn);
}

TEST_CASE("festival windows of 2025 follow the holiday blocks") {
  const HolidaySet &cn = cn_holidays();
  check_rows(2025,
             {{"春节前", "2025-01-18", "2025-01-27", 10},
              {"春节后", "2025-02-05", "2025-02-14", 10},
              {"七一前", "2025-06-21", "2025-06-30", 10},
              {"before 国庆", "2025-09-21", "2025-09-30", 10},
              {"国庆后", "2025-10-09", "2025-10-18", 10},
              {"after 劳动节", "2025-05-06", "2025-05-15", 10},
              {"劳动节", "2025-04-24", "2025-05-08", 15},
              {"七一", "2025-06-24", "2025-07-08", 15},
              {"around 青年节", "2025-04-27", "2025-05-11", 15}},
             &cn);
}

TEST_CASE("without a holiday set a festival's block is its day alone") {
  check_rows(2026, {{"七一前", "2026-06-21", "2026-06-30", 10},
                    {"国庆后", "2026-10-02", "2026-10-11", 10},
                    {"春节前", "2026-02-07", "2026-02-16", 10}});
}

TEST_CASE("a festival window outside the year is an error") {
  const TextError e = error_of("元旦前", 2026, &cn_holidays());
  CHECK(e.column == 1);
  CHECK(e.message.find("2026") != std::string::npos);
}

TEST_CASE("relative thirds and soft edges apply inside any month") {
  const RelativeWindow late = relative("月底");
  CHECK(late.kind == RelativeWindow::Kind::month_days);
  CHECK(late.prefer == Prefer::late);
  const Window feb = apply_relative(late, month_range(2026, 2));
  REQUIRE(feb.dates.size() == 8);
  CHECK(format_iso_date(feb.dates.front()) == "2026-02-21");
  CHECK(format_iso_date(feb.dates.back()) == "2026-02-28");
  CHECK(feb.prefer == Prefer::late);
  CHECK(apply_relative(late, month_range(2028, 2)).dates.size() == 9);
  CHECK(apply_relative(relative("月末"), month_range(2026, 3)).dates.size() == 11);

  const Window mid = apply_relative(relative("月中"), month_range(2026, 3));
  CHECK(mid.dates.size() == 10);
  CHECK(mid.prefer == Prefer::middle);
  REQUIRE(mid.target.has_value());
  CHECK(format_iso_date(*mid.target) == "2026-03-15");
  // A period that stops before the 15th has no target.
  const Window cut =
      apply_relative(relative("月中"), {make_date(2026, 3, 11), make_date(2026, 3, 13)});
  CHECK(cut.dates.size() == 3);
  CHECK_FALSE(cut.target.has_value());

  const Window early = apply_relative(relative("月初"), month_range(2026, 5));
  CHECK(early.dates.size() == 10);
  CHECK(early.prefer == Prefer::early);

  for (const char *text : {"上旬", "early"}) {
    CHECK(apply_relative(relative(text), month_range(2026, 2)).dates.size() == 10);
    CHECK(relative(text).prefer == Prefer::none);
  }
  for (const char *text : {"中旬", "mid"}) {
    CHECK(apply_relative(relative(text), month_range(2026, 2)).dates.front() ==
          make_date(2026, 2, 11));
  }
  for (const char *text : {"下旬", "late"}) {
    CHECK(apply_relative(relative(text), month_range(2026, 2)).dates.size() == 8);
  }
  CHECK(apply_relative(relative("上、中旬"), month_range(2026, 2)).dates.size() == 20);
  CHECK(relative("end of the month") == late);
  CHECK(relative("beginning of month") == relative("月初"));
}

TEST_CASE("relative windows without a repeat cover the whole year") {
  CHECK(count_in_year("月初", 2026) == 120);
  CHECK(count_in_year("下旬", 2026) == 8 + 11 * 7 + 10 * 4);
  CHECK(count_in_year("月底", 2028) == 126);
  const Window quarter_ends = apply_relative_in_year(relative("季末"), 2026);
  CHECK(quarter_ends.dates.size() == 31 + 30 + 30 + 31);
  CHECK(quarter_ends.contains(make_date(2026, 3, 1)));
  CHECK(quarter_ends.contains(make_date(2026, 12, 31)));
  CHECK_FALSE(quarter_ends.contains(make_date(2026, 4, 1)));
  const Window quarter_starts = apply_relative_in_year(relative("季初"), 2025);
  CHECK(quarter_starts.dates.size() == 31 + 30 + 31 + 31);
  CHECK(relative("end of quarter") == relative("季末"));
}

TEST_CASE("季末 inside a half year keeps only that half's quarter ends") {
  const Window w =
      apply_relative(relative("季末"), {make_date(2026, 7, 1), make_date(2026, 12, 31)});
  CHECK(w.dates.size() == 30 + 31);
  CHECK(format_iso_date(w.dates.front()) == "2026-09-01");
}

TEST_CASE("weekday names and lists select days of the week") {
  for (const char *text : {"mon", "monday", "Monday", "周一", "星期一"}) {
    const RelativeWindow r = relative(text);
    CHECK(r.kind == RelativeWindow::Kind::weekdays);
    CHECK(r.weekdays == std::array<bool, 7>{false, true, false, false, false, false, false});
  }
  CHECK(relative("周日").weekdays[0]);
  CHECK(relative("星期天").weekdays[0]);
  CHECK(relative("sun").weekdays[0]);
  CHECK(relative("tue, thu") == relative("周二、周四"));
  CHECK(relative("周二、四") == relative("tue, thu"));
  CHECK(relative("mon-fri") == relative("周一至周五"));
  CHECK(count_in_year("tue, thu", 2026) == 52 + 53); // 2026 begins on a Thursday
  CHECK(count_in_year("tue, thu", 2025) == 52 + 52);
  CHECK(count_in_year("周六", 2026) == 52);
  const Window weeks = apply_relative(relative("周二"), month_range(2026, 2));
  CHECK(weeks.dates.size() == 4);
  CHECK(format_iso_date(weeks.dates.front()) == "2026-02-03");
}

TEST_CASE("ambiguous words are refused with unambiguous spellings") {
  const TextError even = error_of("双月", 2026);
  CHECK(even.column == 1);
  CHECK(even.message.find("二、四、六、八、十、十二月") != std::string::npos);
  CHECK(even.message.find("repeat: [2月, 4月") != std::string::npos);
  const TextError odd = error_of("每年单月", 2026);
  CHECK(odd.column == 3);
  CHECK(odd.message.find("一、三、五、七、九、十一月") != std::string::npos);
}

TEST_CASE("impossible dates are refused at the offending number") {
  CHECK(error_of("2月30日", 2026).column == 3);
  CHECK(error_of("2月29日", 2026).column == 3);
  CHECK(std::holds_alternative<Window>(parse("2月29日", 2028)));
  CHECK(error_of("13月", 2026).column == 1);
  CHECK(error_of("13月", 2026).message.find("12") != std::string::npos);
  CHECK(error_of("2026-02-30", 2026).column == 9);
  CHECK(error_of("2026-13-01", 2026).column == 6);
  CHECK(error_of("第54周", 2026).column == 2);
  CHECK(error_of("  2月30日", 2026).column == 5);
  CHECK(error_of("２月３０日", 2026).column == 3);
  CHECK(error_of("February 30", 2026).column == 10);
  CHECK(error_of("Q5", 2026).column == 2);
  CHECK(error_of("5月、13月", 2026).column == 4);
  CHECK(error_of("7-5月", 2026).column == 3);
}

TEST_CASE("a window outside the plan year is empty and refused") {
  const TextError e = error_of("2025-05-04", 2026);
  CHECK(e.column == 1);
  CHECK(e.message.find("2026") != std::string::npos);
}

TEST_CASE("unknown text names where it goes wrong and shows spellings") {
  const TextError foo = error_of("foo", 2026);
  CHECK(foo.column == 1);
  CHECK(foo.message.find("nearest spellings: ") != std::string::npos);
  CHECK(error_of("5月xyz", 2026).column == 3);
  CHECK(error_of("3月上", 2026).column == 3);
  CHECK(error_of("5月、", 2026).column == 3);
  CHECK(error_of("", 2026).column == 1);
  CHECK(error_of("   ", 2026).column == 1);
  CHECK(error_of("before 月亮", 2026).column == 8);
}

TEST_CASE("surrounding whitespace and full-width forms are accepted") {
  check_rows(2026, {{"  5月  ", "2026-05-01", "2026-05-31", 31},
                    {"５月４日", "2026-05-04", "2026-05-04", 1},
                    {"\t2月下旬\n", "2026-02-21", "2026-02-28", 8}});
}

TEST_CASE("a union of soft edges keeps a shared preference only") {
  CHECK(absolute("3月初、5月初", 2026).prefer == Prefer::early);
  CHECK(absolute("3月初、5月底", 2026).prefer == Prefer::none);
  CHECK_FALSE(absolute("3月中、5月中", 2026).target.has_value());
}

TEST_CASE("intersect, restrict_to and contains keep the first window's preference") {
  const Window mid = absolute("3月中", 2026);
  const Window march = absolute("3月", 2026);
  const Window both = intersect(mid, march);
  CHECK(both.dates == mid.dates);
  CHECK(both.prefer == Prefer::middle);
  CHECK(both.target == mid.target);
  const Window none = intersect(march, absolute("4月", 2026));
  CHECK(none.empty());
  const Window cut = restrict_to(mid, {make_date(2026, 3, 16), make_date(2026, 3, 31)});
  CHECK(cut.dates.size() == 5);
  CHECK_FALSE(cut.target.has_value());
  CHECK(cut.prefer == Prefer::middle);
  CHECK(mid.contains(make_date(2026, 3, 11)));
  CHECK_FALSE(mid.contains(make_date(2026, 3, 21)));
  CHECK(prefer_name(Prefer::none) == "none");
  CHECK(prefer_name(Prefer::early) == "early");
  CHECK(prefer_name(Prefer::middle) == "middle");
  CHECK(prefer_name(Prefer::late) == "late");
}

TEST_CASE("the same text gives the same window") {
  CHECK(absolute("4月中、下旬", 2026) == absolute("4月中、下旬", 2026));
}

TEST_CASE("a weekday name alone reads in every spelling a window accepts") {
  using xun::calendar::parse_weekday;
  CHECK(parse_weekday("mon") == 1u);
  CHECK(parse_weekday("Monday") == 1u);
  CHECK(parse_weekday("周一") == 1u);
  CHECK(parse_weekday("星期一") == 1u);
  CHECK(parse_weekday("周日") == 0u);
  CHECK(parse_weekday("周天") == 0u);
  CHECK(parse_weekday("sat") == 6u);
  CHECK_FALSE(parse_weekday("tue, thu").has_value());
  CHECK_FALSE(parse_weekday("月初").has_value());
  CHECK_FALSE(parse_weekday("5月").has_value());
  CHECK_FALSE(parse_weekday("funday").has_value());
}

TEST_CASE("a deadline runs from the start of its quarter to the end it names") {
  check_rows(2026, {
                       {"6月底前", "2026-04-01", "2026-06-30", 91},
                       {"10月1日前", "2026-07-01", "2026-09-30", 92},
                       {"9月30日前", "2026-07-01", "2026-09-29", 91},
                       {"6月中旬之前", "2026-04-01", "2026-06-20", 81},
                       {"3月10日以前", "2026-01-01", "2026-03-09", 68},
                   });
}

TEST_CASE("a deadline on a whole month is refused as ambiguous, naming both readings") {
  const auto e = error_of("6月前", 2026);
  CHECK(e.column == 3);
  CHECK(e.message.find("5月底前 or 6月底前") != std::string::npos);
  CHECK(e.zh.find("有歧义") != std::string::npos);
}

TEST_CASE("a span between two pieces of months runs from the first's start to the second's end") {
  check_rows(2026, {
                       {"5月上旬至6月中旬", "2026-05-01", "2026-06-20", 51},
                       {"3月下旬到4月上旬", "2026-03-21", "2026-04-10", 21},
                       {"第一季度至5月", "2026-01-01", "2026-05-31", 151},
                   });
  CHECK(error_of("6月中旬至5月上旬", 2026).message.find("backwards") != std::string::npos);
}

TEST_CASE("a festival with a span after it takes that many days instead of ten") {
  // 2026: the National Day block is Oct 1–7.
  check_rows(2026,
             {
                 {"国庆节后一周", "2026-10-08", "2026-10-14", 7},
                 {"国庆后两周", "2026-10-08", "2026-10-21", 14},
                 {"春节前5天", "2026-02-10", "2026-02-14", 5},
             },
             &cn_holidays());
}

TEST_CASE("a time of day in a window is refused, pointing at it and saying what to write in at") {
  auto e = error_of("3月24日上午9点", 2026);
  CHECK(e.column == 6);
  CHECK(e.message == "a time of day belongs in `at:` — write when: 3月24日 and at: \"09:00\"");
  CHECK(e.zh == "时刻应写在 `at:` 里：写 when: 3月24日 和 at: \"09:00\"");
  CHECK(error_of("5月4日下午3点半", 2026).message.ends_with("at: \"15:30\""));
  CHECK(error_of("5月4日 14:00", 2026).message.ends_with("when: 5月4日 and at: \"14:00\""));
  CHECK(error_of("5月4日下午", 2026).message.ends_with("at: \"14:00-17:30\""));
}

TEST_CASE("an unknown window gets one short message and the nearest spellings") {
  const auto e = error_of("6月低", 2026);
  CHECK(e.message.find("write for example") == std::string::npos);
  CHECK(e.message.find("nearest spellings: 6月") != std::string::npos);
  CHECK(e.message.find("6月底") != std::string::npos);
  CHECK(e.zh.find("无法识别时间窗口“6月低”") == 0);
  CHECK(e.zh.find("最接近的写法：6月") != std::string::npos);
  CHECK(e.message.size() < 120);
  const auto english = error_of("erly May", 2026);
  CHECK(english.message.find("early May") != std::string::npos);
}

TEST_CASE("edit distance counts characters, not bytes") {
  CHECK(xun::calendar::edit_distance("6月低", "6月底") == 1);
  CHECK(xun::calendar::edit_distance("", "abc") == 3);
  CHECK(xun::calendar::nearest_spellings("tittle", {"title", "kind", "title", "when"}, 2) ==
        std::vector<std::string>{"title", "kind"});
}
