"""Contribution analysis (EVAL-1): what the events serving an objective said they would change, against what its
measures of effectiveness actually did, with the evidence beside each claim.

A claim is compared with an MOE over the claim's own window: the indicator's value in the last quarter before the
event started, against its value in the quarter the change should show (the event's end plus the claim's lag). Values
are read through the roll-up, so a cumulative or ratio indicator compares what it means. When the claim's indicator
text names an MOE by its code, the claim is compared with that MOE alone; otherwise with every MOE on its line of the
graph: those of the objective it claims, of the objectives between that one and the analysed objective, and of the
objectives below the one it claims — not with the MOEs of other branches, which it says nothing about. The verdict
says what the numbers did, not that the event caused it: several events and the world move an indicator.

A claim high in the graph is on the line of hundreds of MOEs. Its comparisons are kept nearest first (its own
objective's MOEs, then those one step away, and so on), and a page or document shows the first COMPARED_SHOWN of
them with the verdicts of the rest counted.
"""

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from goldthread.aars.models import ObjectiveReview, Observation
from goldthread.evaluation import findings
from goldthread.evaluation.cache import per_state
from goldthread.evaluation.findings import Filters
from goldthread.events.models import ContributionClaim, Event
from goldthread.measures import periods, rollup
from goldthread.measures.models import Assessment, Indicator
from goldthread.readiness.dates import add_months
from goldthread.strategy import selectors as strategy_selectors
from goldthread.strategy.models import Objective

Direction = ContributionClaim.Direction

# A change smaller than this share of the value before is "no change" (a maintain claim holds within it).
STEADY = 0.05
# The newest claims shown for one objective; the counts cover all of them.
SHOWN = 100
# The comparisons a page or document lists per claim, nearest first; the rest are counted by verdict.
COMPARED_SHOWN = 5

VERDICTS = {
    "as-claimed": "Moved as claimed",
    "against": "Moved against the claim",
    "no-change": "Did not move",
    "too-early": "Too early to tell",
    "no-data": "No data for the window",
    "untestable": "Never testable: nothing measures the objective",
}


@dataclass(slots=True)
class Comparison:
    indicator: Indicator
    before: rollup.Point | None
    after: rollup.Point | None
    shows_in: str  # the quarter the change should show in
    verdict: str

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after.value - self.before.value


@dataclass(slots=True)
class ClaimLine:
    claim: ContributionClaim
    comparisons: list[Comparison]
    review: ObjectiveReview | None
    observations: list[Observation]

    @property
    def testable(self) -> bool:
        return bool(self.comparisons)

    @property
    def nearest(self) -> list[Comparison]:
        return self.comparisons[:COMPARED_SHOWN]

    @property
    def rest(self) -> str:
        """The comparisons not in `nearest`, counted by verdict in words; empty when there are none."""
        counted: dict[str, int] = {}
        for c in self.comparisons[COMPARED_SHOWN:]:
            counted[c.verdict] = counted.get(c.verdict, 0) + 1
        if not counted:
            return ""
        verdicts = ", ".join(f"{VERDICTS[key].lower()}: {n}" for key, n in counted.items())
        return f"{sum(counted.values())} more MOEs further along the graph ({verdicts})"


@dataclass(slots=True)
class MOE:
    """An MOE as a result keeps it: the comparisons hold the points they read, the rest of its series is let go."""

    indicator: Indicator
    last: rollup.Point | None  # its latest value


@dataclass
class Contribution:
    objective: Objective
    moes: list[MOE]
    lines: list[ClaimLine]
    claims: int  # all the claims on the objective and those below it, of which `lines` shows the newest
    assessments: list[Assessment]
    # Per verdict, over the comparisons of the claims shown; a claim nothing measures counts once, as untestable.
    verdicts: dict[str, int] = field(default_factory=dict)


def verdict(direction: str, before: float, after: float) -> str:
    change = after - before
    steady = abs(change) <= STEADY * abs(before) if before else change == 0
    if direction == Direction.MAINTAIN:
        return "as-claimed" if steady else "against"
    if steady:
        return "no-change"
    return "as-claimed" if (change > 0) == (direction == Direction.INCREASE) else "against"


@dataclass(frozen=True, slots=True)
class _Measured:
    """An MOE's points that hold a value, with their periods in order: what every claim's window is looked up in."""

    series: rollup.Series
    points: list[rollup.Point]
    periods: list[str]

    @classmethod
    def of(cls, series: rollup.Series) -> "_Measured":
        points = [p for p in series.points if p.value is not None]
        return cls(series, points, [p.period for p in points])


def window(claim: ContributionClaim) -> tuple[str, str]:
    """The last quarter before the event started, and the quarter its change should show in."""
    return (
        periods.quarter_of(add_months(claim.event.start_date, -3)),
        periods.quarter_of(add_months(claim.event.end_date, claim.time_lag_months)),
    )


def compared(claim: ContributionClaim, moes: list[_Measured], today: date) -> list[Comparison]:
    """The claim against each of `moes` over its own window, in their order."""
    before_quarter, shows_in = window(claim)
    too_early = shows_in > periods.quarter_of(today)
    found = []
    for moe in moes:
        earlier = bisect_right(moe.periods, before_quarter)
        later = bisect_left(moe.periods, shows_in)
        before = moe.points[earlier - 1] if earlier else None
        after = moe.points[later] if later < len(moe.points) else None
        if too_early:
            found.append(Comparison(moe.series.indicator, before, None, shows_in, "too-early"))
        elif before is None or after is None:
            found.append(Comparison(moe.series.indicator, before, after, shows_in, "no-data"))
        else:
            moved = verdict(claim.direction, before.value, after.value)
            found.append(Comparison(moe.series.indicator, before, after, shows_in, moved))
    return found


class _Lines:
    """Which MOEs a claim is compared with, nearest first: the analysed objective's graph, read once for all its
    claims, and each objective's line worked out once, as a hundred claims fall on a handful of objectives."""

    def __init__(self, edges: set[tuple[int, int]], moes: list[_Measured]):
        self.moes = moes
        self.parents: dict[int, list[int]] = {}
        self.children: dict[int, list[int]] = {}
        for parent, child in edges:
            self.parents.setdefault(child, []).append(parent)
            self.children.setdefault(parent, []).append(child)
        self.on_line: dict[int, list[_Measured]] = {}

    def line(self, objective_id: int) -> dict[int, int]:
        """The objective, those above it and those below it, each with its distance in steps from the objective."""
        return reach(objective_id, self.children) | reach(objective_id, self.parents)

    def of(self, claim: ContributionClaim) -> list[_Measured]:
        text = claim.indicator.upper()
        named = [m for m in self.moes if m.series.indicator.code.upper() in text]
        if named:
            return named
        if claim.objective_id not in self.on_line:
            line = self.line(claim.objective_id)
            on_line = [m for m in self.moes if m.series.indicator.objective_id in line]
            on_line.sort(key=lambda m: (line[m.series.indicator.objective_id], m.series.indicator.code))
            self.on_line[claim.objective_id] = on_line
        return self.on_line[claim.objective_id]


def reach(start: int, step: dict[int, list[int]]) -> dict[int, int]:
    """`start` and every id reached from it by `step`, each with its distance in steps."""
    found, frontier, distance = {start: 0}, [start], 0
    while frontier:
        distance += 1
        frontier = [n for o in frontier for n in step.get(o, ()) if n not in found]
        found.update(dict.fromkeys(frontier, distance))
    return found


def most_claimed(f: Filters, limit: int, among: Collection[int] | None = None) -> list[Objective]:
    """The objectives the live events in scope claim most, most first, of those `among` (ids) when given: those a
    contribution analysis says most about."""
    claimed: Counter[int] = Counter()
    for objective_id, _, _, n in findings.claim_tally(f):
        if objective_id is not None and (among is None or objective_id in among):
            claimed[objective_id] += n
    ids = [pk for pk, _ in sorted(claimed.items(), key=lambda item: (-item[1], item[0]))[:limit]]
    by_id = Objective.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids]


@per_state
def analyse(objective: Objective, *, today: date) -> Contribution:
    below, edges = strategy_selectors.descendant_edges(objective.pk)
    below.add(objective.pk)
    moes = rollup.for_objective(objective.pk, grain="quarter", below=below, kind=Indicator.Kind.MOE)
    claims = ContributionClaim.objects.filter(objective__id__among=below).exclude(event__status=Event.Status.CANCELLED)
    shown = list(
        claims.select_related("event", "objective")
        .prefetch_related(  # into plain lists: a prefetched queryset keeps its query, a kept result for hours
            Prefetch("reviews", queryset=ObjectiveReview.objects.all(), to_attr="listed_reviews"),
            Prefetch("observations", queryset=Observation.objects.order_by("title"), to_attr="listed_observations"),
        )
        .order_by("-event__start_date", "event__code", "objective__code")[:SHOWN]
    )
    compared_with = _Lines(edges, [_Measured.of(s) for s in moes])
    lines = []
    for claim in shown:
        comparisons = compared(claim, compared_with.of(claim), today)
        reviews = claim.listed_reviews
        lines.append(ClaimLine(claim, comparisons, reviews[0] if reviews else None, claim.listed_observations))
    assessments = list(
        Assessment.objects.filter(objective__id__among=below, status=Assessment.Status.SUBMITTED)
        .select_related("objective", "assessor")
        .order_by("-period", "objective__code")
    )
    result = Contribution(objective, [MOE(s.indicator, s.last) for s in moes], lines, claims.count(), assessments)
    for line in lines:
        for key in [c.verdict for c in line.comparisons] or ["untestable"]:
            result.verdicts[key] = result.verdicts.get(key, 0) + 1
    return result
