#!/usr/bin/env bash
# Creates .venv (Python 3.11+) and installs the locked dependencies and the project itself.
# Usage: scripts/bootstrap.sh [runtime|dev]
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-runtime}"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Python 3.11 ou plus récent est requis (trouvé : $("$python" --version 2>&1))." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv || {
        echo "Impossible de créer l'environnement virtuel : installez python3-venv (apt-get install python3-venv)." >&2
        exit 1
    }
fi
lock="requirements.lock"
[ "$profile" = dev ] && lock="requirements-dev.lock"
stamp=".venv/.installed-$profile-$(sha256sum "$lock" pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    log="$(mktemp)"
    # pip's and setuptools' chatter goes to a log shown only when something fails.
    if ! {
        .venv/bin/python -m pip install --quiet --upgrade pip &&
        .venv/bin/python -m pip install --quiet -r "$lock" &&
        .venv/bin/python -m pip install --quiet --no-deps --editable .
    } >"$log" 2>&1; then
        cat "$log" >&2
        echo "L'installation des dépendances a échoué (voir ci-dessus)." >&2
        exit 1
    fi
    rm -f "$log"
    rm -f .venv/.installed-"$profile"-*
    touch "$stamp"
fi

# Translations (the client's pages in English): compiled from the .po files when gettext's
# msgfmt is there; without it the pages stay in French.
if command -v msgfmt >/dev/null; then
    for po in reclamations/locale/*/LC_MESSAGES/django.po; do
        [ -f "$po" ] || continue
        mo="${po%.po}.mo"
        if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then msgfmt --check -o "$mo" "$po"; fi
    done
fi

# The accessibility checks of the browser tests inject axe-core (npm), pinned by its lock file;
# without Node.js they are skipped and say why.
if [ "$profile" = dev ] && command -v npm >/dev/null; then
    axe=tests/browser/axe
    axe_stamp="$axe/node_modules/.installed-$(sha256sum "$axe/package-lock.json" | cut -c1-16)"
    if [ ! -f "$axe_stamp" ]; then
        npm ci --prefix "$axe" --no-audit --no-fund --silent >/dev/null 2>&1 ||
            echo "axe-core n'a pas pu être installé (npm ci) : les contrôles d'accessibilité seront ignorés." >&2
        if [ -f "$axe/node_modules/axe-core/axe.min.js" ]; then touch "$axe_stamp"; fi
    fi
fi
