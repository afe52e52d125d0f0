#!/usr/bin/env bash
# Installs what Xun needs on Debian 12, as root (or with sudo).
#   scripts/setup.sh          build and run: compiler, CMake, libraries, tzdata
#   scripts/setup.sh --test   also the test checkers: python3-icalendar, vobject,
#                             Node.js + ical.js, chromium with chromium-driver and
#                             python3-selenium (the pages in a browser), poppler-utils
#                             (pdftotext: the printed page), python3-openpyxl (the
#                             .xlsx download), vdirsyncer, khal, wrk,
#                             PostgreSQL (a throwaway server for the store tests),
#                             aiosmtpd (the SMTP server of the notify tests) and
#                             openssl (its throwaway CA for STARTTLS and smtps),
#                             python3-yaml (docs/openapi.yaml checked against the routes)
#                             and nginx (the two-replica setup of docs/DEPLOY.md)
#   scripts/setup.sh --fuzz   also Clang and libFuzzer, for fuzz/run.sh (CI needs neither)
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

build_packages=(
  ca-certificates build-essential cmake pkg-config tzdata
  libboost-graph-dev libhowardhinnant-date-dev libical-dev libcpp-httplib-dev libssl-dev zlib1g-dev
  libyaml-cpp-dev nlohmann-json3-dev libsqlite3-dev libpq-dev doctest-dev libcurl4-openssl-dev
  libxlsxwriter-dev
)
test_packages=(
  python3 python3-yaml python3-icalendar python3-vobject python3-aiosmtpd openssl python3-openpyxl
  chromium chromium-driver python3-selenium fonts-noto-cjk poppler-utils
  vdirsyncer khal wrk procps curl clang-format
  postgresql nginx-light
)

fuzz_packages=(clang libclang-rt-14-dev llvm)

packages=("${build_packages[@]}")
if [ "${1:-}" = "--fuzz" ]; then
  packages+=("${fuzz_packages[@]}")
fi
if [ "${1:-}" = "--test" ]; then
  packages+=("${test_packages[@]}")
  # Node.js for ical.js: keep a node that is already there (it may bundle npm).
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--test" ] && [ ! -d tests/js/node_modules/ical.js ]; then
  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
fi
