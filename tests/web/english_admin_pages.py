"""The manager's, the super-administrator's and the before-login pages of issue 12's second
part, as tests/web/test_english.py renders them for an English user: the organisation's
settings, users and API tokens, the message templates, paragraphs and letter layout, an
invitation, the platform and the first run. Each render gets the English referent of
test_english (made a manager where the page asks for one) and types its data in English;
what stays French on purpose (the messages to clients, the link for the organisation's
website) is marked lang="fr" by the page, which the check leaves aside."""

from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reclamations.core.models import ApiToken, Organisation, SecurityRecord, User
from reclamations.core.roles import Role
from reclamations.core.superadmins import superadmin_create
from reclamations.core.users import token_create, user_create, user_language_set
from reclamations.letters.printing import DEFAULT_CSS, DEFAULT_HTML
from reclamations.outbox.models import CannedParagraph, MessageTemplate
from reclamations.web.forms.settings import OrganisationSettingsForm
from reclamations.web.invitations import one_time_link
from tests.accounts import totp_device, verified_login

Render = Callable[[Client, Organisation, User], str]

# The organisation's own texts, typed in English (the seed's are French).
ENGLISH_ORGANISATION = {
    "name": "Bristol Training",
    "legal_name": "Bristol Training Ltd",
    "address": "12 Harbour Road\n06370 Mouans-Sartoux",
    "referent_title": "Training lead",
    "mediator_name": "Riviera Mediation",
    "mediator_address": "4 Station Road\n06000 Nice",
    "mediator_website": "https://riviera-mediation.example",
    "court_name": "Grasse Court",
    "procedure_version": "Complaints procedure v2",
}
ENGLISH_TEMPLATE = {
    "subject": "Your complaint {{ reference }}",
    "body": "Hello {{ client_name }},\n\nWe received your complaint {{ reference }}; we will "
    "reply by {{ due_date }}.\n\n{{ signature }}\n",
}


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _in_english(organisation: Organisation) -> None:
    for name, value in ENGLISH_ORGANISATION.items():
        setattr(organisation, name, value)
    organisation.save()


def _manager(organisation: Organisation, user: User) -> Client:
    """The English referent made a manager (the settings' pages are theirs), logged in."""
    _in_english(organisation)
    user.role = Role.MANAGER
    user.save(update_fields=["role"])
    return verified_login(Client(), user)


def _colleague(organisation: Organisation, username: str = "sam.brown") -> User:
    return user_create(
        username=username,
        role=Role.REFERENT,
        password="A long enough sentence 2026",
        email=f"{username}@example.org",
        organisation=organisation,
        first_name="Sam",
        last_name="Brown",
    )


def _settings_values(organisation: Organisation, **changes: str) -> dict[str, str]:
    initial = OrganisationSettingsForm.initial_for(organisation)
    values = {name: value for name, value in initial.items() if not isinstance(value, bool)}
    values.update({name: "1" for name, value in initial.items() if value is True})
    return {**{name: str(value) for name, value in values.items()}, **changes}


# -- The organisation's settings ---------------------------------------------------------------


def _settings(client: Client, organisation: Organisation, user: User) -> str:
    return _page(_manager(organisation, user).get(reverse("organisation_settings")))


def _settings_errors(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    wrong = _settings_values(
        organisation,
        siret="123",
        website="nowhere",
        reference_prefix="R-1",
        time_zone="Mars/Olympus",
        extra_closures="31/02/2026",
        retention_archive_months="60",
        retention_anonymise_months="24",
        complaints_email="not an address",
        cause_list="Planning\n" + "A cause far too long to be one line of the list. " * 4,
    )
    return _page(manager.post(reverse("organisation_settings"), wrong))


def _settings_form_errors(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    wrong = _settings_values(organisation, due_soon_days="many", calendar_kind="lunar")
    return _page(manager.post(reverse("organisation_settings"), wrong))


def _settings_required(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    empty = _settings_values(organisation, name="", procedure_version="", deadline_days="")
    return _page(manager.post(reverse("organisation_settings"), empty))


def _settings_saved(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    changed = _settings_values(organisation, phone="0117 496 0000")
    return _page(manager.post(reverse("organisation_settings"), changed, follow=True))


def _settings_unchanged(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    same = _settings_values(organisation)
    return _page(manager.post(reverse("organisation_settings"), same, follow=True))


# -- API tokens ---------------------------------------------------------------------------------


def _organisation_tokens(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    token_create(user=user, label="Reporting script")
    token_create(user=_colleague(organisation), label="")
    return _page(manager.get(reverse("organisation_tokens")))


def _organisation_tokens_none(client: Client, organisation: Organisation, user: User) -> str:
    return _page(_manager(organisation, user).get(reverse("organisation_tokens")))


def _api_token_revoke(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    token_create(user=_colleague(organisation), label="Old laptop")
    token = ApiToken.objects.get()
    url = reverse("api_token_revoke", args=[token.pk])
    manager.post(url, {"from": "organisation"})
    return _page(manager.post(url, {"from": "organisation"}, follow=True))


# -- Message templates, paragraphs, letter layout ---------------------------------------------


def _own_template(organisation: Organisation, user: User, kind: str = "acknowledgement") -> None:
    MessageTemplate.objects.create(
        organisation=organisation,
        kind=kind,
        updated_by=user,
        updated_at=timezone.now(),
        **ENGLISH_TEMPLATE,
    )


def _message_templates(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    _own_template(organisation, user)
    return _page(manager.get(reverse("message_templates")))


def _message_templates_incomplete(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    organisation.mediator_address, organisation.court_name = "", ""
    organisation.mediator_cecmc_listed = False
    organisation.save()
    return _page(manager.get(reverse("message_templates")))


def _message_template_default(client: Client, organisation: Organisation, user: User) -> str:
    """The default wording is French, as the messages to clients are: the page marks it."""
    manager = _manager(organisation, user)
    return _page(manager.get(reverse("message_template_edit", args=["reply"])))


def _message_template_own(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    _own_template(organisation, user)
    return _page(manager.get(reverse("message_template_edit", args=["acknowledgement"])))


def _message_template_errors(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    url = reverse("message_template_edit", args=["acknowledgement"])
    data = {"subject": "Hello", "body": "Hello {{ nothing", "shown_on": "REC-1999-0001"}
    return _page(manager.post(url, {**data, "preview": "1"}))


def _message_template_invalid(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    url = reverse("message_template_edit", args=["acknowledgement"])
    data = {"subject": "{{ nothing }}", "body": "Hello {{ client }},\n", "preview": "1"}
    return _page(manager.post(url, data))


def _message_template_broken(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    url = reverse("message_template_edit", args=["acknowledgement"])
    data = {"subject": "{% if reference %}", "body": "Hello,\n{% if due_date %}\nsoon", "save": "1"}
    return _page(manager.post(url, data))


def _message_template_saved(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    url = reverse("message_template_edit", args=["acknowledgement"])
    return _page(manager.post(url, {**ENGLISH_TEMPLATE, "save": "1"}, follow=True))


def _message_template_reset(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    _own_template(organisation, user, "progress")
    url = reverse("message_template_reset", args=["progress"])
    manager.post(url)
    return _page(manager.post(url, follow=True))


def _paragraph(organisation: Organisation, user: User) -> CannedParagraph:
    return CannedParagraph.objects.create(
        organisation=organisation,
        title="Refund terms",
        text="The refund is paid within 30 days of your request.",
        updated_by=user,
        updated_at=timezone.now(),
    )


def _paragraphs(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    _paragraph(organisation, user)
    return _page(manager.get(reverse("paragraphs")))


def _paragraphs_none_errors(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    return _page(manager.post(reverse("paragraphs"), {"title": "", "text": ""}))


def _paragraphs_duplicate(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    _paragraph(organisation, user)
    data = {"title": "Refund terms", "text": "Another text."}
    return _page(manager.post(reverse("paragraphs"), data))


def _paragraphs_added(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    data = {"title": "Session moved", "text": "Your session moves to the next month."}
    return _page(manager.post(reverse("paragraphs"), data, follow=True))


def _paragraph_edit(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    paragraph = _paragraph(organisation, user)
    return _page(manager.get(reverse("paragraph_edit", args=[paragraph.pk])))


def _paragraph_edit_saved(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    paragraph = _paragraph(organisation, user)
    data = {"title": "Refund", "text": "Paid within 30 days."}
    return _page(manager.post(reverse("paragraph_edit", args=[paragraph.pk]), data, follow=True))


def _paragraph_delete(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    paragraph = _paragraph(organisation, user)
    return _page(manager.post(reverse("paragraph_delete", args=[paragraph.pk]), follow=True))


def _letter_layout(client: Client, organisation: Organisation, user: User) -> str:
    return _page(_manager(organisation, user).get(reverse("letter_layout")))


def _letter_layout_saved(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    data = {"html": DEFAULT_HTML, "css": DEFAULT_CSS + "\n.subject { color: #333; }", "save": "1"}
    return _page(manager.post(reverse("letter_layout"), data, follow=True))


def _letter_layout_errors(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    return _page(manager.post(reverse("letter_layout"), {"html": "", "css": "", "save": "1"}))


def _letter_layout_reset(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    manager.post(reverse("letter_layout"), {"html": DEFAULT_HTML, "css": DEFAULT_CSS, "save": "1"})
    manager.post(reverse("letter_layout_reset"))
    return _page(manager.post(reverse("letter_layout_reset"), follow=True))


# -- Users ----------------------------------------------------------------------------------------


def _users(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    _colleague(organisation)
    user_create(
        username="pat.green",
        role=Role.AUDITOR,
        password="A long enough sentence 2026",
        organisation=organisation,
        first_name="Pat",
        last_name="Green",
        access_until=timezone.localdate(),
    )
    return _page(manager.get(reverse("users")))


def _users_errors(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    data = {"username": "pat green", "role": Role.AUDITOR, "invite": "on", "email": "pat@"}
    return _page(manager.post(reverse("users"), data))


def _users_errors_dates(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    data = {"username": "pat", "role": Role.AUDITOR, "invite": "on", "access_until": "2000-01-01"}
    return _page(manager.post(reverse("users"), data))


def _user_created(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    data = {"username": "pat.green", "first_name": "Pat", "role": Role.REFERENT}
    return _page(manager.post(reverse("users"), data))


def _user_invited(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    data = {"username": "pat", "email": "pat@example.org", "role": Role.REFERENT, "invite": "on"}
    return _page(manager.post(reverse("users"), data))


def _user_taken(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    _colleague(organisation)
    data = {"username": "sam.brown", "role": Role.REFERENT}
    return _page(manager.post(reverse("users"), data))


def _user_active(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    colleague = _colleague(organisation)
    manager.post(reverse("user_active", args=[colleague.pk]), {"active": "0"})
    return _page(
        manager.post(reverse("user_active", args=[colleague.pk]), {"active": "1"}, follow=True)
    )


def _user_active_self(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    url = reverse("user_active", args=[user.pk])
    return _page(manager.post(url, {"active": "0"}, follow=True))


def _user_invite(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    colleague = _colleague(organisation)
    return _page(manager.post(reverse("user_invite", args=[colleague.pk]), follow=True))


def _user_invite_refused(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    colleague = _colleague(organisation)
    colleague.email = ""
    colleague.save(update_fields=["email"])
    return _page(manager.post(reverse("user_invite", args=[colleague.pk]), follow=True))


def _user_password_reset(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    colleague = _colleague(organisation)
    return _page(manager.post(reverse("user_password_reset", args=[colleague.pk])))


def _user_two_factor_reset(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    colleague = _colleague(organisation)
    totp_device(colleague)  # a key of their own
    manager.post(reverse("user_two_factor_reset", args=[colleague.pk]))
    return _page(manager.post(reverse("user_two_factor_reset", args=[colleague.pk]), follow=True))


def _user_edit(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    colleague = _colleague(organisation)
    return _page(manager.get(reverse("user_edit", args=[colleague.pk])))


def _user_edit_own(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    return _page(manager.get(reverse("user_edit", args=[user.pk])))


def _user_edit_errors(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    colleague = _colleague(organisation)
    data = {
        "first_name": "Sam",
        "last_name": "Brown",
        "email": "sam@",
        "role": Role.AUDITOR,
        "language": "en",
        "access_until": "",
    }
    return _page(manager.post(reverse("user_edit", args=[colleague.pk]), data))


def _user_edit_own_role(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    data = {"first_name": "Alex", "role": Role.REFERENT, "language": "en"}
    return _page(manager.post(reverse("user_edit", args=[user.pk]), data))


def _user_edit_saved(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    colleague = _colleague(organisation)
    data = {
        "first_name": "Samantha",
        "last_name": "Brown",
        "email": "samantha@example.org",
        "role": Role.MANAGER,
        "language": "en",
    }
    return _page(manager.post(reverse("user_edit", args=[colleague.pk]), data, follow=True))


def _user_edit_unchanged(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    colleague = _colleague(organisation)
    data = {
        "first_name": "Sam",
        "last_name": "Brown",
        "email": "sam.brown@example.org",
        "role": Role.REFERENT,
        "language": "fr",
    }
    return _page(manager.post(reverse("user_edit", args=[colleague.pk]), data, follow=True))


# -- Staff reminders ------------------------------------------------------------------------------


def _reminder_settings(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    organisation.referent_email = "lead@example.org"
    organisation.save(update_fields=["referent_email"])
    return _page(manager.get(reverse("reminder_settings")))


def _reminder_settings_errors(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    data = {"days_before": "3,two", "digest_hour": "25"}
    return _page(manager.post(reverse("reminder_settings"), data))


def _reminder_settings_service_errors(
    client: Client, organisation: Organisation, user: User
) -> str:
    manager = _manager(organisation, user)
    data = {"days_before": "3,two", "digest_hour": "7"}
    return _page(manager.post(reverse("reminder_settings"), data))


def _reminder_settings_saved(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    data = {"include_managers": "on", "days_before": "5,2", "digest_hour": "7"}
    return _page(manager.post(reverse("reminder_settings"), data, follow=True))


def _reminder_settings_unchanged(client: Client, organisation: Organisation, user: User) -> str:
    manager = _manager(organisation, user)
    data = {"include_managers": "on", "days_before": "3,1", "digest_hour": "8"}
    return _page(manager.post(reverse("reminder_settings"), data, follow=True))


def _invitation(client: Client, organisation: Organisation, user: User) -> str:
    _in_english(organisation)
    anonymous = Client()
    anonymous.cookies["django_language"] = "en"
    link = one_time_link(_colleague(organisation), "invitation")
    return _page(anonymous.post(link, {"new_password1": "short", "new_password2": "other"}))


def _invitation_invalid(client: Client, organisation: Organisation, user: User) -> str:
    anonymous = Client()
    anonymous.cookies["django_language"] = "en"
    return _page(anonymous.get(reverse("invitation", args=["MQ", "wrong"])))


# -- The super-administrator's pages -------------------------------------------------------------


def _superadmin() -> Client:
    account = superadmin_create(username="platform", email="platform@example.org").account
    account.password_provisional = False
    account.save(update_fields=["password_provisional"])
    user_language_set(user=account, language="en")
    return verified_login(Client(), account)


def _platform(client: Client, organisation: Organisation, user: User) -> str:
    _in_english(organisation)
    return _page(_superadmin().get(reverse("platform")))


def _platform_search_none(client: Client, organisation: Organisation, user: User) -> str:
    _in_english(organisation)
    return _page(_superadmin().get(reverse("platform"), {"q": "Nowhere"}))


NEW_ORGANISATION = {
    "name": "Leeds Skills",
    "address": "1 Park Row\nLeeds LS1 5HD",
    "complaints_email": "complaints@leeds-skills.example",
    "referent_name": "Kim Lee",
    "time_zone": "Europe/Paris",
    "deadline_days": "10",
    "calendar_kind": "ouvrables",
    "phone_clock": "call",
    "manager_username": "kim.lee",
    "manager_email": "kim.lee@leeds-skills.example",
}


def _platform_organisation_new(client: Client, organisation: Organisation, user: User) -> str:
    return _page(_superadmin().get(reverse("platform_organisation_new")))


def _platform_organisation_errors(client: Client, organisation: Organisation, user: User) -> str:
    wrong = {
        **NEW_ORGANISATION,
        "name": "",
        "siret": "12",
        "manager_username": "kim lee",
        "manager_email": "",
        "manager_password1": "short",
        "manager_password2": "other",
    }
    return _page(_superadmin().post(reverse("platform_organisation_new"), wrong))


def _platform_organisation_created(client: Client, organisation: Organisation, user: User) -> str:
    return _page(_superadmin().post(reverse("platform_organisation_new"), NEW_ORGANISATION))


# -- The first run, before any account: the language cookie's ----------------------------------


def _nothing_installed(organisation: Organisation) -> Client:
    """test_english's organisation and accounts removed: an installation's first page."""
    SecurityRecord.objects.all().delete()
    User.objects.all().delete()
    organisation.delete()
    anonymous = Client()
    anonymous.cookies["django_language"] = "en"
    return anonymous


def _first_run(client: Client, organisation: Organisation, user: User) -> str:
    return _page(_nothing_installed(organisation).get(reverse("first_run")))


def _first_run_errors(client: Client, organisation: Organisation, user: User) -> str:
    anonymous = _nothing_installed(organisation)
    wrong = {
        **NEW_ORGANISATION,
        "address": "",
        "website": "leeds",
        "deadline_days": "100",
        "manager_password1": "Kim Lee 2026 long enough",
        "manager_password2": "another one",
    }
    return _page(anonymous.post(reverse("first_run"), wrong))


ADMIN_PAGES: dict[str, list[Render]] = {
    "organisation_settings": [
        _settings,
        _settings_errors,
        _settings_form_errors,
        _settings_required,
        _settings_saved,
        _settings_unchanged,
    ],
    "organisation_tokens": [_organisation_tokens, _organisation_tokens_none],
    "api_token_revoke": [_api_token_revoke],
    "message_templates": [_message_templates, _message_templates_incomplete],
    "message_template_edit": [
        _message_template_default,
        _message_template_own,
        _message_template_errors,
        _message_template_invalid,
        _message_template_broken,
        _message_template_saved,
    ],
    "message_template_reset": [_message_template_reset],
    "paragraphs": [_paragraphs, _paragraphs_none_errors, _paragraphs_duplicate, _paragraphs_added],
    "paragraph_edit": [_paragraph_edit, _paragraph_edit_saved],
    "paragraph_delete": [_paragraph_delete],
    "letter_layout": [_letter_layout, _letter_layout_saved, _letter_layout_errors],
    "letter_layout_reset": [_letter_layout_reset],
    "invitation": [_invitation, _invitation_invalid],
    "users": [_users, _users_errors, _users_errors_dates, _user_created, _user_taken],
    "user_invite": [_user_invite, _user_invite_refused, _user_invited],
    "user_active": [_user_active, _user_active_self],
    "user_edit": [
        _user_edit,
        _user_edit_own,
        _user_edit_errors,
        _user_edit_own_role,
        _user_edit_saved,
        _user_edit_unchanged,
    ],
    "reminder_settings": [
        _reminder_settings,
        _reminder_settings_errors,
        _reminder_settings_service_errors,
        _reminder_settings_saved,
        _reminder_settings_unchanged,
    ],
    "user_password_reset": [_user_password_reset],
    "user_two_factor_reset": [_user_two_factor_reset],
    "platform": [_platform, _platform_search_none],
    "platform_organisation_new": [
        _platform_organisation_new,
        _platform_organisation_errors,
        _platform_organisation_created,
    ],
    "first_run": [_first_run, _first_run_errors],
}
