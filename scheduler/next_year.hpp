// The turn of the year: next year's plan from this one, written by editing
// the text (comments and layout kept), with every date that no longer holds
// flagged, never silently shifted (docs/EXTENSIONS.md, "xun next-year").
#pragma once

#include "scheduler/plan_loader.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xun::scheduler {

struct NextYear {
  int year = 0;                     // the new plan's year
  std::optional<std::string> text;  // the new plan; empty when the given plan is invalid
  std::vector<Diagnostic> errors;   // the given plan's own problems (nothing written)
  std::vector<Diagnostic> problems; // dates to fix in the new plan, located in it
  std::vector<Diagnostic> warnings; // to check: text naming the old year, missing holiday data
};

// `text` is the plan as read from `file`; problems and warnings name
// `output_file` (the new plan keeps every line and column of the old one).
NextYear next_year(std::string_view text, const std::string &file, const std::string &output_file,
                   const std::filesystem::path &data_dir);

} // namespace xun::scheduler
