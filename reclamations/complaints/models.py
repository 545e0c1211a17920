import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.enums import (
    OPEN_IMPROVEMENT_STATUSES,
    OPEN_STATUSES,
    Category,
    Channel,
    CheckResult,
    ClientAcceptance,
    ClientLanguage,
    ClientType,
    DocumentRole,
    Funding,
    ImprovementSource,
    ImprovementStatus,
    Kind,
    Outcome,
    ReplyChannel,
    Satisfaction,
    Severity,
    Status,
)
from reclamations.core.models import Organisation

# The procedure's registration fields besides the date: a complaint lacking one is incomplete.
PROCEDURE_FIELDS = ("client_name", "client_account", "description")


class ReferenceCounter(models.Model):
    """Last number given per organisation, series and year: references are sequential, never
    reused. The complaints' series is ""; improvement actions have theirs ("AM")."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    series = models.CharField(max_length=8, default="", blank=True)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "series", "year"], name="one_counter_per_series_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Complaint(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="complaints"
    )
    reference = models.CharField(_("référence"), max_length=30)
    status = models.CharField(_("statut"), max_length=24, choices=Status.choices)

    # Reception (the procedure's four fields: date, client name, account, description).
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("reçue le"))
    received_on = models.DateField(_("date de réception (fuseau de l'organisme)"))
    backdating_reason = models.TextField(_("motif de l'antidatage"), blank=True)
    registered_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    procedure_version = models.CharField(_("version de la procédure"), max_length=40, blank=True)

    client_name = models.CharField(_("nom du client"), max_length=200, blank=True)
    client_account = models.CharField(_("compte client"), max_length=200, blank=True)
    client_type = models.CharField(
        _("type de client"), max_length=12, choices=ClientType.choices, blank=True
    )
    funding = models.CharField(_("financement"), max_length=16, choices=Funding.choices, blank=True)
    client_email = models.EmailField(_("e-mail du client"), blank=True)
    client_phone = models.CharField(_("téléphone du client"), max_length=40, blank=True)
    client_address = models.TextField(_("adresse du client"), blank=True)
    # What the messages to the client are written in (notifications.wording); the register
    # itself stays in French (docs/translation.md).
    client_language = models.CharField(
        _("langue du client"),
        max_length=2,
        choices=ClientLanguage.choices,
        default=ClientLanguage.FRENCH,
    )
    training = models.CharField(_("formation"), max_length=300, blank=True)
    # The context the register and the statistics are read by (Qualiopi 32: where it went
    # wrong, and with whom). Free text: each organisation names its sessions as it does.
    session = models.CharField(_("session"), max_length=200, blank=True)
    trainer = models.CharField(_("formateur ou formatrice"), max_length=200, blank=True)
    funder = models.CharField(_("financeur"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    remedy_sought = models.TextField(_("attente du client"), blank=True)

    kind = models.CharField(
        _("nature"), max_length=16, choices=Kind.choices, default=Kind.COMPLAINT
    )
    not_admissible_reason = models.TextField(_("motif de non-recevabilité"), blank=True)
    category = models.CharField(_("catégorie"), max_length=16, choices=Category.choices, blank=True)
    severity = models.CharField(
        _("gravité"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    # The root cause, as analysed (the "analyse_cause" action): a label of the organisation's
    # list at the time (core.causes), kept as written.
    cause = models.CharField(_("cause"), max_length=120, blank=True)
    cause_analysis = models.TextField(_("analyse de la cause"), blank=True)

    # Deadline: computed by complaints.deadlines, stored so that urgency is an indexed query.
    clock_started_on = models.DateField(_("point de départ du délai"), null=True, blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    information_requested_on = models.DateField(null=True, blank=True)
    confirmation_pending = models.BooleanField(_("confirmation écrite attendue"), default=False)

    # Treatment and reply.
    resolution = models.TextField(_("résolution"), blank=True)
    first_replied_on = models.DateField(_("date de la première réponse"), null=True, blank=True)
    replied_on = models.DateField(_("date de la réponse"), null=True, blank=True)
    reply_channel = models.CharField(
        _("canal de la réponse"), max_length=16, choices=ReplyChannel.choices, blank=True
    )
    replied_on_time = models.BooleanField(_("réponse dans le délai"), null=True)
    # A reply by registered letter with acknowledgement of receipt: its number, then the day
    # the post delivered it (the proof that it reached the client).
    reply_registered_number = models.CharField(_("n° de recommandé"), max_length=40, blank=True)
    reply_delivered_on = models.DateField(_("réponse distribuée le"), null=True, blank=True)
    # Letters the application printed that are not yet recorded as posted (record_posting).
    letters_to_post = models.PositiveSmallIntegerField(_("courriers à poster"), default=0)
    outcome = models.CharField(_("issue"), max_length=16, choices=Outcome.choices, blank=True)
    client_acceptance = models.CharField(
        _("position du client"),
        max_length=10,
        choices=ClientAcceptance.choices,
        default=ClientAcceptance.UNKNOWN,
    )
    # The client's answer to the survey after the reply; "not resolved" flags the complaint
    # for the referent until it is replied to again, reopened or closed again.
    client_satisfaction = models.CharField(
        _("satisfaction du client"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    client_says_unresolved = models.BooleanField(_("non résolue selon le client"), default=False)
    closed_on = models.DateField(_("clôturée le"), null=True, blank=True)

    # Escalation.
    mediation_seized_on = models.DateField(_("médiateur saisi le"), null=True, blank=True)
    mediator = models.CharField(_("médiateur"), max_length=200, blank=True)
    mediation_outcome = models.TextField(_("issue de la médiation"), blank=True)
    litigation_started_on = models.DateField(_("contentieux engagé le"), null=True, blank=True)
    litigation_court = models.CharField(_("juridiction"), max_length=200, blank=True)
    litigation_outcome = models.TextField(_("issue du contentieux"), blank=True)

    # Retention (privacy.retention, decision 0024): archived (its client's identity for managers
    # only), then anonymised (nothing left that names the client).
    archived_on = models.DateField(_("archivée le"), null=True, blank=True)
    anonymised_on = models.DateField(_("anonymisée le"), null=True, blank=True)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réclamation"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="reference_unique_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="complaint_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.NOT_ADMISSIBLE) | ~Q(not_admissible_reason=""),
                name="not_admissible_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | ~Q(outcome=""),
                name="closed_has_outcome",
            ),
        ]
        indexes = [
            # The register's period filter, its newest/oldest orderings and its counts: the
            # other filter columns are in the index so that counting a filtered register
            # reads the index only, never the rows.
            models.Index(
                fields=[
                    "organisation",
                    "-received_on",
                    "-received_at",
                    "-id",
                    "status",
                    "kind",
                    "channel",
                    "category",
                    "client_type",
                ],
                name="register_received",
            ),
            models.Index(fields=["organisation", "status", "due_date"], name="register_urgency"),
            models.Index(fields=["organisation", "due_date", "id"], name="register_due"),
            # The open complaints by due date, for "à traiter d'abord" and "by due date": small
            # (open complaints only), it spares PostgreSQL the closed ones (4 ms a page).
            models.Index(
                fields=["organisation", "due_date"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="register_open_due",
            ),
            # What needs work first (register_pages._UrgentFirst), in its order: the default
            # page reads its 50 lines from it instead of sorting every open complaint due soon
            # or overdue (16,000 of them, 37 ms at 1,000,000 on SQLite).
            models.Index(
                fields=["organisation", "due_date", "-received_on", "-received_at", "-id"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="register_open_urgent",
            ),
            # The open complaints by reception (newest or oldest first: the API's default order,
            # open only, overdue or due soon): read in order, their due date in the index,
            # instead of the 14,606 overdue sorted for 25 at 1,000,000 (25 ms on SQLite).
            models.Index(
                fields=["organisation", "-received_on", "-received_at", "-id", "due_date"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="register_open_received",
            ),
            # The work lists' "unresolved in the client's view" (complaints/work_lists.py): the
            # one condition of their OR that no other index serves; without it the navigation's
            # count read every complaint (1 s a page at 1,000,000 on SQLite).
            models.Index(
                fields=["organisation", "status"],
                condition=Q(client_says_unresolved=True),
                name="work_unresolved",
            ),
            # The answered complaints by reply date: "Mon travail"'s list to close, the oldest
            # reply first, without sorting them all (73,378 in the register at 1,000,000).
            models.Index(fields=["organisation", "status", "replied_on"], name="register_replied"),
            # The statistics (reporting/statistics.py) count a period's complaints by code and
            # their reply days from this index alone (PostgreSQL read the 51 MB table: 70 ms a
            # query at 100,000 complaints). Short values only: free text stays out.
            models.Index(
                fields=[
                    "organisation",
                    "received_on",
                    "kind",
                    "channel",
                    "category",
                    "client_type",
                    "funding",
                    "clock_started_on",
                    "first_replied_on",
                    "replied_on_time",
                    "client_satisfaction",
                    "client_acceptance",
                ],
                name="statistics_by_reception",
            ),
            # The clients and accounts of two complaints or more in a period (the statistics'
            # repeat complainants), counted from this index alone: a period's rows are not read.
            models.Index(
                fields=["organisation", "received_on", "client_name", "client_account"],
                name="statistics_repeat_clients",
            ),
            # The latest complaints of the same account or training, shown on each complaint
            # (queries.related_complaints): the index's order is the notice's.
            models.Index(
                fields=["organisation", "client_account", "received_on", "id"],
                name="related_by_account",
            ),
            models.Index(
                fields=["organisation", "training", "received_on", "id"],
                name="related_by_training",
            ),
            # The register's filters on the context and the cause (complaints.queries).
            models.Index(
                fields=["organisation", "session", "received_on"], name="register_by_session"
            ),
            models.Index(
                fields=["organisation", "trainer", "received_on"], name="register_by_trainer"
            ),
            models.Index(
                fields=["organisation", "funder", "received_on"], name="register_by_funder"
            ),
            models.Index(fields=["organisation", "cause", "received_on"], name="register_by_cause"),
            # The open ones of each, by due date: what needs work first among one trainer's (or
            # one cause's...) complaints, counted and read without testing the 16,000 open
            # complaints overdue or due soon one by one (17 ms each at 1,000,000).
            *(
                models.Index(
                    fields=["organisation", name, "due_date"],
                    condition=Q(status__in=sorted(OPEN_STATUSES)),
                    name=f"register_open_{name}",
                )
                for name in ("training", "session", "trainer", "funder", "cause")
            ),
            models.Index(
                fields=["organisation", "mediation_seized_on"],
                condition=Q(mediation_seized_on__isnull=False),
                name="statistics_mediation",
            ),
            models.Index(
                fields=["organisation", "litigation_started_on"],
                condition=Q(litigation_started_on__isnull=False),
                name="statistics_litigation",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.REPLIED, Status.CLOSED)

    @property
    def missing_fields(self) -> list[str]:
        """The procedure's registration fields still empty, as French labels."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in PROCEDURE_FIELDS
            if not getattr(self, name).strip()
        ]


class ComplaintSearch(models.Model):
    """The text the register's search reads for one complaint: its fields and the words of its
    chronology (complaints/search_text.py), rewritten with every event in the same transaction
    (complaints/search.py). The databases index it (migration 0007): PostgreSQL in a generated
    tsvector column `document` (French, unaccent) with a GIN index; SQLite in the FTS5 table
    complaints_search_fts (without diacritics), kept in step by triggers. A migration that
    alters this table on SQLite rebuilds it and must create those triggers again."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    # The complaint's, never changed: a search of the whole register reads this table alone.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, db_index=False)
    text = models.TextField()

    class Meta:
        db_table = "complaints_search"

    def __str__(self) -> str:
        return f"recherche {self.complaint_id}"


def document_path(instance: "Document", filename: str) -> str:
    return f"documents/{instance.organisation_id}/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file kept as evidence: stored unchanged, with its size, type and SHA-256."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="documents")
    role = models.CharField("nature", max_length=16, choices=DocumentRole.choices)
    original_name = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=document_path, max_length=255)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A letter the application printed for staff to post (its posting is an event).
    to_post = models.BooleanField("courrier à poster", default=False)

    class Meta:
        verbose_name = "document"

    def __str__(self) -> str:
        return self.original_name


class ImprovementAction(models.Model):
    """An improvement action (Qualiopi indicator 32): decided from complaints or another source,
    carried out by its owner, checked for effectiveness before it is closed. Changed only by
    complaints.improvement, each change an event of the organisation's chronology."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="improvement_actions"
    )
    reference = models.CharField("référence", max_length=30)
    status = models.CharField("statut", max_length=16, choices=ImprovementStatus.choices)
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description")
    source = models.CharField("origine", max_length=16, choices=ImprovementSource.choices)
    source_detail = models.CharField("précision sur l'origine", max_length=300, blank=True)
    complaints = models.ManyToManyField(
        Complaint, related_name="improvement_actions", blank=True, verbose_name="réclamations"
    )
    cause = models.CharField("cause traitée", max_length=120, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="responsable",
    )
    due_date = models.DateField("échéance")
    created_on = models.DateField("décidée le")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    done_on = models.DateField("réalisée le", null=True, blank=True)
    done_summary = models.TextField("ce qui a été fait", blank=True)
    checked_on = models.DateField("efficacité vérifiée le", null=True, blank=True)
    check_result = models.CharField(
        "résultat de la vérification", max_length=16, choices=CheckResult.choices, blank=True
    )
    check_evidence = models.TextField("preuves de l'efficacité", blank=True)
    closed_on = models.DateField("clôturée le", null=True, blank=True)
    abandon_reason = models.TextField("motif de l'abandon", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "action d'amélioration"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="improvement_reference_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status=ImprovementStatus.CLOSED) | ~Q(check_result=""),
                name="improvement_closed_has_check",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"], name="improvement_plan"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_IMPROVEMENT_STATUSES


class ComplaintEvent(models.Model):
    """One line of the chronology: of a complaint, of an improvement action, or of the
    organisation itself (a change of its settings, a triage decision). Append-only and
    hash-chained per organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    sequence = models.PositiveBigIntegerField()
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="events", null=True, blank=True
    )
    improvement = models.ForeignKey(
        ImprovementAction,
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
    )
    # No `choices`: the chronology outlives the code that wrote it, and a new kind of event
    # must not need a migration of the register's largest table. Labels: enums.EventType.
    event_type = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    occurred_on = models.DateField("date de l'événement")
    recorded_at = models.DateTimeField("enregistré le")
    status_before = models.CharField(max_length=24, blank=True)
    status_after = models.CharField(max_length=24, blank=True)
    data = models.JSONField(default=dict)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # How `hash` was sealed: the id of the chain key of its HMAC-SHA256 (complaints.chain_keys),
    # or "" for a plain SHA-256 (the events written before the chain was keyed).
    key_id = models.CharField(max_length=16, blank=True, default="")
    # The sequence of the anonymisation that replaced the personal texts of `data`: that event
    # attests the new content under its own seal (chain.redacted_digest, decision 0024).
    redacted_by = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sequence"], name="one_event_per_sequence"
            ),
            # Of a complaint, of an action, or of neither (the organisation's own events).
            models.CheckConstraint(
                condition=Q(complaint__isnull=True) | Q(improvement__isnull=True),
                name="event_of_at_most_one_complaint_or_action",
            ),
        ]
        indexes = [
            models.Index(fields=["complaint", "sequence"], name="chronology"),
            models.Index(
                fields=["improvement", "sequence"],
                condition=Q(improvement__isnull=False),
                name="improvement_chronology",
            ),
            # The global journal, filtered by type, by person or by day (reporting/journal.py):
            # each filter reads its own events in the chain's order, however rare they are.
            models.Index(fields=["organisation", "event_type", "sequence"], name="journal_by_type"),
            models.Index(fields=["organisation", "actor", "sequence"], name="journal_by_actor"),
            models.Index(
                fields=["organisation", "recorded_at", "sequence"], name="journal_by_moment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.event_type}"


class ChainHead(models.Model):
    """The last event of an organisation's chronology; locked to append the next one."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, primary_key=True)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.last_sequence}"


class ComplaintMessage(models.Model):
    """An outgoing message (outbox) about a complaint; the outbox itself knows no complaint.

    A message to the client is threaded with the complaint's conversation and recorded in its
    chronology once sent, with the exact bytes kept as `copy`; a notice to staff about the
    complaint is linked too (an answer to it finds the complaint) but stays out of the
    chronology.
    """

    outgoing = models.OneToOneField(
        "outbox.OutgoingMessage",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="complaint_link",
    )
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="messages")
    to_client = models.BooleanField("au client")
    copy = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "message d'une réclamation"

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.outgoing_id}"


class ClientAccessLink(models.Model):
    """A link that lets the client open their complaint's page without an account: sent by
    e-mail, valid for a limited time, used once. Only the SHA-256 of its secret is kept."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="client_links")
    secret_sha256 = models.CharField(max_length=64, unique=True)
    # "follow": opens the complaint's page; "survey": the client's opinion after the reply.
    purpose = models.CharField("usage", max_length=8, default="follow")
    created_at = models.DateTimeField("créé le")
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)

    class Meta:
        verbose_name = "lien d'accès du client"
        indexes = [
            models.Index(fields=["complaint", "created_at"], name="client_link_by_complaint")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.created_at:%Y-%m-%d %H:%M}"


# The statistics' kept counts live in their own module; imported here so that Django loads them.
from reclamations.complaints.counts_models import (  # noqa: E402, F401
    CountedComplaint,
    StatisticsCount,
)
