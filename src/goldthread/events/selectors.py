"""Reads over events and claims: filtered lists, the thread of one event, what serves an objective, coverage, and
the events a user answers for (their countries' or their organization's)."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from goldthread.core.identifiers import is_uuid
from goldthread.core.lookups import Unindexed
from goldthread.core.threads import concurrently
from goldthread.evaluation.cache import per_exact_state, per_state
from goldthread.events.models import ContributionClaim, Event
from goldthread.strategy import selectors as strategy_selectors
from goldthread.strategy.models import Objective


def events(
    *,
    country: str | None = None,
    fiscal_year: int | None = None,
    event_type: str | None = None,
    status: str | None = None,
    executing_unit: str | None = None,
    objective: str | None = None,
    series: str | None = None,
    q: str | None = None,
    orphan: bool | None = None,
) -> QuerySet[Event]:
    """Events matching every filter given. `objective` (a uid or a code) matches events claiming it or anything
    below it."""
    query = Event.objects.select_related("executing_unit", "series").prefetch_related("countries")
    if country:
        query = query.filter(countries__iso3=country.upper())
    if fiscal_year:
        query = query.filter(fiscal_year=fiscal_year)
    if event_type:
        query = query.filter(event_type=event_type)
    if status:
        query = query.filter(status=status)
    if executing_unit:
        query = query.filter(executing_unit__short_name=executing_unit)
    if series:
        query = query.filter(series__name=series)
    if objective:
        by = Q(uid=objective) | Q(code=objective) if is_uuid(objective) else Q(code=objective)
        root = Objective.objects.filter(by).values_list("pk", flat=True).first()
        ids = {root, *strategy_selectors.descendant_ids(root)} if root else set()
        query = query.filter(Exists(ContributionClaim.objects.filter(event=OuterRef("pk"), objective__id__among=ids)))
    if q:
        query = query.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if orphan is not None:
        has_claim = Exists(ContributionClaim.objects.filter(event=OuterRef("pk")))
        query = query.filter(~has_claim if orphan else has_claim)
    return query  # an event is in a country once (its links are unique), so the country's join repeats none


def claim_counts() -> dict[int, int]:
    """How many events claim each objective directly, by objective id (one pass over the claims' index)."""
    return dict(ContributionClaim.objects.values_list("objective_id").annotate(n=Count("id")).order_by())


def event_detail(uid: str) -> Event:
    claims = ContributionClaim.objects.select_related("objective")
    return (
        Event.objects.select_related("executing_unit", "series", "parent")
        .prefetch_related("countries", "partner_units", "supporting_units", "legs", Prefetch("claims", claims))
        .get(uid=uid)
    )


def iterations(event: Event) -> tuple[Event | None, Event | None]:
    """The previous and next events of the same series, by start date."""
    if not event.series_id:
        return None, None
    same = Event.objects.filter(series_id=event.series_id).exclude(pk=event.pk)
    previous = same.filter(start_date__lte=event.start_date).order_by("-start_date").first()
    following = same.filter(start_date__gt=event.start_date).order_by("start_date").first()
    return previous, following


def event_thread(event: Event) -> strategy_selectors.Thread:
    """Everything the event's claimed objectives contribute to, up to national goals."""
    return strategy_selectors.thread({c.objective_id for c in event.claims.all()}, up=True)


@dataclass(frozen=True)
class ServedCounts:
    by_fiscal_year: list[tuple[int, int]]
    by_country: list[tuple[str, int]]  # (country name, events), most events first


@per_state
def served_counts(objective_id: int) -> ServedCounts:
    """The events serving the objective or one below it, counted by fiscal year and by country, the two side by side
    (core/threads.py). Below a national goal that is most events through most claims (a third of a second and more
    at 500,000 events, whatever the index), so the counts are kept per state of the data (evaluation/cache.py): read
    again before the next change, they cost nothing."""
    ids = {objective_id, *strategy_selectors.descendant_ids(objective_id)}
    # One pass over the claims' objective index is cheaper than probing every event.
    claimed = ContributionClaim.objects.filter(objective__id__among=ids).values("event_id")
    by_year = Event.objects.filter(pk__in=claimed).values_list("fiscal_year").annotate(n=Count("id"))
    by_country = (
        Event.countries.through.objects.filter(event_id__in=claimed)
        .values_list("country__name")
        .annotate(n=Count("event_id"))
        .order_by("-n", "country__name")
    )
    return ServedCounts(*concurrently(lambda: list(by_year.order_by("fiscal_year")), lambda: list(by_country)))


@dataclass
class ObjectiveService:
    """Which events serve an objective, directly or through objectives below it: the claims of the latest events,
    and counts read when first asked for (the API lists the claims alone)."""

    objective_id: int
    claims: list[ContributionClaim]

    @cached_property
    def counts(self) -> ServedCounts:
        return served_counts(self.objective_id)

    @property
    def by_fiscal_year(self) -> list[tuple[int, int]]:
        return self.counts.by_fiscal_year

    @property
    def by_country(self) -> list[tuple[str, int]]:
        return self.counts.by_country

    @property
    def event_count(self) -> int:
        return sum(n for _, n in self.by_fiscal_year)


# Below this many claims, the events serving an objective are found from its claims rather than by walking events.
FEW_CLAIMS = 20_000


def serving(objective: Objective, limit: int = 200, below: set[int] | None = None) -> ObjectiveService:
    """The claims of the latest `limit` events serving the objective or one below it, and event counts by fiscal
    year and country (`below`: the objectives below it, when the caller has walked them). Events are picked first,
    newest first along their index, so a national goal that every event serves costs no more than a country
    objective."""
    ids = {objective.pk, *(strategy_selectors.descendant_ids(objective.pk) if below is None else below)}
    # Each query here stops early or reads few rows: the ids are not planned (core/lookups.py).
    claimed = ContributionClaim.objects.filter(objective__id__among_unplanned=ids).order_by()
    if claimed[:FEW_CLAIMS].count() < FEW_CLAIMS:
        # Few claims: their events, sorted. Walking the events would pass most of them before finding these.
        latest = Event.objects.filter(pk__in=claimed.values("event_id"))
    else:
        # Many: walking the event index newest first and probing each event's claims stops after `limit` events.
        # The objective is compared as an expression so that the probe goes by event: through the index on
        # objective and event, SQLite would seek each of tens of thousands of objectives for every event.
        probe = ContributionClaim.objects.alias(objective_plus=Unindexed("objective_id")).filter(
            objective_plus__among_unplanned=ids
        )
        latest = Event.objects.filter(Exists(probe.filter(event=OuterRef("pk"))))
    latest = list(latest.order_by("-start_date", "code").values_list("pk", flat=True)[:limit])
    # The claims of those events, found by event and kept here when on one of `ids`: asked for both in one query,
    # SQLite may start from the objectives, of which there can be tens of thousands (2.5 s below a national goal).
    claims = (
        ContributionClaim.objects.filter(event__in=latest)
        .select_related("event", "objective")
        .order_by("-event__start_date", "event__code", "role")
    )
    return ObjectiveService(objective.pk, [c for c in claims if c.objective_id in ids])


# --- The events someone answers for -------------------------------------------------------------------------------


def of_countries(countries: Collection[int]) -> QuerySet[Event]:
    """Events held in any of `countries` (ids), each once."""
    held = Exists(Event.countries.through.objects.filter(event=OuterRef("pk"), country_id__in=countries))
    return Event.objects.filter(held)


def of_organizations(units: Collection[int]) -> QuerySet[Event]:
    """Events that any of `units` (ids) owns, executes or supports, each once: the events within an organization
    role's reach (core/permissions.py)."""
    supported = Exists(Event.supporting_units.through.objects.filter(event=OuterRef("pk"), organization_id__in=units))
    return Event.objects.filter(Q(owner_id__in=units) | Q(executing_unit_id__in=units) | supported)


def executed_by(units: Collection[int]) -> QuerySet[Event]:
    """Events executed by any of `units` (ids) that are under way or done: those whose AAR and collection tasks
    the units owe."""
    return Event.objects.filter(
        executing_unit_id__in=units,
        status__in=[Event.Status.EXECUTING, Event.Status.COMPLETED, Event.Status.CLOSED],
    )


@per_exact_state
def under_way(on: date) -> list[int]:
    """The ids of the events under way on a day, across the theater: found from the index of spans alone, a few
    thousand among all events. SQLite reads every event started before the day to find them (30 ms at 500,000
    events), the same for every reader of a home page, so they are kept per state of the data."""
    spanning = Event.objects.filter(start_date__lt=on, end_date__gte=on).order_by()
    return list(spanning.values_list("pk", flat=True))


def ahead_by_country(countries: Collection[int], *, on: date, shown: int) -> dict[int, tuple[int, list[Event]]]:
    """Per country (id): how many events are under way or to come on `on`, not cancelled, and the first `shown` of
    them by start. Two queries whatever the number of countries and events: a country with a busy year cannot
    crowd out the others."""
    ahead = Event.countries.through.objects.filter(country_id__in=countries, event__end_date__gte=on).exclude(
        event__status=Event.Status.CANCELLED
    )
    counts = dict(ahead.values_list("country_id").annotate(n=Count("event_id")).order_by())
    first = (
        ahead.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("country_id"),
                order_by=[F("event__start_date").asc(), F("event__code").asc()],
            )
        )
        .filter(rank__lte=shown)
        .select_related("event__executing_unit")
        .order_by("country_id", "rank")
    )
    found: dict[int, list[Event]] = defaultdict(list)
    for row in first:
        found[row.country_id].append(row.event)
    return {country: (counts.get(country, 0), found.get(country, [])) for country in countries}


def among(events: QuerySet[Event], path: str = "event") -> Exists:
    """Whether a record's event, reached by `path`, is one of `events`, asked record by record. For a few records
    picked by key (a batch of the audit trail) this reads a few events by key, where `event__in=events` makes SQLite
    list every one of `events` first: for a theater-wide reader, every event."""
    return Exists(events.filter(pk=OuterRef(path)))


def record_uids(events: QuerySet[Event]) -> list[QuerySet]:
    """The uids of `events` and of their claims, to be narrowed to a few uids: what the audit trail names when
    they change."""
    return [events.values("uid"), ContributionClaim.objects.filter(among(events)).values("uid")]
