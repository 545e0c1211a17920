#!/usr/bin/env bash
# Makes the installations of the previous release that tests/upgrade/ upgrades with today's code,
# each made by that release's own code (the demo register and the demo mailbox imported:
# complaints in every state, documents, kept e-mails, letters), with what each held:
#   tests/upgrade/previous-release.tar.gz (+ .json): an embedded one, its data directory
#     (the SQLite database, the stored files, the secret key);
#   tests/upgrade/previous-release-postgresql.tar.gz (+ -postgresql.json): a PostgreSQL one, its
#     data directory (stored files, secret key) and the database as SQL (database.sql, pg_dump
#     --inserts: the test loads it without psql).
#   scripts/make-upgrade-fixture.sh COMMIT     (the commit of the previous release)
# PostgreSQL: POSTGRES_URL (default postgres://postgres@127.0.0.1:5432), pg_dump on the PATH.
set -euo pipefail
repository="$(cd "$(dirname "$0")/.." && pwd)"
commit="${1:?le commit de la version précédente}"
postgres="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
python="$repository/.venv/bin/python"
fixtures="$repository/tests/upgrade"
work="$(mktemp -d)"
database="reclamations_upgrade_fixture_$$"
cleanup() {
    rm -rf "$work"
    psql "$postgres/postgres" -qc "drop database if exists $database" >/dev/null 2>&1 || true
}
trap cleanup EXIT

git -C "$repository" archive --format=tar "$commit" | tar -x -C "$work"
full_commit="$(git -C "$repository" rev-parse "$commit")"

make_installation() {  # data directory, output name, DATABASE_URL ("" for SQLite)
    local data="$1" name="$2" url="$3"
    mkdir "$data"
    run() {
        # That release's code, on this virtual environment's libraries (those it pinned).
        (cd "$work" && PYTHONPATH="$work" RECLAMATIONS_DATA_DIR="$data" DATABASE_URL="$url" \
            RECLAMATIONS_EMBEDDED_WORKER=false "$python" -m reclamations.cli "$@")
    }
    run demo --no-serve >/dev/null
    run import-eml demo/mailbox >/dev/null
    # After the shell's own notice of what it imported:
    run shell -c "$(cat "$fixtures/what_it_holds.py")" | sed -n '/^{/,$p' > "$fixtures/$name.json"
    python3 - "$fixtures/$name.json" "$full_commit" <<'PY'
import json, sys
path, commit = sys.argv[1], sys.argv[2]
held = json.load(open(path))
held["commit"] = commit
json.dump(held, open(path, "w"), indent=1, sort_keys=True)
PY
    rm -rf "$data/static" "$data/sent-mail" "$data/backups"
}

make_installation "$work/data" previous-release ""
tar -czf "$fixtures/previous-release.tar.gz" -C "$work/data" .

psql "$postgres/postgres" -qc "create database $database"
make_installation "$work/data-pg" previous-release-postgresql "$postgres/$database"
# Without psql's own commands (\restrict, \unrestrict of recent pg_dump): the test runs plain SQL.
pg_dump --inserts --no-owner --no-privileges --dbname "$postgres/$database" \
    | sed '/^\\/d' > "$work/data-pg/database.sql"
tar -czf "$fixtures/previous-release-postgresql.tar.gz" -C "$work/data-pg" .
ls -l "$fixtures"/previous-release*.tar.gz
