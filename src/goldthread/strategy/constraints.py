"""Country constraints as rules: which of them forbid an objective type or an event type, and when."""

from collections.abc import Iterable
from datetime import date

from goldthread.core.catalogues import EventType, ObjectiveType
from goldthread.core.errors import DomainError
from goldthread.strategy.models import Country, CountryConstraint


def _in_force(countries: Iterable[Country], start: date | None, end: date | None) -> list[CountryConstraint]:
    ids = [c.pk for c in countries]
    return [
        c
        for c in CountryConstraint.objects.filter(country_id__in=ids).select_related("country")
        if c.applies_between(start, end)
    ]


def check_objective_type_allowed(
    countries: Iterable[Country], objective_type: str, start: date | None, end: date | None, field: str
) -> None:
    for rule in _in_force(countries, start, end):
        if rule.forbids_objective_type(objective_type):
            label = ObjectiveType(objective_type).label
            raise DomainError.on(
                field,
                f"{rule.country.name} does not permit {label} ({objective_type}) objectives: "
                f'constraint {rule.code} "{rule.title}" ({rule.basis}).',
            )


def check_event_type_allowed(
    countries: Iterable[Country], event_type: str, start: date | None, end: date | None, field: str
) -> None:
    for rule in _in_force(countries, start, end):
        if rule.forbids_event_type(event_type):
            raise DomainError.on(
                field,
                f"{rule.country.name} does not permit {EventType(event_type).label} events: "
                f'constraint {rule.code} "{rule.title}" ({rule.basis}).',
            )
