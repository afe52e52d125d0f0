// The pages' language (http/page_text.cpp): Chinese unless English is asked
// for, and the dates in each language's order.
#include "http/page_text.hpp"

#include <doctest/doctest.h>

using namespace xun::http;

TEST_CASE("pages are Chinese by default and English only when English is preferred") {
  CHECK(page_language("", std::nullopt) == Lang::zh);
  CHECK(page_language("zh-CN,zh;q=0.9", std::nullopt) == Lang::zh);
  CHECK(page_language("en-US,en;q=0.9", std::nullopt) == Lang::en);
  CHECK(page_language("EN", std::nullopt) == Lang::en);
  CHECK(page_language("zh-CN,en;q=0.5", std::nullopt) == Lang::zh);
  CHECK(page_language("en;q=0.4, zh-TW;q=0.8", std::nullopt) == Lang::zh);
  CHECK(page_language("fr-FR,en;q=0.7", std::nullopt) == Lang::en);
  CHECK(page_language("fr-FR,de", std::nullopt) == Lang::zh);
  CHECK(page_language("en;q=0", std::nullopt) == Lang::zh);     // q=0: not acceptable
  CHECK(page_language("en-US", std::string("zh")) == Lang::zh); // ?lang= wins
  CHECK(page_language("zh-CN", std::string("en")) == Lang::en);
  CHECK(page_language("zh-CN", std::string("xx")) == Lang::zh);
}

TEST_CASE("month headings and day labels follow each language's order") {
  const auto d = xun::calendar::make_date(2026, 2, 24);
  CHECK(month_heading(Lang::zh, 2026, 1) == "2026年1月");
  CHECK(month_heading(Lang::en, 2026, 1) == "January 2026");
  CHECK(day_label(Lang::zh, d) == "2月24日（周二）");
  CHECK(day_label(Lang::en, d) == "Tue 24 Feb");
  CHECK(long_date(Lang::zh, d) == "2026年2月24日");
  CHECK(long_date(Lang::en, d) == "24 February 2026");
  CHECK(std::string(words(Lang::zh).html_lang) == "zh-CN");
}
