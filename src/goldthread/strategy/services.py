"""Every write to countries, organizations, plans and objectives: permission, validation, transaction, audit."""

from typing import Any

from django.db import transaction

from goldthread.core import audit
from goldthread.core.catalogues import ObjectiveType
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import require
from goldthread.core.records import save_changes, validate
from goldthread.strategy import selectors
from goldthread.strategy.models import CountryConstraint, Objective, ObjectiveLink, Organization, Plan

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
    require(actor, "strategy.add_objective")
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
    return objective


def update_objective(*, actor: User, objective: Objective, version: int | None, changes: dict[str, Any]) -> Objective:
    require(actor, "strategy.change_objective", objective)
    before = audit.snapshot(objective, OBJECTIVE_FIELDS)
    if "primary_type" in changes or "secondary_types" in changes:
        changes["secondary_types"] = _check_types(
            changes.get("primary_type", objective.primary_type),
            list(changes.get("secondary_types", objective.secondary_types)),
        )
    for name, value in changes.items():
        setattr(objective, name, value)
    validate(objective)
    if "level" in changes:
        for parent in objective.parents.all():
            check_link(parent, objective)
        for child in objective.children.all():
            check_link(objective, child)
    with transaction.atomic():
        save_changes(objective, version=version, changes=changes)
        audit.record(
            actor,
            "objective.updated",
            objective,
            audit.diff(before, audit.snapshot(objective, OBJECTIVE_FIELDS)),
        )
    return objective


def link_objectives(*, actor: User, parent: Objective, child: Objective) -> ObjectiveLink:
    require(actor, "strategy.change_objective", child)
    with transaction.atomic():
        # Lock both ends so two concurrent links cannot each pass the cycle check and together close a cycle.
        list(Objective.objects.select_for_update().filter(pk__in=[parent.pk, child.pk]))
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
    require(actor, "strategy.add_plan")
    plan = Plan(**fields)
    validate(plan)
    with transaction.atomic():
        plan.save()
        audit.record(actor, "plan.created", plan, audit.snapshot(plan, list(fields)))
    return plan


def create_organization(*, actor: User, **fields: Any) -> Organization:
    require(actor, "strategy.add_organization")
    organization = Organization(**fields)
    validate(organization)
    with transaction.atomic():
        organization.save()
        audit.record(actor, "organization.created", organization, audit.snapshot(organization, list(fields)))
    return organization


def create_constraint(*, actor: User, **fields: Any) -> CountryConstraint:
    require(actor, "strategy.add_countryconstraint")
    constraint = CountryConstraint(**fields)
    validate(constraint)
    unknown = [t for t in constraint.allowed_objective_types if t not in ObjectiveType.values]
    if unknown:
        raise DomainError.on("allowed_objective_types", f"Unknown objective type(s): {', '.join(unknown)}.")
    with transaction.atomic():
        constraint.save()
        audit.record(actor, "constraint.created", constraint, audit.snapshot(constraint, list(fields)))
    return constraint
