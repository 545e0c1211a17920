"""The words registers use: column headers, statuses, channels and outcomes, as organisations
write them in their spreadsheets (accents, case and punctuation ignored). Pure: no Django.

What a word does not say is never guessed: an unknown status, channel or outcome is an error
of its line, with the words that are recognised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from reclamations.complaints.enums import Channel, Outcome
from reclamations.core.catalogue import gettext_noop

# The fields a column can give, in the order the mapping step lists them, with their French
# names (marked: the page shows them in its language). "note" may be chosen for several
# columns: each is kept, named, in the import's event.
FIELDS: Mapping[str, str] = {
    "reference": gettext_noop("Référence d'origine"),
    "received_on": gettext_noop("Date de réception"),
    "kind": gettext_noop("Nature (réclamation, difficulté, aléa, non recevable)"),
    "client_name": gettext_noop("Nom du client"),
    "client_account": gettext_noop("Compte client"),
    "client_email": gettext_noop("E-mail du client"),
    "client_phone": gettext_noop("Téléphone du client"),
    "client_type": gettext_noop("Type de client (particulier, professionnel)"),
    "funding": gettext_noop("Financement (CPF, OPCO, entreprise...)"),
    "training": gettext_noop("Formation"),
    "session": gettext_noop("Session"),
    "trainer": gettext_noop("Formateur ou formatrice"),
    "funder": gettext_noop("Financeur"),
    "subject": gettext_noop("Objet (en tête de la description)"),
    "description": gettext_noop("Description"),
    "remedy_sought": gettext_noop("Attente du client"),
    "category": gettext_noop("Catégorie"),
    "channel": gettext_noop("Canal"),
    "status": gettext_noop("Statut"),
    "replied_on": gettext_noop("Date de réponse"),
    "resolution": gettext_noop("Réponse apportée"),
    "actions": gettext_noop("Actions menées"),
    "closed_on": gettext_noop("Date de clôture"),
    "outcome": gettext_noop("Issue"),
    "cause": gettext_noop("Cause (parmi celles de l'organisme)"),
    "note": gettext_noop("Note (reprise telle quelle)"),
}
IGNORED = ""
REPEATABLE = frozenset({"note"})

# Words that say nothing in a header ("Date de la réponse" is "date réponse").
_STOPWORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "a", "au", "aux", "par"})

# Each field's usual headers. A header matching one exactly (as a set of words) gives the field;
# otherwise the field whose header is the longest part of it ("Date de réception de la
# réclamation" is a date of reception, not a description).
HEADERS: Mapping[str, tuple[str, ...]] = {
    "reference": (
        "référence",
        "réf",
        "ref",
        "n°",
        "numéro",
        "n° de réclamation",
        "numéro de réclamation",
        "référence réclamation",
        "n° d'enregistrement",
        "id",
        "identifiant",
    ),
    "received_on": (
        "date de réception",
        "reçue le",
        "reçu le",
        "date",
        "date réception",
        "réception",
        "date de la réclamation",
        "réceptionnée le",
        "date d'arrivée",
        "arrivée le",
        "date de saisie",
        "date d'enregistrement",
        "enregistrée le",
    ),
    "client_name": (
        "client",
        "nom du client",
        "nom",
        "nom client",
        "stagiaire",
        "nom du stagiaire",
        "réclamant",
        "nom du réclamant",
        "émetteur",
        "demandeur",
        "client stagiaire",
        "nom prénom",
        "bénéficiaire",
    ),
    "client_account": (
        "compte client",
        "n° client",
        "code client",
        "compte",
        "numéro client",
        "dossier client",
        "n° de dossier",
    ),
    "client_email": ("e-mail", "email", "courriel", "adresse e-mail", "mail", "e-mail du client"),
    "client_phone": ("téléphone", "tél", "tel", "n° de téléphone", "portable"),
    "training": (
        "formation",
        "action de formation",
        "intitulé de la formation",
        "formation concernée",
        "stage",
        "intitulé",
        "programme",
    ),
    "session": ("session", "groupe", "promotion", "dates de session"),
    "trainer": ("formateur", "formatrice", "formateur formatrice", "intervenant", "intervenante"),
    "funder": ("financeur", "opco", "organisme financeur", "nom du financeur"),
    "funding": ("financement", "mode de financement", "type de financement", "dispositif"),
    "client_type": ("type de client", "type client", "profil client", "catégorie de client"),
    "kind": ("nature", "type", "type de demande", "nature de la demande", "qualification"),
    "category": ("catégorie", "catégorie de réclamation", "domaine", "typologie"),
    "cause": ("cause", "causes", "cause racine", "cause identifiée", "cause principale"),
    "subject": ("objet", "objet de la réclamation", "motif", "sujet", "thème"),
    "description": (
        "description",
        "réclamation",
        "description de la réclamation",
        "détail",
        "détails",
        "contenu",
        "exposé",
        "faits",
        "verbatim",
    ),
    "remedy_sought": ("attente du client", "demande du client", "attente", "solution demandée"),
    "channel": (
        "canal",
        "canal de réception",
        "mode de réception",
        "moyen",
        "reçue par",
        "origine",
        "support",
        "source",
        "mode",
    ),
    "status": ("statut", "état", "situation", "avancement", "statut de la réclamation"),
    "replied_on": (
        "date de réponse",
        "répondu le",
        "date de la réponse",
        "réponse le",
        "date réponse",
        "réponse envoyée le",
        "réponse date",
    ),
    "resolution": (
        "réponse apportée",
        "réponse",
        "solution",
        "solution apportée",
        "traitement",
        "résolution",
        "réponse au client",
        "suite donnée",
    ),
    "actions": (
        "actions",
        "actions menées",
        "actions correctives",
        "action corrective",
        "mesures prises",
        "action",
        "actions engagées",
    ),
    "closed_on": ("date de clôture", "clôturée le", "clôture", "clos le", "date clôture"),
    "outcome": ("issue", "décision", "résultat", "fondée", "conclusion", "bien fondé"),
    "note": (
        "commentaire",
        "commentaires",
        "remarque",
        "remarques",
        "observations",
        "notes",
        # Mediation and litigation are kept as notes (docs/import.md says why).
        "médiation",
        "médiateur saisi le",
        "date de saisine du médiateur",
        "date de médiation",
        "issue de la médiation",
        "contentieux",
        "date du contentieux",
        "issue du contentieux",
    ),
}

_PUNCTUATION = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: "  Reçue LE " is "recue le"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def words(text: str) -> frozenset[str]:
    """A header's meaningful words: "N° de la réclamation" is {"numero", "reclamation"}."""
    folded = fold(text).replace("n°", " numero ").replace("nº", " numero ")
    folded = re.sub(r"\be[\s-]?mail\b", "email", folded)
    parts = _PUNCTUATION.sub(" ", folded).split()
    return frozenset({"numero" if part in ("no", "num") else part for part in parts} - _STOPWORDS)


_HEADER_WORDS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (name, words(header)) for name, headers in HEADERS.items() for header in headers
)


def field_for_header(header: str) -> str:
    """The field a column's header names, or IGNORED when none does."""
    given = words(header)
    if not given:
        return IGNORED
    for name, known in _HEADER_WORDS:
        if known == given:
            return name
    best, size = IGNORED, 0
    for name, known in _HEADER_WORDS:
        if known and known <= given and len(known) > size:
            best, size = name, len(known)
    return best


# The product's states a register's status can say; "open" is treated (in progress, or
# incomplete when the procedure's fields are missing).
OPEN, REPLIED, CLOSED, NOT_ADMISSIBLE = "open", "replied", "closed", "not_admissible"
STATE_LABELS = {
    OPEN: gettext_noop("En cours de traitement"),
    REPLIED: gettext_noop("Répondue"),
    CLOSED: gettext_noop("Clôturée"),
    NOT_ADMISSIBLE: gettext_noop("Non recevable"),
}

STATUS_WORDS: Mapping[str, str] = {
    **dict.fromkeys(
        (
            "clos",
            "close",
            "closes",
            "cloture",
            "cloturee",
            "clotures",
            "cloturees",
            "termine",
            "terminee",
            "traite",
            "traitee",
            "traitees",
            "resolu",
            "resolue",
            "solde",
            "soldee",
            "ferme",
            "fermee",
            "regle",
            "reglee",
            "fini",
            "finie",
            "acheve",
            "achevee",
            "classe",
            "classee",
            "classee sans suite",
            "closed",
            "done",
        ),
        CLOSED,
    ),
    **dict.fromkeys(
        (
            "repondu",
            "repondue",
            "reponse envoyee",
            "reponse faite",
            "reponse apportee",
            "reponse donnee",
            "reponse au client",
            "replied",
        ),
        REPLIED,
    ),
    **dict.fromkeys(
        (
            "en cours",
            "en attente",
            "ouvert",
            "ouverte",
            "nouveau",
            "nouvelle",
            "a traiter",
            "non traite",
            "non traitee",
            "en traitement",
            "en analyse",
            "en instruction",
            "a faire",
            "a l etude",
            "en attente de reponse",
            "en cours de traitement",
            "open",
            "pending",
        ),
        OPEN,
    ),
    **dict.fromkeys(
        ("non recevable", "irrecevable", "hors champ", "requalifiee", "pas une reclamation"),
        NOT_ADMISSIBLE,
    ),
}
# A status may carry the outcome after it: "Clôturée - fondée", "clos (rejetée)".
_STATUS_PARTS = re.compile(r"\s*(?:[-\N{EN DASH}\N{EM DASH}(),:/;]|\bet\b)\s*")


def read_status(text: str) -> tuple[str, str] | None:
    """(state, outcome) a register's status says; the outcome "" when it says none; None for
    a status no rule knows."""
    parts = [part for part in _STATUS_PARTS.split(fold(text)) if part]
    if not parts:
        return None
    state = STATUS_WORDS.get(_PUNCTUATION.sub(" ", parts[0]).strip())
    if state is None:
        return None
    outcome = ""
    rest = " ".join(parts[1:])
    if rest:
        found = read_outcome(rest)
        if found is None:
            return None
        outcome = found
    return state, outcome


def read_outcome(text: str) -> str | None:
    """The outcome a register's words say ("fondée", "partiellement", "rejetée"...), or None."""
    folded = fold(text)
    if not folded:
        return None
    if "partiel" in folded or "en partie" in folded:
        return Outcome.PARTLY_GRANTED.value
    if any(
        word in folded
        for word in ("non fonde", "infonde", "rejet", "refus", "defavorable", "non satisf")
    ) or folded in ("non", "negatif", "negative"):
        return Outcome.REJECTED.value
    if any(
        word in folded for word in ("fonde", "satisf", "accord", "accepte", "favorable")
    ) or folded in ("oui", "positif", "positive"):
        return Outcome.GRANTED.value
    return None


_CHANNEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Channel.EMAIL.value, ("email", "mail", "courriel", "messagerie", "mel")),
    (Channel.LETTER.value, ("courrier", "lettre", "postal", "poste", "lrar", "recommande")),
    (Channel.PHONE.value, ("telephone", "tel", "appel", "telephonique", "phone")),
    (
        Channel.WEB.value,
        ("site", "formulaire", "web", "internet", "en ligne", "extranet", "portail"),
    ),
    (Channel.API.value, ("api",)),
)
CHANNELS_RECOGNISED = "courrier, e-mail, téléphone, formulaire web"


def read_channel(text: str) -> str | None:
    """The channel a register's words say ("Mail", "Courrier postal", "Tél."), or None."""
    given, folded = words(text), fold(text)
    for channel, known in _CHANNEL_WORDS:
        for word in known:
            if word in given or (" " in word and word in folded):
                return channel
    return None


def recognised(values: Iterable[str]) -> str:
    return ", ".join(f"« {value} »" for value in values)
