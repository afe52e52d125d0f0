#!/usr/bin/env bash
# Runs one libFuzzer harness for a while, single process:
#   fuzz/run.sh HARNESS SECONDS [libFuzzer flags…]
# HARNESS: windows time_of_day ics holiday_notice plan records wire channel.
# Builds build-fuzz/ with Clang (-DXUN_FUZZ=ON) on first use; needs clang and
# libclang-rt (scripts/setup.sh --fuzz). The corpus grows in
# build-fuzz/corpus/HARNESS (seeded from fuzz/corpus/HARNESS); a crash is
# written to fuzz/crashers/HARNESS/, where ctest replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."

harness=${1:?usage: fuzz/run.sh HARNESS SECONDS [libFuzzer flags…]}
seconds=${2:?usage: fuzz/run.sh HARNESS SECONDS [libFuzzer flags…]}
shift 2
if [ ! -f "fuzz/$harness.cpp" ]; then
  echo "fuzz/run.sh: no harness '$harness'; one of:" $(cd fuzz && ls *.cpp | grep -v replay_main | sed 's/\.cpp$//') >&2
  exit 2
fi

build=${XUN_FUZZ_BUILD:-build-fuzz}
if [ ! -f "$build/CMakeCache.txt" ]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_C_COMPILER=clang -DXUN_FUZZ=ON -DXUN_WERROR=OFF -DBUILD_TESTING=OFF "${launcher[@]}"
fi
cmake --build "$build" -j"${XUN_FUZZ_JOBS:-2}" --target "fuzz_$harness"

corpus="$build/corpus/$harness"
crashers="fuzz/crashers/$harness"
mkdir -p "$corpus" "$crashers"
# One process (the machine is shared); -timeout makes a hang a crasher too;
# -rss_limit_mb an input that takes gigabytes.
exec "$build/fuzz/fuzz_$harness" "$corpus" "fuzz/corpus/$harness" \
  -dict="fuzz/dict/$harness.dict" -max_total_time="$seconds" \
  -artifact_prefix="$crashers/" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$@"
