"""Take the user guide's screenshots (reclamations/web/guide/images/) in Debian's Chromium.

Usage: .venv/bin/python scripts/guide-screenshots.py [OUTPUT_DIR]

It needs nothing running: it prepares a demo in a data directory of its own
(`reclamations demo --no-serve`, then the demo mailbox replayed), serves it on a free port with
the demo's accounts exempt from two-factor authentication, logs in as the referent, the manager
and the auditor with the passwords the demo printed, and writes a dozen PNGs at 1280 px wide
(two at 375 px), reduced to a 256-colour palette so that the guide stays small. The data
directory is deleted at the end.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
RECLAMATIONS = ROOT / ".venv" / "bin" / "reclamations"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
WIDE = {"width": 1280, "height": 820}
PHONE = {"width": 375, "height": 760}
# "  referente    referent   <password>" in the demo's output
ACCOUNT_LINE = re.compile(r"^\s+(referente|responsable|auditeur)\s+\S+\s+(\S+)\s*$")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare_demo(env: dict[str, str]) -> dict[str, str]:
    """The demo's accounts and their passwords, printed once by `demo --no-serve`."""
    done = subprocess.run(  # noqa: S603 - our own program, fixed arguments
        [str(RECLAMATIONS), "demo", "--no-serve"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    passwords = {}
    for line in done.stdout.splitlines():
        match = ACCOUNT_LINE.match(line)
        if match:
            passwords[match.group(1)] = match.group(2)
    subprocess.run(  # noqa: S603 - our own program, fixed arguments
        [str(RECLAMATIONS), "import-eml", str(ROOT / "demo" / "mailbox")],
        env=env,
        check=True,
        capture_output=True,
    )
    return passwords


def wait_until_served(base_url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("Le serveur de démonstration s'est arrêté au démarrage.")
        try:
            urllib.request.urlopen(f"{base_url}/connexion/", timeout=2)  # noqa: S310 - http://
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("Le serveur de démonstration ne répond pas.")


def optimise(path: Path) -> None:
    """A 256-colour palette: a screenshot of flat colours and text loses nothing visible."""
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256)
    reduced.save(path, optimize=True)


def shot(page: Page, output: Path, name: str, *, full_page: bool = False) -> None:
    path = output / name
    page.screenshot(path=path, full_page=full_page)
    optimise(path)


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/connexion/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Déconnexion").click()
    page.wait_for_url(lambda url: "/connexion/" in url)


def referent_pages(page: Page, output: Path) -> None:
    page.goto("/mon-travail/")
    shot(page, output, "mon-travail.png")
    page.goto("/")
    shot(page, output, "registre.png")
    page.goto("/reclamations/nouvelle/")
    shot(page, output, "nouvelle-reclamation.png")
    page.goto("/?status=in_progress")
    page.get_by_role("link", name="REC-").first.click()
    page.locator("nav.next-step").scroll_into_view_if_needed()
    shot(page, output, "a-faire-maintenant.png")
    page.locator("nav.next-step a.button-primary").click()
    shot(page, output, "action.png")
    page.goto("/tri/")
    shot(page, output, "tri.png")
    page.set_viewport_size(PHONE)
    page.goto("/")
    shot(page, output, "registre-telephone.png")
    page.goto("/?status=in_progress")
    page.get_by_role("link", name="REC-").first.click()
    shot(page, output, "reclamation-telephone.png")
    page.set_viewport_size(WIDE)


def manager_pages(page: Page, output: Path) -> None:
    page.goto("/reglages/")
    shot(page, output, "reglages.png")
    page.goto("/utilisateurs/")
    shot(page, output, "utilisateurs.png")


def auditor_pages(page: Page, output: Path) -> None:
    page.goto("/statistiques/")
    shot(page, output, "statistiques.png")
    page.goto("/ameliorations/")
    shot(page, output, "plan-amelioration.png")


def main() -> None:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "reclamations/web/guide/images")
    output.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="guide-screenshots-"))
    env = {
        **os.environ,
        "RECLAMATIONS_DATA_DIR": str(data_dir),
        "RECLAMATIONS_EMBEDDED_WORKER": "false",
    }
    env.pop("DATABASE_URL", None)  # the demo's own SQLite database, never a shared one
    server = None
    try:
        passwords = prepare_demo(env)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 - our own program, fixed arguments
            [str(RECLAMATIONS), "serve", "--port", str(port), "--workers", "1"],
            env={**env, "RECLAMATIONS_DEMO": "true"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_served(base_url, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(
                base_url=base_url, viewport=WIDE, locale="fr-FR", timezone_id="Europe/Paris"
            )
            log_in(page, "referente", passwords["referente"])
            referent_pages(page, output)
            log_out(page)
            log_in(page, "responsable", passwords["responsable"])
            manager_pages(page, output)
            log_out(page)
            log_in(page, "auditeur", passwords["auditeur"])
            auditor_pages(page, output)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)
    total = sum(path.stat().st_size for path in output.glob("*.png"))
    print(f"{len(list(output.glob('*.png')))} images, {total // 1024} Kio, dans {output}")


if __name__ == "__main__":
    main()
