"""Groups of messages that commit together: bounded, each message alone in its savepoint,
reported only once committed."""

import pytest
from django.db import DatabaseError, connection

from reclamations.core.models import Organisation
from reclamations.intake.commit_groups import CommitGroups


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def rename(organisation: Organisation, name: str) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(name=name)


def renamed(groups: CommitGroups[str], organisation: Organisation, name: str) -> None:
    """One message's work that succeeds: the organisation renamed, reported by its new name."""
    with groups.message():
        rename(organisation, name)
    groups.done(name)


def name_of(organisation: Organisation) -> str:
    return Organisation.objects.get(pk=organisation.pk).name


@pytest.mark.django_db(transaction=True)
def test_reports_are_published_when_their_group_commits(organisation):
    published: list[str] = []
    with CommitGroups(published.append, messages=2, clock=Clock()) as groups:
        renamed(groups, organisation, "un")
        assert published == []
        assert connection.in_atomic_block

        renamed(groups, organisation, "deux")
        assert published == ["un", "deux"]
        assert not connection.in_atomic_block

        renamed(groups, organisation, "trois")
        assert published == ["un", "deux"]

    assert published == ["un", "deux", "trois"]
    assert not connection.in_atomic_block
    assert name_of(organisation) == "trois"


@pytest.mark.django_db(transaction=True)
def test_a_group_commits_once_it_has_been_open_long_enough(organisation):
    clock = Clock()
    published: list[str] = []
    with CommitGroups(published.append, messages=100, seconds=0.5, clock=clock) as groups:
        with groups.message():
            rename(organisation, "un")
        clock.now = 0.4
        groups.done("un")
        assert published == []

        with groups.message():
            rename(organisation, "deux")
        clock.now = 0.5
        groups.done("deux")
        assert published == ["un", "deux"]
        assert not connection.in_atomic_block

        # The next group's time counts from its own first message.
        clock.now = 10.0
        renamed(groups, organisation, "trois")
        assert published == ["un", "deux"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_message_is_undone_and_the_group_before_it_is_kept(organisation):
    published: list[str] = []
    with (
        pytest.raises(ZeroDivisionError),
        CommitGroups(published.append, messages=10, clock=Clock()) as groups,
    ):
        renamed(groups, organisation, "gardé")
        with groups.message():
            rename(organisation, "défait")
            1 / 0  # noqa: B018 - the failure under test

    assert published == ["gardé"]
    assert not connection.in_atomic_block
    assert name_of(organisation) == "gardé"


@pytest.mark.django_db(transaction=True)
def test_a_database_error_in_a_message_spoils_only_that_message(organisation):
    published: list[str] = []
    with CommitGroups(published.append, messages=10, clock=Clock()) as groups:
        renamed(groups, organisation, "premier")
        with (
            pytest.raises(DatabaseError),
            groups.message(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT * FROM no_such_table")
        renamed(groups, organisation, "troisième")

    assert published == ["premier", "troisième"]
    assert name_of(organisation) == "troisième"


def test_a_group_holds_at_least_one_message():
    with pytest.raises(ValueError, match="at least one"):
        CommitGroups(print, messages=0)
