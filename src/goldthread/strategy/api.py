"""REST endpoints for countries, organizations, plans and objectives. Parse, call one service, render."""

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
from goldthread.strategy.models import Country, Objective, Organization
from goldthread.strategy.schemas import (
    CountryOut,
    LinkIn,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
    ObjectiveThreadOut,
    OrganizationIn,
    OrganizationOut,
    PlanIn,
    PlanOut,
    ThreadNode,
)

router = Router()


def organization(short_name: str | None, field: str) -> Organization | None:
    """An optional reference by short name; empty means none."""
    return selectors.resolve_organizations([short_name], field)[0] if short_name else None


def country(iso3: str | None, field: str = "country") -> Country | None:
    return selectors.resolve_countries([iso3], field)[0] if iso3 else None


def objective_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Turn API references (country code, plan uid, owner short name) into records."""
    if "country" in data:
        data["country"] = country(data["country"])
    if "plan" in data:
        data["plan"] = selectors.resolve_plan(str(data["plan"])) if data["plan"] else None
    if "owner" in data:
        data["owner"] = organization(data["owner"], "owner")
    return data


def thread_nodes(thread: selectors.Thread, ids) -> list[ThreadNode]:
    objectives = thread.objectives
    return [
        ThreadNode(
            uid=o.uid,
            code=o.code,
            statement=o.statement,
            level=o.level,
            level_label=o.get_level_display(),
            primary_type=o.primary_type,
            parents=[p.uid for p in thread.parents_of(o.pk)],
        )
        for o in sorted((objectives[i] for i in ids), key=lambda o: (o.level, o.code))
    ]


class CountryFilters(Schema):
    in_aor: bool | None = None


@router.get("/countries", response={200: list[CountryOut], **ERRORS}, tags=["countries"])
def list_countries(request: HttpRequest, filters: Query[CountryFilters]):
    return selectors.countries(in_aor=filters.in_aor)


@router.get("/countries/{iso3}", response={200: CountryOut, **ERRORS}, tags=["countries"])
def get_country(request: HttpRequest, iso3: Text(3, 3)):
    return get_object_or_404(Country.objects.prefetch_related("constraints"), iso3=iso3.upper())


class OrganizationFilters(Schema):
    echelon: Echelon | None = None
    country: Text(3) | None = None


@router.get("/organizations", response={200: list[OrganizationOut], **ERRORS}, tags=["organizations"])
@paginate(Pages, page_size=100)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]):
    return selectors.organizations(echelon=filters.echelon, country=filters.country)


@router.post("/organizations", response={201: OrganizationOut, **ERRORS}, tags=["organizations"])
def create_organization(request: HttpRequest, payload: OrganizationIn):
    data = payload.dict()
    data["parent"], data["country"] = organization(data["parent"], "parent"), country(data["country"])
    return Status(201, services.create_organization(actor=request.auth, **data))


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, tags=["plans"])
@paginate(Pages, page_size=100)
def list_plans(request: HttpRequest):
    return selectors.plans()


@router.post("/plans", response={201: PlanOut, **ERRORS}, tags=["plans"])
def create_plan(request: HttpRequest, payload: PlanIn):
    data = payload.dict()
    data["owner"], data["country"] = organization(data["owner"], "owner"), country(data["country"])
    return Status(201, services.create_plan(actor=request.auth, **data))


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


@router.delete("/objectives/{uid}/parents/{parent_uid}", response={204: None, **ERRORS}, tags=["objectives"])
def unlink_objective(request: HttpRequest, uid: UUID, parent_uid: UUID):
    child = get_object_or_404(Objective, uid=uid)
    parent = get_object_or_404(Objective, uid=parent_uid)
    services.unlink_objectives(actor=request.auth, parent=parent, child=child)
    return Status(204, None)


@router.get("/objectives/{uid}/thread", response={200: ObjectiveThreadOut, **ERRORS}, tags=["objectives"])
def objective_thread(request: HttpRequest, uid: UUID):
    """The objective's ancestors up to national goals, its descendants, and the events that serve it."""
    objective = get_object_or_404(selectors.objectives(), uid=uid)
    thread = selectors.thread({objective.pk}, up=True, down=True)
    up = selectors.ancestor_ids(objective.pk)
    down = set(thread.objectives) - up - {objective.pk}
    serving = event_selectors.serving(objective)
    return {
        "objective": objective,
        "ancestors": thread_nodes(thread, up),
        "descendants": thread_nodes(thread, down),
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
