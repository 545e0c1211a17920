"""The referent's main journey, counted: log in, open the most urgent complaint, reply, close
(issue 13, docs/referent-journey.md). Counts the clicks and the page loads. Usage:
referent-journey.py BASE_URL USERNAME PASSWORD"""

import sys

from playwright.sync_api import sync_playwright

base, username, password = sys.argv[1:4]
clicks = 0
loads = 0


def click(locator):
    global clicks
    clicks += 1
    locator.click()


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def loaded(frame):
        global loads
        if frame == page.main_frame:
            loads += 1

    page.on("framenavigated", loaded)
    page.goto(base + "/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    click(page.get_by_role("button", name="Se connecter"))
    page.wait_for_load_state()
    landing = page.url
    # The most urgent complaint: the first one the landing page lists.
    first = page.locator("main table a[href^='/reclamations/REC-']").first
    reference = first.inner_text()
    click(first)
    page.wait_for_load_state()
    reply = page.get_by_role("link", name="Répondre au client", exact=True)
    if not reply.is_visible():
        click(page.locator("summary", has_text="Autres actions"))
    click(reply)
    page.wait_for_load_state()
    page.get_by_label("Canal de la réponse", exact=True).select_option("email")
    page.get_by_label("Résolution retenue", exact=True).fill("Accès prolongé d'un mois.")
    page.get_by_label("Issue annoncée au client", exact=True).select_option("granted")
    page.get_by_label("Texte de la réponse", exact=True).fill("Votre accès est prolongé d'un mois.")
    click(page.locator("main form button[type=submit]").last)
    page.wait_for_load_state()
    close = page.get_by_role("link", name="Clôturer", exact=True)
    if not close.is_visible():
        click(page.locator("summary", has_text="Autres actions"))
    click(close)
    page.wait_for_load_state()
    click(page.locator("main form button[type=submit]").last)
    page.wait_for_load_state()
    status = page.locator(".complaint-tags .badge").first.inner_text()
    print(
        f"landing {landing}; complaint {reference}; final status {status}; "
        f"clicks {clicks}; page loads {loads}"
    )
    browser.close()
