"""REST endpoints for countries, organizations, plans and objectives. Parse, call one service, render."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from goldthread.core.catalogues import Echelon, Level, ObjectiveType
from goldthread.core.schemas import ERRORS, Pages, Text
from goldthread.events import selectors as event_selectors
from goldthread.strategy import selectors, services
from goldthread.strategy.models import Country, CountryConstraint, Objective, Organization, Plan
from goldthread.strategy.schemas import (
    ConstraintIn,
    ConstraintOut,
    ConstraintPatch,
    CountryIn,
    CountryOut,
    CountryPatch,
    LinkIn,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    ObjectiveThreadOut,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
    PlanIn,
    PlanOut,
    PlanPatch,
    ThreadNode,
)

router = Router()
# The descendants a thread lists; GET /objectives/{uid}/descendants pages through them all.
THREAD_DESCENDANTS = 500


def organization(short_name: str | None, field: str) -> Organization | None:
    """An optional reference by short name; empty means none."""
    return selectors.resolve_organizations([short_name], field)[0] if short_name else None


def country(iso3: str | None, field: str = "country") -> Country | None:
    return selectors.resolve_countries([iso3], field)[0] if iso3 else None


def references(data: dict[str, Any]) -> dict[str, Any]:
    """Resolve the organization and country references an input names (parent, owner, country)."""
    for field in ("parent", "owner"):
        if field in data:
            data[field] = organization(data[field], field)
    if "country" in data:
        data["country"] = country(data["country"])
    return data


def objective_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Turn API references (country code, plan uid, owner short name) into records."""
    if "plan" in data:
        data["plan"] = selectors.resolve_plan(str(data["plan"])) if data["plan"] else None
    return references(data)


def thread_nodes(thread: selectors.Thread, ids) -> list[ThreadNode]:
    objectives = thread.objectives
    parents = thread.parents()
    return [
        ThreadNode(
            uid=o.uid,
            code=o.code,
            statement=o.statement,
            level=o.level,
            level_label=o.get_level_display(),
            primary_type=o.primary_type,
            parents=[p.uid for p in parents.get(o.pk, [])],
        )
        for o in sorted((objectives[i] for i in ids), key=lambda o: (o.level, o.code))
    ]


class Descendants(Sequence):
    """The objectives below one as thread nodes, by level and code, built a slice at a time: below a national goal
    there are tens of thousands, and a page of the API needs the objectives of its own nodes alone."""

    def __init__(self, objective: Objective):
        below, self.edges = selectors.descendant_edges(objective.pk)
        self.ids = selectors.in_order(below)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, part: slice) -> list[ThreadNode]:
        ids = self.ids[part]
        return thread_nodes(selectors.piece(ids, self.edges), ids)


def _patch(payload: Schema) -> tuple[int, dict[str, Any]]:
    changes = payload.dict(exclude_unset=True)
    return changes.pop("version"), references(changes)


class CountryFilters(Schema):
    in_aor: bool | None = None


@router.get("/countries", response={200: list[CountryOut], **ERRORS}, tags=["countries"])
def list_countries(request: HttpRequest, filters: Query[CountryFilters]):
    return selectors.countries(in_aor=filters.in_aor)


@router.post("/countries", response={201: CountryOut, **ERRORS}, tags=["countries"])
def create_country(request: HttpRequest, payload: CountryIn):
    data = payload.dict()
    if data["name"] is None:
        del data["name"]
    return Status(201, services.create_country(actor=request.auth, **data))


@router.get("/countries/{iso3}", response={200: CountryOut, **ERRORS}, tags=["countries"])
def get_country(request: HttpRequest, iso3: Text(3, 3)):
    return get_object_or_404(selectors.countries(), iso3=iso3.upper())


@router.patch("/countries/{iso3}", response={200: CountryOut, **ERRORS}, tags=["countries"])
def update_country(request: HttpRequest, iso3: Text(3, 3), payload: CountryPatch):
    version, changes = _patch(payload)
    record = get_object_or_404(Country, iso3=iso3.upper())
    return services.update_country(actor=request.auth, country=record, version=version, changes=changes)


@router.post("/countries/{iso3}/constraints", response={201: ConstraintOut, **ERRORS}, tags=["countries"])
def create_constraint(request: HttpRequest, iso3: Text(3, 3), payload: ConstraintIn):
    record = get_object_or_404(Country, iso3=iso3.upper())
    return Status(201, services.create_constraint(actor=request.auth, country=record, **payload.dict()))


@router.patch("/constraints/{uid}", response={200: ConstraintOut, **ERRORS}, tags=["countries"])
def update_constraint(request: HttpRequest, uid: UUID, payload: ConstraintPatch):
    version, changes = _patch(payload)
    constraint = get_object_or_404(CountryConstraint.objects.select_related("country"), uid=uid)
    return services.update_constraint(actor=request.auth, constraint=constraint, version=version, changes=changes)


class OrganizationFilters(Schema):
    echelon: Echelon | None = None
    country: Text(3) | None = None


@router.get("/organizations", response={200: list[OrganizationOut], **ERRORS}, tags=["organizations"])
@paginate(Pages, page_size=100)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]):
    return selectors.organizations(echelon=filters.echelon, country=filters.country)


@router.post("/organizations", response={201: OrganizationOut, **ERRORS}, tags=["organizations"])
def create_organization(request: HttpRequest, payload: OrganizationIn):
    return Status(201, services.create_organization(actor=request.auth, **references(payload.dict())))


@router.get("/organizations/{uid}", response={200: OrganizationOut, **ERRORS}, tags=["organizations"])
def get_organization(request: HttpRequest, uid: UUID):
    return get_object_or_404(selectors.organizations(), uid=uid)


@router.patch("/organizations/{uid}", response={200: OrganizationOut, **ERRORS}, tags=["organizations"])
def update_organization(request: HttpRequest, uid: UUID, payload: OrganizationPatch):
    version, changes = _patch(payload)
    record = get_object_or_404(Organization, uid=uid)
    return services.update_organization(actor=request.auth, organization=record, version=version, changes=changes)


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, tags=["plans"])
@paginate(Pages, page_size=100)
def list_plans(request: HttpRequest):
    return selectors.plans()


@router.post("/plans", response={201: PlanOut, **ERRORS}, tags=["plans"])
def create_plan(request: HttpRequest, payload: PlanIn):
    return Status(201, services.create_plan(actor=request.auth, **references(payload.dict())))


@router.get("/plans/{uid}", response={200: PlanOut, **ERRORS}, tags=["plans"])
def get_plan(request: HttpRequest, uid: UUID):
    return get_object_or_404(selectors.plans(), uid=uid)


@router.patch("/plans/{uid}", response={200: PlanOut, **ERRORS}, tags=["plans"])
def update_plan(request: HttpRequest, uid: UUID, payload: PlanPatch):
    version, changes = _patch(payload)
    plan = get_object_or_404(Plan, uid=uid)
    return services.update_plan(actor=request.auth, plan=plan, version=version, changes=changes)


class ObjectiveFilters(Schema):
    level: Level | None = None
    country: Text(3) | None = None
    objective_type: ObjectiveType | None = Field(None, alias="type")
    plan: UUID | None = None
    q: Text(100) | None = None


@router.get("/objectives", response={200: list[ObjectiveOut], **ERRORS}, tags=["objectives"])
@paginate(Pages, page_size=50)
def list_objectives(request: HttpRequest, filters: Query[ObjectiveFilters]):
    return selectors.objectives(
        level=filters.level,
        country=filters.country,
        objective_type=filters.objective_type,
        plan=filters.plan,
        q=filters.q,
    )


@router.post("/objectives", response={201: ObjectiveOut, **ERRORS}, tags=["objectives"])
def create_objective(request: HttpRequest, payload: ObjectiveIn):
    data = objective_fields(payload.dict())
    parents = [selectors.resolve_objective(p, "parents") for p in data.pop("parents")]
    return Status(201, services.create_objective(actor=request.auth, parents=parents, **data))


@router.get("/objectives/{uid}", response={200: ObjectiveOut, **ERRORS}, tags=["objectives"])
def get_objective(request: HttpRequest, uid: UUID):
    return get_object_or_404(selectors.objectives(), uid=uid)


@router.patch("/objectives/{uid}", response={200: ObjectiveOut, **ERRORS}, tags=["objectives"])
def update_objective(request: HttpRequest, uid: UUID, payload: ObjectivePatch):
    objective = get_object_or_404(Objective, uid=uid)
    changes = objective_fields(payload.dict(exclude_unset=True))
    version = changes.pop("version")
    return services.update_objective(actor=request.auth, objective=objective, version=version, changes=changes)


@router.post("/objectives/{uid}/parents", response={201: ObjectiveOut, **ERRORS}, tags=["objectives"])
def link_objective(request: HttpRequest, uid: UUID, payload: LinkIn):
    child = get_object_or_404(Objective, uid=uid)
    parent = selectors.resolve_objective(payload.parent, "parent")
    services.link_objectives(actor=request.auth, parent=parent, child=child)
    return Status(201, child)


@router.get("/objectives/{uid}/descendants", response={200: list[ThreadNode], **ERRORS}, tags=["objectives"])
@paginate(Pages, page_size=100)
def objective_descendants(request: HttpRequest, uid: UUID):
    """Every objective below this one, by level and code, as thread nodes with their parents."""
    return Descendants(get_object_or_404(selectors.objectives(), uid=uid))


@router.delete("/objectives/{uid}/parents/{parent_uid}", response={204: None, **ERRORS}, tags=["objectives"])
def unlink_objective(request: HttpRequest, uid: UUID, parent_uid: UUID):
    child = get_object_or_404(Objective, uid=uid)
    parent = get_object_or_404(Objective, uid=parent_uid)
    services.unlink_objectives(actor=request.auth, parent=parent, child=child)
    return Status(204, None)


@router.get("/objectives/{uid}/thread", response={200: ObjectiveThreadOut, **ERRORS}, tags=["objectives"])
def objective_thread(request: HttpRequest, uid: UUID):
    """The objective's ancestors up to national goals, its first descendants, and the events that serve it."""
    objective = get_object_or_404(selectors.objectives(), uid=uid)
    above = selectors.thread({objective.pk}, up=True)
    below = Descendants(objective)
    serving = event_selectors.serving(objective, below=set(below.ids))
    return {
        "objective": objective,
        "ancestors": thread_nodes(above, set(above.objectives) - {objective.pk}),
        "descendants": below[:THREAD_DESCENDANTS],
        "descendants_count": len(below),
        "events": [
            {
                "uid": c.event.uid,
                "code": c.event.code,
                "name": c.event.name,
                "fiscal_year": c.event.fiscal_year,
                "status": c.event.status,
                "via_objective": c.objective.code,
                "role": c.role,
            }
            for c in serving.claims
        ],
    }
