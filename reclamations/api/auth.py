"""Bearer tokens: who calls, and whether their role lets them read or change the register."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from reclamations.complaints.models import Complaint
from reclamations.complaints.queries import ArchivedComplaint, complaint_for
from reclamations.core.models import Organisation, User
from reclamations.core.roles import can_handle, can_read
from reclamations.core.users import user_for_token

NO_ORGANISATION = (
    "Ce compte n'est rattaché à aucun organisme : demandez à un administrateur de le rattacher."
)
READ_ONLY_ROLE = "Votre rôle permet de consulter le registre, pas de le modifier."


class AccessDenied(Exception):
    """A known caller whose account or role does not allow the request (HTTP 403)."""

    def __init__(self, message: str, *, user: User | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.user = user  # who was refused, for the security journal (api.errors)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the user becomes `request.auth`.

    The role is checked here, before the body is read, so that a read-only caller is
    refused with 403 whatever they send.
    """

    def __init__(self, *, write: bool = False) -> None:
        super().__init__()
        self.write = write

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is None:
            return None
        if user.organisation_id is None or not can_read(user.role):
            raise AccessDenied(NO_ORGANISATION, user=user)
        if self.write and not can_handle(user.role):
            raise AccessDenied(READ_ONLY_ROLE, user=user)
        return user


readers = TokenAuth()
handlers = TokenAuth(write=True)


def caller(request: HttpRequest) -> tuple[User, Organisation]:
    """The token's user and their organisation, both checked by TokenAuth."""
    user = getattr(request, "auth", None)  # set by ninja to what TokenAuth returned
    if not isinstance(user, User) or user.organisation is None:
        raise AccessDenied(NO_ORGANISATION)  # TokenAuth has refused such a caller already
    return user, user.organisation


def readable_complaint(request: HttpRequest, reference: str) -> tuple[User, Complaint]:
    """The caller and the complaint of their organisation they may open: another organisation's
    reference is Complaint.DoesNotExist (a 404), an archived complaint's file for a role that
    may not open it an AccessDenied (a 403 that says why)."""
    user, organisation = caller(request)
    try:
        return user, complaint_for(organisation, reference, role=user.role)
    except ArchivedComplaint as refused:
        raise AccessDenied(str(refused), user=user) from None
