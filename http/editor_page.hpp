// The editor (/new, /plans/{id}/edit): the plan text with line numbers,
// checked as one types (POST /api/validate) with the problems' lines marked,
// a month-by-month preview (and, for an existing plan, what would move:
// PUT ?dry_run=1), and publish (POST or PUT). Plain HTML; the script is
// served from the binary at /editor.js (no build step, no inline script).
#pragma once

#include "service/service.hpp"

#include <string>
#include <vector>

namespace xun::http {

struct EditorInput {
  std::string plan_id; // "" for a new plan
  std::string text;    // the plan's latest text (edit), or "" (new)
  std::string csrf;    // sent back as X-CSRF-Token by the script
  std::vector<service::PlanTemplate> templates;
};

std::string editor_page_html(const EditorInput &input);
const std::string &editor_script(); // GET /editor.js

} // namespace xun::http
