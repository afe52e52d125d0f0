#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: a cluster in a temporary directory,
# listening on a Unix socket there only (no TCP port, nothing shared), run as
# the `postgres` user when we are root (initdb refuses root).
#   with-postgres.sh start DIR   start it; DIR/url, DIR/ctl and DIR/cluster
#                                say how to reach it, or DIR/skip says why not
#   with-postgres.sh stop DIR    stop it and remove the cluster
#   with-postgres.sh run CMD…    start, run CMD with XUN_TEST_PG_URL and
#                                XUN_TEST_PG_CTL exported, stop
# `start` exits 77 (CTest: skipped) when PostgreSQL cannot be started here.
set -uo pipefail

port=55432 # names the socket file inside the cluster directory only

bin_dir() {
  local initdb
  initdb=$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)
  [ -n "$initdb" ] && dirname "$(readlink -f "$initdb")"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

skip() {
  echo "$1" >"$dir/skip"
  echo "PostgreSQL tests SKIPPED: $1" >&2
  exit 77
}

start() {
  dir=$1
  mkdir -p "$dir"
  rm -f "$dir/skip" "$dir/url" "$dir/ctl" "$dir/cluster"
  local bin
  bin=$(bin_dir) || skip "initdb not found (apt-get install postgresql)"
  [ -x "$bin/pg_ctl" ] || skip "pg_ctl not found next to $bin/initdb"
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    skip "running as root and there is no 'postgres' user to run the server as"
  fi
  local cluster
  cluster=$(mktemp -d /tmp/xun-pg-XXXXXX) || skip "mktemp failed"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$cluster"
  echo "$cluster" >"$dir/cluster"
  if ! as_owner "$bin/initdb" -D "$cluster/data" -A trust -U xun -E UTF8 --locale=C.UTF-8 \
    >"$cluster/initdb.log" 2>&1; then
    skip "initdb failed: $(tail -3 "$cluster/initdb.log" | tr '\n' ' ')"
  fi
  # In the cluster's own configuration, so a restart (pg_ctl restart/start) keeps it.
  cat >>"$cluster/data/postgresql.conf" <<CONF
unix_socket_directories = '$cluster'
listen_addresses = ''
port = $port
fsync = ${XUN_TEST_PG_FSYNC:-off}
max_connections = 200
CONF
  if ! as_owner "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 30 start \
    >/dev/null 2>&1; then
    skip "the server did not start: $(tail -3 "$cluster/server.log" 2>/dev/null | tr '\n' ' ')"
  fi
  echo "postgresql:///postgres?host=$cluster&port=$port&user=xun" >"$dir/url"
  if [ "$(id -u)" -eq 0 ]; then
    echo "runuser -u postgres -- $bin/pg_ctl -D $cluster/data -l $cluster/server.log -w -t 30" >"$dir/ctl"
  else
    echo "$bin/pg_ctl -D $cluster/data -l $cluster/server.log -w -t 30" >"$dir/ctl"
  fi
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests: $(cat "$dir/url")"
}

stop() {
  dir=$1
  [ -f "$dir/cluster" ] || exit 0
  local cluster bin
  cluster=$(cat "$dir/cluster")
  bin=$(bin_dir)
  [ -d "$cluster/data" ] && as_owner "$bin/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$cluster"
  rm -f "$dir/cluster" "$dir/url" "$dir/ctl"
}

case "${1:-}" in
start) start "$2" ;;
stop) stop "$2" ;;
run)
  shift
  state=$(mktemp -d)
  (start "$state")
  code=$?
  if [ "$code" -eq 0 ]; then
    XUN_TEST_PG_URL=$(cat "$state/url") XUN_TEST_PG_CTL=$(cat "$state/ctl") "$@"
    code=$?
  else
    XUN_TEST_PG_SKIP=$(cat "$state/skip") "$@"
    code=$?
  fi
  stop "$state"
  rm -rf "$state"
  exit "$code"
  ;;
*)
  echo "usage: $0 start DIR | stop DIR | run CMD..." >&2
  exit 2
  ;;
esac
