"""What staff are reminded of wherever they type free text about a client or a complaint.

The CNIL asks that free-text zones ("zones de commentaires libres") hold only objective facts
that the purpose needs: no excessive or insulting remarks, and sensitive data only when strictly
necessary. The staff pages show REMINDER under every such field and EXPLANATION once per form
(web.forms.fields.FreeTextField); the API documents a new complaint's free-text fields with
REMINDER. Written once here so that they all say the same.
"""

from typing import Final

from django.utils.translation import gettext_noop

# One line under a field on a wide screen: what "necessary" means is in the explanation.
# Marked with gettext_noop: French here (the API quotes them), translated where a page shows them.
REMINDER: Final = gettext_noop(
    "Faits utiles uniquement : pas de données de santé, d'opinions ou d'infractions "
    "au-delà du nécessaire."
)

EXPLANATION: Final = gettext_noop(
    "Le client, comme toute personne citée, peut obtenir ce qui est écrit à son sujet : "
    "écrivez des faits objectifs, utiles au traitement, sans jugement ni propos excessifs. "
    "La santé ou le handicap, l'origine, les opinions politiques, religieuses ou "
    "philosophiques, l'appartenance syndicale, la vie sexuelle, les infractions et "
    "condamnations n'y figurent que si le dossier ne peut être traité sans elles, et au "
    "minimum : « aménagement d'horaires demandé pour raison de santé » plutôt qu'un "
    "diagnostic. C'est ce que la CNIL demande pour les zones de commentaire libre."
)
