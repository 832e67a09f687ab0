"""After-action reports and the lessons drawn from them (AAR-1 … AAR-5, TURN-2).

One report per event, written by the executing unit in a fixed method: the four AAR questions per claimed objective,
a section per objective type, and observations in observation–discussion–recommendation form. An observation is
also the unit of the lessons loop: it climbs `Observation.Stage` from observed to verified lesson, so a lesson never
loses the event, partner and tags it came from.
"""

from django.conf import settings
from django.db import models

from goldthread.core.catalogues import Dotmlpfp, ObjectiveType
from goldthread.core.models import Record
from goldthread.core.permissions import Scope
from goldthread.events.models import ContributionClaim, Event
from goldthread.strategy.models import Organization


class ReportQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _started([report.event_id for report in created])
        return created


def _started(event_ids: list[int]) -> None:
    """However a report is written, its event stops owing one (Event.aar_started)."""
    Event.objects.filter(pk__in=event_ids, aar_started=False).update(aar_started=True)


class Report(Record):
    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        SUBMITTED = "SUBMITTED", "Submitted for review"
        RETURNED = "RETURNED", "Returned with comments"
        APPROVED = "APPROVED", "Approved"
        DISSEMINATED = "DISSEMINATED", "Disseminated"

    # The workflow: the statuses each status may move to. The single source of allowed transitions.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.DRAFT: (Status.SUBMITTED,),
        Status.SUBMITTED: (Status.RETURNED, Status.APPROVED),
        Status.RETURNED: (Status.SUBMITTED,),
        Status.APPROVED: (Status.DISSEMINATED,),
        Status.DISSEMINATED: (),
    }
    # While the author may still write in it.
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    # Done, as far as the author's deadline is concerned.
    IN = (Status.SUBMITTED, Status.APPROVED, Status.DISSEMINATED)

    # The per-objective-type sections (framework §3.F): field name, objective type, heading, what belongs there.
    TYPE_SECTIONS = [
        ("relationships", ObjectiveType.REL, "Relationships", "Contacts made and commitments given or received."),
        ("capability", ObjectiveType.CAP, "Partner capability", "Partner performance against standards, and gaps."),
        ("interoperability", ObjectiveType.INT, "Interoperability", "Friction points between forces, and fixes."),
        ("access", ObjectiveType.ACC, "Access", "Actual timelines and blockers for movement and clearances."),
    ]

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="aar")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    hotwash_due = models.DateField(help_text="The hot-wash is held at the event, on its last day.")
    hotwash_held = models.DateField(null=True, blank=True, help_text="When the hot-wash was held.")
    due = models.DateField(help_text="When the final AAR is due.")
    summary = models.TextField(blank=True, help_text="The event in a few lines, for readers who read nothing else.")
    relationships = models.TextField(blank=True, help_text=TYPE_SECTIONS[0][3])
    capability = models.TextField(blank=True, help_text=TYPE_SECTIONS[1][3])
    interoperability = models.TextField(blank=True, help_text=TYPE_SECTIONS[2][3])
    access = models.TextField(blank=True, help_text=TYPE_SECTIONS[3][3])
    administration = models.TextField(
        "administrative friction",
        blank=True,
        help_text="Clearance, passport, customs and funding problems, with times.",
    )
    costs = models.TextField(blank=True, help_text="What the event cost, where known, and what drove it.")
    score = models.PositiveSmallIntegerField(default=0, editable=False, help_text="Critical-content score, 0–100.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disseminated_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["due", "event__code"]
        indexes = [
            # The list's order, read from the index and sorted only among reports due the same day: sorted whole,
            # the first page of 400,000 reports took 170 ms on PostgreSQL.
            models.Index(fields=["due"], name="report_due_order"),
            # The reports with their author past due are few: found by status first. By due date alone, SQLite,
            # which keeps no statistics of values, walked all 400,000 reports due so far.
            models.Index(fields=["status", "due"], name="report_status_due"),
            # Reviewers' queue, longest waiting first: 40,000 submitted reports were sorted for its first page.
            models.Index(fields=["status", "submitted_at", "id"], name="report_review_queue"),
        ]
        permissions = [("review_report", "Can return or approve an after-action report")]

    def __str__(self) -> str:
        return f"AAR {self.event.code}"

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            _started([self.event_id])

    @property
    def scope(self) -> Scope:
        return self.event.scope

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


class ObjectiveReview(models.Model):
    """The AAR questions for one claimed objective: what was planned, what happened, why they differ — and the
    data-collection task the claim set (report on its indicator)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reviews")
    claim = models.ForeignKey(ContributionClaim, on_delete=models.CASCADE, related_name="reviews")
    planned = models.TextField(blank=True, help_text="What was supposed to happen for this objective.")
    happened = models.TextField(blank=True, help_text="What actually happened.")
    why = models.TextField(blank=True, help_text="Why the two differ, or why it went as planned.")
    indicator_evidence = models.TextField(
        blank=True, help_text="What was observed or measured on the claim's indicator (the data-collection task)."
    )

    class Meta:
        ordering = ["claim__role", "claim__objective__code"]
        constraints = [models.UniqueConstraint(fields=["report", "claim"], name="one_review_per_claim")]

    def __str__(self) -> str:
        return f"{self.report} · {self.claim.objective.code}"

    @property
    def addressed(self) -> bool:
        return all(text.strip() for text in (self.planned, self.happened, self.why))


class Observation(Record):
    """One observation–discussion–recommendation item, tagged so that it can be found, compared and routed."""

    class Finding(models.TextChoices):
        SUSTAIN = "SUSTAIN", "Sustain"
        IMPROVE = "IMPROVE", "Improve"

    class Criticality(models.TextChoices):
        ROUTINE = "ROUTINE", "Routine"
        SIGNIFICANT = "SIGNIFICANT", "Significant"
        CRITICAL = "CRITICAL", "Critical"

    class Channel(models.TextChoices):
        """The established process a critical item is carried by (AAR-4), beyond the AAR itself."""

        NONE = "NONE", "The AAR only"
        LESSON = "LESSON", "Lessons-learned program"
        TIME_SENSITIVE = "TIME_SENSITIVE", "Time-sensitive issue (operational reporting)"
        PARTNER_CAPABILITY = "PARTNER_CAPABILITY", "Partner-capability observation"
        ACCESS_BLOCKER = "ACCESS_BLOCKER", "Access blocker"
        PARTNER_REQUEST = "PARTNER_REQUEST", "Partner request needing a decision"
        SYSTEM_OF_RECORD = "SYSTEM_OF_RECORD", "System-of-record update"

    class Stage(models.TextChoices):
        OBSERVED = "OBSERVED", "Observation"
        VALIDATED = "VALIDATED", "Validated issue"
        LESSON = "LESSON", "Lesson with corrective action"
        RESOLVED = "RESOLVED", "Resolved"
        VERIFIED = "VERIFIED", "Verified"
        DISMISSED = "DISMISSED", "Not validated"

    # The lessons lifecycle (anchors.md §3.1): the stages each stage may move to.
    STAGES: dict[str, tuple[str, ...]] = {
        Stage.OBSERVED: (Stage.VALIDATED, Stage.DISMISSED),
        Stage.VALIDATED: (Stage.LESSON, Stage.DISMISSED),
        Stage.LESSON: (Stage.RESOLVED,),
        Stage.RESOLVED: (Stage.VERIFIED, Stage.LESSON),
        Stage.VERIFIED: (),
        Stage.DISMISSED: (Stage.VALIDATED,),
    }
    # Lessons worth passing on to the next unit.
    CARRIED = (Stage.VALIDATED, Stage.LESSON, Stage.RESOLVED, Stage.VERIFIED)

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="observations")
    title = models.CharField(max_length=200)
    finding = models.CharField(max_length=8, choices=Finding.choices, default=Finding.IMPROVE)
    observation = models.TextField(help_text="What happened, as a fact.")
    discussion = models.TextField(blank=True, help_text="Context, causes and evidence.")
    recommendation = models.TextField(blank=True, help_text="What should be done, and by whom.")
    claim = models.ForeignKey(
        ContributionClaim,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
        help_text="The claimed objective this observation is about.",
    )
    objective_type = models.CharField(max_length=3, choices=ObjectiveType.choices, blank=True)
    indicator = models.CharField(max_length=300, blank=True)
    partner_unit = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="observations"
    )
    dotmlpfp = models.CharField("DOTMLPF-P", max_length=12, choices=Dotmlpfp.choices, blank=True)
    criticality = models.CharField(max_length=11, choices=Criticality.choices, default=Criticality.ROUTINE)
    channel = models.CharField(max_length=18, choices=Channel.choices, default=Channel.NONE)
    # Root-cause work, as structured data (anchors.md §3.5):
    #   {"five_whys": ["why 1", …], "root_cause": "…",
    #    "assumptions": [{"assumption": "…", "held": true|false, "evidence": "…"}]}
    analysis = models.JSONField(default=dict, blank=True)
    stage = models.CharField(max_length=9, choices=Stage.choices, default=Stage.OBSERVED, db_index=True)
    corrective_action = models.TextField(blank=True)
    action_owner = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action_due = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True, help_text="What was done about it.")
    verification = models.TextField(blank=True, help_text="The evidence that behavior changed.")

    class Meta:
        ordering = ["report", "id"]
        permissions = [("manage_lesson", "Can move an observation through the lessons lifecycle")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope(self) -> Scope:
        return self.report.scope

    @property
    def has_cause(self) -> bool:
        return bool(self.discussion.strip() or self.analysis.get("root_cause", "").strip())


class Action(models.Model):
    """A follow-up action the AAR commits someone to."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.text


class Comment(models.Model):
    """What a reviewer said when returning (or approving) the report; the author reads it next to the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Report.Status.choices, help_text="The status it led to.")
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.report}"


class ChannelItem(Record):
    """A critical observation carried on its channel, tracked until someone closes it (AAR-4)."""

    observation = models.OneToOneField(Observation, on_delete=models.CASCADE, related_name="channel_item")
    channel = models.CharField(max_length=18, choices=Observation.Channel.choices)
    due = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure = models.TextField(blank=True, help_text="How it was dealt with.")

    class Meta:
        ordering = [models.F("closed_at").asc(nulls_first=True), "due", "id"]  # open items first on both databases
        indexes = [
            # The open items in the order they are dealt with: a few thousand among 200,000 at enterprise size,
            # which the home page listed and counted by reading every item (55 ms on SQLite).
            models.Index(fields=["due", "id"], condition=models.Q(closed_at__isnull=True), name="channel_open_queue"),
        ]
        permissions = [("close_channelitem", "Can close an item routed to a channel")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.observation.title}"

    @property
    def scope(self) -> Scope:
        return self.observation.report.scope
