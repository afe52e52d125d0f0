#!/usr/bin/env bash
# Regenerates tests/data/golden/ (the published bytes of the seed plans) from
# the current build. Run it when a change is meant to alter schedules, feeds or
# pages, then review `git diff tests/data/golden` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cmake --build "$build" -j2 --target http_golden_test xun
XUN_UPDATE_GOLDEN=1 ctest --test-dir "$build" -R '^http/golden_test$' --output-on-failure
git status --short tests/data/golden
