// The State Council's holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知)
// as text, read into a holiday set in the holiday-cn format of
// data/holidays/cn/YYYY.json. docs/EXTENSIONS.md describes the shapes accepted.
#pragma once

#include "calendar/holidays.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xun::calendar {

// One thing wrong in the notice: where (1-based; the column counts
// characters, not bytes) and, in Chinese, what is wrong and what would be right.
struct NoticeProblem {
  int line = 0;
  int column = 0;
  std::string message;
  std::string to_string(const std::string &source) const; // "SOURCE:LINE:COL: message"
  friend bool operator==(const NoticeProblem &, const NoticeProblem &) = default;
};

struct HolidayNotice {
  int year = 0;                    // of the title (or the caller's)
  std::vector<std::string> papers; // URLs found in the text, in order
  std::vector<HolidayDay> days;    // sorted by date, as holiday-cn keeps them
};

struct NoticeParse {
  std::optional<HolidayNotice> notice; // set when problems is empty
  std::vector<NoticeProblem> problems; // every problem found, in text order
};

// Reads the notice; `year` stands in for (or must agree with) the title's.
// Linear in the text; never throws for any input.
NoticeParse parse_holiday_notice(std::string_view text, std::optional<int> year = std::nullopt);

// The holiday-cn JSON document, byte for byte as the bundled files are written
// ({$schema, $id, year, papers, days}, four-space indent, no final newline).
std::string holiday_cn_json(const HolidayNotice &notice);

// Why the holiday file at `path` should not be replaced by `days`: it holds
// other official data (a sentence naming the first date that differs) or is
// not a holiday file. Empty when it may be: absent, with empty days (not yet
// published), or with the same days.
std::string replacement_refusal(const std::filesystem::path &path,
                                const std::vector<HolidayDay> &days);

} // namespace xun::calendar
