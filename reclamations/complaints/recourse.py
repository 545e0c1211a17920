"""The recourse a reply must state, by client type and outcome. Pure: no database, no Django.

French consumer law (Code de la consommation, L612-1 and following) obliges a training
organisation to give a consumer the mediator's name, address and website when a complaint is
not fully granted; mediation is free, must be asked within one year of the written complaint,
and may never be presented as a step required before going to court. A clause naming a
competent court binds professional clients only, so only they are told about it. The EU online
dispute resolution platform closed in July 2025: it is never mentioned.
"""

from collections.abc import Callable
from dataclasses import dataclass

from reclamations.core.catalogue import as_is, gettext_noop

CONSUMER = "consumer"
PROFESSIONAL = "professional"
FULLY_GRANTED = "granted"


@dataclass(frozen=True)
class RecourseSettings:
    """What the organisation's settings say about mediation and the competent court."""

    mediator_name: str = ""
    mediator_address: str = ""
    mediator_website: str = ""
    court_name: str = ""
    mediator_listed: bool = True  # referenced by the CECMC, as the settings say


Translate = Callable[[str], str]


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())


def mediation_paragraph(settings: RecourseSettings, language: str = "fr") -> str:
    """The consumer mediation mention, or "" when no mediator is configured; in English for
    a client written to in English (`language` "en"), in French otherwise."""
    if not settings.mediator_name.strip():
        return ""
    details = [settings.mediator_name.strip()]
    if _one_line(settings.mediator_address):
        details.append(_one_line(settings.mediator_address))
    if settings.mediator_website.strip():
        details.append(settings.mediator_website.strip())
    if language == "en":
        return (
            "If this reply does not fully satisfy you, you may refer the matter free of charge "
            f"to the consumer mediator: {', '.join(details)}. Mediation must be requested "
            "within one year of your written complaint to our organisation. It is optional: "
            "you keep the right to bring the matter before the competent court at any time."
        )
    return (
        "Si cette réponse ne vous donne pas entière satisfaction, vous pouvez recourir "
        f"gratuitement au médiateur de la consommation : {', '.join(details)}. "
        "La médiation doit être demandée dans un délai d'un an à compter de votre réclamation "
        "écrite auprès de notre organisme. Elle est facultative : vous conservez à tout moment "
        "le droit de saisir la juridiction compétente."
    )


def court_paragraph(settings: RecourseSettings, language: str = "fr") -> str:
    """The competent-court mention for professional clients, or "" when none is configured."""
    court = settings.court_name.strip()
    if not court:
        return ""
    if language == "en":
        # The court's name stays as the settings give it (a French court, named in French).
        return f"Should the disagreement persist, the {court} alone has jurisdiction over it."
    return f"En cas de désaccord persistant, le {court} est seul compétent pour trancher le litige."


def recourse_text(
    *, client_type: str, outcome: str, settings: RecourseSettings, language: str = "fr"
) -> str:
    """The recourse paragraph of a reply; "" when nothing is to be said.

    `outcome` is what the reply announces: "granted" (fully), "partly_granted", "rejected", or
    "" when the referent did not say; anything but "granted" counts as not fully granted, so
    that a client is never deprived of a recourse by an omission. A client whose type is
    unknown is told about mediation (it may be a consumer) but not about the court clause
    (which binds professionals only).
    """
    if outcome == FULLY_GRANTED:
        return ""
    if client_type == PROFESSIONAL:
        return court_paragraph(settings, language)
    return mediation_paragraph(settings, language)


def recourse_refusal(
    *, client_type: str, outcome: str, settings: RecourseSettings, translate: Translate = as_is
) -> str:
    """Why a reply cannot go as written (French), or "": one that must name the consumer
    mediator while the settings lack its name or its website, which the law requires every
    such reply to give (L612-1, R616-1). The mediator's postal address is given when known."""
    if outcome == FULLY_GRANTED or client_type == PROFESSIONAL:
        return ""
    missing = [
        label
        for value, label in (
            (settings.mediator_name, gettext_noop("le nom du médiateur")),
            (settings.mediator_website, gettext_noop("son site internet")),
        )
        if not value.strip()
    ]
    if not missing:
        return ""
    return translate(
        gettext_noop(
            "Cette réponse doit indiquer au client le médiateur de la consommation, mais les "
            "réglages n'en donnent pas %(missing)s : un responsable doit les compléter "
            "(Réglages, rubrique Recours) avant qu'elle parte."
        )
    ) % {"missing": translate(gettext_noop(" ni ")).join(translate(label) for label in missing)}


def unlisted_mediator_refusal(
    *,
    client_type: str,
    outcome: str,
    settings: RecourseSettings,
    by_manager: bool,
    translate: Translate = as_is,
) -> str:
    """Why a reply naming a mediator the settings do not mark as referenced by the CECMC
    cannot go as sent by this person (French), or "": a consumer must be sent to a referenced
    mediator, so such a reply waits for a manager, who sends it or corrects the settings."""
    if by_manager or settings.mediator_listed:
        return ""
    if outcome == FULLY_GRANTED or client_type == PROFESSIONAL:
        return ""
    if not settings.mediator_name.strip():
        return ""  # refused for the missing name instead: recourse_refusal
    return translate(
        gettext_noop(
            "Cette réponse nomme le médiateur « %(name)s », que les réglages n'indiquent pas "
            "comme référencé par la CECMC : un consommateur doit être orienté vers un "
            "médiateur référencé. Un responsable doit la valider : l'envoyer lui-même, ou "
            "cocher « référencé par la CECMC » dans Réglages, rubrique Recours, après "
            "vérification sur la liste publiée."
        )
    ) % {"name": settings.mediator_name.strip()}


def recourse_notices(
    *, client_type: str, outcome: str, settings: RecourseSettings, translate: Translate = as_is
) -> list[str]:
    """What to check before a reply that names the consumer mediator goes (French; it may go):
    a mediator the settings do not mark as referenced by the CECMC, an unknown postal address."""
    if outcome == FULLY_GRANTED or client_type == PROFESSIONAL:
        return []
    if not settings.mediator_name.strip():
        return []  # refused instead: recourse_refusal
    notices = []
    if not settings.mediator_listed:
        notices.append(
            translate(
                gettext_noop(
                    "Le médiateur « %(name)s » n'est pas indiqué comme référencé par la CECMC "
                    "dans les réglages : un consommateur doit être orienté vers un médiateur "
                    "référencé. Seul un responsable peut envoyer cette réponse (ou cocher, "
                    "après vérification, « référencé par la CECMC » dans les réglages)."
                )
            )
            % {"name": settings.mediator_name.strip()}
        )
    if not settings.mediator_address.strip():
        notices.append(
            translate(
                gettext_noop(
                    "L'adresse postale du médiateur n'est pas renseignée : la réponse ne "
                    "donnera que son nom et son site."
                )
            )
        )
    return notices


def missing_settings(settings: RecourseSettings) -> list[str]:
    """What the organisation should fill in so that replies state the recourse the law asks
    (French, marked for the pages that translate it)."""
    labels = {
        "mediator_name": gettext_noop("le nom du médiateur"),
        "mediator_address": gettext_noop("l'adresse du médiateur"),
        "mediator_website": gettext_noop("le site du médiateur"),
        "court_name": gettext_noop("le tribunal compétent"),
    }
    return [label for name, label in labels.items() if not getattr(settings, name).strip()]
