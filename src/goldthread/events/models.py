"""SC events, their series and lifecycle, and the contribution claims that tie them to objectives (ORD-1, EVAL-1)."""

from datetime import date

from django.db import models

from goldthread.core.catalogues import EventType, ObjectiveType
from goldthread.core.models import Record
from goldthread.core.permissions import Scope
from goldthread.strategy.models import Country, Objective, Organization


def fiscal_year(day: date) -> int:
    """U.S. federal fiscal year: FY2025 runs from 1 October 2024 to 30 September 2025."""
    return day.year + 1 if day.month >= 10 else day.year


class EventSeries(Record):
    """A recurring exercise or engagement (e.g. Hanuman Guardian); its events are the yearly iterations."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "event series"

    def __str__(self) -> str:
        return self.name


class Event(Record):
    class Status(models.TextChoices):
        PROPOSED = "PROPOSED", "Proposed"
        APPROVED = "APPROVED", "Approved"
        PLANNING = "PLANNING", "Planning"
        READY = "READY", "Ready"
        EXECUTING = "EXECUTING", "Executing"
        COMPLETED = "COMPLETED", "Completed"
        CLOSED = "CLOSED", "Closed"
        CANCELLED = "CANCELLED", "Cancelled"

    # The lifecycle: the statuses each status may move to. The single source of allowed transitions.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PROPOSED: (Status.APPROVED, Status.CANCELLED),
        Status.APPROVED: (Status.PLANNING, Status.PROPOSED, Status.CANCELLED),
        Status.PLANNING: (Status.READY, Status.CANCELLED),
        Status.READY: (Status.EXECUTING, Status.PLANNING, Status.CANCELLED),
        Status.EXECUTING: (Status.COMPLETED,),
        Status.COMPLETED: (Status.CLOSED,),
        Status.CLOSED: (),
        Status.CANCELLED: (Status.PROPOSED,),
    }
    # Past "approved" an event must say which objective it serves (ORD-1, EVAL-1).
    NEEDS_CLAIM = (Status.PLANNING, Status.READY, Status.EXECUTING, Status.COMPLETED, Status.CLOSED)

    code = models.CharField(max_length=40, unique=True, help_text="Short stable reference, e.g. EVT-2017-HG.")
    record_id = models.CharField(
        "system-of-record ID",
        max_length=40,
        blank=True,
        db_index=True,
        help_text="The event's ID in G-TSCMIS or Socium.",
    )
    name = models.CharField(max_length=200)
    event_type = models.CharField(max_length=20, choices=EventType.choices)
    description = models.TextField(blank=True)
    series = models.ForeignKey(EventSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legs",
        help_text="A package this event is part of, e.g. one Pacific Pathways rotation.",
    )
    countries = models.ManyToManyField(Country, related_name="events")
    partner_units = models.ManyToManyField(Organization, blank=True, related_name="partnered_events")
    executing_unit = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="executed_events"
    )
    owner = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_events",
        help_text="The organization that proposed the event and answers for its record.",
    )
    supporting_units = models.ManyToManyField(Organization, blank=True, related_name="supported_events")
    start_date = models.DateField()
    end_date = models.DateField()
    fiscal_year = models.PositiveSmallIntegerField(editable=False, db_index=True)
    authority = models.CharField(max_length=120, blank=True, help_text="Authority or program, e.g. Title 10 §321.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    # Written by the Report model when the event's AAR is started, never by a form: the events still owing one are
    # then found through an index, not by checking every ended event for a report.
    aar_started = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-start_date", "code"]
        indexes = [
            models.Index(fields=["-start_date", "code"], name="event_list_order"),
            # The list of one fiscal year in the same order, without walking the years after it first.
            models.Index(fields=["fiscal_year", "-start_date", "code"], name="event_year_order"),
            # Ended events newest first: how missing AARs are listed, found without reading the events to come.
            models.Index(fields=["-end_date", "code"], name="event_end_order"),
            # The events under way on a day, found from the index alone: those started before it, ending on or after
            # it. Led by the end date instead, SQLite took it for every "ended by" and read the events one by one.
            models.Index(fields=["start_date", "end_date", "id"], name="event_span"),
            # Missing AARs newest first, however few of the ended events they are.
            models.Index(fields=["-end_date", "code"], condition=models.Q(aar_started=False), name="event_aar_owed"),
            # With the key last, a year's events are counted (the list's pager) without reading them.
            models.Index(fields=["fiscal_year", "status", "id"], name="event_year_status"),
            models.Index(fields=["series", "start_date"]),
            # On PostgreSQL also `live_event` (migration 0008): the live events' facts the evaluation counts.
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="event_dates_ordered"
            ),
            # Two events may both lack the system of record's ID, but never share one.
            models.UniqueConstraint(
                fields=["record_id"],
                condition=~models.Q(record_id=""),
                name="one_event_per_record_id",
                violation_error_code="unique",  # reported on the field, not the whole record
                violation_error_message="Another event already has this system-of-record ID.",
            ),
        ]
        permissions = [("approve_event", "Can approve an event")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.fiscal_year = fiscal_year(self.start_date)
        super().save(*args, **kwargs)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    @property
    def scope(self) -> Scope:
        # `.all()`, not `values_list`: a list of events that prefetched these judges each without a query.
        units = {self.owner_id, self.executing_unit_id, *(unit.pk for unit in self.supporting_units.all())}
        return Scope(countries=frozenset(c.pk for c in self.countries.all()), organizations=frozenset(units - {None}))


class ContributionClaim(Record):
    """The planner's claim that an event moves an objective, and how (framework §2.3)."""

    class Role(models.TextChoices):
        PRIMARY = "PRIMARY", "Primary"
        SECONDARY = "SECONDARY", "Secondary"

    class Direction(models.TextChoices):
        INCREASE = "INCREASE", "Increase"
        DECREASE = "DECREASE", "Decrease"
        MAINTAIN = "MAINTAIN", "Maintain"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="claims")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="claims", db_index=False)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PRIMARY)
    objective_type = models.CharField(
        max_length=3,
        choices=ObjectiveType.choices,
        help_text="Which of the objective's types this event serves; checked against country constraints.",
    )
    expected_change = models.TextField(help_text="What should be different after the event, in words.")
    indicator = models.CharField(max_length=300, blank=True, help_text="The indicator it should move.")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    time_lag_months = models.PositiveSmallIntegerField(default=0, help_text="When the change should show.")
    assumptions = models.TextField(blank=True)

    class Meta:
        ordering = ["role", "objective__code"]
        indexes = [
            # An objective's claims with their events, read from the index alone: whether a live event serves each
            # of fifty thousand objectives is one probe each.
            models.Index(fields=["objective", "event"], name="claim_objective_event"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "objective"], name="one_claim_per_objective"),
            models.UniqueConstraint(
                fields=["event"], condition=models.Q(role="PRIMARY"), name="one_primary_claim_per_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.code} → {self.objective.code}"

    @property
    def scope(self) -> Scope:
        return self.event.scope
