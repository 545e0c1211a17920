"""The register's lines written in Python: the page's table body.

Through the template, a line cost about a third of a millisecond (forty variables looked up,
ten labels, three dates, a link reversed), a quarter of the register page's time for its
twenty-five lines (bench/README.md, "Many organisations"). The markup is the one the template
wrote; every text is escaped (format_html), every label read in the page's language.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reclamations.complaints.enums import (
    category_label,
    channel_label,
    kind_label,
    reply_channel_label,
)
from reclamations.complaints.event_reading import on_time_text
from reclamations.complaints.models import Complaint
from reclamations.web.display import RegisterLine
from reclamations.web.html_text import html_text
from reclamations.web.templatetags.web_tags import badge, highlight, marked

NONE = "—"


@dataclass(frozen=True)
class Labels:
    """Each column's name, translated once a page: the table's header, and every cell for the
    narrow screens' cards."""

    received: str
    client: str
    kind: str
    channel: str
    category: str
    status: str
    due: str
    days: str
    reply: str

    @classmethod
    def in_active_language(cls) -> "Labels":
        return cls(
            received=_("Reçue le"),
            client=_("Client"),
            kind=_("Nature"),
            channel=_("Canal"),
            category=_("Catégorie"),
            status=_("Statut"),
            due=_("Échéance"),
            days=_("Jours restants"),
            reply=_("Réponse"),
        )


def _day(value: date) -> str:
    """`value|date:"d/m/Y"`."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _client(line: RegisterLine, terms: tuple[str, ...]) -> SafeString:
    complaint = line.complaint
    parts = [highlight(complaint.client_name, terms) if complaint.client_name else NONE]
    if complaint.client_account:
        parts.append(
            format_html(
                '<br><span class="secondary">{}</span>', highlight(complaint.client_account, terms)
            )
        )
    if line.excerpt:
        parts.append(format_html('<br><span class="excerpt">{}</span>', marked(line.excerpt)))
    return mark_safe("".join(conditional_escape(part) for part in parts))  # noqa: S308


def _status(line: RegisterLine) -> SafeString:
    complaint = line.complaint
    parts = [badge(line.status)]
    if complaint.anonymised_on:
        parts.append(format_html('<br><span class="secondary">{}</span>', _("anonymisée")))
    elif complaint.archived_on:
        parts.append(format_html('<br><span class="secondary">{}</span>', _("archivée")))
    if complaint.client_says_unresolved:
        parts.append(
            format_html('<br><span class="late">{}</span>', _("non résolue selon le client"))
        )
    return mark_safe("".join(parts))  # noqa: S308 - each part made by format_html


def _due(complaint: Complaint) -> str:
    if complaint.due_date:
        return _day(complaint.due_date)
    if complaint.confirmation_pending:
        return format_html('<span class="secondary">{}</span>', _("à la confirmation"))
    return NONE


def _reply(complaint: Complaint) -> SafeString | str:
    if not complaint.replied_on:
        return NONE
    parts = [_day(complaint.replied_on)]
    if complaint.reply_channel:
        how = (
            _("recommandé")
            if complaint.reply_registered_number
            else reply_channel_label(complaint.reply_channel).lower()
        )
        parts.append(format_html(' <span class="secondary">{}</span>', how))
    if complaint.replied_on_time is not None:
        parts.append(
            format_html(
                '<br><span class="{}">{}</span>',
                "on-time" if complaint.replied_on_time else "late",
                on_time_text(complaint.replied_on_time),
            )
        )
    if complaint.reply_delivered_on:
        day = conditional_escape(date_format(complaint.reply_delivered_on, _("d/m/Y")))
        # As {% blocktranslate %} writes it: the value escaped, the sentence as translated.
        delivered = _("distribuée le %(day)s") % {"day": day}
        parts.append(format_html('<br><span class="secondary">{}</span>', mark_safe(delivered)))  # noqa: S308
    elif complaint.reply_registered_number:
        parts.append(
            format_html('<br><span class="secondary">{}</span>', _("avis de réception attendu"))
        )
    return mark_safe("".join(parts))  # noqa: S308 - each part made by format_html or a date


class ComplaintLinks:
    """reverse("complaint_detail", args=[reference]) for a page's lines, the URL resolved
    once: the reference quoted as reverse() quotes it, between what comes before and after it
    (a resolution a line was a tenth of the lines' time). A reference the route refuses (empty,
    or with a slash) goes through reverse(), which says so as it always did."""

    SAMPLE = "x0"

    def __init__(self) -> None:
        url = reverse("complaint_detail", args=[self.SAMPLE])
        self.before, _sample, self.after = url.rpartition(self.SAMPLE)

    def __call__(self, reference: str) -> str:
        if not reference or "/" in reference:
            return reverse("complaint_detail", args=[reference])
        return self.before + quote(reference, safe=RFC3986_SUBDELIMS + "/~:@") + self.after


def register_row(
    line: RegisterLine,
    terms: tuple[str, ...],
    labels: Labels,
    link: ComplaintLinks | None = None,
) -> SafeString:
    """One line of the register's table (`link`: the page's, made once)."""
    complaint = line.complaint
    cells = (
        ("", _day(complaint.received_on), labels.received),
        (' class="card-client"', _client(line, terms), labels.client),
        (' class="card-more"', kind_label(complaint.kind), labels.kind),
        (' class="card-more"', channel_label(complaint.channel), labels.channel),
        (' class="card-more"', category_label(complaint.category) or NONE, labels.category),
        (' class="card-status"', _status(line), labels.status),
        (' class="card-due"', _due(complaint), labels.due),
        (' class="card-days"', badge(line.deadline) if line.deadline else NONE, labels.days),
        (' class="card-more"', _reply(complaint), labels.reply),
    )
    url = (link or ComplaintLinks())(complaint.reference)
    return mark_safe(  # noqa: S308 - every value escaped by html_text
        "\n    <tr>"
        '\n      <th scope="row" class="card-title">'
        f'<a href="{html_text(url)}">{html_text(highlight(complaint.reference, terms))}</a></th>'
        + "".join(
            f'\n      <td{kind} data-label="{html_text(label)}">{html_text(value)}</td>'
            for kind, value, label in cells
        )
        + "\n    </tr>"
    )


def register_rows(
    lines: Iterable[RegisterLine], terms: tuple[str, ...], labels: Labels
) -> SafeString:
    """The table body's rows."""
    link = ComplaintLinks()
    return mark_safe("".join(register_row(line, terms, labels, link) for line in lines))  # noqa: S308
