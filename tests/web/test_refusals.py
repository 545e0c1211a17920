"""A page that sends a form back says so: its title begins with "Erreur", the summary of the
errors takes the focus and links each field in error; required fields are marked. The log gets
one line for it, with the account and the fields in error."""

import logging

from django.urls import reverse

from tests.factories import make_complaint

CHANGE = reverse("password_change")
REFUSED = {"old_password": "faux", "new_password1": "123", "new_password2": "1234"}


def test_a_refused_form_summary_takes_the_focus(referent_client):
    page = referent_client.post(CHANGE, REFUSED).content.decode()

    assert "<title>Erreur : " in page
    summary = page[page.index('<div class="alert alert-error error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert 'tabindex="-1" autofocus' in summary
    assert '<a href="#id_old_password">' in summary
    assert '<a href="#id_new_password2">' in summary


def test_a_page_without_errors_has_no_summary(referent_client):
    page = referent_client.get(reverse("account")).content.decode()

    assert "<title>Erreur" not in page
    assert "error-summary" not in page


def test_a_field_the_service_requires_is_marked_for_the_eye_and_for_screen_readers(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    url = reverse("complaint_action", args=[complaint.reference, "declare_not_admissible"])

    page = referent_client.get(url).content.decode()

    assert (
        '<label for="id_reason" class="required" data-required="(obligatoire)">'
        "Motif de non-recevabilité</label>"
    ) in page
    widget = page[page.index('<textarea name="reason"') :]
    assert 'aria-required="true"' in widget[: widget.index(">")]


def test_an_optional_field_has_no_mark(referent_client):
    page = referent_client.get(reverse("complaint_new")).content.decode()

    assert '<label for="id_client_name">Nom du client</label>' in page


def test_the_refused_form_is_one_line_of_the_log_with_the_account_and_fields(
    referent_client, referent, caplog
):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        referent_client.post(CHANGE, REFUSED)

    (line,) = [record for record in caplog.records if record.name == "django.request"]
    assert line.getMessage() == (
        f"Refus 400 POST {CHANGE} (compte {referent.username}) : formulaire refusé, champs en "
        "erreur : new_password2, old_password"
    )
    assert line.exc_info is None
    assert "faux" not in line.getMessage()
