"""The portfolio across countries (EVAL-5): where the events go, what kind of objective they serve, and how that
squares with each country's recorded priority, relationship, capability and absorptive capacity.

A country is saturated in a fiscal quarter when more events start there than its absorptive capacity; a country
without a recorded capacity is never called saturated, and the page says the capacity is missing instead.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Value

from goldthread.core.catalogues import ObjectiveType
from goldthread.evaluation.cache import per_state
from goldthread.evaluation.findings import Filters, claim_tally, events_in
from goldthread.evaluation.models import CountryStanding
from goldthread.events.models import ContributionClaim, Event
from goldthread.measures import periods
from goldthread.strategy.models import Country


@dataclass
class Row:
    country: Country
    standing: CountryStanding | None
    events: int = 0
    types: dict[str, int] = field(default_factory=dict)  # claims by objective type
    by_quarter: dict[str, int] = field(default_factory=dict)  # events starting in each fiscal quarter

    @property
    def saturated(self) -> list[tuple[str, int]]:
        return over_capacity(self.by_quarter, self.standing)

    @property
    def mix(self) -> list[tuple[str, int, int]]:
        """(objective type, claims, share of the country's claims in percent), in the catalogue's order."""
        total = sum(self.types.values())
        return [(t, self.types.get(t, 0), round(100 * self.types.get(t, 0) / total) if total else 0) for t in TYPES]


TYPES = list(ObjectiveType.values)


def over_capacity(by_quarter: dict[str, int], standing: CountryStanding | None) -> list[tuple[str, int]]:
    """The quarters in which more events started than the country can absorb, and how many started: the one rule
    of saturation, for the portfolio and the country's timeline."""
    capacity = standing.absorptive_capacity if standing else None
    if capacity is None:
        return []
    return [(quarter, n) for quarter, n in sorted(by_quarter.items()) if n > capacity]


@per_state
def rows(f: Filters) -> list[Row]:
    """Every country in the area of responsibility (or the one filtered to), most events first. Three grouped
    queries, whatever the number of events."""
    countries = Country.objects.filter(in_aor=True) if f.country is None else Country.objects.filter(pk=f.country.pk)
    found = {c.pk: Row(c, getattr(c, "standing", None)) for c in countries.select_related("standing").order_by("name")}
    events = events_in(f)
    if f.country:
        # The filters' events are all the country's: going through each event's countries again took half the time.
        by_day = events.values_list(Value(f.country.pk), "start_date").annotate(n=Count("pk"))
        by_type = [(f.country.pk, kind, n) for objective, kind, _, n in claim_tally(f) if objective is not None]
    else:
        through = Event.countries.through.objects.filter(event__in=events, country__in=found)
        by_day = through.values_list("country", "event__start_date").annotate(n=Count("event"))
        by_type = (
            ContributionClaim.objects.filter(event__in=events, event__countries__in=found)
            .values_list("event__countries", "objective_type")
            .annotate(n=Count("pk"))
            .order_by()
        )
    # Grouped by day, not by quarter: truncating dates in SQL calls back into Python for every row on SQLite.
    for country_id, day, n in by_day.order_by():
        row = found[country_id]
        row.events += n
        quarter = periods.quarter_of(day)
        row.by_quarter[quarter] = row.by_quarter.get(quarter, 0) + n
    for country_id, objective_type, n in by_type:
        types = found[country_id].types
        types[objective_type] = types.get(objective_type, 0) + n
    return sorted(found.values(), key=lambda row: (-row.events, row.country.name))
