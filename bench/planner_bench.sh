#!/usr/bin/env bash
# The planner on witness-feasible plans (issue 7, part 6): for each size,
# SEEDS generated plans are solved by `xun solve --format json` as whole
# processes (each under a TIMEOUT), and every schedule is checked by the
# independent checker. Then bench/instances/*.yaml the same way.
# Environment (bench/run.sh sets the first three):
#   XUN_BINARY, XUN_BENCH_BUILD_DIR, XUN_DATA_DIR
#   PLANNER_BENCH_SEEDS (10), PLANNER_BENCH_TIMEOUT (60 s),
#   PLANNER_BENCH_SIZES ("tight:500 tight:1000 tight:2000 tight:5000 loose:1000 loose:10000 loose:50000")
#   PLANNER_BENCH_WIDEN_ZERO=1: solve with `max_gap: 0d` written as 1m, for
#   a solver whose loader does not take 0d yet (PLAN.md §6.1 says it must)
# A solve that fails, crashes or times out is a row in the table, never the
# end of the run.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${XUN_BENCH_BUILD_DIR:-$here/../build}"
xun="${XUN_BINARY:-$build/app/xun}"
gen="$build/bench/xun_gen_plan"
check="$build/bench/xun_check_schedule"
seeds="${PLANNER_BENCH_SEEDS:-10}"
limit="${PLANNER_BENCH_TIMEOUT:-60}"
sizes="${PLANNER_BENCH_SIZES:-tight:500 tight:1000 tight:2000 tight:5000 loose:1000 loose:10000 loose:50000}"
export XUN_DATA_DIR="${XUN_DATA_DIR:-$here/../data}"
for tool in "$xun" "$gen" "$check"; do
  [ -x "$tool" ] || { echo "planner_bench: $tool is missing (build first)"; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# solve PLAN: one whole-process run; appends "status ms rss_kb checker" to $work/rows.
# checker: ok | FAIL | - (nothing to check).
solve() {
  local plan="$1" out="$work/out.json" times="$work/time.txt"
  if [ "${PLANNER_BENCH_WIDEN_ZERO:-0}" = 1 ]; then
    sed 's/max_gap: 0d/max_gap: 1m/g' "$plan" >"$work/widened.yaml"
    plan="$work/widened.yaml"
  fi
  rm -f "$out" "$times"
  local t0 t1 status rss verdict=-
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$times" timeout "$limit" "$xun" solve "$plan" --format json -o "$out" \
    >/dev/null 2>"$work/stderr.txt"
  status=$?
  t1=$(date +%s%N)
  rss=$(tail -n 1 "$times" 2>/dev/null | tr -dc 0-9)
  if [ "$status" -eq 0 ]; then
    if "$check" "$plan" "$out" >"$work/check.txt" 2>&1; then verdict=ok; else verdict=FAIL; fi
  fi
  [ "$status" -eq 124 ] && status=timeout
  echo "$status $(( (t1 - t0) / 1000000 )) ${rss:-0} $verdict" >>"$work/rows"
  if [ "$status" != 0 ] && [ -z "${first_error:-}" ]; then
    # The first line that is not a warning says why.
    first_error="$(grep -v '^warning:' "$work/stderr.txt" | head -n 1 | head -c 160)"
    [ "$status" = timeout ] && first_error="no answer within ${limit} s"
  fi
}

# report LABEL: one line of the table from $work/rows (median and p90 over
# every run, solved or not).
report() {
  local ms n med p90
  mapfile -t ms < <(awk '{print $2}' "$work/rows" | sort -n)
  n=${#ms[@]}
  med=${ms[$(( (n - 1) / 2 ))]}
  p90=${ms[$(( (9 * n + 9) / 10 - 1 ))]}
  awk -v label="$1" -v med="$med" -v p90="$p90" '
    { n++; if ($1 == "0") solved++; if ($3 > rss) rss = $3; if ($4 == "FAIL") bad++; codes[$1]++ }
    END {
      c = ""; for (k in codes) c = c (c == "" ? "" : ",") k "x" codes[k];
      printf "%-16s %3d/%-3d %9d %9d %8.0f %9d   %s\n", label, solved, n, med, p90, rss / 1024, bad, c }' "$work/rows"
}

printf "%-16s %7s %9s %9s %8s %9s   %s\n" size solved "median ms" "p90 ms" "max MB" "checker✗" "exit codes"
for size in $sizes; do
  shape="${size%%:*}" n="${size##*:}"
  rm -f "$work/rows"
  first_error=""
  for seed in $(seq 1 "$seeds"); do
    plan="$work/plan.yaml"
    if ! "$gen" --shape "$shape" --occurrences "$n" --seed "$seed" -o "$plan" >/dev/null 2>"$work/gen.txt"; then
      echo "gen-failed 0 0 -" >>"$work/rows"
      continue
    fi
    solve "$plan"
  done
  report "$shape $n"
  [ -n "$first_error" ] && echo "                 first failure: $first_error"
done
for plan in "$here"/instances/*.yaml; do
  [ -f "$plan" ] || continue
  rm -f "$work/rows"
  first_error=""
  solve "$plan"
  report "$(basename "$plan" .yaml)"
  [ -n "$first_error" ] && echo "                 first failure: $first_error"
done
exit 0
