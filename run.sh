#!/usr/bin/env bash
# Run the dashboard on the synthetic demo data (built on first run): http://localhost:8501
source "$(dirname "$0")/scripts_common.sh"
exec .venv/bin/python -m ui.serve run app.py --server.headless true --server.port "${PORT:-8501}" "$@"
