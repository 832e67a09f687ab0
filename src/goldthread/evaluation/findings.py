"""Coverage findings: where the thread from objective to event and back is broken, each pointing at the record to fix.

Every kind of finding is one condition on one kind of record (events, objectives or indicators) within the filters,
so the same definition gives the count, a page of findings and the breakdown by country, organization or fiscal
year — all in SQL, every kind about one kind of record counted in the same pass, whatever the number of events. A
finding disappears as soon as its record is fixed: nothing is stored.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet

from goldthread.aars.models import Report
from goldthread.core.catalogues import Level
from goldthread.core.paths import record_path
from goldthread.core.threads import concurrently
from goldthread.evaluation.cache import per_state
from goldthread.events.models import ContributionClaim, Event
from goldthread.events.models import fiscal_year as fiscal_year_of
from goldthread.measures import periods
from goldthread.measures.models import Assessment, Indicator, Measurement
from goldthread.strategy import selectors as strategy_selectors
from goldthread.strategy.models import Country, Objective, Organization

# Events that have not ended, by status. Conditions are written as "not one of these" (and live events as "not
# cancelled") on purpose: a status index would fetch nearly every event one by one, a plain scan reads them in order.
NOT_ENDED = [
    Event.Status.PROPOSED,
    Event.Status.APPROVED,
    Event.Status.PLANNING,
    Event.Status.READY,
    Event.Status.CANCELLED,
]
# Objectives the assessor rates: everything above the single event.
ASSESSED_LEVELS = [Level.NATIONAL, Level.THEATER, Level.IMO, Level.COUNTRY]


@dataclass(frozen=True)
class Filters:
    """Which part of the portfolio to look at; every field narrows it, none set means all of it."""

    today: date
    country: Country | None = None
    objective: Objective | None = None  # this objective and those below it
    organization: Organization | None = None  # this organization and the units below it
    fiscal_year: int | None = None
    # Filled in from `objective` and `organization` once, so no kind walks the graph again.
    objective_ids: frozenset[int] = field(default=frozenset())
    unit_ids: frozenset[int] = field(default=frozenset())

    @classmethod
    def of(cls, today: date, **given) -> "Filters":
        objective, organization = given.get("objective"), given.get("organization")
        return cls(
            today=today,
            objective_ids=frozenset({objective.pk} | strategy_selectors.descendant_ids(objective.pk))
            if objective
            else frozenset(),
            unit_ids=frozenset(organization.subtree_ids()) if organization else frozenset(),
            **given,
        )

    @classmethod
    def parse(
        cls, today: date, *, country: str = "", objective: str = "", organization: str = "", fiscal_year: int | None
    ) -> "Filters":
        """From what a user typed: a country code, an objective code or uid, an organization's short name; an
        unknown one is an input error on its field."""
        given: dict = {"fiscal_year": fiscal_year or None}
        if country:
            given["country"] = strategy_selectors.resolve_countries([country], "country")[0]
        if objective:
            given["objective"] = strategy_selectors.resolve_objective(objective)
        if organization:
            given["organization"] = strategy_selectors.resolve_organizations([organization], "organization")[0]
        return cls.of(today, **given)

    def __repr__(self) -> str:
        # What a kept result is filed under (evaluation/cache.py): the filters by primary key, nothing derived.
        picked = [self.country, self.objective, self.organization]
        return f"Filters({self.today}, {[x.pk if x else None for x in picked]}, {self.fiscal_year})"

    # Read once per set of filters: counting the findings and listing them both ask.
    @cached_property
    def served(self) -> frozenset[int]:
        if not (self.country or self.unit_ids or self.objective_ids):
            return served(self.fiscal_year)
        # Only the objectives in scope and those below them can serve one in scope: the claims on a country's few
        # thousand read instead of those on the theater's fifty thousand.
        in_scope = set(objectives_in(self).values_list("pk", flat=True))
        return served(self.fiscal_year, among=in_scope | strategy_selectors.descendant_ids(*in_scope))

    @cached_property
    def measured(self) -> frozenset[int]:
        return measured()

    @property
    def as_of(self) -> date:
        """The day the findings describe: today, or the last day of a past fiscal year."""
        if self.fiscal_year and self.fiscal_year < fiscal_year_of(self.today):
            return date(self.fiscal_year, 9, 30)
        return self.today


def events_in(f: Filters) -> QuerySet[Event]:
    """The live events the filters take in; what every evaluation of events starts from."""
    found = Event.objects.exclude(status=Event.Status.CANCELLED)
    if f.fiscal_year:
        found = found.filter(fiscal_year=f.fiscal_year)
    if f.country:
        found = found.filter(countries=f.country)
    if f.unit_ids:
        found = found.filter(Q(executing_unit_id__in=f.unit_ids) | Q(owner_id__in=f.unit_ids))
    if f.objective_ids:
        found = found.filter(
            Exists(ContributionClaim.objects.filter(event=OuterRef("pk"), objective__id__among=f.objective_ids))
        )
    return found


@per_state
def claim_tally(f: Filters) -> list[tuple[int | None, str | None, str, int]]:
    """(objective id, objective type, event type, live events) for every claim of the events in scope, and (None,
    None, event type, events) for the events that claim nothing. One pass over the events, which the thread
    picture, the report's choice of objectives and a country's mix of objective types all read: each asking its own
    took PostgreSQL as long again. An event claims an objective at most once, so counting rows counts events."""
    rows = events_in(f).values_list("claims__objective", "claims__objective_type", "event_type")
    return list(rows.annotate(n=Count("pk")).order_by())


def objectives_in(f: Filters) -> QuerySet[Objective]:
    found = Objective.objects.filter(status=Objective.Status.ACTIVE)
    if f.country:
        found = found.filter(country=f.country)
    if f.unit_ids:
        found = found.filter(owner_id__in=f.unit_ids)
    if f.objective_ids:
        found = found.filter(pk__among=f.objective_ids)
    return found


def indicators_in(f: Filters) -> QuerySet[Indicator]:
    found = Indicator.objects.filter(status=Indicator.Status.ACTIVE)
    if f.country:
        found = found.filter(Q(objective__country=f.country) | Q(event__countries=f.country))
    if f.unit_ids:
        found = found.filter(responsible_id__in=f.unit_ids)
    if f.objective_ids:
        found = found.filter(
            Q(objective__id__among=f.objective_ids)
            | Exists(ContributionClaim.objects.filter(event=OuterRef("event"), objective__id__among=f.objective_ids))
        )
    return found


# --- The kinds of finding: each a condition on the records above ------------------------------------------------


def orphan(f: Filters) -> Q:
    # An orphan serves no objective, so a filter by objective leaves none: say so where the filter is offered.
    return ~Exists(ContributionClaim.objects.filter(event=OuterRef("pk")))


def served(fiscal_year: int | None, among: Collection[int] | None = None) -> frozenset[int]:
    """The objectives a live event serves directly or from below (in `fiscal_year`, when given), of those claimed
    `among` (ids) when given. The claims are read in their index by objective, each event checked against the few
    cancelled ones (or the one year's live ones) gathered once: joined to its event claim by claim, or probed
    objective by objective, PostgreSQL took up to four times as long."""
    if fiscal_year:
        claims = ContributionClaim.objects.filter(
            event__in=Event.objects.filter(fiscal_year=fiscal_year).exclude(status=Event.Status.CANCELLED)
        )
    else:
        claims = ContributionClaim.objects.exclude(event__in=Event.objects.filter(status=Event.Status.CANCELLED))
    if among is not None:
        claims = claims.filter(objective__id__among=among)
    claimed = set(claims.order_by().values_list("objective_id", flat=True).distinct())
    return frozenset(claimed | strategy_selectors.ancestor_ids(*claimed))


def measured() -> frozenset[int]:
    """The objectives with an active indicator of their own or on an objective below them."""
    own = set(
        Indicator.objects.filter(status=Indicator.Status.ACTIVE, objective__isnull=False)
        .values_list("objective_id", flat=True)
        .distinct()
    )
    return frozenset(own | strategy_selectors.ancestor_ids(*own))


def without_events(f: Filters) -> Q:
    return ~Q(pk__among=f.served)


def without_indicators(f: Filters) -> Q:
    return ~Q(pk__among=f.measured)


def stale_window(f: Filters, frequency: str) -> date:
    """The first day of the periods an indicator must have approved data in: the last STALE_PERIODS complete ones."""
    year = fiscal_year_of(f.as_of)
    if frequency == Indicator.Frequency.YEARLY:
        return periods.bounds(f"FY{year - settings.STALE_PERIODS}")[0]
    start = periods.bounds(periods.quarter_of(f.as_of))[0]
    for _ in range(settings.STALE_PERIODS):
        start = periods.bounds(periods.quarter_of(start - timedelta(days=1)))[0]
    return start


def stale(f: Filters) -> Q:
    def fresh(frequency_is: Q, since: date) -> Q:
        # The quarters as well as the days: the values are indexed by indicator, status and quarter, so the
        # database seeks to the window instead of reading every approved value of the indicator.
        approved = Measurement.objects.filter(
            indicator=OuterRef("pk"),
            status=Measurement.Status.APPROVED,
            period__gte=periods.quarter_of(since),
            period__lte=periods.quarter_of(f.as_of),
            date__gte=since,
            date__lte=f.as_of,
        )
        return frequency_is & Exists(approved)

    yearly = Q(frequency=Indicator.Frequency.YEARLY)
    return ~(
        fresh(yearly, stale_window(f, Indicator.Frequency.YEARLY))
        | fresh(~yearly, stale_window(f, Indicator.Frequency.QUARTERLY))
    )


def missing_aar(f: Filters) -> Q:
    """Ended, the AAR past due, and nobody has started it."""
    cutoff = f.as_of - timedelta(days=settings.AAR_DUE_DAYS)
    return Q(aar_started=False) & ~Q(status__in=NOT_ENDED) & Q(end_date__lt=cutoff)


def late_aar(f: Filters) -> Q:
    """Started, past due, and still with its author. Few reports are, so they are found first, then their events:
    asked in one query, PostgreSQL walks the events in list order checking each against them."""
    late = Report.objects.filter(due__lt=f.as_of, status__in=Report.EDITABLE).order_by().values_list("event", flat=True)
    return Q(pk__among=set(late))


def never_assessed(f: Filters) -> Q:
    submitted = Assessment.objects.filter(objective=OuterRef("pk"), status=Assessment.Status.SUBMITTED)
    return Q(level__in=ASSESSED_LEVELS) & ~Exists(submitted)


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    why: str  # why it matters, for the reader of the dashboard
    fix: str  # what makes it go away
    subject: type[Model]
    where: Callable[[Filters], Q]
    order: tuple[str, ...]

    def rows(self, f: Filters) -> QuerySet:
        return IN_SCOPE[self.subject](f).filter(self.where(f))


KINDS = [
    Kind(
        "orphan-event",
        "Orphan events",
        "An event that claims no objective cannot be said to contribute to anything (EVAL-1).",
        "Add a contribution claim to the event, or cancel it.",
        Event,
        orphan,
        ("-start_date", "code"),
    ),
    Kind(
        "no-events",
        "Objectives no event serves",
        "An active objective without events, directly or from below, is not being worked on.",
        "Plan an event that claims it or an objective below it, or retire the objective.",
        Objective,
        without_events,
        ("level", "code"),
    ),
    Kind(
        "no-indicators",
        "Objectives nothing measures",
        "Without an indicator on it or below it, nobody will know whether the objective moved (EVAL-2).",
        "Define an indicator on the objective, or on an objective below it.",
        Objective,
        without_indicators,
        ("level", "code"),
    ),
    Kind(
        "stale-indicator",
        "Stale indicators",
        "An indicator without approved data for its last periods says nothing about now.",
        "Record and approve a value for a recent period, or retire the indicator.",
        Indicator,
        stale,
        ("code",),
    ),
    Kind(
        "missing-aar",
        "Missing AARs",
        "The event ended, its final AAR is past due, and nobody has started it: what happened is being lost.",
        "Start the AAR, write it and submit it.",
        Event,
        missing_aar,
        ("-end_date", "code"),
    ),
    Kind(
        "late-aar",
        "Late AARs",
        "The AAR was started but is past due and not submitted; its lessons are not reaching the next planners.",
        "Finish the AAR and submit it.",
        Event,
        late_aar,
        ("-aar__due", "code"),
    ),
    Kind(
        "never-assessed",
        "Objectives never assessed",
        "Nobody has rated progress on the objective, so the thread has no answer at its top (EVAL-3).",
        "Submit an assessment of the objective.",
        Objective,
        never_assessed,
        ("level", "code"),
    ),
]
BY_KEY = {kind.key: kind for kind in KINDS}
IN_SCOPE: dict[type[Model], Callable[[Filters], QuerySet]] = {
    Event: events_in,
    Objective: objectives_in,
    Indicator: indicators_in,
}


@dataclass
class Finding:
    kind: Kind
    record: Model
    code: str
    title: str
    detail: str
    url: str


def _detail(kind: Kind, record: Model, f: Filters) -> str:
    if kind.key == "orphan-event":
        return f"{record.get_status_display()}, starts {record.start_date:%d %b %Y}"
    if kind.key == "missing-aar":
        due = record.end_date + timedelta(days=settings.AAR_DUE_DAYS)
        return f"Ended {record.end_date:%d %b %Y}; AAR due {due:%d %b %Y}"
    if kind.key == "late-aar":
        return f"AAR due {record.aar.due:%d %b %Y}; {record.aar.get_status_display().lower()}"
    if kind.key == "stale-indicator":
        since = periods.quarter_of(stale_window(f, record.frequency))
        return f"{record.get_frequency_display()}; no approved value since {since} began"
    return record.get_level_display() + (f", {record.country.name}" if record.country_id else "")


def describe(kind: Kind, record: Model, f: Filters) -> Finding:
    title = record.name if isinstance(record, Event) else record.statement
    url = record_path(kind.subject._meta.model_name, record.uid)
    return Finding(kind, record, record.code, title, _detail(kind, record, f), url)


def ordered(kind: Kind, f: Filters) -> QuerySet:
    """The records of a kind of finding, in the order they are listed, with what describing them reads."""
    rows = kind.rows(f).order_by(*kind.order)
    # Only what describing reads: a workbook lists tens of thousands, and a whole event is some thirty columns.
    if kind.subject is Event:
        fields = ("uid", "code", "name", "status", "start_date", "end_date", "aar__due", "aar__status")
        return rows.select_related("aar").only(*fields)
    if kind.subject is Objective:
        return rows.select_related("country").only("uid", "code", "statement", "level", "country__name")
    return rows


def page(kind: Kind, f: Filters, *, offset: int = 0, limit: int = 50) -> list[Finding]:
    return [describe(kind, record, f) for record in ordered(kind, f)[offset : offset + limit]]


@per_state
def counts(f: Filters) -> dict[str, int]:
    """How many findings of each kind, each kind counted alone: its condition is then the query's own, which the
    database answers from an index where it can (missing AARs, stale indicators) and PostgreSQL turns a `NOT
    EXISTS` into one anti-join; inside a count's filter both check it row by row (the events' kinds on PostgreSQL:
    1.4 s in one pass, 0.4 s alone). The kinds are counted side by side (core/threads.py)."""
    counted = concurrently(*[lambda k=k: k.rows(f).count() for k in KINDS])
    return {k.key: n for k, n in zip(KINDS, counted, strict=True)}


@per_state
def totals(fiscal_year: int) -> dict[str, int]:
    """The theater at a glance: its objectives and countries, a fiscal year's events and the claims they make."""
    return {
        "objectives": Objective.objects.count(),
        "events": Event.objects.filter(fiscal_year=fiscal_year).count(),
        "claims": ContributionClaim.objects.filter(event__fiscal_year=fiscal_year).count(),
        "countries": Country.objects.filter(in_aor=True).count(),
    }


# Where each kind of record meets a country: an indicator through the objective it measures or the event it is bound
# to (never both), so its two passes add up to what filtering by the country alone counts.
IN_COUNTRY: list[tuple[type[Model], str]] = [
    (Event, "countries"),
    (Objective, "country"),
    (Indicator, "objective__country"),
    (Indicator, "event__countries"),
]


@per_state
def per_country(f: Filters, countries: tuple[int, ...]) -> dict[int, dict[str, int]]:
    """For each of `countries` (ids), what `counts` says with that country chosen: one grouped pass per way a kind
    of record meets a country, however many countries there are."""
    found = {pk: dict.fromkeys(BY_KEY, 0) for pk in countries}
    for subject, column in IN_COUNTRY:
        kinds = [k for k in KINDS if k.subject is subject]
        rows = (
            IN_SCOPE[subject](f)
            .filter(**{f"{column}__in": countries})
            .order_by()
            .values(column)
            .annotate(**{k.key: Count("pk", filter=k.where(f)) for k in kinds})
        )
        for row in rows:
            country = row.pop(column)
            for key, n in row.items():
                found[country][key] += n
    return found


@per_state
def first(f: Filters, limit: int) -> dict[str, list[Finding]]:
    """The first `limit` findings of each kind there are any of: what the dashboard lists."""
    found = counts(f)
    listed = [kind for kind in KINDS if found[kind.key]]
    pages = dict(zip(listed, concurrently(*[lambda k=k: page(k, f, limit=limit) for k in listed]), strict=True))
    return {kind.key: pages.get(kind, []) for kind in KINDS}


# The column a finding's record is grouped by, per kind of record.
GROUPINGS: dict[str, dict[type[Model], str]] = {
    "country": {Event: "countries__name", Objective: "country__name", Indicator: "objective__country__name"},
    "organization": {
        Event: "executing_unit__short_name",
        Objective: "owner__short_name",
        Indicator: "responsible__short_name",
    },
    "fiscal-year": {Event: "fiscal_year"},
}


@per_state
def breakdown(f: Filters, by: str) -> list[tuple[str, dict[str, int]]]:
    """Counts per kind for each country, organization or fiscal year, one grouped pass per kind of record; an event
    in two countries counts in both. Kinds about objectives and indicators have no fiscal year and are left out of
    that breakdown."""
    table: dict[str, dict[str, int]] = {}
    for subject, column in GROUPINGS[by].items():
        kinds = [k for k in KINDS if k.subject is subject]
        rows = (
            IN_SCOPE[subject](f)
            .order_by()
            .values(column)
            .annotate(**{k.key: Count("pk", filter=k.where(f)) for k in kinds})
        )
        for row in rows:
            label = row.pop(column)
            counted = {key: n for key, n in row.items() if n}
            if counted:
                table.setdefault("—" if label is None else str(label), {}).update(counted)
    return sorted(table.items(), key=lambda item: (item[0] == "—", item[0]))
