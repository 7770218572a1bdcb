#!/usr/bin/env bash
# Run every test: unit, SPC conformance, AppTest pages and real-browser journeys (Debian's Chromium).
source "$(dirname "$0")/scripts_common.sh"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (browser tests will be skipped)" >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
