"""The roll-up engine: an indicator's value per period, from its approved measurements and those of every
indicator that rolls up to it, by the indicator's accumulation and aggregation. Pages, API, exports and evaluation
all read values here, so they cannot disagree.

Correct by construction: the database reduces each (indicator, fiscal quarter) to a `Tally` — how many values,
their sum, the sums of numerators and denominators, and the latest value — and tallies merge exactly: sums add, the
later value wins. A year is the merge of its quarters, a cumulative period the merge of everything up to it, and an
indicator with parts the merge of its own tallies and theirs; only then does `Tally.value` apply the aggregation.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from goldthread.measures import periods
from goldthread.measures.models import Indicator, Measurement, Target
from goldthread.strategy.selectors import descendant_ids

Aggregation = Indicator.Aggregation


@dataclass(frozen=True)
class Tally:
    count: int = 0
    total: float = 0.0
    numerator: float = 0.0
    denominator: float = 0.0
    latest: tuple[date, int, float] | None = None  # (date, id, value): the later date wins, then the later row

    def __add__(self, other: "Tally") -> "Tally":
        latest = max((t for t in (self.latest, other.latest) if t is not None), default=None)
        return Tally(
            self.count + other.count,
            self.total + other.total,
            self.numerator + other.numerator,
            self.denominator + other.denominator,
            latest,
        )

    def value(self, aggregation: str) -> float | None:
        if not self.count:
            return None
        if aggregation == Aggregation.SUM:
            return self.total
        if aggregation == Aggregation.AVERAGE:
            return self.total / self.count
        if aggregation == Aggregation.LATEST:
            return self.latest[2] if self.latest else None
        return self.numerator / self.denominator if self.denominator else None


@dataclass(slots=True)
class Point:
    period: str
    value: float | None
    count: int  # approved values behind it
    target: float | None = None


@dataclass(slots=True)
class Series:
    indicator: Indicator
    grain: str
    points: list[Point] = field(default_factory=list)

    @property
    def last(self) -> Point | None:
        return next((p for p in reversed(self.points) if p.value is not None), None)

    def progress(self, point: Point) -> float | None:
        """How far from baseline to target the point has come (1.0 = target met), or None without both."""
        baseline = self.indicator.baseline_value
        if point.value is None or point.target is None or baseline is None or point.target == baseline:
            return None
        return (point.value - baseline) / (point.target - baseline)


def parts(indicator_ids: set[int]) -> dict[int, set[int]]:
    """For each indicator: itself and every indicator rolling up to it, at any depth (one query per level)."""
    below: dict[int, set[int]] = defaultdict(set)  # direct parts
    frontier = set(indicator_ids)
    seen = set(indicator_ids)
    while frontier:
        # Unordered: in the indicators' default order SQLite reads them all by code instead of by what rolls up.
        parts_of = Indicator.objects.filter(rolls_up_to__id__among=frontier).order_by()
        rows = list(parts_of.values_list("pk", "rolls_up_to_id"))
        for pk, parent in rows:
            below[parent].add(pk)
        frontier = {pk for pk, _ in rows} - seen
        seen |= frontier

    def closure(pk: int, path: frozenset[int] = frozenset()) -> set[int]:
        found = {pk}
        for part in below[pk] - path:  # the path guard keeps a (refused, but stored) cycle from recursing forever
            found |= closure(part, path | {pk})
        return found

    return {pk: closure(pk) for pk in indicator_ids}


# The latest value of each (indicator, quarter): the rows on the group's newest day, found through the covering
# index by a join on the grouped newest dates. A window function over every row does the same ten times slower.
LATEST = """
    SELECT m.indicator_id, m.period, m.date, m.id, m.value
    FROM {table} m JOIN (
        SELECT indicator_id, period, MAX(date) AS newest FROM {table}
        WHERE status = %s AND indicator_id IN ({ids}) GROUP BY indicator_id, period
    ) g ON m.indicator_id = g.indicator_id AND m.status = %s AND m.period = g.period AND m.date = g.newest
"""


# PostgreSQL misjudges how few groups that join finds (a fiftieth) and scans every value to hash them; there each
# group's newest row is kept by DISTINCT ON over the indicators' values, four times faster.
LATEST_POSTGRESQL = """
    SELECT DISTINCT ON (indicator_id, period) indicator_id, period, date, id, value FROM {table}
    WHERE status = %s AND indicator_id IN ({ids}) ORDER BY indicator_id, period, date DESC, id DESC
"""


def tallies(indicator_ids: set[int], *, latest_ids: set[int]) -> dict[int, dict[str, Tally]]:
    """Approved measurements reduced per indicator and quarter: one grouped query, and one more for the latest
    values of `latest_ids` (only indicators read by their latest value need it)."""
    approved = Measurement.Status.APPROVED
    rows = (
        Measurement.objects.filter(status=approved, indicator__id__among=indicator_ids)
        .values("indicator_id", "period")
        .annotate(n=Count("id"), total=Sum("value"), num=Sum("numerator"), den=Sum("denominator"))
        .order_by()
    )
    found: dict[int, dict[str, Tally]] = defaultdict(dict)
    for r in rows:
        found[r["indicator_id"]][r["period"]] = Tally(r["n"], r["total"] or 0.0, r["num"] or 0.0, r["den"] or 0.0)
    if latest_ids:
        postgres = connection.vendor == "postgresql"
        sql = (LATEST_POSTGRESQL if postgres else LATEST).format(
            table=connection.ops.quote_name(Measurement._meta.db_table), ids=", ".join(["%s"] * len(latest_ids))
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [approved, *latest_ids] + ([] if postgres else [approved]))
            for pk, period, day, row, value in cursor.fetchall():
                day = date.fromisoformat(day) if isinstance(day, str) else day  # SQLite's raw rows carry text
                t = found[pk][period]
                newest = max(t.latest, (day, row, value)) if t.latest else (day, row, value)
                found[pk][period] = Tally(t.count, t.total, t.numerator, t.denominator, newest)
    return found


def series(
    indicators: list[Indicator], *, grain: str = "quarter", first: str | None = None, last: str | None = None
) -> dict[int, Series]:
    """Each indicator's series at `grain` ("quarter" or "year"), from its first data or target to its last,
    or over `first`–`last` when given (a cumulative value still counts everything before `first`)."""
    wanted = parts({i.pk for i in indicators})
    involved = set().union(*wanted.values()) if wanted else set()
    by_latest = {pk for i in indicators if i.aggregation == Aggregation.LATEST for pk in wanted[i.pk]}
    by_quarter = tallies(involved, latest_ids=by_latest)
    targets: dict[int, dict[str, float]] = defaultdict(dict)
    for pk, period, value in Target.objects.filter(indicator__id__among={i.pk for i in indicators}).values_list(
        "indicator", "period", "value"
    ):
        if periods.is_year(period) == (grain == "year"):
            targets[pk][period] = value

    result = {}
    for indicator in indicators:
        own: dict[str, Tally] = defaultdict(Tally)
        for part in wanted[indicator.pk]:
            for quarter, tally in by_quarter.get(part, {}).items():
                key = periods.at_grain(quarter, grain)
                own[key] = own[key] + tally
        result[indicator.pk] = Series(
            indicator, grain, _points(indicator, own, targets[indicator.pk], grain, first, last)
        )
    return result


def _points(
    indicator: Indicator,
    own: dict[str, Tally],
    targets: dict[str, float],
    grain: str,
    first: str | None,
    last: str | None,
) -> list[Point]:
    known = sorted(set(own) | set(targets))
    start, end = first or (known[0] if known else None), last or (known[-1] if known else None)
    if not (start and end):
        return []
    running = Tally()
    for key in sorted(k for k in own if k < start):
        running = running + own[key]
    points, today = [], timezone.localdate()
    for key in periods.span(start, end, grain):
        running = running + own.get(key, Tally())
        tally = running if indicator.accumulation == Indicator.Accumulation.CUMULATIVE else own.get(key, Tally())
        if periods.bounds(key)[0] > today:
            tally = Tally()  # a period still to come has a target, not a value: a running total stops today
        points.append(Point(key, tally.value(indicator.aggregation), tally.count, targets.get(key)))
    return points


def bound_below(objective_id: int, below: set[int] | None = None) -> QuerySet[Indicator]:
    """The active indicators bound to an objective or to any objective below it in the graph (`below`, when the
    caller has walked it already), the objective's own first: no objective below it has a higher level. One table
    read by the index on objective, whatever the number of rows: the ids are not planned (core/lookups.py)."""
    below = descendant_ids(objective_id) if below is None else below
    return Indicator.objects.filter(
        objective__id__among_unplanned={objective_id} | below, status=Indicator.Status.ACTIVE
    ).order_by("objective__level", "objective__code", "code")


def for_objective(
    objective_id: int,
    *,
    grain: str = "year",
    limit: int | None = None,
    below: set[int] | None = None,
    kind: str | None = None,
) -> list[Series]:
    """The series of the indicators `bound_below` an objective, of one `kind` when given; the first `limit` of
    them when given."""
    found = bound_below(objective_id, below).select_related("objective")
    if kind:
        found = found.filter(kind=kind)
    found = list(found[:limit] if limit else found)
    computed = series(found, grain=grain)
    return [computed[i.pk] for i in found]
