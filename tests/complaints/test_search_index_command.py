"""`reclamations search-index` writes every complaint's search text again."""

from io import StringIO

from django.core.management import call_command

from reclamations.complaints.models import ComplaintSearch
from tests.factories import make_complaint


def test_the_command_writes_the_texts_again(organisation, referent):
    complaint = make_complaint(organisation, referent, client_name="Hélène Lefèvre")
    written = ComplaintSearch.objects.get(pk=complaint.pk).text
    ComplaintSearch.objects.all().delete()
    out = StringIO()

    call_command("search-index", stdout=out)

    assert out.getvalue() == "Texte de recherche réécrit pour 1 réclamation(s).\n"
    assert ComplaintSearch.objects.get(pk=complaint.pk).text == written
