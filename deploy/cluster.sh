#!/usr/bin/env bash
# A dashboard cluster on this machine: PostgreSQL (Debian's, in a temporary folder), N replicas
# (./run.sh on their own ports, one data folder, one store) and nginx in front (sticky sessions,
# WebSocket upgrade). See docs/deploy.md.
#   deploy/cluster.sh up --replicas N --port P [--db PATH] [--network-role viewer|editor|admin]
#   deploy/cluster.sh status [--format json|text]
#   deploy/cluster.sh down
source "$(dirname "$0")/../scripts_common.sh"   # the venv and pins, once, before N replicas start
exec .venv/bin/python deploy/cluster.py "$@"
