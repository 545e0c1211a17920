"""Which organisation a command works for, and the installation's list of them."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from reclamations.core.models import Organisation, User


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


def organisations_listed(search: str = "") -> QuerySet[Organisation]:
    """The installation's organisations by name, those whose name holds `search` (any case),
    each with `active_users`: counted by a subquery, so that a page of the list costs one
    query whatever the number of organisations (the super-administrator's list)."""
    active = (
        User.objects.filter(organisation=OuterRef("pk"), is_active=True)
        .order_by()
        .values("organisation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    organisations = Organisation.objects.all()
    if search.strip():
        organisations = organisations.filter(name__icontains=search.strip())
    return organisations.annotate(
        active_users=Coalesce(Subquery(active, output_field=IntegerField()), 0)
    ).order_by("name", "pk")
