"""Reading indicators: the data-collection tasks an event carries, how well units answer them, lists with filters,
what waits for someone (open tasks, values to approve, draft assessments), and the warning for a value that looks
wrong.

A collection task is not stored: it is the pair (indicator, event) wherever an event carries a MOP or claims the
objective an indicator measures, so a changed claim changes the tasks at once. It is answered by a submitted or
approved measurement recorded for that event.
"""

import statistics
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from goldthread.core.catalogues import Level
from goldthread.core.models import User
from goldthread.events.models import ContributionClaim, Event
from goldthread.events.selectors import among
from goldthread.measures.models import Assessment, Indicator, Measurement
from goldthread.strategy.models import Objective, ObjectiveLink, Organization

ANSWERING = (Measurement.Status.SUBMITTED, Measurement.Status.APPROVED)
DONE = (Event.Status.COMPLETED, Event.Status.CLOSED)


def indicators(
    *, kind: str = "", country: str = "", objective: str = "", status: str = "", query: str = ""
) -> QuerySet[Indicator]:
    found = Indicator.objects.select_related("objective", "event", "responsible")
    if kind:
        found = found.filter(kind=kind)
    if country:
        found = found.filter(Q(objective__country__iso3=country) | Q(event__countries__iso3=country)).distinct()
    if objective:
        found = found.filter(objective__code=objective)
    if status:
        found = found.filter(status=status)
    if query:
        found = found.filter(Q(code__icontains=query) | Q(statement__icontains=query))
    return found


def task_indicators(event: Event) -> QuerySet[Indicator]:
    """The active indicators an event collects: MOPs bound to it, and whatever measures an objective it claims —
    or the outcome an event objective it claims serves (an exercise claims its own training objective, and the
    country objective above it is what its observations feed)."""
    # The objectives as key lists from the event's own claims, not joins from each indicator's objective to all its
    # claims: a national goal has hundreds of thousands, and an OR across such joins leaves the database no index.
    claimed = ContributionClaim.objects.filter(event=event).values("objective_id")
    outcomes = ObjectiveLink.objects.filter(child__level=Level.EVENT, child__claims__event=event).values("parent_id")
    return Indicator.objects.filter(
        Q(event=event) | Q(objective_id__in=claimed) | Q(objective_id__in=outcomes), status=Indicator.Status.ACTIVE
    ).select_related("objective", "responsible")


def collectors(indicator: Indicator) -> QuerySet[Event]:
    """The events that collect an indicator: `task_indicators` seen from the indicator's side."""
    if indicator.event_id:
        return Event.objects.filter(pk=indicator.event_id)
    return (
        Event.objects.filter(
            Q(claims__objective_id=indicator.objective_id)
            | Q(claims__objective__parent_links__parent_id=indicator.objective_id, claims__objective__level=Level.EVENT)
        )
        .distinct()
        .order_by("-start_date", "code")
    )


def is_task(indicator: Indicator, event: Event) -> bool:
    if indicator.event_id:
        return indicator.event_id == event.pk
    return collectors(indicator).filter(pk=event.pk).exists()


@dataclass
class Task:
    indicator: Indicator
    event: Event
    answers: list[Measurement] = field(default_factory=list)

    @property
    def due(self) -> date:
        return self.event.end_date + timedelta(days=settings.AAR_DUE_DAYS)

    @property
    def answered(self) -> bool:
        return any(m.status in ANSWERING for m in self.answers)

    @property
    def what(self) -> str:
        method = f" How: {self.indicator.method}" if self.indicator.method else ""
        breakdown = (
            f" Broken down by {', '.join(self.indicator.disaggregations)}." if self.indicator.disaggregations else ""
        )
        return f"{self.indicator.statement} ({self.indicator.unit}).{method}{breakdown}"


def tasks(event: Event) -> list[Task]:
    found = {i.pk: Task(i, event) for i in task_indicators(event)}
    for m in Measurement.objects.filter(event=event, indicator_id__in=found).order_by("date", "id"):
        found[m.indicator_id].answers.append(m)
    return list(found.values())


def _routes(events: QuerySet[Event]) -> list[tuple[str, QuerySet[Indicator]]]:
    """The active indicators `events` collect, one query per way an event comes to collect one — bound to it, on an
    objective it claims, on an outcome above an event objective it claims — each with the path to its event."""
    active = Indicator.objects.filter(status=Indicator.Status.ACTIVE)
    above = "objective__child_links__child"
    return [
        ("event", active.filter(event__in=events)),
        ("objective__claims__event", active.filter(objective__claims__event__in=events)),
        (
            f"{above}__claims__event",
            active.filter(**{f"{above}__level": Level.EVENT, f"{above}__claims__event__in": events}),
        ),
    ]


def open_tasks(events: QuerySet[Event]) -> list[Task]:
    """The collection tasks of `events` that no submitted or approved value answers yet, soonest due first. A
    fixed number of queries whatever the number of events and tasks: one per way an event comes to collect an
    indicator (as in `task_tally`), one for the answers, one each for the indicators and the events."""
    pairs = {pair for path, route in _routes(events) for pair in route.values_list("pk", path).order_by().distinct()}
    answered = set(
        Measurement.objects.filter(event__in=events, status__in=ANSWERING)
        .values_list("indicator", "event")
        .order_by()
        .distinct()
    )
    pairs -= answered
    if not pairs:
        return []
    found = Indicator.objects.select_related("objective", "responsible").in_bulk({i for i, _ in pairs})
    held = Event.objects.select_related("executing_unit").in_bulk({e for _, e in pairs})
    tasks = [Task(found[i], held[e]) for i, e in pairs]
    return sorted(tasks, key=lambda t: (t.due, t.event.code, t.indicator.code))


def waiting_for_approval(countries: Collection[int] | None) -> QuerySet[Measurement]:
    """Submitted values for an approver: those about any of `countries` (ids) — through the indicator's objective
    or event, or the event the value was collected at — or every one with `countries` None. Oldest first."""
    found = Measurement.objects.filter(status=Measurement.Status.SUBMITTED)
    if countries is not None:
        held_in = Event.countries.through.objects.filter(country_id__in=countries)
        found = found.filter(
            Q(indicator__objective__country_id__in=countries)
            | Exists(held_in.filter(event_id=OuterRef("indicator__event_id")))
            | Exists(held_in.filter(event_id=OuterRef("event_id")))
        )
    return found.select_related("indicator", "event", "recorded_by").order_by("date", "id")


def draft_assessments(user: User) -> QuerySet[Assessment]:
    """The assessments `user` started and has not submitted."""
    return (
        Assessment.objects.filter(assessor=user, status=Assessment.Status.DRAFT)
        .select_related("objective")
        .order_by("created", "id")
    )


def record_uids(events: QuerySet[Event], objectives: QuerySet[Objective]) -> list[QuerySet]:
    """The uids of the indicators bound to `events` or measuring `objectives`, their values and the assessments of
    `objectives`, to be narrowed to a few uids: what the audit trail names when they change."""

    def measured(path: str) -> Exists:  # asked record by record, as `events.among` explains
        return Exists(objectives.filter(pk=OuterRef(path)))

    indicators = Indicator.objects.filter(among(events) | measured("objective"))
    return [
        indicators.values("uid"),
        Measurement.objects.filter(among(events) | Exists(indicators.filter(pk=OuterRef("indicator")))).values("uid"),
        Assessment.objects.filter(measured("objective")).values("uid"),
    ]


@dataclass
class Compliance:
    unit: Organization
    due: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.due if self.due else None


def task_tally(*, on: date, events: QuerySet[Event] | None = None) -> dict[tuple[int, int], tuple[int, int]]:
    """(executing unit id, fiscal year) → (collection tasks due by `on`, answered): a task is due once its event is
    done and its AAR due date has passed. One query: the tasks of each way an event comes to collect an indicator,
    each checked for an answer in the index of values by event and indicator, joined by UNION (a task reached by two
    ways is one task) and counted in the database; `events` narrows the events looked at."""
    due_events = (events if events is not None else Event.objects.all()).filter(
        status__in=DONE, end_date__lte=on - timedelta(days=settings.AAR_DUE_DAYS), executing_unit__isnull=False
    )

    def answered(path: str) -> Exists:
        values = Measurement.objects.filter(event=OuterRef(path), indicator=OuterRef("pk"), status__in=ANSWERING)
        return Exists(values)

    first, *others = (
        route.values_list(f"{path}__executing_unit", f"{path}__fiscal_year", "pk", path, answered(path)).order_by()
        for path, route in _routes(due_events)
    )
    # Counted in SQL: a country's tasks are tens of thousands of rows, which cost more to fetch than to count.
    tasks, params = first.union(*others).query.sql_with_params()
    counted = f"""
        WITH tasks (unit, year, indicator, event, answered) AS ({tasks})
        SELECT unit, year, COUNT(*), SUM(CASE WHEN answered THEN 1 ELSE 0 END) FROM tasks GROUP BY unit, year
    """  # noqa: S608 - the ORM's own SQL, its values passed as parameters
    with connection.cursor() as cursor:
        cursor.execute(counted, params)
        return {(unit, year): (due, done) for unit, year, due, done in cursor.fetchall()}


def compliance(*, on: date | None = None) -> list[Compliance]:
    """Per executing unit: collection tasks due by `on` and how many were answered."""
    due: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    for (unit, _), (n, done) in task_tally(on=on or date.today()).items():
        due[unit] += n
        answered[unit] += done
    units = Organization.objects.in_bulk(set(due))
    return sorted(
        (Compliance(units[pk], n, answered[pk]) for pk, n in due.items()),
        key=lambda c: (c.rate if c.rate is not None else 1, c.unit.short_name),
    )


class Outliers:
    """A value far outside what was approved before (beyond three interquartile ranges) is probably a slip of unit
    or decimal point; it is recorded all the same, with this said to whoever enters and approves it. The approved
    values are read once, so a page or an import warns about any number of values with one query."""

    def __init__(self, indicator: Indicator):
        self.indicator = indicator
        recent = list(
            indicator.measurements.filter(status=Measurement.Status.APPROVED).values_list("value", flat=True)[:200]
        )
        self.quartiles = statistics.quantiles(recent, n=4) if len(recent) >= 8 else None

    def warning(self, value: float) -> str:
        if self.quartiles is None:
            return ""
        q1, _, q3 = self.quartiles
        spread = max(q3 - q1, abs(q3) * 0.05, 1e-9)
        if q1 - 3 * spread <= value <= q3 + 3 * spread:
            return ""
        return (
            f"{value:g} is far outside the values approved so far (mostly {q1:g}–{q3:g} {self.indicator.unit}): "
            "check the unit and the decimal point."
        )


def warning(indicator: Indicator, value: float) -> str:
    return Outliers(indicator).warning(value)


def awaiting_approval(indicator: Indicator) -> QuerySet[Measurement]:
    return indicator.measurements.filter(status=Measurement.Status.SUBMITTED).select_related("event", "recorded_by")


def history(objective: Objective) -> QuerySet[Assessment]:
    """An objective's assessments, oldest period first: its trend."""
    return (
        objective.assessments.select_related("assessor")
        .prefetch_related("evidence__indicator", "evidence__observation")
        .order_by("period", "id")
    )
