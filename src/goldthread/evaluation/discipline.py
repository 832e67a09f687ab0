"""Data discipline per organization: is the record kept consistently and on time (FY2018 NDAA §1272)?

Five measures per executing unit and fiscal year, each a count of what was due and of what was done:

- events entered on time: entered at least EVENT_ENTRY_DAYS before they start;
- conference records approved: key planning conferences (IPC, MPC, FPC) held, whose record has an approved version;
- AARs on time: final AARs due, submitted by their due date;
- collection tasks answered: indicator values the event was to collect, submitted or approved;
- AAR content: the average critical-content score of the AARs submitted (0–100).

The discipline score is the average of the measures the unit had something due in, each as a percentage (the
content score counts as it is). A unit with nothing due has no score rather than a perfect one.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Avg, Count, F, Func, IntegerField, Q, QuerySet

from goldthread.aars.models import Report
from goldthread.core.lookups import Unindexed
from goldthread.core.threads import concurrently
from goldthread.evaluation.cache import per_state
from goldthread.evaluation.findings import NOT_ENDED
from goldthread.events.models import Event
from goldthread.measures import selectors as measures
from goldthread.planning.models import Conference
from goldthread.strategy.models import Organization

MEASURES = [
    ("entry", "Events entered on time"),
    ("conferences", "Conference records approved"),
    ("aars", "AARs on time"),
    ("tasks", "Collection tasks answered"),
]


@dataclass
class Tally:
    due: int = 0
    done: int = 0

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.due + other.due, self.done + other.done)


@dataclass
class Line:
    """One unit's discipline over the fiscal years looked at."""

    unit: Organization
    tallies: dict[str, Tally] = field(default_factory=lambda: {key: Tally() for key, _ in MEASURES})
    content_total: float = 0.0  # the sum of AAR scores, so lines over several years add up exactly
    content_reports: int = 0
    by_year: dict[int, float | None] = field(default_factory=dict)  # the score per fiscal year: the trend

    @property
    def content(self) -> float | None:
        return self.content_total / self.content_reports if self.content_reports else None

    @property
    def score(self) -> float | None:
        return _score(self.tallies, self.content)


def _score(tallies: dict[str, Tally], content: float | None) -> float | None:
    parts = [100 * t.rate for t in tallies.values() if t.rate is not None]
    if content is not None:
        parts.append(content)
    return sum(parts) / len(parts) if parts else None


Key = tuple[int, int]  # (executing unit id, fiscal year)
Content = tuple[float, int]  # (sum of the AARs' scores, AARs)


class LeadDays(Func):
    """Days from the day an event was entered to the day it starts, in each database's own date arithmetic: Django's
    generic date expressions call back into Python for every row on SQLite, a hundred times slower over all events."""

    output_field = IntegerField()

    def __init__(self):
        super().__init__(F("start_date"), F("created"))

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(date(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s AS date))", arg_joiner=" - CAST(", **extra)


# The unit to group by, as an expression: grouped by the bare column, SQLite walks that column's index over every
# event to spare itself a sort, ten times slower than reading one year's events.
UNIT = Unindexed("executing_unit")


def _per_event(events: QuerySet[Event], on: date) -> tuple[dict[Key, Tally], dict[Key, Tally], dict[Key, Content]]:
    """Events entered on time, AARs on time and the AARs' content: each event and its AAR read once for all three
    (three queries took PostgreSQL three passes over the events)."""
    cutoff = on - timedelta(days=settings.AAR_DUE_DAYS)
    due = ~Q(status__in=NOT_ENDED) & (Q(aar__isnull=True, end_date__lt=cutoff) | Q(aar__due__lt=on))
    submitted = Q(aar__status__in=Report.IN)
    on_time = submitted & Q(aar__submitted_at__date__lte=F("aar__due"))
    rows = (
        events.annotate(lead=LeadDays())
        .values_list(UNIT, "fiscal_year")
        .annotate(
            entered=Count("pk"),
            entered_ahead=Count("pk", filter=Q(lead__gte=settings.EVENT_ENTRY_DAYS)),
            due=Count("pk", filter=due),
            due_on_time=Count("pk", filter=due & on_time),
            reports=Count("aar", filter=submitted),
            scored=Avg("aar__score", filter=submitted),
        )
        .order_by()
    )
    entry, aars, content = {}, {}, {}
    for unit, year, entered, ahead, due_n, on_time_n, reports, scored in rows:
        entry[unit, year] = Tally(entered, ahead)
        aars[unit, year] = Tally(due_n, on_time_n)
        if reports:
            content[unit, year] = (scored * reports, reports)
    return entry, aars, content


def _conferences(events: QuerySet[Event], on: date) -> dict[Key, Tally]:
    # A conference is counted once over all its versions: approved if any version was.
    held = Conference.objects.filter(event__in=events, kind__in=Conference.KEY_KINDS, ends__lt=on)
    rows = (
        held.values_list(Unindexed("event__executing_unit"), "event__fiscal_year")
        .annotate(
            n=Count("lineage", distinct=True),
            ok=Count("lineage", distinct=True, filter=~Q(status=Conference.Status.DRAFT)),
        )
        .order_by()
    )
    return {(unit, year): Tally(n, ok) for unit, year, n, ok in rows}


@per_state
def lines(
    *, on: date, fiscal_years: list[int] | None = None, units: set[int] | None = None, country: int | None = None
) -> list[Line]:
    """Discipline per executing unit over `fiscal_years` (all when None), worst first; `units` (ids) narrows it to
    some units, `country` (an id) to the events held in one country."""

    def events() -> QuerySet[Event]:
        # Made afresh for each part: the parts run on threads of their own, and a query is not theirs to share.
        found = Event.objects.exclude(status=Event.Status.CANCELLED).filter(executing_unit__isnull=False)
        if country is not None:
            found = found.filter(countries=country)
        if fiscal_years:
            found = found.filter(fiscal_year__in=fiscal_years)
        if units is not None:
            found = found.filter(executing_unit_id__in=units)
        return found

    # Three queries over the same events, read side by side (core/threads.py), the longest first.
    tasks, (entry, aars, content), conferences = concurrently(
        lambda: {key: Tally(*pair) for key, pair in measures.task_tally(on=on, events=events()).items()},
        lambda: _per_event(events(), on),
        lambda: _conferences(events(), on),
    )
    found: dict[str, dict[Key, Tally]] = {"entry": entry, "conferences": conferences, "aars": aars, "tasks": tasks}

    keys = set(content).union(*found.values())
    per_key = {key: {measure: found[measure].get(key, Tally()) for measure in found} for key in keys}

    organizations = Organization.objects.in_bulk({unit for unit, _ in per_key})
    result: dict[int, Line] = {}
    for (unit, year), tallies in sorted(per_key.items()):
        line = result.setdefault(unit, Line(organizations[unit]))
        for measure, tally in tallies.items():
            line.tallies[measure] = line.tallies[measure] + tally
        total, reports = content.get((unit, year), (0.0, 0))
        line.content_total += total
        line.content_reports += reports
        line.by_year[year] = _score(tallies, total / reports if reports else None)
    return sorted(result.values(), key=lambda line: (line.score is None, line.score or 0, line.unit.short_name))
