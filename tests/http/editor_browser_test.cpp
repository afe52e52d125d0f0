// ctest-labels: no-sanitize
// The secretary's path in headless Chromium through WebDriver
// (tests/tools/editor_browser.py): sign in, paste a plan with two mistakes and
// see both lines marked, fix them, preview, publish, the page at 390 and 1280
// px, printed to PDF without a secret. Screenshots and the PDF are kept in
// ${XUN_BUILD_DIR}/test-artifacts/.
#include "http/support.hpp"

#include <doctest/doctest.h>

using namespace xun::http;
using namespace xun::http::test;

TEST_CASE("in Chromium a secretary signs in, fixes two marked mistakes, previews, publishes and "
          "prints") {
  TestServer s;
  const auto artifacts = std::filesystem::path(env("XUN_BUILD_DIR")) / "test-artifacts";
  std::filesystem::create_directories(artifacts);
  const std::string script =
      (std::filesystem::path(env("XUN_SOURCE_DIR")) / "tests" / "tools" / "editor_browser.py")
          .string();
  int rc = 0;
  const std::string output =
      run_output("timeout 300 /usr/bin/python3 " + shell_quote(script) + " " +
                     shell_quote("http://127.0.0.1:" + std::to_string(s.port)) + " " +
                     shell_quote(admin) + " " + shell_quote(artifacts.string()) + " 2>&1",
                 &rc);
  INFO(output);
  CHECK(rc == 0);
  CHECK(output.find("all steps held") != std::string::npos);
  for (const char *file : {"editor-two-mistakes.png", "editor-preview.png", "page-390.png",
                           "page-1280.png", "plan-page.pdf"})
    CHECK_MESSAGE(std::filesystem::exists(artifacts / file), file);
}
