// The importer (scheduler/plan_import) and the full-width normalisation before
// YAML (scheduler/input_text): any text gives a draft that the plan loader
// accepts, or an encoding problem; normalising keeps every line.
#include "check.hpp"
#include "harness.hpp"
#include "scheduler/input_text.hpp"
#include "scheduler/plan_import.hpp"
#include "scheduler/plan_loader.hpp"

#include <algorithm>
#include <string>

using namespace xun::scheduler;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text = xun::fuzz::text_of(data, size);
  const auto normalised = normalise_full_width(text);
  xun::fuzz::require(std::count(normalised.text.begin(), normalised.text.end(), '\n') ==
                         std::count(text.begin(), text.end(), '\n'),
                     "normalising keeps every line");
  const ImportResult draft = import_plan(text, {2026, "", "fuzz.txt"});
  if (draft.encoding) {
    xun::fuzz::require(draft.yaml.empty(), "no draft from text that is not UTF-8");
    return 0;
  }
  const auto loaded = load_plan(draft.yaml, "draft.yaml", XUN_FUZZ_DATA_DIR);
  std::string errors;
  for (const auto &e : loaded.errors)
    errors += e.to_string() + "\n";
  xun::fuzz::require(loaded.plan.has_value(), ("every draft loads: " + errors).c_str());
  return 0;
}
