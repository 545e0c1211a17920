#!/usr/bin/env bash
# Installs what is needed and runs the whole test suite (SQLite by default).
# With DATABASE_URL=postgres://... the same suite runs on PostgreSQL.
# Extra arguments go to pytest (e.g. -k register, or tests/complaints).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
data_dir="$(mktemp -d -t reclamations-test-XXXXXX)"
trap 'rm -rf "$data_dir"' EXIT
export RECLAMATIONS_DATA_DIR="$data_dir"
workers="${PYTEST_WORKERS:-auto}"
.venv/bin/python -m pytest -n "$workers" "$@"
