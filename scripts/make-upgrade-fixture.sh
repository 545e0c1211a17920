#!/usr/bin/env bash
# Makes tests/upgrade/previous-release.tar.gz: the data directory of an installation of the
# previous release (the demo register and the demo mailbox imported: complaints in every state,
# documents, kept e-mails, letters), made by that release's own code, and what it held
# (tests/upgrade/previous-release.json). tests/upgrade/ upgrades it with today's code.
#   scripts/make-upgrade-fixture.sh COMMIT     (the commit of the previous release)
set -euo pipefail
repository="$(cd "$(dirname "$0")/.." && pwd)"
commit="${1:?le commit de la version précédente}"
python="$repository/.venv/bin/python"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git -C "$repository" archive --format=tar "$commit" | tar -x -C "$work"
mkdir "$work/data"
run() {
    # That release's code, on this virtual environment's libraries (those it pinned).
    (cd "$work" && PYTHONPATH="$work" RECLAMATIONS_DATA_DIR="$work/data" \
        RECLAMATIONS_EMBEDDED_WORKER=false "$python" -m reclamations.cli "$@")
}
run demo --no-serve >/dev/null
run import-eml demo/mailbox >/dev/null
run shell -c "$(cat "$repository/tests/upgrade/what_it_holds.py")" | sed -n '/^{/,$p' > "$repository/tests/upgrade/previous-release.json"  # after the shell's own notice
python3 - "$repository/tests/upgrade/previous-release.json" "$(git -C "$repository" rev-parse "$commit")" <<'PY'
import json, sys
path, commit = sys.argv[1], sys.argv[2]
held = json.load(open(path))
held["commit"] = commit
json.dump(held, open(path, "w"), indent=1, sort_keys=True)
PY
rm -rf "$work/data/static" "$work/data/sent-mail" "$work/data/backups"
tar -czf "$repository/tests/upgrade/previous-release.tar.gz" -C "$work/data" .
ls -l "$repository/tests/upgrade/previous-release.tar.gz"
