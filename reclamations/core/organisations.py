"""Which organisation a command works for."""

from reclamations.core.models import Organisation


class UnknownOrganisation(Exception):
    """The organisation a command names, or needs, cannot be told; the message says how."""


def organisation_for_command(name: str | None) -> Organisation:
    """The organisation called `name`, or the only one when no name is given; never a guess
    among several (a command writing to the wrong register cannot be undone)."""
    organisations = Organisation.objects.order_by("id")
    if name:
        found = organisations.filter(name=name).first()
        if found is None:
            known = ", ".join(organisations.values_list("name", flat=True)) or "aucune"
            raise UnknownOrganisation(
                f"Organisation « {name} » introuvable. Organisations : {known}."
            )
        return found
    if organisations.count() != 1:
        raise UnknownOrganisation(
            "Plusieurs organisations (ou aucune) : précisez --organisation NOM."
        )
    return organisations.get()
