"""The demo organisation's profile (CCS, from its written procedure). Every value is a setting."""

from reclamations.core.models import Organisation

CCS_PROFILE = {
    "name": "CCS",
    "address": "351 chemin des Gourettes\n06370 Mouans-Sartoux",
    "phone": "07 70 16 23 81",
    "complaints_email": "f.maltese@ccs-legal.fr",
    "referent_name": "Fanny Maltese",
    "referent_title": "Référente pédagogique",
    "referent_email": "f.maltese@ccs-legal.fr",
    "time_zone": "Europe/Paris",
    "holiday_subdivision": "",
    "deadline_days": 10,
    "calendar_kind": "ouvrables",
    "mediator_name": "Alpes-Maritimes Médiation",
    "mediator_website": "http://alpesmaritimes-mediation.fr",
    "court_name": "Tribunal judiciaire de Grasse",
    "procedure_version": "CCS procédure réclamations v1",
}


def ensure_seed_organisation() -> Organisation:
    """The demo's organisation, created with the procedure's profile if it does not exist yet.
    Only the demo makes it (a real installation starts with `reclamations init`), marked as the
    demo's so that no real organisation of the same name is ever taken for it."""
    organisation = (
        Organisation.objects.filter(name=CCS_PROFILE["name"], demo=True).order_by("id").first()
    )
    if organisation is None:
        organisation = Organisation.objects.create(**CCS_PROFILE, demo=True)
    return organisation
