"""Error pages that Django would otherwise render in English."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CSRF_MESSAGE = (
    "Le formulaire a expiré ou n'a pas pu être vérifié (protection contre la falsification de "
    "requêtes). Revenez à la page précédente, rechargez-la, puis envoyez le formulaire à nouveau ; "
    "vérifiez aussi que votre navigateur accepte les cookies de ce site."
)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403.html", {"exception": CSRF_MESSAGE}, status=403)
