#!/usr/bin/env bash
# `python -m workforce …` in the project's virtual environment (made, with the pinned requirements, when
# needed): e.g. ./workforce.sh load FOLDER/ loads every publication in a folder into the real database.
source "$(dirname "$0")/scripts_common.sh"
exec .venv/bin/python -m workforce "$@"
