"""Height, width and action buttons shown of complaint pages, at 1280 and 375 px (issue 13's
measure, docs/referent-journey.md). Usage:
measure-complaint-pages.py BASE_URL USER PASSWORD REFERENCE..."""

import sys

from playwright.sync_api import sync_playwright

VISIBLE_ACTIONS = "els => els.filter(e => e.checkVisibility()).length"


def main() -> None:
    base, user, password, *references = sys.argv[1:]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for width in (1280, 375):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(base + "/connexion/")
            page.fill("#id_username", user)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            for reference in references:
                page.goto(f"{base}/reclamations/{reference}/")
                height = page.evaluate("document.documentElement.scrollHeight")
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                actions = page.locator("main a.button[href*='/actions/']")
                print(
                    f"{width} px {reference}: height {height}, document width {scroll_width}, "
                    f"action buttons shown {actions.evaluate_all(VISIBLE_ACTIONS)}"
                )
        browser.close()


if __name__ == "__main__":
    main()
