"""Every write to countries, organizations, plans and objectives: permission, validation, transaction, audit."""

from typing import Any

import pycountry
from django.db import transaction

from goldthread.core import audit, records
from goldthread.core.catalogues import EventType, ObjectiveType
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import Scope, require
from goldthread.core.records import validate
from goldthread.search import index
from goldthread.strategy import selectors
from goldthread.strategy.models import Country, CountryConstraint, Objective, ObjectiveLink, Organization, Plan

OBJECTIVE_FIELDS = [
    "code",
    "statement",
    "level",
    "plan",
    "country",
    "primary_type",
    "secondary_types",
    "measure",
    "target",
    "target_date",
    "owner",
    "status",
    "markings",
]


def _check_types(primary: str, secondary: list[str]) -> list[str]:
    unknown = [t for t in secondary if t not in ObjectiveType.values]
    if unknown:
        raise DomainError.on("secondary_types", f"Unknown objective type(s): {', '.join(unknown)}.")
    return [t for t in dict.fromkeys(secondary) if t != primary]


def check_link(parent: Objective, child: Objective) -> None:
    """Refuse a link that would invert levels or close a cycle; the one place these graph rules live."""
    if parent.pk == child.pk:
        raise DomainError.on("parents", f"{child.code} cannot contribute to itself.")
    if parent.level > child.level:
        raise DomainError.on(
            "parents",
            f"{child.code} ({child.get_level_display()}) cannot contribute to {parent.code} "
            f"({parent.get_level_display()}): a parent must be at the same or a higher level.",
        )
    if parent.pk in selectors.descendant_ids(child.pk):
        raise DomainError.on(
            "parents",
            f"Linking {child.code} under {parent.code} would make a cycle: {parent.code} already "
            f"contributes to {child.code}.",
        )


def create_objective(*, actor: User, parents: list[Objective] = (), **fields: Any) -> Objective:
    country, owner = fields.get("country"), fields.get("owner")
    require(
        actor,
        "strategy.add_objective",
        Scope(frozenset({country.pk} if country else ()), frozenset({owner.pk} if owner else ())),
    )
    fields["secondary_types"] = _check_types(fields.get("primary_type", ""), list(fields.get("secondary_types", [])))
    objective = Objective(**fields)
    validate(objective)
    with transaction.atomic():
        objective.save()
        for parent in parents:
            check_link(parent, objective)
            ObjectiveLink.objects.create(parent=parent, child=objective)
        audit.record(
            actor,
            "objective.created",
            objective,
            {**audit.snapshot(objective, OBJECTIVE_FIELDS), "parents": [p.code for p in parents]},
        )
        index.put_record(objective)
    return objective


def _check_graph_and_claims(objective: Objective) -> None:
    """An edit may not invert a link's levels, nor drop a type that an event's claim relies on."""
    for parent in objective.parents.all():
        check_link(parent, objective)
    for child in objective.children.all():
        check_link(objective, child)
    orphaned = objective.claims.exclude(objective_type__in=objective.types).select_related("event")
    if orphaned:
        events = ", ".join(sorted({c.event.code for c in orphaned}))
        raise DomainError.on(
            "secondary_types", f"Events claim {objective.code} for a type it would no longer have: {events}."
        )


def update_objective(*, actor: User, objective: Objective, version: int | None, changes: dict[str, Any]) -> Objective:
    if "primary_type" in changes or "secondary_types" in changes:
        changes["secondary_types"] = _check_types(
            changes.get("primary_type", objective.primary_type),
            list(changes.get("secondary_types", objective.secondary_types)),
        )
    with transaction.atomic():
        records.update(
            actor,
            objective,
            permission="strategy.change_objective",
            action="objective.updated",
            version=version,
            changes=changes,
            check=_check_graph_and_claims,
        )
        index.put_record(objective)
    return objective


def link_objectives(*, actor: User, parent: Objective, child: Objective) -> ObjectiveLink:
    require(actor, "strategy.change_objective", child)
    with transaction.atomic():
        # Lock both ends so two concurrent links cannot each pass the cycle check and together close a cycle,
        # and judge the link on the rows as stored now, not as the caller last read them.
        locked = Objective.objects.select_for_update().in_bulk([parent.pk, child.pk])
        parent, child = locked[parent.pk], locked[child.pk]
        check_link(parent, child)
        if ObjectiveLink.objects.filter(parent=parent, child=child).exists():
            raise DomainError.on("parents", f"{child.code} already contributes to {parent.code}.")
        link = ObjectiveLink.objects.create(parent=parent, child=child)
        audit.record(actor, "objective.linked", child, {"parent": [None, parent.code]})
    return link


def unlink_objectives(*, actor: User, parent: Objective, child: Objective) -> None:
    require(actor, "strategy.change_objective", child)
    with transaction.atomic():
        deleted, _ = ObjectiveLink.objects.filter(parent=parent, child=child).delete()
        if not deleted:
            raise DomainError.on("parents", f"{child.code} does not contribute to {parent.code}.")
        audit.record(actor, "objective.unlinked", child, {"parent": [parent.code, None]})


def create_plan(*, actor: User, **fields: Any) -> Plan:
    return records.create(actor, Plan, permission="strategy.add_plan", action="plan.created", fields=fields)


def update_plan(*, actor: User, plan: Plan, version: int | None, changes: dict[str, Any]) -> Plan:
    return records.update(
        actor, plan, permission="strategy.change_plan", action="plan.updated", version=version, changes=changes
    )


def _check_organization(organization: Organization) -> None:
    ancestor = organization.parent
    while ancestor is not None:
        if ancestor.pk == organization.pk:
            raise DomainError.on("parent", f"{organization} cannot sit under itself or one of its own units.")
        ancestor = ancestor.parent


def create_organization(*, actor: User, **fields: Any) -> Organization:
    return records.create(
        actor, Organization, permission="strategy.add_organization", action="organization.created", fields=fields
    )


def update_organization(
    *, actor: User, organization: Organization, version: int | None, changes: dict[str, Any]
) -> Organization:
    return records.update(
        actor,
        organization,
        permission="strategy.change_organization",
        action="organization.updated",
        version=version,
        changes=changes,
        check=_check_organization,
    )


def _check_constraint_types(constraint: CountryConstraint) -> None:
    for field, allowed in (
        ("allowed_objective_types", ObjectiveType.values),
        ("forbidden_event_types", EventType.values),
    ):
        values = getattr(constraint, field)
        unknown = [t for t in values if t not in allowed] if isinstance(values, list) else [repr(values)]
        if unknown:
            raise DomainError.on(field, f"Unknown type(s): {', '.join(map(str, unknown))}.")


def create_constraint(*, actor: User, **fields: Any) -> CountryConstraint:
    return records.create(
        actor,
        CountryConstraint,
        permission="strategy.add_countryconstraint",
        action="constraint.created",
        fields=fields,
        check=_check_constraint_types,
    )


def update_constraint(
    *, actor: User, constraint: CountryConstraint, version: int | None, changes: dict[str, Any]
) -> CountryConstraint:
    return records.update(
        actor,
        constraint,
        permission="strategy.change_countryconstraint",
        action="constraint.updated",
        version=version,
        changes=changes,
        check=_check_constraint_types,
    )


def create_country(*, actor: User, iso3: str, **fields: Any) -> Country:
    """A country by ISO 3166 alpha-3 code; its name comes from the ISO standard unless given."""
    known = pycountry.countries.get(alpha_3=iso3.upper())
    if known is None:
        raise DomainError.on("iso3", f"{iso3} is not an ISO 3166 alpha-3 country code.")
    fields.setdefault("name", getattr(known, "common_name", known.name))
    return records.create(
        actor,
        Country,
        permission="strategy.add_country",
        action="country.created",
        fields={"iso3": known.alpha_3, **fields},
    )


def update_country(*, actor: User, country: Country, version: int | None, changes: dict[str, Any]) -> Country:
    return records.update(
        actor,
        country,
        permission="strategy.change_country",
        action="country.updated",
        version=version,
        changes=changes,
    )
