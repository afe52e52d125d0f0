#!/usr/bin/env bash
# Sets up a Debian 12 machine and runs every test: a warnings-as-errors build,
# then the same tests under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
# Every C++ file as .clang-format says (a fast check, before the builds).
scripts/check-format.sh

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXUN_WERROR=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DXUN_SANITIZE=ON -DXUN_WERROR=ON
cmake --build build-sanitize -j"$jobs"
# Browser and load tests gain nothing from sanitizers and are slow under them.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitize --output-on-failure -j"$jobs" -LE no-sanitize
