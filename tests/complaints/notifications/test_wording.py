"""The wording of messages to clients: defaults, the fixed context, validation of a manager's
own wording, and its use for the organisation only."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.wording import (
    CONTEXT_HELP,
    DEFAULT_TEMPLATES,
    message_context,
    render_client_message,
    sample_complaint,
    template_spec,
)
from reclamations.outbox.models import MessageTemplate
from reclamations.outbox.services import message_template_reset, message_template_save
from reclamations.outbox.templates import validate_template
from tests.clock import NOW
from tests.factories import make_complaint

pytestmark = pytest.mark.usefixtures("clock")

SIGNATURE = (
    "Cordialement,\n\nFanny Maltese\nRéférente pédagogique\nCCS\n351 chemin des Gourettes\n"
    "06370 Mouans-Sartoux\n07 70 16 23 81\n"
)


def test_acknowledgement_default_states_reference_dates_and_how_to_follow(organisation):
    complaint = make_complaint(organisation, client_email="")

    rendered = render_client_message(complaint, ClientMessage.ACKNOWLEDGEMENT)

    assert rendered.subject == "Accusé de réception de votre réclamation [REC-2026-0001]"
    assert rendered.body == (
        "Bonjour Julie Martin,\n\n"
        "Nous avons bien reçu votre réclamation le lundi 2 novembre 2026. Elle est enregistrée "
        "sous la référence REC-2026-0001.\n\n"
        "Nous vous répondrons au plus tard le samedi 14 novembre 2026.\n\n"
        "Pour suivre votre réclamation ou nous transmettre un complément, répondez simplement à "
        "ce message en conservant la référence [REC-2026-0001] dans l'objet.\n\n" + SIGNATURE
    )


def test_confirmation_request_without_clock_says_when_the_deadline_starts(organisation):
    organisation.phone_clock = "confirmation"
    organisation.save()
    complaint = make_complaint(
        organisation, channel="phone", client_email="", description="Formateur absent."
    )

    rendered = render_client_message(complaint, ClientMessage.CONFIRMATION_REQUEST)

    assert rendered.subject == "Confirmation écrite de votre réclamation [REC-2026-0001]"
    assert "Ce que nous avons noté lors de votre appel :\nFormateur absent.\n" in rendered.body
    assert (
        "Notre délai de réponse de 10 jours ouvrables courra à compter de la réception de votre "
        "confirmation écrite." in rendered.body
    )


def test_information_request_lists_what_is_missing(organisation):
    complaint = make_complaint(organisation, client_email="")

    rendered = render_client_message(
        complaint,
        ClientMessage.INFORMATION_REQUEST,
        {"missing_information": "Votre numéro de compte.", "request_message": ""},
    )

    assert rendered.body.startswith(
        "Bonjour Julie Martin,\n\nPour traiter votre réclamation du lundi 2 novembre 2026 "
        "(référence REC-2026-0001), nous avons besoin des informations suivantes :\n\n"
        "Votre numéro de compte.\n\nMerci de nous les transmettre en répondant à ce message"
    )


def test_reply_wraps_the_text_with_the_recourse_of_a_consumer(organisation):
    complaint = make_complaint(organisation, client_email="", funding="cpf")

    rendered = render_client_message(
        complaint, ClientMessage.REPLY, {"reply_text": "Madame, c'est réglé.", "outcome": ""}
    )

    assert rendered.body.startswith(
        "Bonjour Julie Martin,\n\n"
        "Voici notre réponse à votre réclamation REC-2026-0001, reçue le lundi 2 novembre 2026."
        "\n\nMadame, c'est réglé.\n\nSi cette réponse ne vous donne pas entière satisfaction"
    )
    assert "Tribunal" not in rendered.body


def test_reply_to_a_professional_names_the_court(organisation):
    complaint = make_complaint(organisation, client_email="", funding="opco")

    rendered = render_client_message(
        complaint, ClientMessage.REPLY, {"reply_text": "Monsieur, non.", "outcome": "rejected"}
    )

    assert (
        "Monsieur, non.\n\nEn cas de désaccord persistant, le Tribunal judiciaire de Grasse est "
        "seul compétent pour trancher le litige.\n\nCordialement," in rendered.body
    )
    assert "médiateur" not in rendered.body


def test_progress_gives_status_and_due_date(organisation):
    complaint = make_complaint(organisation, client_email="")

    rendered = render_client_message(complaint, ClientMessage.PROGRESS, {"progress_note": ""})

    assert rendered.subject == "Avancement de votre réclamation [REC-2026-0001]"
    assert (
        "Voici où en est votre réclamation REC-2026-0001, reçue le lundi 2 novembre 2026 : en "
        "cours de traitement.\nNous vous répondrons au plus tard le samedi 14 novembre 2026.\n\n"
        in rendered.body
    )


def test_text_is_never_html_escaped(organisation):
    complaint = make_complaint(organisation, client_email="", client_name="L'Atelier <Sud> & Co")

    rendered = render_client_message(complaint, ClientMessage.ACKNOWLEDGEMENT)

    assert rendered.body.startswith("Bonjour L'Atelier <Sud> & Co,\n")


def test_context_holds_only_plain_values_never_model_instances(organisation, referent):
    complaint = make_complaint(organisation, referent)

    context = message_context(complaint, extra={"reply_text": "x"})

    assert set(context) == set(CONTEXT_HELP)

    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        return isinstance(value, str)

    assert all(plain(value) for value in context.values())


def test_every_default_template_is_valid(organisation):
    for kind, template in DEFAULT_TEMPLATES.items():
        preview, errors = validate_template(
            template_spec(organisation, kind), template.subject, template.body
        )
        assert errors == {}, kind
        assert preview is not None and preview.subject


def test_validation_reports_a_syntax_error_on_its_field(organisation):
    spec = template_spec(organisation, ClientMessage.ACKNOWLEDGEMENT)

    preview, errors = validate_template(
        spec, "Objet {{ reference }}", "{% if due_date %}{{ due_date }}"
    )

    assert preview is None
    assert list(errors) == ["body"]
    assert errors["body"][0].startswith("Texte : syntaxe incorrecte (")


def test_a_syntax_error_in_a_text_of_several_lines_names_its_line(organisation):
    spec = template_spec(organisation, ClientMessage.ACKNOWLEDGEMENT)
    body = "Bonjour,\n\nRéférence {{ reference }}.\n{% if due_date %}{{ due_date }}{% endfi %}\n"

    _preview, errors = validate_template(spec, "Objet", body)

    assert errors["body"][0].startswith("Texte, ligne 4 : syntaxe incorrecte (")


def test_validation_names_unknown_and_missing_variables(organisation):
    spec = template_spec(organisation, ClientMessage.REPLY)

    _preview, errors = validate_template(
        spec, "Réponse {{ ref }}", "Bonjour {{ nom_client }},\n{{ reply_text }}"
    )

    assert errors == {
        "subject": [
            "Variable inconnue : {{ ref }}. Utilisez une des variables listées sous le formulaire."
        ],
        "body": [
            "Variable inconnue : {{ nom_client }}. Utilisez une des variables listées sous le "
            "formulaire.",
            "Le texte doit contenir {{ recourse }} : sans cela, ce message ne remplit pas "
            "son rôle.",
        ],
    }


def test_validation_refuses_including_a_file(organisation):
    spec = template_spec(organisation, ClientMessage.PROGRESS)

    _preview, errors = validate_template(
        spec, "Suivi", "{{ status_label }} {% include 'base.html' %}"
    )

    assert errors["body"][0].startswith("Le modèle ne peut pas être affiché avec une réclamation")


def test_validation_refuses_an_empty_subject_once_rendered(organisation):
    spec = template_spec(organisation, ClientMessage.PROGRESS)

    _preview, errors = validate_template(spec, "{{ court|slice:'0' }}", "{{ status_label }}")

    assert errors == {"subject": ["L'objet est vide une fois le modèle appliqué."]}


def test_sample_complaint_is_never_saved(organisation):
    complaint = sample_complaint(organisation)

    assert complaint.pk is None
    assert complaint.reference == "REC-2026-0042"
    assert complaint.due_date == date(2026, 11, 14)


def test_own_template_replaces_the_default_for_the_organisation_only(
    organisation, other_organisation, manager
):
    message_template_save(
        organisation=organisation,
        actor=manager,
        spec=template_spec(organisation, "acknowledgement"),
        subject="Bien reçu",
        body="Réf. {{ reference }}, réponse le {{ due_date }}.",
    )
    ours = make_complaint(organisation, client_email="")
    theirs = make_complaint(other_organisation, client_email="")

    assert render_client_message(ours, "acknowledgement").body == (
        "Réf. REC-2026-0001, réponse le samedi 14 novembre 2026.\n"
    )
    assert render_client_message(theirs, "acknowledgement").subject == (
        "Accusé de réception de votre réclamation [AUT-2026-0001]"
    )


def test_saving_an_invalid_template_raises_and_keeps_the_previous_one(organisation, manager):
    with pytest.raises(ValidationError) as raised:
        message_template_save(
            organisation=organisation,
            actor=manager,
            spec=template_spec(organisation, "reply"),
            subject="Réponse",
            body="{{ reply_text }}",
        )

    assert raised.value.message_dict == {
        "body": [
            "Le texte doit contenir {{ recourse }} : sans cela, ce message ne remplit pas son rôle."
        ]
    }
    assert MessageTemplate.objects.count() == 0


def test_saving_twice_updates_the_same_row_and_reset_removes_it(organisation, manager):
    for subject in ("Premier", "Second"):
        message_template_save(
            organisation=organisation,
            actor=manager,
            spec=template_spec(organisation, "progress"),
            subject=subject,
            body="{{ status_label }}",
        )

    template = MessageTemplate.objects.get()
    assert (template.subject, template.body, template.updated_by) == (
        "Second",
        "{{ status_label }}\n",
        manager,
    )
    assert message_template_reset(organisation=organisation, kind="progress") is True
    assert message_template_reset(organisation=organisation, kind="progress") is False
    assert MessageTemplate.objects.count() == 0


def test_a_broken_own_template_falls_back_to_the_default_rather_than_losing_the_message(
    organisation,
):
    # Written around the service (as an older version might have stored it).
    MessageTemplate.objects.create(
        organisation=organisation,
        kind="acknowledgement",
        subject="{% if %}",
        body="x",
        updated_at=NOW,
    )
    complaint = make_complaint(organisation, client_email="")

    rendered = render_client_message(complaint, "acknowledgement")

    assert rendered.subject == "Accusé de réception de votre réclamation [REC-2026-0001]"
