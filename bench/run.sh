#!/usr/bin/env bash
# Runs every benchmark: builds Release, then each bench/*_bench binary and each
# bench/*_bench.sh script, in name order. Figures go to stdout. pg_bench.sh (feeds
# through nginx) and delivery_bench.sh (the outbox drained) compare SQLite with 1 and 2
# replicas on a throwaway PostgreSQL; without PostgreSQL or nginx they say so and go on.
set -euo pipefail
cd "$(dirname "$0")/.."
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
# The build's output is shown only when it fails: the figures are the point here.
if ! { cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DXUN_WERROR=OFF -DBUILD_TESTING=OFF &&
       cmake --build build-bench -j"$(nproc)"; } >"$build_log" 2>&1; then
  cat "$build_log"
  exit 1
fi
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
