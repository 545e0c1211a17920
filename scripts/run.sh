#!/usr/bin/env bash
# Installs what is needed, loads the demo organisation (CCS) and serves on http://127.0.0.1:8000.
# Extra arguments go to `reclamations demo` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh runtime
exec .venv/bin/reclamations demo "$@"
