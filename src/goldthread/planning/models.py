"""Planning conference records: versioned, approved, then authoritative (CONF-1, CONF-2, CONF-3)."""

import uuid

from django.conf import settings
from django.db import models

from goldthread.core.models import Record
from goldthread.core.permissions import Scope
from goldthread.events.models import Event
from goldthread.strategy.models import Organization


class Conference(Record):
    """One version of the record of a planning conference. Versions of the same conference share a `lineage`;
    an approved version never changes again, and a correction is a new version."""

    class Kind(models.TextChoices):
        CDC = "CDC", "Concept development conference"
        IPC = "IPC", "Initial planning conference"
        MPC = "MPC", "Main planning conference"
        FPC = "FPC", "Final planning conference"
        PDSS = "PDSS", "Pre-deployment site survey"
        P2C2 = "P2C2", "Pathways planning and coordination conference"
        OTHER = "OTHER", "Other planning meeting"

    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        APPROVED = "APPROVED", "Approved"
        SUPERSEDED = "SUPERSEDED", "Superseded by a correction"

    # The conferences whose record the executing unit must be represented at, or receive formally (CONF-1).
    KEY_KINDS = (Kind.IPC, Kind.MPC, Kind.FPC)

    lineage = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    number = models.PositiveSmallIntegerField(default=1, editable=False, help_text="Version number.")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="conferences")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    starts = models.DateField()
    ends = models.DateField()
    place = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    correction_reason = models.CharField(max_length=300, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["event", "starts", "number"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "number"], name="one_conference_version_number"),
            models.CheckConstraint(condition=models.Q(ends__gte=models.F("starts")), name="conference_dates_ordered"),
        ]
        permissions = [("approve_conference", "Can approve a conference record")]

    def __str__(self) -> str:
        return f"{self.event.code} {self.kind} v{self.number}"

    @property
    def scope(self) -> Scope:
        return self.event.scope

    @property
    def executing_unit_represented(self) -> bool | None:
        """Whether someone from the executing unit, or a unit below it, attended; None if no unit is named."""
        unit = self.event.executing_unit
        if unit is None:
            return None
        return self.attendees.filter(organization_id__in=unit.subtree_ids()).exists()


class Attendee(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=120)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=120, blank=True, help_text="E.g. S3 planner, partner liaison.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization or 'partner'})"


class Item(models.Model):
    """What a conference produced: partner objectives, decisions, agreements, open issues and action items."""

    class Kind(models.TextChoices):
        PARTNER_OBJECTIVE = "PARTNER_OBJECTIVE", "Partner-stated objective"
        DECISION = "DECISION", "Decision"
        AGREEMENT = "AGREEMENT", "Agreement with the partner"
        OPEN_ISSUE = "OPEN_ISSUE", "Open issue"
        ACTION = "ACTION", "Action item"

    class State(models.TextChoices):
        OPEN = "OPEN", "Open"
        DONE = "DONE", "Done"
        DROPPED = "DROPPED", "Dropped"

    # Section headings, in the order a record shows them.
    HEADINGS = {
        Kind.PARTNER_OBJECTIVE: "Partner-stated objectives",
        Kind.DECISION: "Decisions",
        Kind.AGREEMENT: "Agreements with the partner",
        Kind.OPEN_ISSUE: "Open issues",
        Kind.ACTION: "Action items",
    }

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    owner = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Order(Record):
    """One order about an event — a tasking order, an operation order or a fragmentary order that changes it —
    numbered in sequence per event. Issuing freezes it with the event's purpose block as it stood (ORD-1, ORD-3)."""

    class Kind(models.TextChoices):
        TASKORD = "TASKORD", "Tasking order"
        OPORD = "OPORD", "Operation order"
        FRAGO = "FRAGO", "Fragmentary order"

    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        ISSUED = "ISSUED", "Issued"

    # The five paragraphs, in order, with their headings.
    PARAGRAPHS = [
        ("situation", "1. Situation"),
        ("mission", "2. Mission"),
        ("execution", "3. Execution"),
        ("sustainment", "4. Sustainment"),
        ("command_and_signal", "5. Command and signal"),
    ]

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="orders")
    number = models.PositiveSmallIntegerField(editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    issuer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="issued_orders")
    title = models.CharField(max_length=200)
    change_reason = models.CharField(max_length=300, blank=True, help_text="What a FRAGO changes, and why (ORD-4).")
    situation = models.TextField(blank=True)
    mission = models.TextField(blank=True)
    execution = models.TextField(blank=True)
    sustainment = models.TextField(blank=True)
    command_and_signal = models.TextField(blank=True)
    purpose = models.JSONField(default=dict, blank=True, help_text="The purpose block as it stood when issued.")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["event", "number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="one_order_number_per_event")]
        permissions = [("issue_order", "Can issue an order")]

    def __str__(self) -> str:
        return f"{self.kind} {self.number} for {self.event.code}"

    @property
    def scope(self) -> Scope:
        return self.event.scope


class Theme(Record):
    """An approved strategic-communication theme with its talking points, for a country, an event series or the
    whole region (COMM-1). Orders and executor packets pull in the themes that apply to their event."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        APPROVED = "APPROVED", "Approved"
        RETIRED = "RETIRED", "Retired"

    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=200, help_text="Who it speaks to, e.g. partner military, local media.")
    talking_points = models.TextField(help_text="One point per line.")
    sensitivities = models.TextField(blank=True, help_text="What not to discuss, one per line.")
    country = models.ForeignKey(
        "strategy.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="themes"
    )
    series = models.ForeignKey(
        "events.EventSeries", null=True, blank=True, on_delete=models.PROTECT, related_name="themes"
    )
    objectives = models.ManyToManyField("strategy.Objective", blank=True, related_name="themes")
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope(self) -> Scope:
        return Scope(countries=frozenset({self.country_id} - {None}))


class InformationRequest(Record):
    """A request for information (RFI): a question of the executor's checklist that Goldthread does not answer yet,
    put to an owner with a due date, and answered in the record so the next reader finds it (INFO-1)."""

    class Status(models.TextChoices):
        OPEN = "OPEN", "Open"
        ANSWERED = "ANSWERED", "Answered"
        WITHDRAWN = "WITHDRAWN", "Withdrawn"

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="information_requests")
    topic = models.CharField(max_length=60, help_text="The checklist topic it answers, e.g. Administration.")
    question = models.TextField()
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="information_requests", help_text="Who must answer."
    )
    due = models.DateField()
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["event", "due", "id"]
        permissions = [("answer_informationrequest", "Can answer a request for information")]

    def __str__(self) -> str:
        return f"RFI {self.topic} for {self.event.code}"

    @property
    def scope(self) -> Scope:
        return self.event.scope


class PublicAffairsProduct(Record):
    """A public-affairs product — press release, social media post, article, imagery — planned or released about
    events, and tied to the themes it carries (COMM-2)."""

    class Kind(models.TextChoices):
        PRESS_RELEASE = "PRESS_RELEASE", "Press release"
        SOCIAL = "SOCIAL", "Social media post"
        ARTICLE = "ARTICLE", "Article or feature"
        IMAGERY = "IMAGERY", "Photos or video"
        MEDIA_EVENT = "MEDIA_EVENT", "Media engagement"

    class Status(models.TextChoices):
        PLANNED = "PLANNED", "Planned"
        CLEARED = "CLEARED", "Cleared for release"
        RELEASED = "RELEASED", "Released"

    kind = models.CharField(max_length=13, choices=Kind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    link = models.URLField(blank=True, help_text="Where the released product can be found.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    release_date = models.DateField(null=True, blank=True, help_text="Planned, or actual once released.")
    country = models.ForeignKey("strategy.Country", on_delete=models.PROTECT, related_name="public_affairs_products")
    events = models.ManyToManyField(Event, blank=True, related_name="public_affairs_products")
    themes = models.ManyToManyField(Theme, blank=True, related_name="products")

    class Meta:
        ordering = ["-release_date", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope(self) -> Scope:
        return Scope(countries=frozenset({self.country_id}))
