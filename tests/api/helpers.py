"""Constants and small helpers shared by the API tests."""

from typing import Any

from django.test import Client

from reclamations.core.models import User
from reclamations.core.users import token_create
from tests.clock import at

# Friday 14 March 2025, noon in Paris: no public holiday in the ten working days after. The API
# modules' clock stands still here: pytestmark = pytest.mark.clock(FRIDAY_NOON).
FRIDAY_NOON = at(2025, 3, 14, 12)

INVALID_DATA = "Données invalides : corrigez les champs indiqués dans « errors »."
READ_ONLY = "Votre rôle permet de consulter le registre, pas de le modifier."
NOT_FOUND = "Réclamation introuvable."
NO_TOKEN = "Jeton d'API absent ou invalide."


def bearer_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


def post_json(client: Client, url: str, body: Any):
    return client.post(url, body, content_type="application/json")
