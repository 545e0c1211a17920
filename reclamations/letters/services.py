"""Writes of the letters app: an organisation's own layout, checked before it is kept."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reclamations.core.models import Organisation, User
from reclamations.letters.content import DEFAULT_LAYOUT, Layout
from reclamations.letters.layout import layout_problems, logo_type
from reclamations.letters.models import LetterLayout
from reclamations.letters.printing import DEFAULT_CSS, DEFAULT_HTML


def _own(text: str, default: str) -> str:
    """A text kept only when it differs from the default (then a new default applies)."""
    text = text.replace("\r\n", "\n").strip()
    return "" if text == default.strip() else text + "\n"


def layout_of(organisation: Organisation) -> Layout:
    """The layout of the organisation's letters: its own, else the default one."""
    own = (
        LetterLayout.objects.filter(organisation=organisation)
        .values_list("html", "css", "logo", "logo_type")
        .first()
    )
    if own is None:
        return DEFAULT_LAYOUT
    html, css, logo, kind = own
    return Layout(html=html, css=css, logo=bytes(logo or b""), logo_type=kind)


def proposed_layout(
    organisation: Organisation, *, html: str, css: str, logo: bytes | None, remove_logo: bool
) -> Layout:
    """The layout as a manager's form proposes it: the logo kept unless replaced or removed."""
    current = layout_of(organisation)
    kept_logo = b"" if remove_logo else current.logo
    new_logo = logo if logo else kept_logo
    return Layout(
        html=_own(html, DEFAULT_HTML),
        css=_own(css, DEFAULT_CSS),
        logo=new_logo,
        logo_type=logo_type(new_logo) if new_logo else "",
    )


def letter_layout_save(
    *,
    organisation: Organisation,
    actor: User,
    layout: Layout,
    logo_name: str = "",
) -> LetterLayout:
    """Keep `layout` for the organisation's next letters once a sample letter prints well
    with it; raises ValidationError (html, css, logo -> French messages, the line when one
    is known). Letters already printed are kept as they were."""
    problems = layout_problems(layout)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        row, _created = LetterLayout.objects.select_for_update().get_or_create(
            organisation=organisation, defaults={"updated_at": timezone.now()}
        )
        row.html, row.css = layout.html, layout.css
        if layout.logo != bytes(row.logo or b""):
            row.logo_name = logo_name[:255] if layout.logo else ""
        row.logo, row.logo_type = layout.logo, layout.logo_type
        row.updated_at, row.updated_by = timezone.now(), actor
        row.save()
    return row


def letter_layout_reset(organisation: Organisation) -> bool:
    """Back to the default layout and no logo; True when there was an own one."""
    deleted, _ = LetterLayout.objects.filter(organisation=organisation).delete()
    return deleted > 0
