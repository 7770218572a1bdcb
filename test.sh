#!/usr/bin/env bash
# Run every test: unit, SPC conformance, AppTest pages, real-browser journeys (Debian's Chromium) and the
# cluster (PostgreSQL, nginx). ./test.sh --quick: everything but the browser, cluster and slow tests.
source "$(dirname "$0")/scripts_common.sh"
# System packages tests need: Chromium (browser journeys), poppler-utils (pdftotext/pdftoppm read the
# PDF board pack), PostgreSQL and nginx (the store's second back end and deploy/cluster.sh: tests marked
# `cluster`), faketime (the date-sensitive tests run again a year ahead: tests/test_clock.py) and npm
# (axe-core for the accessibility tests). Without them those tests are skipped, so CI (root) installs them.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v faketime >/dev/null 2>&1 || missing+=(faketime)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    # no service started by the packages (the tests start their own PostgreSQL and nginx)
    policy=/usr/sbin/policy-rc.d; made_policy=
    [ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; made_policy=1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    [ -z "$made_policy" ] || rm -f "$policy"
  else
    echo "Missing system packages: run 'sudo apt-get install -y ${missing[*]}' (tests needing them will be skipped)" >&2
  fi
fi
# axe-core from the npm registry, exactly as pinned in tests/a11y/package-lock.json (reinstalled when it changes)
axe_stamp=tests/a11y/node_modules/.package-lock.sha256
axe_want=$(sha256sum tests/a11y/package-lock.json | cut -d' ' -f1)
if command -v npm >/dev/null 2>&1 && [ "$(cat "$axe_stamp" 2>/dev/null)" != "$axe_want" ]; then
  npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error >/dev/null && echo "$axe_want" > "$axe_stamp"
fi
if [ "${1:-}" = "--quick" ]; then  # everything but the browser, cluster and slow tests, on two workers (pytest-xdist)
  shift
  exec .venv/bin/python -m pytest -m "not browser and not slow and not cluster" -n 2 "$@"
fi
exec .venv/bin/python -m pytest "$@"
