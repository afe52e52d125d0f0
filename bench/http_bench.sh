#!/usr/bin/env bash
# Feed requests per second for a 500-event plan, 2 and 4 connections (wrk):
# the full body and the 304 revalidation. Targets on a 2-core machine:
# >= 3,000 req/s full, >= 10,000 req/s for 304.
set -euo pipefail
cd "$(dirname "$0")/.."
xun="${XUN_BINARY:-build-bench/app/xun}"
duration="${XUN_BENCH_SECONDS:-5}"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# 2 fixed daily series of 250 occurrences, each with a reminder: 500 events.
cat > "$work/bench-500.yaml" <<'YAML'
plan: Feed benchmark, 500 events
id: bench-500
year: 2026
activities:
  - id: morning
    title: 晨会 morning stand-up
    rrule: FREQ=DAILY;COUNT=250
    at: "09:00"
    duration: 30m
    reminders: [1d]
  - id: evening
    title: 晚间学习 evening study
    rrule: FREQ=DAILY;COUNT=250
    at: "19:00"
    duration: 1h
    reminders: [1h]
YAML

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
XUN_ADMIN_TOKEN=bench "$xun" serve --db "$work/bench.db" --host 127.0.0.1 --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

curl -sf -X POST -H "Authorization: Bearer bench" -H "Content-Type: application/yaml" \
  --data-binary @"$work/bench-500.yaml" "http://127.0.0.1:$port/api/plans" -o "$work/created.json"
feed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["feeds"]["https"])' "$work/created.json")
curl -sf -D "$work/headers" "$feed" -o "$work/feed.ics"
etag=$(grep -i '^etag:' "$work/headers" | cut -d' ' -f2 | tr -d '\r')
events=$(grep -c '^BEGIN:VEVENT' "$work/feed.ics")
echo "feed: $events events, $(wc -c <"$work/feed.ics") bytes, ETag $etag"

rate() { sed -n 's/^Requests\/sec:[[:space:]]*//p'; }
for c in 2 4; do
  full=$(wrk -t2 -c"$c" -d"${duration}s" "$feed" | rate)
  cached=$(wrk -t2 -c"$c" -d"${duration}s" -H "If-None-Match: $etag" "$feed" | rate)
  echo "connections=$c  full body: $full req/s (target >= 3000)   304: $cached req/s (target >= 10000)"
done
