#!/usr/bin/env bash
# Run the dashboard: http://localhost:8501. It shows the real database (data/workforce.duckdb, made by
# `python -m workforce load FOLDER/`) when there is one, else the synthetic demo (built on first run);
# ./run.sh --demo shows the demo beside a real database.
source "$(dirname "$0")/scripts_common.sh"
if [ "${1:-}" = "--demo" ]; then
  export WORKFORCE_DATA=demo
  shift
fi
exec .venv/bin/python -m ui.serve run app.py --server.headless true --server.port "${PORT:-8501}" "$@"
