"""The register's lines, written in Python: the markup the template wrote, every text escaped,
the labels in the page's language."""

from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils.translation import override

from reclamations.complaints.deadlines import Urgency
from reclamations.complaints.models import Complaint
from reclamations.complaints.search_text import Segment
from reclamations.web.display import RegisterLine, status_badge, urgency_badge
from reclamations.web.register_rows import ComplaintLinks, Labels, register_row, register_rows


def line(**values) -> RegisterLine:
    fields = {
        "reference": "REC-2026-0007",
        "received_on": date(2026, 3, 2),
        "client_name": "",
        "client_account": "",
        "kind": "complaint",
        "channel": "email",
        "category": "",
        "status": "in_progress",
        **values,
    }
    excerpt = fields.pop("excerpt", ())
    days_left, urgency = fields.pop("deadline", (None, None))
    complaint = Complaint(**fields)
    return RegisterLine(
        complaint, status_badge(complaint.status), urgency_badge(days_left, urgency), excerpt
    )


def cells(html: str) -> list[str]:
    return [cell.strip() for cell in html.split("\n")[2:-1]]


def test_an_open_complaint_with_nothing_yet():
    with override("fr"):
        html = register_row(line(due_date=date(2026, 3, 16)), (), Labels.in_active_language())

    assert html.startswith("\n    <tr>\n") and html.endswith("\n    </tr>")
    assert cells(html) == [
        '<th scope="row" class="card-title"><a href="/reclamations/REC-2026-0007/">'
        "REC-2026-0007</a></th>",
        '<td data-label="Reçue le">02/03/2026</td>',
        '<td class="card-client" data-label="Client">—</td>',
        '<td class="card-more" data-label="Nature">Réclamation</td>',
        '<td class="card-more" data-label="Canal">E-mail</td>',
        '<td class="card-more" data-label="Catégorie">—</td>',
        '<td class="card-status" data-label="Statut"><span class="badge badge-progress">'
        "En cours de traitement</span></td>",
        '<td class="card-due" data-label="Échéance">16/03/2026</td>',
        '<td class="card-days" data-label="Jours restants">—</td>',
        '<td class="card-more" data-label="Réponse">—</td>',
    ]


def test_a_replied_complaint_found_by_a_search():
    replied = line(
        client_name="Jeanne Estérel <script>",
        client_account="Mairie d'Estérel",
        category="pedagogy",
        status="replied",
        archived_on=date(2026, 6, 1),
        client_says_unresolved=True,
        replied_on=date(2026, 3, 10),
        reply_channel="letter",
        reply_registered_number="1A 234",
        replied_on_time=True,
        reply_delivered_on=date(2026, 3, 12),
        excerpt=(Segment("… la salle de l'", False), Segment("Estérel", True)),
        deadline=(2, Urgency.DUE_SOON),
    )

    with override("fr"):
        html = register_rows([replied], ("esterel",), Labels.in_active_language())

    client, status, days, reply = (cells(html)[i] for i in (2, 6, 8, 9))
    assert client == (
        '<td class="card-client" data-label="Client">Jeanne <mark>Estérel</mark> '
        '&lt;script&gt;<br><span class="secondary">Mairie d&#x27;<mark>Estérel</mark></span>'
        '<br><span class="excerpt">… la salle de l&#x27;<mark>Estérel</mark></span></td>'
    )
    assert status == (
        '<td class="card-status" data-label="Statut"><span class="badge badge-success">'
        'Répondue</span><br><span class="secondary">archivée</span><br><span class="late">'
        "non résolue selon le client</span></td>"
    )
    assert days == (
        '<td class="card-days" data-label="Jours restants"><span class="badge badge-warning">'
        'Échéance proche</span> <span class="badge-detail">2 j restants</span></td>'
    )
    assert reply == (
        '<td class="card-more" data-label="Réponse">10/03/2026 <span class="secondary">'
        'recommandé</span><br><span class="on-time">dans le délai</span><br><span '
        'class="secondary">distribuée le 12/03/2026</span></td>'
    )


def test_in_english():
    replied = line(
        replied_on=date(2026, 3, 10),
        reply_channel="email",
        replied_on_time=False,
        anonymised_on=date(2027, 1, 1),
        confirmation_pending=True,
    )

    with override("en"):
        html = register_rows([replied], (), Labels.in_active_language())

    assert 'data-label="Received on"' in html
    assert 'data-label="Channel"' in html
    assert '<span class="secondary">anonymised</span>' in html
    assert '<td class="card-due" data-label="Due date"><span class="secondary">' in html
    assert '<br><span class="late">late</span>' in html


def test_no_lines_no_rows():
    assert register_rows([], (), Labels.in_active_language()) == ""


@pytest.mark.parametrize(
    "reference",
    [
        "REC-2026-0007",
        "R 12",  # a space
        "Réc-2020-4",  # an accent
        "A&B'(1)*+,;=!$",  # kept as they are by reverse()
        "50%?#é\n~:@",
        "x0",  # the sample itself
        "x0x0",
    ],
)
def test_a_line_links_its_complaint_as_reverse_does(reference):
    assert ComplaintLinks()(reference) == reverse("complaint_detail", args=[reference])


@pytest.mark.parametrize("reference", ["", "2019/12"])
def test_a_reference_the_route_refuses_is_refused_as_reverse_does(reference):
    with pytest.raises(NoReverseMatch):
        ComplaintLinks()(reference)


def test_the_links_follow_the_script_prefix():
    set_script_prefix("/registre/")
    try:
        assert ComplaintLinks()("REC-1") == "/registre/reclamations/REC-1/"
    finally:
        set_script_prefix("/")
