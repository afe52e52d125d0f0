// Loading a plan from YAML or JSON text, strictly: every problem at once, each
// as FILE:LINE:COL: message.
#pragma once

#include "calendar/holidays.hpp"
#include "scheduler/plan.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xun::scheduler {

struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string to_string() const; // "FILE:LINE:COL: message"
};

struct LoadResult {
  std::optional<Plan> plan;       // set when errors is empty
  std::vector<Diagnostic> errors; // every problem found, in file order
};

// `file` names the text in messages and gives the default plan id; holiday
// sets are read from `data_dir`, with the years of `holidays` in place of
// their files (notices imported into the service).
LoadResult load_plan(std::string_view text, const std::string &file,
                     const std::filesystem::path &data_dir,
                     const calendar::HolidayOverlay &holidays = {});
LoadResult load_plan_file(const std::filesystem::path &path, const std::filesystem::path &data_dir);

// The default id of §1: base name, lower-cased, runs outside [a-z0-9-] → "-".
std::string default_plan_id(const std::string &file);

} // namespace xun::scheduler
