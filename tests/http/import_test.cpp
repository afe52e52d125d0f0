// POST /api/import over a real socket: a work plan's text in, the draft plan out.
#include "http/support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using nlohmann::json;
using namespace xun::http::test;

namespace {

const std::string text = "第一季度\n1、2月下旬，组织召开一次党员大会\n说明文字。\n";

HttpHeaders with_accept(const std::string &type) {
  auto headers = auth();
  headers.emplace_back("Accept", type);
  return headers;
}

} // namespace

TEST_CASE("POST /api/import answers the draft as YAML, in the year of the service's clock") {
  TestServer s; // its clock reads 2026-01-01
  auto r = s.send("POST", "/api/import", text);
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type").find("text/yaml") == 0);
  CHECK(r.body.find("year: 2026\n") != std::string::npos);
  CHECK(r.body.find("    when: \"2月下旬\"\n") != std::string::npos);
  CHECK(r.body.find("  # 未识别: 说明文字。\n") != std::string::npos);
}

TEST_CASE("POST /api/import answers JSON with the counts when asked, in the year given") {
  TestServer s;
  auto r = s.send("POST", "/api/import?year=2027", text, with_accept("application/json"));
  REQUIRE(r.status == 200);
  const json j = json::parse(r.body);
  CHECK(j["items"] == 1);
  CHECK(j["unread"] == 1);
  CHECK(j["yaml"].get<std::string>().find("year: 2027\n") != std::string::npos);
}

TEST_CASE("POST /api/import refuses GBK text with 422, a bad year with 400, no token with 401") {
  TestServer s;
  auto gbk = s.send("POST", "/api/import", "2\xD4\xC2\xCF\xC2\xD1\xAE\n");
  CHECK(gbk.status == 422);
  CHECK(gbk.body.find("GB18030/GBK") != std::string::npos);
  CHECK(s.send("POST", "/api/import?year=26", text).status == 400);
  CHECK(s.send("POST", "/api/import", text, {}).status == 401);
}
