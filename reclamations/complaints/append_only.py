"""PostgreSQL in production: the application's role may add events, never change or delete
one (decision 0021), but for the anonymisation's attested redaction of their texts (decision
0024). The database's owner runs the migrations; the application connects as
another role, given every right on the other tables and only SELECT and INSERT on the
chronology's. `reclamations db-grants ROLE` writes (or prints) the grants, after each
`migrate`."""

import re

from django.db import connection

from reclamations.complaints.models import ComplaintEvent

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class BadRole(ValueError):
    pass


def grant_statements(role: str) -> list[str]:
    """The statements, run by the owner of the tables, that make `role` the application's."""
    if not _ROLE.match(role):
        raise BadRole(
            f"« {role} » n'est pas un nom de rôle accepté : minuscules, chiffres et _ "
            "(par exemple reclamations_app)."
        )
    events = ComplaintEvent._meta.db_table
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # The chronology: added to, never changed or removed, whatever the code does...
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {events} FROM {role}",
        # ...but for the anonymisation's redaction of an event's texts, which `verify` checks
        # against the anonymisation event that attests it (decision 0024).
        f"GRANT UPDATE (data, redacted_by) ON {events} TO {role}",
    ]


def grant(role: str) -> list[str]:
    """Run the grants on the default database (PostgreSQL, as the tables' owner)."""
    statements = grant_statements(role)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements
