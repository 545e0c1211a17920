"""The permission matrix (issue 11): every address the resolver knows, web pages, the client's
portal and the API alike, asked with GET and with POST by every role, answers as the table
says; never a 500; and a refused request leaves the database as it was.

The objects in the addresses are organisation A's (ours); the column `other` is a manager of
organisation B asking for them, and `foreign` is our manager asking for organisation B's: both
must read as if the record did not exist (issue 12: 404, never 403).

A new address fails `test_every_address_has_a_row` until it is given a path and a row here.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from reclamations.complaints.client_access import FOLLOW, SURVEY, issue_link, secret_digest
from reclamations.complaints.improvement import NewImprovement, improvement_create
from reclamations.complaints.models import Document
from reclamations.complaints.services import complaint_apply
from reclamations.core.localtime import local_today
from reclamations.core.models import AccessRecord, ApiToken, Organisation, SecurityRecord, User
from reclamations.core.procedures import procedure_publish
from reclamations.core.roles import Role
from reclamations.core.superadmins import superadmin_create
from reclamations.core.users import password_chosen, token_create
from reclamations.intake.models import IntakeSource
from reclamations.intake.services import intake_process
from reclamations.outbox.models import CannedParagraph
from reclamations.portal.models import PendingComplaint
from reclamations.privacy.requests import NewDataRequest, data_request_create
from reclamations.register_import.header import find_header
from reclamations.register_import.mapping import ColumnMapping, propose
from reclamations.register_import.models import RegisterImport
from reclamations.register_import.reading import read_table
from reclamations.register_import.services import register_import_run, register_upload_store
from tests.accounts import verified_login
from tests.conftest import PASSWORD
from tests.factories import make_complaint
from tests.web.helpers import PDF, upload

pytestmark = pytest.mark.usefixtures("clock")

ROLES = (
    "anonymous",
    "client",
    "auditor",
    "referent",
    "manager",
    "admin",
    "other",
    "foreign",
    "superadmin",
)

# Where each address is asked, its objects filled in from organisation A's (B's for `foreign`).
PATHS = {
    # The API (django-ninja), bearer tokens.
    "api/v1/": "/api/v1/",
    "api/v1/^": "/api/v1/nulle-part",
    "api/v1/openapi.json": "/api/v1/openapi.json",
    "api/v1/complaints": "/api/v1/complaints",
    "api/v1/complaints/<reference>": "/api/v1/complaints/{complaint}",
    "api/v1/complaints/<reference>/actions": "/api/v1/complaints/{complaint}/actions",
    "api/v1/complaints/<reference>/documents": "/api/v1/complaints/{complaint}/documents",
    "api/v1/complaints/<reference>/documents/<document_id>": (
        "/api/v1/complaints/{complaint}/documents/{document}"
    ),
    "api/v1/complaints/<reference>/file": "/api/v1/complaints/{complaint}/file",
    "api/v1/annual-synthesis": "/api/v1/annual-synthesis",
    "api/v1/causes": "/api/v1/causes",
    "api/v1/audit-pack": "/api/v1/audit-pack",
    "api/v1/journal": "/api/v1/journal",
    "api/v1/statistics": "/api/v1/statistics",
    "api/v1/register": "/api/v1/register",
    "api/v1/improvement-actions": "/api/v1/improvement-actions",
    "api/v1/improvement-actions/<reference>": "/api/v1/improvement-actions/{improvement}",
    "api/v1/improvement-actions/<reference>/steps": (
        "/api/v1/improvement-actions/{improvement}/steps"
    ),
    # The client's portal.
    "suivi/": "/suivi/",
    "suivi/suivre/": "/suivi/suivre/",
    "suivi/acces/<str:secret>/": "/suivi/acces/{follow_secret}/",
    "suivi/reclamation/": "/suivi/reclamation/",
    "suivi/reclamation/message/": "/suivi/reclamation/message/",
    "suivi/reclamation/avancement/": "/suivi/reclamation/avancement/",
    "suivi/reclamation/documents/<int:document_id>/": "/suivi/reclamation/documents/{document}/",
    "suivi/quitter/": "/suivi/quitter/",
    "suivi/langue/": "/suivi/langue/",
    "suivi/avis/<str:secret>/": "/suivi/avis/{survey_secret}/",
    "suivi/deposer/": "/suivi/deposer/",
    "suivi/confirmer/<str:secret>/": "/suivi/confirmer/{pending_secret}/",
    "i18n/setlang/": "/i18n/setlang/",
    # The health page, for probes (no worker has beaten in these tests: 503).
    "sante/": "/sante/",
    # Logging in, accounts.
    "connexion/": "/connexion/",
    "deconnexion/": "/deconnexion/",
    "connexion/code/": "/connexion/code/",
    "installation/": "/installation/",
    # The super-administrator's pages.
    "plateforme/": "/plateforme/",
    "plateforme/organismes/nouveau/": "/plateforme/organismes/nouveau/",
    "mot-de-passe-oublie/": "/mot-de-passe-oublie/",
    "mot-de-passe-oublie/envoye/": "/mot-de-passe-oublie/envoye/",
    "mot-de-passe-oublie/termine/": "/mot-de-passe-oublie/termine/",
    "mot-de-passe-oublie/<str:uidb64>/<str:token>/": "/mot-de-passe-oublie/{uidb64}/{token}/",
    "compte/": "/compte/",
    "compte/mot-de-passe/": "/compte/mot-de-passe/",
    "compte/mot-de-passe-provisoire/": "/compte/mot-de-passe-provisoire/",
    "compte/double-authentification/obligatoire/": "/compte/double-authentification/obligatoire/",
    "compte/double-authentification/": "/compte/double-authentification/",
    "compte/double-authentification/codes-de-secours/": (
        "/compte/double-authentification/codes-de-secours/"
    ),
    "compte/double-authentification/desactiver/": "/compte/double-authentification/desactiver/",
    "compte/jetons/": "/compte/jetons/",
    "compte/langue/": "/compte/langue/",
    "compte/jetons/<int:token_id>/revoquer/": "/compte/jetons/{api_token}/revoquer/",
    "invitation/<str:uidb64>/<str:token>/": "/invitation/{uidb64}/{token}/",
    # The register.
    "": "/",
    "registre.<str:extension>": "/registre.csv",
    "registre/importer/": "/registre/importer/",
    "registre/importer/<int:pk>/": "/registre/importer/{register_import}/",
    "registre/importer/<int:pk>/fichier/": "/registre/importer/{register_file}/fichier/",
    "journal/": "/journal/",
    "mon-travail/": "/mon-travail/",
    "journal.<str:extension>": "/journal.csv",
    "statistiques/": "/statistiques/",
    "statistiques.pdf": "/statistiques.pdf",
    "dossier-audit.zip": "/dossier-audit.zip",
    "synthese-annuelle.pdf": "/synthese-annuelle.pdf",
    "procedure/": "/procedure/",
    "aide/": "/aide/",
    "aide/raccourcis/": "/aide/raccourcis/",
    "aide/<slug:slug>/": "/aide/referent/",
    "procedure/nouvelle/": "/procedure/nouvelle/",
    "procedure/<int:number>/": "/procedure/{procedure}/",
    "reclamations/nouvelle/": "/reclamations/nouvelle/",
    "reclamations/<str:reference>/": "/reclamations/{complaint}/",
    "reclamations/<str:reference>/actions/<str:action>/": (
        "/reclamations/{complaint}/actions/add_note/"
    ),
    "reclamations/<str:reference>/documents/<int:document_id>/": (
        "/reclamations/{complaint}/documents/{document}/"
    ),
    "reclamations/<str:reference>/dossier.pdf": "/reclamations/{complaint}/dossier.pdf",
    "ameliorations/": "/ameliorations/",
    "ameliorations/nouvelle/": "/ameliorations/nouvelle/",
    "plan-amelioration.<str:extension>": "/plan-amelioration.xlsx",
    "ameliorations/<str:reference>/": "/ameliorations/{improvement}/",
    "ameliorations/<str:reference>/modifier/": "/ameliorations/{improvement}/modifier/",
    "ameliorations/<str:reference>/<str:step>/": "/ameliorations/{improvement}/start/",
    "tri/": "/tri/",
    "tri/<int:pk>/": "/tri/{inbound}/",
    "tri/<int:pk>/eml/": "/tri/{inbound}/eml/",
    "tri/<int:pk>/enregistrer/": "/tri/{inbound}/enregistrer/",
    "tri/<int:pk>/rattacher/": "/tri/{inbound}/rattacher/",
    "tri/<int:pk>/ecarter/": "/tri/{inbound}/ecarter/",
    # Managing the organisation.
    "reglages/": "/reglages/",
    # The organisation's own mailbox: no record in its address, always the account's own.
    "reglages/boite/": "/reglages/boite/",
    "reglages/boite/oauth/connecter/": "/reglages/boite/oauth/connecter/",
    "reglages/boite/oauth/retour/": "/reglages/boite/oauth/retour/",
    "reglages/rappels/": "/reglages/rappels/",
    "utilisateurs/": "/utilisateurs/",
    "donnees-personnelles/": "/donnees-personnelles/",
    "donnees-personnelles/demandes/": "/donnees-personnelles/demandes/",
    "donnees-personnelles/demandes/nouvelle/": "/donnees-personnelles/demandes/nouvelle/",
    "donnees-personnelles/demandes/<int:pk>/": "/donnees-personnelles/demandes/{data_request}/",
    "donnees-personnelles/demandes/<int:pk>/prolonger/": (
        "/donnees-personnelles/demandes/{data_request}/prolonger/"
    ),
    "donnees-personnelles/demandes/<int:pk>/decider/": (
        "/donnees-personnelles/demandes/{data_request}/decider/"
    ),
    "donnees-personnelles/demandes/<int:pk>/modifier/": (
        "/donnees-personnelles/demandes/{data_request}/modifier/"
    ),
    "utilisateurs/jetons/": "/utilisateurs/jetons/",
    "utilisateurs/acces/": "/utilisateurs/acces/",
    "utilisateurs/securite/": "/utilisateurs/securite/",
    "utilisateurs/securite.csv": "/utilisateurs/securite.csv",
    "utilisateurs/<int:user_id>/actif/": "/utilisateurs/{user}/actif/",
    "utilisateurs/<int:user_id>/inviter/": "/utilisateurs/{user}/inviter/",
    "utilisateurs/<int:user_id>/modifier/": "/utilisateurs/{user}/modifier/",
    "utilisateurs/<int:user_id>/mot-de-passe/": "/utilisateurs/{user}/mot-de-passe/",
    "utilisateurs/<int:user_id>/double-authentification/": (
        "/utilisateurs/{user}/double-authentification/"
    ),
    "modeles-de-messages/": "/modeles-de-messages/",
    "modeles-de-messages/<str:kind>/": "/modeles-de-messages/reply/",
    "modeles-de-messages/<str:kind>/defaut/": "/modeles-de-messages/reply/defaut/",
    "modeles-de-messages/paragraphes/": "/modeles-de-messages/paragraphes/",
    "modeles-de-messages/paragraphes/<int:paragraph_id>/": (
        "/modeles-de-messages/paragraphes/{paragraph}/"
    ),
    "modeles-de-messages/paragraphes/<int:paragraph_id>/supprimer/": (
        "/modeles-de-messages/paragraphes/{paragraph}/supprimer/"
    ),
    "modeles-de-messages/mise-en-page/": "/modeles-de-messages/mise-en-page/",
    "modeles-de-messages/mise-en-page/par-defaut/": "/modeles-de-messages/mise-en-page/par-defaut/",
}

# What each role gets, "GET/POST". "login": sent to the login page; "302": sent elsewhere.
# The POSTs carry no data: a form an allowed role sends empty is refused by the form (200 or
# 400/422), which is enough to show the door is open.
# fmt: off
EXPECTED: dict[str, tuple[str, ...]] = {
    # route: (anonymous, client, auditor, referent, manager, admin, other, foreign, superadmin)
    "": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "ameliorations/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "ameliorations/<str:reference>/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "404/405", "403/403",
    ),
    "ameliorations/<str:reference>/<str:step>/": (
        "login/login", "login/login", "403/403", "405/302",
        "405/302", "405/302", "405/302", "405/404", "403/403",
    ),
    "ameliorations/<str:reference>/modifier/": (
        "login/login", "login/login", "403/403", "200/400",
        "200/400", "200/400", "200/400", "404/404", "403/403",
    ),
    "ameliorations/nouvelle/": (
        "login/login", "login/login", "403/403", "200/400",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "api/v1/": (
        "404/404", "404/404", "404/404", "404/404",
        "404/404", "404/404", "404/404", "404/404", "404/404",
    ),
    "api/v1/^": (
        "404/404", "404/404", "404/404", "404/404",
        "404/404", "404/404", "404/404", "404/404", "404/404",
    ),
    "api/v1/annual-synthesis": (
        "401/405", "401/405", "400/405", "400/405",
        "400/405", "400/405", "400/405", "400/405", "403/405",
    ),
    "api/v1/audit-pack": (
        "401/405", "401/405", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/405",
    ),
    "api/v1/causes": (
        "401/405", "401/405", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/405",
    ),
    "api/v1/complaints": (
        "401/401", "401/401", "200/403", "200/400",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "api/v1/complaints/<reference>": (
        "401/405", "401/405", "200/405", "200/405",
        "200/405", "200/405", "404/405", "404/405", "403/405",
    ),
    "api/v1/complaints/<reference>/actions": (
        "405/401", "405/401", "405/403", "405/400",
        "405/400", "405/400", "405/404", "405/404", "405/403",
    ),
    "api/v1/complaints/<reference>/documents": (
        "401/405", "401/405", "200/405", "200/405",
        "200/405", "200/405", "404/405", "404/405", "403/405",
    ),
    "api/v1/complaints/<reference>/documents/<document_id>": (
        "401/405", "401/405", "200/405", "200/405",
        "200/405", "200/405", "404/405", "404/405", "403/405",
    ),
    "api/v1/complaints/<reference>/file": (
        "401/405", "401/405", "200/405", "200/405",
        "200/405", "200/405", "404/405", "404/405", "403/405",
    ),
    "api/v1/improvement-actions": (
        "401/401", "401/401", "200/403", "200/400",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "api/v1/improvement-actions/<reference>": (
        "401/405", "401/405", "200/405", "200/405",
        "200/405", "200/405", "200/405", "404/405", "403/405",
    ),
    "api/v1/improvement-actions/<reference>/steps": (
        "405/401", "405/401", "405/403", "405/400",
        "405/400", "405/400", "405/400", "405/400", "405/403",
    ),
    "api/v1/journal": (
        "401/405", "401/405", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/405",
    ),
    "api/v1/openapi.json": (
        "200/200", "200/200", "200/200", "200/200",
        "200/200", "200/200", "200/200", "200/200", "200/200",
    ),
    "api/v1/register": (
        "401/405", "401/405", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/405",
    ),
    "api/v1/statistics": (
        "401/405", "401/405", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/405",
    ),
    "compte/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "compte/double-authentification/": (
        "login/login", "login/login", "200/400", "200/400",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "compte/double-authentification/codes-de-secours/": (
        "login/login", "login/login", "405/302", "405/302",
        "405/200", "405/200", "405/200", "405/200", "403/403",
    ),
    "compte/double-authentification/desactiver/": (
        "login/login", "login/login", "405/302", "405/302",
        "405/302", "405/302", "405/302", "405/302", "403/403",
    ),
    "compte/double-authentification/obligatoire/": (
        "login/login", "login/login", "302/302", "302/302",
        "302/302", "302/302", "302/302", "302/302", "302/302",
    ),
    "compte/jetons/": (
        "login/login", "login/login", "405/400", "405/400",
        "405/400", "405/400", "405/400", "405/400", "403/403",
    ),
    "compte/jetons/<int:token_id>/revoquer/": (
        "login/login", "login/login", "405/404", "405/404",
        "405/302", "405/302", "405/404", "405/404", "403/403",
    ),
    "compte/langue/": (
        "login/login", "login/login", "405/400", "405/400",
        "405/400", "405/400", "405/400", "405/400", "403/403",
    ),
    "compte/mot-de-passe-provisoire/": (
        "login/login", "login/login", "302/302", "302/302",
        "302/302", "302/302", "302/302", "302/302", "302/302",
    ),
    "compte/mot-de-passe/": (
        "login/login", "login/login", "405/400", "405/400",
        "405/400", "405/400", "405/400", "405/400", "403/403",
    ),
    "connexion/": (
        "200/200", "200/200", "302/302", "302/302",
        "302/302", "302/302", "302/302", "302/302", "302/302",
    ),
    "connexion/code/": (
        "login/login", "login/login", "302/302", "302/302",
        "302/302", "302/302", "302/302", "302/302", "302/302",
    ),
    # The first run: gone once the installation has an account (tests/web/test_first_run.py).
    "installation/": (
        "404/404", "404/404", "404/404", "404/404",
        "404/404", "404/404", "404/404", "404/404", "404/404",
    ),
    "plateforme/": (
        "login/login", "login/login", "403/403", "403/403",
        "403/403", "403/403", "403/403", "403/403", "200/405",
    ),
    "plateforme/organismes/nouveau/": (
        "login/login", "login/login", "403/403", "403/403",
        "403/403", "403/403", "403/403", "403/403", "200/400",
    ),
    "deconnexion/": (
        "405/login", "405/login", "405/login", "405/login",
        "405/login", "405/login", "405/login", "405/login", "405/login",
    ),
    "donnees-personnelles/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "donnees-personnelles/demandes/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "donnees-personnelles/demandes/<int:pk>/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/405", "200/405", "404/405", "404/405", "403/403",
    ),
    "donnees-personnelles/demandes/<int:pk>/decider/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/400", "405/400", "405/404", "405/404", "403/403",
    ),
    "donnees-personnelles/demandes/<int:pk>/modifier/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/302", "405/302", "405/404", "405/404", "403/403",
    ),
    "donnees-personnelles/demandes/<int:pk>/prolonger/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/400", "405/400", "405/404", "405/404", "403/403",
    ),
    "donnees-personnelles/demandes/nouvelle/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "dossier-audit.zip": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "i18n/setlang/": (
        "302/302", "302/302", "302/302", "302/302",
        "302/302", "302/302", "302/302", "302/302", "302/302",
    ),
    "invitation/<str:uidb64>/<str:token>/": (
        "200/400", "200/400", "200/400", "200/400",
        "200/400", "200/400", "200/400", "200/400", "200/400",
    ),
    "journal.<str:extension>": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "journal/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "mon-travail/": (
        "login/login", "login/login", "403/403", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "modeles-de-messages/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "modeles-de-messages/<str:kind>/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "modeles-de-messages/<str:kind>/defaut/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/302", "405/302", "405/302", "405/302", "403/403",
    ),
    "modeles-de-messages/mise-en-page/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "modeles-de-messages/mise-en-page/par-defaut/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/302", "405/302", "405/302", "405/302", "403/403",
    ),
    "modeles-de-messages/paragraphes/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/200", "200/200", "200/200", "200/200", "403/403",
    ),
    "modeles-de-messages/paragraphes/<int:paragraph_id>/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/200", "200/200", "404/404", "404/404", "403/403",
    ),
    "modeles-de-messages/paragraphes/<int:paragraph_id>/supprimer/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/302", "405/302", "405/404", "405/404", "403/403",
    ),
    "mot-de-passe-oublie/": (
        "200/200", "200/200", "200/200", "200/200",
        "200/200", "200/200", "200/200", "200/200", "200/200",
    ),
    "mot-de-passe-oublie/<str:uidb64>/<str:token>/": (
        "302/302", "302/302", "302/302", "302/302",
        "302/302", "302/302", "302/302", "302/302", "302/302",
    ),
    "mot-de-passe-oublie/envoye/": (
        "200/405", "200/405", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "200/405",
    ),
    "mot-de-passe-oublie/termine/": (
        "200/405", "200/405", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "200/405",
    ),
    "plan-amelioration.<str:extension>": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "procedure/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "aide/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "aide/raccourcis/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "aide/<slug:slug>/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "procedure/<int:number>/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "404/405", "403/403",
    ),
    "procedure/nouvelle/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "reclamations/<str:reference>/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "404/405", "404/405", "403/403",
    ),
    "reclamations/<str:reference>/actions/<str:action>/": (
        "login/login", "login/login", "403/403", "200/400",
        "200/400", "200/400", "404/404", "404/404", "403/403",
    ),
    "reclamations/<str:reference>/documents/<int:document_id>/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "404/405", "404/405", "403/403",
    ),
    "reclamations/<str:reference>/dossier.pdf": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "404/405", "404/405", "403/403",
    ),
    "reclamations/nouvelle/": (
        "login/login", "login/login", "403/403", "200/400",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "registre.<str:extension>": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "registre/importer/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    # An empty POST is a request to read the columns again: the page, 200.
    "registre/importer/<int:pk>/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/200", "200/200", "404/404", "404/404", "403/403",
    ),
    # The file of an imported register names clients of archived complaints: not referents.
    "registre/importer/<int:pk>/fichier/": (
        "login/login", "login/login", "200/405", "403/403",
        "200/405", "200/405", "404/405", "404/405", "403/403",
    ),
    "reglages/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "reglages/boite/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    # No mailbox taking a consent here: the button goes back to the page, which says so.
    "reglages/boite/oauth/connecter/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/302", "405/302", "405/302", "405/302", "403/403",
    ),
    # The provider's return without a state: back to the page, which says so (a state signed for
    # another organisation: 404, tests/intake/test_mailbox_consent.py).
    "reglages/boite/oauth/retour/": (
        "login/login", "login/login", "403/403", "403/403",
        "302/405", "302/405", "302/405", "302/405", "403/403",
    ),
    # An empty POST lacks the hour: 400, nothing saved.
    "reglages/rappels/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "statistiques.pdf": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "statistiques/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "sante/": (
        "503/405", "503/405", "503/405", "503/405",
        "503/405", "503/405", "503/405", "503/405", "503/405",
    ),
    "suivi/": (
        "200/405", "200/405", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "200/405",
    ),
    "suivi/acces/<str:secret>/": (
        "200/302", "200/302", "200/302", "200/302",
        "200/302", "200/302", "200/302", "200/302", "200/302",
    ),
    "suivi/avis/<str:secret>/": (
        "200/400", "200/400", "200/400", "200/400",
        "200/400", "200/400", "200/400", "200/400", "200/400",
    ),
    "suivi/confirmer/<str:secret>/": (
        "200/200", "200/200", "200/200", "200/200",
        "200/200", "200/200", "200/200", "200/200", "200/200",
    ),
    "suivi/deposer/": (
        "200/400", "200/400", "200/400", "200/400",
        "200/400", "200/400", "200/400", "200/400", "200/400",
    ),
    "suivi/quitter/": (
        "405/302", "405/302", "405/302", "405/302",
        "405/302", "405/302", "405/302", "405/302", "405/302",
    ),
    "suivi/langue/": (
        "405/302", "405/302", "405/302", "405/302",
        "405/302", "405/302", "405/302", "405/302", "405/302",
    ),
    "suivi/reclamation/": (
        "403/405", "200/405", "403/405", "403/405",
        "403/405", "403/405", "403/405", "403/405", "403/405",
    ),
    "suivi/reclamation/avancement/": (
        "405/403", "405/302", "405/403", "405/403",
        "405/403", "405/403", "405/403", "405/403", "405/403",
    ),
    "suivi/reclamation/documents/<int:document_id>/": (
        "404/405", "404/405", "404/405", "404/405",
        "404/405", "404/405", "404/405", "404/405", "404/405",
    ),
    "suivi/reclamation/message/": (
        "405/403", "405/400", "405/403", "405/403",
        "405/403", "405/403", "405/403", "405/403", "405/403",
    ),
    "suivi/suivre/": (
        "200/400", "200/400", "200/400", "200/400",
        "200/400", "200/400", "200/400", "200/400", "200/400",
    ),
    "synthese-annuelle.pdf": (
        "login/login", "login/login", "302/405", "302/405",
        "302/405", "302/405", "302/405", "302/405", "403/403",
    ),
    "tri/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "tri/<int:pk>/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "404/405", "404/405", "403/403",
    ),
    "tri/<int:pk>/ecarter/": (
        "login/login", "login/login", "403/403", "405/400",
        "405/400", "405/400", "405/404", "405/404", "403/403",
    ),
    "tri/<int:pk>/eml/": (
        "login/login", "login/login", "200/405", "200/405",
        "200/405", "200/405", "404/405", "404/405", "403/403",
    ),
    "tri/<int:pk>/enregistrer/": (
        "login/login", "login/login", "403/403", "405/302",
        "405/302", "405/302", "405/404", "405/404", "403/403",
    ),
    "tri/<int:pk>/rattacher/": (
        "login/login", "login/login", "403/403", "405/400",
        "405/400", "405/400", "405/404", "405/404", "403/403",
    ),
    "utilisateurs/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "200/400", "200/400", "403/403",
    ),
    "utilisateurs/<int:user_id>/actif/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/302", "405/302", "405/404", "405/404", "403/403",
    ),
    "utilisateurs/<int:user_id>/double-authentification/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/302", "405/302", "405/404", "405/404", "403/403",
    ),
    "utilisateurs/<int:user_id>/inviter/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/302", "405/302", "405/404", "405/404", "403/403",
    ),
    # An empty POST lacks the role: 400, nothing changed.
    "utilisateurs/<int:user_id>/modifier/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/400", "200/400", "404/404", "404/404", "403/403",
    ),
    "utilisateurs/<int:user_id>/mot-de-passe/": (
        "login/login", "login/login", "403/403", "403/403",
        "405/200", "405/200", "405/404", "405/404", "403/403",
    ),
    "utilisateurs/acces/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "utilisateurs/jetons/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "utilisateurs/securite.csv": (
        "login/login", "login/login", "403/403", "403/403",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
    "utilisateurs/securite/": (
        "login/login", "login/login", "403/403", "403/403",
        "200/405", "200/405", "200/405", "200/405", "403/403",
    ),
}
# fmt: on


# The placeholders that name a record of one organisation (the portal's secrets and the
# password links are capabilities handed to one person, not records looked up by number).
ORGANISATION_RECORDS = (
    "{complaint}",
    "{document}",
    "{improvement}",
    "{procedure}",
    "{paragraph}",
    "{inbound}",
    "{user}",
    "{api_token}",
    "{data_request}",
    "{register_import}",
    "{register_file}",
)
# An empty body refused by the API's schema before any record is read: the same 400 whether
# the record is B's or nobody's (test_a_body_refused_before_reading_says_nothing_of_the_record).
REFUSED_BEFORE_READING = {"api/v1/improvement-actions/<reference>/steps"}
PLATFORM_ROUTES = {"plateforme/", "plateforme/organismes/nouveau/"}


def test_an_organisation_never_learns_that_anothers_record_exists():
    """Issue 12's isolation, on the table `test_the_matrix` proves line by line: every address
    naming one of organisation B's records answers A's manager 404 for each method it takes
    (405: the method, whatever the record), and neither organisation is ever told 403 about
    the other's records, which would say the record is there."""
    named = [route for route, path in PATHS.items() if any(p in path for p in ORGANISATION_RECORDS)]
    assert len(named) >= 30  # every kind of record the addresses name
    for route in named:
        cells = dict(zip(ROLES, EXPECTED[route], strict=True))
        answers = set(cells["foreign"].split("/"))
        if route in REFUSED_BEFORE_READING:
            answers -= {"400"}
        assert answers <= {"404", "405"}, route
        assert "404" in cells["foreign"].split("/") or route in REFUSED_BEFORE_READING, route
    for route in named:
        cells = dict(zip(ROLES, EXPECTED[route], strict=True))
        assert "403" not in cells["other"] + cells["foreign"], route


def test_the_superadmin_reads_no_register():
    """The super-administrator's own pages open; every page and endpoint of an organisation
    refuses them (403 for all, record or not, so nothing is learnt), and the public pages are
    theirs as anybody's."""
    for route in PATHS:
        cells = dict(zip(ROLES, EXPECTED[route], strict=True))
        if route in PLATFORM_ROUTES:
            assert cells["superadmin"].startswith("200/"), route
            assert cells["manager"] == cells["admin"] == "403/403", route
        elif cells["anonymous"] in ("login/login", "401/405", "401/401", "405/401"):
            # A staff address: refused, or a step page sending them on (302).
            assert set(cells["superadmin"].split("/")) <= {"403", "405", "302"}, route


def resolved_routes(patterns=None, prefix: str = "") -> set[str]:
    """Every route the resolver knows, included URLconfs (the API's, the portal's) walked."""
    routes = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            routes |= resolved_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            routes.add(prefix + str(pattern.pattern))
    return routes


def test_every_address_has_a_row():
    routes = resolved_routes()

    assert (routes - set(PATHS), set(PATHS) - routes) == (set(), set())
    assert set(EXPECTED) == set(PATHS)


# Tables a refused request may write by design: the session, the security journal that records
# each refusal (decision 0022), and the journal of everything an auditor asked (core/access.py).
NOT_COMPARED = {Session, SecurityRecord, AccessRecord}


def database_state() -> dict[str, list[tuple]]:
    """Every row of every table, in full (small here): an update shows as well as a delete.
    Raw SQL, one cursor: a tenth of the ORM's time, asked 16 times per address."""
    state = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model not in NOT_COMPARED:
                table = connection.ops.quote_name(model._meta.db_table)
                pk = connection.ops.quote_name(model._meta.pk.column)
                cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 - model names
                state[model._meta.label] = cursor.fetchall()
    return state


def _account(organisation: Organisation, username: str, role: str) -> User:
    user = User(username=username, role=role, organisation=organisation, email=f"{username}@x.fr")
    user.set_password(PASSWORD)
    user.save()
    return user


def _question(organisation: Organisation, number: int) -> int:
    raw = (
        f"From: Client {number} <client{number}@example.fr>\r\n"
        f"Subject: Question {number}\r\nMessage-ID: <matrix-{number}@example.fr>\r\n"
        f"Date: Mon, 26 Oct 2026 09:00:00 +0100\r\n\r\nUne question.\r\n"
    ).encode()
    result = intake_process(
        organisation=organisation, raw=raw, arrived_at=None, source=IntakeSource.EML
    )
    return result.inbound.pk


def _objects(organisation: Organisation, actor: User, number: int) -> dict[str, object]:
    """One of each kind of record an address names, in `organisation`."""
    now = timezone.now()
    complaint = make_complaint(organisation, actor)
    complaint_apply(
        complaint=complaint,
        actor=actor,
        action="add_document",
        data={},
        document=upload("courrier.pdf", PDF),
    )
    document = Document.objects.filter(complaint=complaint).latest("pk")
    # Action references and procedure numbers count from 1 in each organisation: B's record is
    # its second, a number A does not have, so that `foreign` asks for something A lacks (the
    # `other` column, asking for A's first, finds B's own first: 200).
    for count in range(1, number + 1):
        improvement = improvement_create(
            organisation=organisation,
            actor=actor,
            new=NewImprovement(
                title="Confirmer les salles par écrit",
                description="Réservation confirmée la veille.",
                source="audit",
                complaints=[],
                due_date=local_today(organisation) + timedelta(days=20),
            ),
        )
        version = procedure_publish(
            organisation=organisation,
            text="1. Recueil",
            label=f"v{count}",
            in_force_from=local_today(organisation),
            actor=actor,
        )
    paragraph = CannedParagraph.objects.create(
        organisation=organisation, title="Remboursement", text="Sous quinze jours.", updated_at=now
    )
    data_request = data_request_create(
        organisation=organisation,
        actor=actor,
        new=NewDataRequest(
            kind="access", person_name="Julie Martin", received_on=local_today(organisation)
        ),
    )
    target = _account(organisation, f"cible{number}", Role.REFERENT)
    token_create(user=target)
    pending_secret = f"attente-{number}"
    PendingComplaint.objects.create(
        organisation=organisation,
        secret_sha256=secret_digest(pending_secret),
        fields={},
        files=[],
        email="client@example.fr",
        ip="127.0.0.1",
        created_at=now,
        expires_at=now + timedelta(hours=1),
    )
    return {
        "complaint": complaint.reference,
        "document": document.pk,
        "improvement": improvement.reference,
        "procedure": version.number,
        "paragraph": paragraph.pk,
        "inbound": _question(organisation, number),
        "user": target.pk,
        "api_token": ApiToken.objects.get(user=target).pk,
        "uidb64": urlsafe_base64_encode(force_bytes(target.pk)),
        "token": default_token_generator.make_token(target),
        "follow_secret": issue_link(complaint, now=now, purpose=FOLLOW).rstrip("/").rsplit("/")[-1],
        "survey_secret": issue_link(complaint, now=now, purpose=SURVEY).rstrip("/").rsplit("/")[-1],
        "pending_secret": pending_secret,
        "data_request": data_request.pk,
        "register_import": register_upload_store(
            organisation=organisation,
            actor=actor,
            content=b"Date;Client\r\n14/03/2024;Julie Martin\r\n",
            file_name="registre.csv",
        ).pk,
        "register_file": _imported_register(organisation, actor, number),
        "_complaint": complaint,
    }


def _imported_register(organisation: Organisation, actor: User, number: int) -> int:
    content = f"Date;Client\r\n1{number}/03/2024;Julie Martin\r\n".encode()
    table = read_table(content)
    register_import_run(
        organisation=organisation,
        actor=actor,
        content=content,
        file_name="registre-importe.csv",
        mapping=ColumnMapping(fields=propose(find_header(table))),
    )
    return RegisterImport.objects.get(organisation=organisation, imported_at__isnull=False).pk


def _staff_client(user: User) -> Client:
    """Logged in (second factor passed) and carrying a bearer token: the web reads the
    session, the API the token. The token used once, so that its last use is recorded."""
    client = verified_login(Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}"), user)
    client.get("/api/v1/causes")
    return client


def _client_of(role: str, ours: dict, staff: dict[str, User]) -> Client:
    if role == "anonymous":
        return Client()
    if role == "client":
        client = Client()
        secret = issue_link(ours["_complaint"], now=timezone.now(), purpose=FOLLOW)
        assert client.post(f"/suivi/acces/{secret.rstrip('/').rsplit('/')[-1]}/").status_code == 302
        return client
    return _staff_client(staff[role])


def _outcome(response) -> str:
    if response.status_code == 302:
        return "login" if response["Location"].startswith("/connexion/") else "302"
    return str(response.status_code)


# Answers that refuse: nothing may have changed.
REFUSED = {"login", "401", "403", "404", "405"}


@pytest.fixture
def world(organisation, other_organisation, auditor, referent, manager, admin_user):
    """Organisation A's records and staff, and the same kinds of records in organisation B."""
    auditor.access_until = local_today(organisation) + timedelta(days=30)
    auditor.save(update_fields=["access_until"])
    their_manager = _account(other_organisation, "responsable-b", Role.MANAGER)
    superadmin = superadmin_create(username="plateforme", email="plateforme@x.fr").account
    password_chosen(user=superadmin)
    staff = {
        "auditor": auditor,
        "referent": referent,
        "manager": manager,
        "admin": admin_user,
        "other": their_manager,
        "foreign": manager,
        "superadmin": superadmin,
    }
    return (
        _objects(organisation, manager, 1),
        _objects(other_organisation, their_manager, 2),
        staff,
    )


def _asked(role: str, path: str, ours: dict, staff: dict[str, User]) -> tuple[str, list[str]]:
    """The role's answers to GET and POST, and the methods whose refusal changed something."""
    client = _client_of(role, ours, staff)
    outcomes = []
    changed = []
    for method in ("get", "post"):
        before = database_state()
        outcome = _outcome(getattr(client, method)(path))
        outcomes.append(outcome)
        if outcome in REFUSED and database_state() != before:
            changed.append(method)
    return "/".join(outcomes), changed


@pytest.mark.parametrize("route", sorted(PATHS))
def test_the_matrix(route, world):
    ours, theirs, staff = world
    row = []
    changed = {}
    for role in ROLES:
        path = PATHS[route].format(**(theirs if role == "foreign" else ours))
        # Each role starts from the same database: what an allowed POST did is rolled back.
        with transaction.atomic():
            cell, methods = _asked(role, path, ours, staff)
            transaction.set_rollback(True)
        row.append(cell)
        if methods:
            changed[role] = methods
    assert [cell for cell in row if "500" in cell] == []
    assert changed == {}, "a refused request changed the database"
    assert tuple(row) == EXPECTED[route]


def test_a_body_refused_before_reading_says_nothing_of_the_record(world):
    _ours, theirs, staff = world
    client = _staff_client(staff["foreign"])

    theirs_answer = client.post(f"/api/v1/improvement-actions/{theirs['improvement']}/steps")
    nobodys_answer = client.post("/api/v1/improvement-actions/AMEL-9999-999/steps")
    theirs_step = client.post(
        f"/api/v1/improvement-actions/{theirs['improvement']}/steps",
        {"step": "start", "comment": "Lancée"},
        content_type="application/json",
    )

    assert (theirs_answer.status_code, theirs_answer.content) == (
        nobodys_answer.status_code,
        nobodys_answer.content,
    )
    assert theirs_step.status_code == 404
