"""Every write to events and contribution claims: permission, rules, transaction, audit."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from goldthread.core import audit, records
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import Scope, require
from goldthread.core.records import save_changes, validate
from goldthread.events.models import ContributionClaim, Event, EventSeries, fiscal_year
from goldthread.search import index
from goldthread.strategy import constraints
from goldthread.strategy.models import Country, Objective, Organization

EVENT_FIELDS = [
    "code",
    "record_id",
    "name",
    "owner",
    "event_type",
    "description",
    "series",
    "parent",
    "executing_unit",
    "start_date",
    "end_date",
    "authority",
    "status",
    "markings",
]
CLAIM_FIELDS = [
    "objective",
    "role",
    "objective_type",
    "expected_change",
    "indicator",
    "direction",
    "time_lag_months",
    "assumptions",
    "markings",
]


def _check_event_rules(event: Event, countries: list[Country]) -> None:
    """Rules that span fields and related rows; run on create and on every update."""
    if not countries:
        raise DomainError.on("countries", "An event takes place in at least one country.")
    ancestor = event.parent
    while ancestor is not None:
        if event.pk and ancestor.pk == event.pk:
            raise DomainError.on("parent", "An event cannot be part of itself or of one of its own legs.")
        ancestor = ancestor.parent
    constraints.check_event_type_allowed(countries, event.event_type, event.start_date, event.end_date, "event_type")
    if event.pk:
        for claim in event.claims.select_related("objective"):
            constraints.check_objective_type_allowed(
                countries, claim.objective_type, event.start_date, event.end_date, "countries"
            )


def _m2m_snapshot(
    countries: Iterable[Country], partners: Iterable[Organization], supporting: Iterable[Organization]
) -> dict[str, list[str]]:
    return {
        "countries": sorted(c.iso3 for c in countries),
        "partner_units": sorted(o.short_name for o in partners),
        "supporting_units": sorted(o.short_name for o in supporting),
    }


def create_event(
    *,
    actor: User,
    countries: list[Country],
    partner_units: list[Organization] = (),
    supporting_units: list[Organization] = (),
    **fields: Any,
) -> Event:
    fields.setdefault("owner", actor.organization if actor else None)
    # A new event is judged by who will carry it out; only an event nobody is named for yet falls to its proposer.
    units = ({fields.get("executing_unit"), *supporting_units} - {None}) or {fields["owner"]} - {None}
    require(actor, "events.add_event", Scope(frozenset(c.pk for c in countries), frozenset(o.pk for o in units)))
    if fields.get("status", Event.Status.PROPOSED) != Event.Status.PROPOSED:
        raise DomainError.on("status", "A new event starts as proposed; move it on once it has a contribution claim.")
    event = Event(**fields)
    validate(event, exclude=["fiscal_year"])
    _check_event_rules(event, countries)
    with transaction.atomic():
        event.save()
        event.countries.set(countries)
        event.partner_units.set(partner_units)
        event.supporting_units.set(supporting_units)
        audit.record(
            actor,
            "event.created",
            event,
            {
                **audit.snapshot(event, EVENT_FIELDS),
                **_m2m_snapshot(countries, partner_units, supporting_units),
            },
        )
        index.put_record(event)
    return event


def update_event(
    *,
    actor: User,
    event: Event,
    version: int | None,
    changes: dict[str, Any],
    countries: list[Country] | None = None,
    partner_units: list[Organization] | None = None,
    supporting_units: list[Organization] | None = None,
) -> Event:
    require(actor, "events.change_event", event)
    if "status" in changes:
        raise DomainError.on("status", "Change the status through a transition, not an edit.")
    before = {
        **audit.snapshot(event, EVENT_FIELDS),
        **_m2m_snapshot(event.countries.all(), event.partner_units.all(), event.supporting_units.all()),
    }
    for name, value in changes.items():
        setattr(event, name, value)
    validate(event, exclude=["fiscal_year"])
    new_countries = countries if countries is not None else list(event.countries.all())
    _check_event_rules(event, new_countries)
    with transaction.atomic():
        if "start_date" in changes:
            changes["fiscal_year"] = fiscal_year(event.start_date)
        save_changes(event, version=version, changes=changes)
        if countries is not None:
            event.countries.set(countries)
        if partner_units is not None:
            event.partner_units.set(partner_units)
        if supporting_units is not None:
            event.supporting_units.set(supporting_units)
        after = {
            **audit.snapshot(event, EVENT_FIELDS),
            **_m2m_snapshot(event.countries.all(), event.partner_units.all(), event.supporting_units.all()),
        }
        audit.record(actor, "event.updated", event, audit.diff(before, after))
        index.put_record(event)
    return event


def transition_event(*, actor: User, event: Event, status: str, version: int | None = None) -> Event:
    """Move an event along its lifecycle (Event.TRANSITIONS); approval needs its own permission."""
    require(actor, "events.change_event", event)
    if status not in Event.Status.values:
        raise DomainError.on("status", f"Unknown status {status!r}.")
    if status == Event.Status.APPROVED:
        require(actor, "events.approve_event", event)
    if not event.can_move_to(status):
        allowed = ", ".join(Event.Status(s).label for s in Event.TRANSITIONS[event.status]) or "none"
        raise DomainError.on(
            "status",
            f"A {event.get_status_display().lower()} event cannot become "
            f"{Event.Status(status).label.lower()}; allowed next: {allowed}.",
        )
    if status in Event.NEEDS_CLAIM and not event.claims.exists():
        raise DomainError.on(
            "status",
            f"{event.code} cannot move past approved until it claims at least one objective it serves.",
        )
    with transaction.atomic():
        old = event.status
        save_changes(event, version=version, changes={"status": status})
        audit.record(actor, "event.transitioned", event, {"status": [old, status]})
        index.put_record(event)
    return event


def create_series(*, actor: User, **fields: Any) -> EventSeries:
    return records.create(actor, EventSeries, permission="events.add_event", action="series.created", fields=fields)


def update_series(*, actor: User, series: EventSeries, version: int | None, changes: dict[str, Any]) -> EventSeries:
    return records.update(
        actor, series, permission="events.change_event", action="series.updated", version=version, changes=changes
    )


def _check_claim(event: Event, claim: ContributionClaim) -> None:
    objective = claim.objective
    if objective.status == Objective.Status.RETIRED:
        raise DomainError.on("objective", f"{objective.code} is retired; claim one of its successors instead.")
    if not claim.objective_type:
        claim.objective_type = objective.primary_type
    if claim.objective_type not in objective.types:
        raise DomainError.on(
            "objective_type",
            f"{objective.code} is typed {', '.join(objective.types)}, not {claim.objective_type}.",
        )
    constraints.check_objective_type_allowed(
        event.countries.all(), claim.objective_type, event.start_date, event.end_date, "objective"
    )
    if claim.role == ContributionClaim.Role.PRIMARY:
        other = event.claims.filter(role=ContributionClaim.Role.PRIMARY).exclude(pk=claim.pk).first()
        if other:
            raise DomainError.on(
                "role",
                f"{event.code} already has a primary objective ({other.objective.code}); "
                "make this one secondary or demote that one first.",
            )


def add_claim(*, actor: User, event: Event, objective: Objective, **fields: Any) -> ContributionClaim:
    require(actor, "events.add_contributionclaim", event)
    claim = ContributionClaim(event=event, objective=objective, **fields)
    _check_claim(event, claim)
    validate(claim)
    with transaction.atomic():
        claim.save()
        audit.record(actor, "claim.created", claim, audit.snapshot(claim, CLAIM_FIELDS))
    return claim


def update_claim(
    *, actor: User, claim: ContributionClaim, version: int | None, changes: dict[str, Any]
) -> ContributionClaim:
    require(actor, "events.change_contributionclaim", claim)
    before = audit.snapshot(claim, CLAIM_FIELDS)
    for name, value in changes.items():
        setattr(claim, name, value)
    _check_claim(claim.event, claim)
    validate(claim)
    with transaction.atomic():
        save_changes(claim, version=version, changes=changes)
        audit.record(actor, "claim.updated", claim, audit.diff(before, audit.snapshot(claim, CLAIM_FIELDS)))
    return claim


def remove_claim(*, actor: User, claim: ContributionClaim) -> None:
    require(actor, "events.delete_contributionclaim", claim)
    event = claim.event
    if event.status in Event.NEEDS_CLAIM and event.claims.count() == 1:
        raise DomainError.on(
            "objective",
            f"{event.code} is {event.get_status_display().lower()}: it must keep at least one claim.",
        )
    with transaction.atomic():
        audit.record(actor, "claim.deleted", claim, audit.snapshot(claim, CLAIM_FIELDS))
        claim.delete()
