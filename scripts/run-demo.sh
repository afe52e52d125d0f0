#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds Xun and serves the demo plan on an
# embedded SQLite database (xun.db) at http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DXUN_WERROR=OFF
cmake --build build -j"$(nproc)" --target xun
exec build/app/xun serve --demo --db "${XUN_DB:-xun.db}" --host "${XUN_HOST:-127.0.0.1}" --port "${XUN_PORT:-8080}" "$@"
