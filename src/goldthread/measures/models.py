"""Indicators, their measured values, and the assessments that cite them (EVAL-2, EVAL-3, EXEC-1; framework §2.6).

A MOP asks "did we do it as planned?" and is bound to an event or to an event objective (level 4). A MOE asks "did
the partner's state or behaviour change?" and is bound to an outcome objective (levels 0–3). Values are
`Measurement`s dated into U.S. fiscal quarters; only approved ones count, and `rollup.py` combines them the way the
indicator's `accumulation` and `aggregation` say.
"""

from django.conf import settings
from django.db import models

from goldthread.aars.models import Observation
from goldthread.core.catalogues import Level
from goldthread.core.models import Record
from goldthread.core.permissions import Scope
from goldthread.events.models import Event
from goldthread.measures import periods
from goldthread.strategy.models import Objective, Organization

# The quality prompts an indicator's author confirms one by one (framework §2.6).
CRITERIA = {
    "relevant": "Relevant: it would move if the objective it serves moved.",
    "observable": "Observable: someone can see or count it, at the event or afterwards.",
    "responsive": "Responsive: it changes within the periods it is reported for.",
    "resourced": "Resourced: a named organization collects it, and can afford to.",
}


class Indicator(Record):
    class Kind(models.TextChoices):
        MOP = "MOP", "Measure of performance"
        MOE = "MOE", "Measure of effectiveness"

    class Good(models.TextChoices):
        HIGHER = "HIGHER", "Higher is better"
        LOWER = "LOWER", "Lower is better"

    class Frequency(models.TextChoices):
        PER_EVENT = "PER_EVENT", "At every event"
        QUARTERLY = "QUARTERLY", "Quarterly"
        YEARLY = "YEARLY", "Yearly"

    class Accumulation(models.TextChoices):
        PERIODIC = "PERIODIC", "Periodic: each period on its own"
        CUMULATIVE = "CUMULATIVE", "Cumulative: everything up to the end of the period"

    class Aggregation(models.TextChoices):
        SUM = "SUM", "Sum of the values"
        AVERAGE = "AVERAGE", "Average of the values"
        LATEST = "LATEST", "Latest value"
        RATIO = "RATIO", "Ratio: sum of numerators over sum of denominators"

    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", "Active"
        RETIRED = "RETIRED", "Retired"

    # Where each kind may be bound (the rule is enforced in services.check_binding).
    MOP_LEVELS = (Level.EVENT,)
    MOE_LEVELS = (Level.NATIONAL, Level.THEATER, Level.IMO, Level.COUNTRY)
    # A rating is an ordinal on a scale: adding ratings up means nothing.
    RATING_AGGREGATIONS = (Aggregation.AVERAGE, Aggregation.LATEST)

    code = models.CharField(max_length=40, unique=True, help_text="Short stable reference, e.g. MOE-THA-CAP-1.")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    statement = models.TextField(help_text="What is measured, in one sentence.")
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators")
    rolls_up_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="A wider indicator whose values include this one's, e.g. a theater total of country counts.",
    )
    unit = models.CharField(max_length=60, help_text="What one value counts, e.g. officers, days, %, rating.")
    good = models.CharField("direction of good", max_length=6, choices=Good.choices, default=Good.HIGHER)
    data_source = models.CharField(max_length=300, help_text="Where the values come from.")
    method = models.TextField(blank=True, help_text="How a value is observed or computed.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.PER_EVENT)
    responsible = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text="The organization that collects it.",
    )
    disaggregations = models.JSONField(
        default=list, blank=True, help_text="Breakdowns a value may carry, e.g. sex, partner unit."
    )
    accumulation = models.CharField(max_length=10, choices=Accumulation.choices, default=Accumulation.PERIODIC)
    aggregation = models.CharField(max_length=8, choices=Aggregation.choices, default=Aggregation.SUM)
    scale = models.JSONField(
        default=list,
        blank=True,
        help_text='For ratings: the allowed values with their anchors, e.g. [{"value": 1, "label": "No plan"}].',
    )
    minimum = models.FloatField(null=True, blank=True, help_text="Values below are refused.")
    maximum = models.FloatField(null=True, blank=True, help_text="Values above are refused.")
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    baseline_source = models.CharField(max_length=300, blank=True)
    criteria = models.JSONField(default=list, blank=True, help_text="The quality prompts the author confirmed.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE, db_index=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(objective__isnull=True) | models.Q(event__isnull=True),
                name="indicator_bound_once",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def scope(self) -> Scope:
        if self.event_id:
            return self.event.scope
        return self.objective.scope if self.objective_id else Scope()

    @property
    def is_rating(self) -> bool:
        return bool(self.scale)

    @property
    def anchors(self) -> dict[float, str]:
        return {float(step["value"]): str(step["label"]) for step in self.scale}

    @property
    def unconfirmed(self) -> list[str]:
        return [text for key, text in CRITERIA.items() if key not in self.criteria]


class Target(models.Model):
    """The value an indicator should reach in a fiscal year (FY2027) or quarter (FY2027-Q2)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(max_length=10)
    value = models.FloatField()

    class Meta:
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="one_target_per_period")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value:g}"


class Measurement(Record):
    """One measured value of an indicator, for the fiscal quarter its `date` falls in."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        SUBMITTED = "SUBMITTED", "Submitted"
        RETURNED = "RETURNED", "Returned"
        APPROVED = "APPROVED", "Approved"

    class Source(models.TextChoices):
        FORM = "FORM", "Web form"
        API = "API", "API"
        AAR = "AAR", "After-action report"
        IMPORT = "IMPORT", "Bulk import"

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.DRAFT: (Status.SUBMITTED,),
        Status.SUBMITTED: (Status.APPROVED, Status.RETURNED),
        Status.RETURNED: (Status.SUBMITTED,),
        Status.APPROVED: (),
    }
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="measurements")
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measurements",
        help_text="The event it was collected at: answers that event's collection task.",
    )
    date = models.DateField(help_text="The day the value describes.")
    period = models.CharField(max_length=10, editable=False, help_text="Fiscal quarter of `date`, e.g. FY2027-Q1.")
    value = models.FloatField()
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    disaggregation = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.FORM)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # Covers the roll-up's grouped read, so it never touches the table: ten times faster at a million rows.
            models.Index(
                fields=["indicator", "status", "period", "date", "value", "numerator", "denominator"],
                name="measurement_rollup",
            ),
            # An event's task answered or not, read from the index alone: discipline tallies a country's 350,000.
            models.Index(fields=["event", "indicator", "status"], name="measurement_task"),
            # The values waiting for approval, oldest first, without sorting every one of them.
            models.Index(fields=["status", "date"], name="measurement_waiting"),
        ]
        permissions = [("approve_measurement", "Can approve or return a measured value")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.date}: {self.value:g}"

    def save(self, *args, **kwargs) -> None:
        self.period = periods.quarter_of(self.date)
        super().save(*args, **kwargs)

    @property
    def scope(self) -> Scope:
        own = self.indicator.scope
        if not self.event_id:
            return own
        event = self.event.scope
        return Scope(countries=own.countries | event.countries, organizations=own.organizations | event.organizations)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


class PeriodLock(models.Model):
    """An approved period closed to edits: a year's lock covers its quarters."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="locks")
    period = models.CharField(max_length=10)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField()

    class Meta:
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="one_lock_per_period")]
        permissions = [("lock_period", "Can lock a period of an indicator")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period} locked"


class Assessment(Record):
    """A judgement of how far an objective moved in a period, with the evidence it rests on (EVAL-3)."""

    class Confidence(models.TextChoices):
        LOW = "LOW", "Low"
        MEDIUM = "MEDIUM", "Medium"
        HIGH = "HIGH", "High"

    class Independence(models.TextChoices):
        SELF = "SELF", "Self-assessment"
        INDEPENDENT = "INDEPENDENT", "Independent"

    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        SUBMITTED = "SUBMITTED", "Submitted"

    # The documented scale (docs/user-guide/assessor.md prints it; a test compares them).
    SCALE = {
        1: "Regressing: the partner moved away from the objective.",
        2: "No progress: nothing observable changed.",
        3: "Some progress: first changes observed, not yet lasting.",
        4: "Substantial progress: lasting change on most indicators.",
        5: "Achieved: the objective's target is met.",
    }

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="assessments")
    period = models.CharField(max_length=10, help_text="Fiscal year or quarter assessed, e.g. FY2027.")
    rating = models.PositiveSmallIntegerField(choices=[(k, f"{k} — {v.split(':')[0]}") for k, v in SCALE.items()])
    rationale = models.TextField(help_text="Why this rating: what the evidence shows.")
    confidence = models.CharField(max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM)
    independence = models.CharField(max_length=11, choices=Independence.choices, editable=False)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["objective__code", "-period", "-id"]

    def __str__(self) -> str:
        return f"{self.objective.code} {self.period}: {self.rating}"

    @property
    def scope(self) -> Scope:
        return self.objective.scope


class Evidence(models.Model):
    """One thing an assessment cites: an indicator's values, an AAR observation, or a document."""

    class Kind(models.TextChoices):
        INDICATOR = "INDICATOR", "Indicator values"
        OBSERVATION = "OBSERVATION", "AAR observation"
        DOCUMENT = "DOCUMENT", "Document"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=11, choices=Kind.choices)
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    observation = models.ForeignKey(Observation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    document = models.CharField(max_length=300, blank=True, help_text="Title and place of the document cited.")
    note = models.CharField(max_length=500, blank=True, help_text="What it shows.")

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.cited}"

    @property
    def cited(self) -> str:
        if self.kind == self.Kind.INDICATOR and self.indicator_id:
            return str(self.indicator)
        if self.kind == self.Kind.OBSERVATION and self.observation_id:
            return self.observation.title
        return self.document
