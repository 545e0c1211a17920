from django.test import Client
from django.utils.html import escape

from reclamations.web.views.errors import CSRF_MESSAGE


def test_csrf_failure_is_explained_in_french_and_keeps_nothing(referent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(referent)

    response = client.post("/reclamations/nouvelle/", {"channel": "letter"})

    assert response.status_code == 403
    assert escape(str(CSRF_MESSAGE)) in response.content.decode()
    assert referent.organisation.complaints.count() == 0
