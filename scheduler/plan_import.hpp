// A work plan as secretaries write it — plain text such as "2月下旬，组织召开一次
// 党员大会" under headings 第一季度 or （三）五月份： — read into a draft plan
// (YAML text): one activity per dated item, with when, repeat, count, kind
// and a title; every line that could not be read kept as a comment
// (`# 未识别: …`), never dropped. Pure: text in, text out (docs/IMPORT.md).
#pragma once

#include "scheduler/input_text.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace xun::scheduler {

struct ImportOptions {
  int year = 0;       // the plan year the windows resolve in
  std::string title;  // the plan's title; empty: the text's first short line
  std::string source; // named in the draft's first comment (a file name)
};

struct ImportResult {
  std::string yaml;                        // the draft plan; empty when `encoding` is set
  std::size_t items = 0;                   // activities written
  std::size_t unread = 0;                  // lines kept as `# 未识别:` comments
  std::optional<EncodingProblem> encoding; // the text is not UTF-8
};

ImportResult import_plan(std::string_view text, const ImportOptions &options);

} // namespace xun::scheduler
