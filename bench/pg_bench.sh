#!/usr/bin/env bash
# Feed requests per second through nginx (docs/deploy/nginx-xun.conf) for a
# 500-event plan: 1 replica on SQLite, 1 and 2 replicas on PostgreSQL (wrk,
# 8 connections, full body and 304), and plan PUT latency on each backend.
# PostgreSQL is a throwaway cluster (tests/tools/with-postgres.sh) with fsync on.
set -euo pipefail
cd "$(dirname "$0")/.."
xun="$(readlink -f "${XUN_BINARY:-build-bench/app/xun}")"
duration="${XUN_BENCH_SECONDS:-5}"
work="$(mktemp -d)"
chmod 777 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  XUN_TEST_PG_FSYNC=on tests/tools/with-postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
command -v nginx >/dev/null || { echo "pg_bench: nginx is not installed (scripts/setup.sh --test)"; exit 0; }
XUN_TEST_PG_FSYNC=on tests/tools/with-postgres.sh start "$work/pg" >/dev/null ||
  { echo "pg_bench: PostgreSQL could not be started: $(cat "$work/pg/skip")"; exit 0; }
pg_url=$(cat "$work/pg/url")
psql "$pg_url" -qc "CREATE DATABASE bench" >/dev/null
pg_url=${pg_url/\/postgres\?/\/bench?}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# serve and nginx_for start processes, so they run in this shell (not in $(…))
# and leave the port they listen on in $port.
serve() { # DB
  port=$(free_port)
  # The clock at 2025-12-01, running: the PUTs move 2026 occurrences, refused
  # (frozen) once they are past.
  XUN_ADMIN_TOKEN=bench XUN_NOW=1764547200+ "$xun" serve --db "$1" --host 127.0.0.1 --port "$port" >>"$work/serve.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
}
nginx_for() { # name replica-port…
  local name=$1; shift
  local dir="$work/nginx-$name"
  port=$(free_port)
  mkdir -p "$dir"; chmod 777 "$dir"
  { echo "upstream xun_replicas {"
    for p in "$@"; do echo "    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"; done
    echo "    keepalive 32;"; echo "}"
    sed -n '/^server {/,$p' docs/deploy/nginx-xun.conf | sed "s/listen 80;/listen 127.0.0.1:$port;/"
  } >"$dir/site.conf"
  cat >"$dir/nginx.conf" <<CONF
daemon off; worker_processes 2; pid $dir/nginx.pid; error_log $dir/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $dir/body; proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/f; uwsgi_temp_path $dir/u; scgi_temp_path $dir/s; include $dir/site.conf; }
CONF
  nginx -c "$dir/nginx.conf" -p "$dir" 2>>"$dir/error.log" &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
}

plan() { # the 500-event plan (bench/http_bench.sh's), its morning start time given
  cat <<YAML
plan: Feed benchmark, 500 events
id: bench-500
year: 2026
activities:
  - id: morning
    title: 晨会 morning stand-up
    rrule: FREQ=DAILY;COUNT=250
    at: "$1"
    duration: 30m
    reminders: [1d]
  - id: evening
    title: 晚间学习 evening study
    rrule: FREQ=DAILY;COUNT=250
    at: "19:00"
    duration: 1h
    reminders: [1h]
YAML
}

rate() { sed -n 's/^Requests\/sec:[[:space:]]*//p'; }
measure() { # label plan-key nginx-port
  local feed etag full cached
  feed="http://127.0.0.1:$3$(python3 -c 'import json,sys,urllib.parse; print(urllib.parse.urlparse(json.load(open(sys.argv[1]))["feeds"]["https"]).path)' "$work/created-$2.json")"
  etag=$(curl -sf -D - "$feed" -o /dev/null | grep -i '^etag:' | cut -d' ' -f2 | tr -d '\r')
  full=$(wrk -t2 -c8 -d"${duration}s" "$feed" | rate)
  cached=$(wrk -t2 -c8 -d"${duration}s" -H "If-None-Match: $etag" "$feed" | rate)
  printf '%-26s full body %8s req/s   304 %8s req/s\n' "$1" "$full" "$cached"
}
put_latency() { # label replica-port: the median and worst of 20 PUTs (each a re-plan)
  local times=()
  for i in $(seq 20); do
    plan "0$(( i % 3 + 7 )):00" >"$work/put.yaml"
    times+=("$(curl -sf -o /dev/null -w '%{time_total}' -X PUT -H "Authorization: Bearer bench" \
      -H "Content-Type: application/yaml" --data-binary @"$work/put.yaml" "http://127.0.0.1:$2/api/plans/bench-500")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v l="$1" '{a[NR]=$1} END {printf "%-26s PUT latency median %.0f ms, worst %.0f ms (20 PUTs)\n", l, a[int((NR+1)/2)]*1000, a[NR]*1000}'
}
create() { # label replica-port
  plan "09:00" | curl -sf -X POST -H "Authorization: Bearer bench" \
    -H "Content-Type: application/yaml" --data-binary @- "http://127.0.0.1:$2/api/plans" -o "$work/created-$1.json" ||
    { echo "pg_bench: POST /api/plans failed on the $1 replica"; exit 1; }
}

serve "$work/bench.db"; sqlite_port=$port
create sqlite "$sqlite_port"
nginx_for sqlite "$sqlite_port"; measure "sqlite, 1 replica" sqlite "$port"
serve "$pg_url"; pg_a=$port
create pg "$pg_a"
nginx_for pg1 "$pg_a"; measure "postgresql, 1 replica" pg "$port"
serve "$pg_url"; pg_b=$port
nginx_for pg2 "$pg_a" "$pg_b"; measure "postgresql, 2 replicas" pg "$port"
put_latency "sqlite" "$sqlite_port"
put_latency "postgresql" "$pg_a"
