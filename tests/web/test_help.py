"""The help pages (issue 13): the French user guide kept in reclamations/web/guide/, rendered
for every staff role, every file reachable and every image it shows present; raw HTML in the
Markdown shown as text; the keyboard shortcuts' script on the register and complaint pages."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from reclamations.web import user_guide
from tests.accounts import verified_login
from tests.factories import make_complaint
from tests.web.helpers import text_of

pytestmark = pytest.mark.usefixtures("clock")

GUIDE = Path(user_guide.GUIDE_DIR)
ALL_PAGES = (user_guide.INDEX, *user_guide.PAGES)


@pytest.fixture(params=["referent", "manager", "auditor", "admin_user"])
def staff_client(request) -> Client:
    return verified_login(Client(), request.getfixturevalue(request.param))


def test_every_staff_role_reads_the_guide_and_the_shortcuts(staff_client):
    index = staff_client.get(reverse("help"))
    pages = {slug: staff_client.get(f"/aide/{slug}/") for slug in user_guide.PAGES}
    shortcuts = staff_client.get(reverse("help_shortcuts"))

    assert index.status_code == 200
    assert "<h1>Guide d'utilisation du registre des réclamations</h1>" in index.content.decode()
    assert {slug: response.status_code for slug, response in pages.items()} == {
        "referent": 200,
        "responsable": 200,
        "auditeur": 200,
    }
    assert "<h1>Référent·e : traiter les réclamations</h1>" in pages["referent"].content.decode()
    assert shortcuts.status_code == 200
    assert '<a href="/aide/" aria-current="page">Aide</a>' in index.content.decode()


def test_an_unknown_help_page_is_not_found(referent_client):
    assert referent_client.get("/aide/inconnue/").status_code == 404
    assert referent_client.get("/aide/index/").status_code == 404  # the index is /aide/


def test_every_guide_file_is_a_page_linked_from_the_index():
    files = {path.stem for path in GUIDE.glob("*.md")}
    index = user_guide.render(user_guide.INDEX).html

    assert files == set(ALL_PAGES)
    for slug in user_guide.PAGES:
        assert f'href="/aide/{slug}/"' in index, slug


def test_every_image_the_guide_shows_exists_and_is_served_as_a_static_file():
    referenced = {src for slug in ALL_PAGES for src in user_guide.images_referenced(slug)}
    on_disk = {f"images/{path.name}" for path in (GUIDE / "images").glob("*.png")}

    assert referenced == on_disk  # none missing, none left over
    for src in referenced:
        name = src.removeprefix("images/")
        assert finders.find(f"reclamations/guide/{name}") is not None, src
    assert len(on_disk) <= 12
    assert sum((GUIDE / src).stat().st_size for src in on_disk) < 2 * 1024 * 1024


def test_a_guide_page_shows_its_images_from_the_static_files(referent_client):
    page = referent_client.get("/aide/referent/").content.decode()

    assert (
        '<img src="/static/reclamations/guide/mon-travail.png" alt="Mon travail : les '
        'réclamations en retard, à échéance proche et à clôturer" loading="lazy">'
    ) in page
    assert 'href="/aide/"' in page  # "Retour au sommaire du guide": index.md -> /aide/


def test_raw_html_and_script_links_in_the_markdown_are_shown_as_text():
    html = user_guide.to_html(
        '<script>alert(1)</script>\n\n[lien](javascript:alert(1)) <img src=x onerror="x()">'
    )

    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        "<p>[lien](javascript:alert(1)) &lt;img src=x onerror=&quot;x()&quot;&gt;</p>\n"
    )


def test_the_help_page_says_in_english_that_the_guide_is_in_french(referent, referent_client):
    referent.language = "en"
    referent.save(update_fields=["language"])

    text = text_of(referent_client.get(reverse("help")))

    assert "The user guide is written in French." in text


def test_the_register_and_a_complaint_load_the_shortcuts_with_their_addresses(
    organisation, referent, referent_client, auditor_client
):
    complaint = make_complaint(organisation, referent)
    script = (
        '<script src="/static/reclamations/shortcuts.js" defer data-register-url="/" '
        'data-help-url="/aide/raccourcis/"'
    )

    register = referent_client.get(reverse("register")).content.decode()
    detail = referent_client.get(
        reverse("complaint_detail", args=[complaint.reference])
    ).content.decode()
    read_only = auditor_client.get(reverse("register")).content.decode()

    assert f'{script} data-new-url="/reclamations/nouvelle/"></script>' in register
    assert f'{script} data-new-url="/reclamations/nouvelle/"></script>' in detail
    assert f"{script}></script>" in read_only  # an auditor registers nothing: no "n"
