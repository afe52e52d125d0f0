#!/usr/bin/env bash
# Runs every benchmark: builds Release, then each bench/*_bench binary and each
# bench/*_bench.sh script, in name order. Figures go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DXUN_WERROR=OFF -DBUILD_TESTING=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
export XUN_DATA_DIR="$PWD/data" XUN_BINARY="$PWD/build-bench/app/xun" XUN_BENCH_BUILD_DIR="$PWD/build-bench"
for b in build-bench/bench/*_bench; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b"
done
for s in bench/*_bench.sh; do
  [ -f "$s" ] || continue
  echo "== $(basename "$s")"
  bash "$s"
done
