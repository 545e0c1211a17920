"""Take the README's screenshots of a running demo in Debian's Chromium.

Usage: .venv/bin/python scripts/screenshots.py BASE_URL REFERENT_PASSWORD MANAGER_PASSWORD [DIR]
       [AUDITOR_PASSWORD]
(start the demo first: `scripts/run.sh --port 8123`, replay the demo mailbox with
`.venv/bin/reclamations import-eml demo/mailbox`, and use the passwords the demo printed for
`referente` and `responsable`; with `auditeur`'s, the auditor's view and the managers'
journal of auditors' accesses too).
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto("/connexion/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    # A referent lands on Mon travail, the other roles on the register.
    page.wait_for_url(re.compile(rf"^{re.escape(base_url)}/(mon-travail/)?$"))


def main() -> None:
    base_url, referent_password, manager_password = sys.argv[1:4]
    output = Path(sys.argv[4] if len(sys.argv) > 4 else "docs/screenshots")
    output.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(
            base_url=base_url,
            viewport={"width": 1280, "height": 900},
            locale="fr-FR",
            timezone_id="Europe/Paris",
        )
        page.goto("/connexion/")
        page.screenshot(path=output / "login.png")
        log_in(page, base_url, "referente", referent_password)
        page.screenshot(path=output / "my-work.png", full_page=True)  # a referent lands there
        page.goto("/")
        page.screenshot(path=output / "register.png", full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=output / "register-phone.png", full_page=True)
        page.get_by_role("link", name="REC-").first.click()
        page.screenshot(path=output / "complaint-phone.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto("/?overdue=1")
        page.screenshot(path=output / "register-overdue.png", full_page=True)
        page.goto("/?q=emargement")  # a word of an action, typed without its accent
        page.screenshot(path=output / "register-search.png", full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=output / "register-search-phone.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto("/statistiques/")
        page.screenshot(path=output / "statistics.png", full_page=True)
        page.goto("/procedure/")
        page.screenshot(path=output / "procedure.png", full_page=True)
        page.goto("/ameliorations/")
        page.screenshot(path=output / "improvement-plan.png", full_page=True)
        page.get_by_role("link", name="AM-").nth(1).click()
        page.screenshot(path=output / "improvement.png", full_page=True)
        page.goto("/journal/")
        page.screenshot(path=output / "journal.png")  # its first screen: the page is long
        page.goto("/reclamations/nouvelle/")
        page.screenshot(path=output / "complaint-new.png", full_page=True)
        page.goto("/")
        page.get_by_role("link", name="REC-").first.click()
        page.screenshot(path=output / "complaint.png", full_page=True)
        page.goto("/?status=closed&kind=complaint")
        page.get_by_role("link", name="REC-").first.click()
        page.screenshot(path=output / "complaint-closed.png", full_page=True)
        page.goto("/tri/")
        page.screenshot(path=output / "triage.png", full_page=True)
        waiting = page.get_by_role("link", name="Dates de la prochaine session")
        if waiting.count():
            waiting.first.click()
            page.screenshot(path=output / "triage-message.png", full_page=True)
        page.goto("/?channel=email&q=Fontaine")
        from_mailbox = page.get_by_role("link", name="REC-")
        if from_mailbox.count():
            from_mailbox.first.click()
            page.screenshot(path=output / "complaint-from-email.png", full_page=True)
        page.get_by_role("button", name="Déconnexion").click()
        auditor_password = sys.argv[5] if len(sys.argv) > 5 else ""
        if auditor_password:
            log_in(page, base_url, "auditeur", auditor_password)
            page.goto("/statistiques/")
            page.goto("/?q=formation")
            page.get_by_role("link", name="REC-").first.click()
            page.screenshot(path=output / "auditor-complaint.png", full_page=True)
            page.get_by_role("button", name="Déconnexion").click()
        log_in(page, base_url, "responsable", manager_password)
        page.goto("/reglages/")
        page.screenshot(path=output / "settings.png", full_page=True)
        if auditor_password:
            page.goto("/utilisateurs/acces/")
            page.screenshot(path=output / "access-journal.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
