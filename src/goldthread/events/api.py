"""REST endpoints for events, series and contribution claims. Parse, call one service, render."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from goldthread.core.catalogues import EventType
from goldthread.core.errors import DomainError
from goldthread.core.schemas import ERRORS, Pages, Text
from goldthread.events import selectors, services
from goldthread.events.models import ContributionClaim, Event, EventSeries
from goldthread.events.schemas import (
    ClaimIn,
    ClaimOut,
    ClaimPatch,
    EventIn,
    EventOut,
    EventPatch,
    EventThreadOut,
    SeriesIn,
    SeriesOut,
    SeriesPatch,
    TransitionIn,
)
from goldthread.strategy import selectors as strategy_selectors
from goldthread.strategy.api import organization, thread_nodes

router = Router()

RELATED = ("countries", "partner_units", "supporting_units")


def event_fields(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split API input into plain fields and related lists, resolving every reference by its public name."""
    related = {}
    if data.get("countries") is not None:
        related["countries"] = strategy_selectors.resolve_countries(data["countries"])
    for name in ("partner_units", "supporting_units"):
        if data.get(name) is not None:
            related[name] = strategy_selectors.resolve_organizations(data[name], name)
    for name in RELATED:
        data.pop(name, None)
    if "executing_unit" in data:
        data["executing_unit"] = organization(data["executing_unit"], "executing_unit")
    if data.get("series"):
        data["series"] = EventSeries.objects.filter(name=data["series"]).first()
        if data["series"] is None:
            raise DomainError.on("series", "No such series; create it first (POST /api/v1/series).")
    elif "series" in data:
        data["series"] = None
    if data.get("parent") is not None:
        data["parent"] = Event.objects.filter(uid=data["parent"]).first()
        if data["parent"] is None:
            raise DomainError.on("parent", "No event with that uid.")
    return data, related


class EventFilters(Schema):
    country: Text(3) | None = None
    fiscal_year: int | None = Field(None, ge=1900, le=2200)
    event_type: EventType | None = Field(None, alias="type")
    status: Event.Status | None = None
    executing_unit: Text(60) | None = None
    objective: Text(60) | None = Field(None, description="Uid or code: events serving it or an objective below it.")
    series: Text(120) | None = None
    q: Text(100) | None = None
    orphan: bool | None = Field(None, description="true: events with no contribution claim.")


@router.get("/events", response={200: list[EventOut], **ERRORS}, tags=["events"])
@paginate(Pages, page_size=50)
def list_events(request: HttpRequest, filters: Query[EventFilters]):
    return selectors.events(**filters.dict()).prefetch_related("partner_units", "supporting_units", "parent")


@router.post("/events", response={201: EventOut, **ERRORS}, tags=["events"])
def create_event(request: HttpRequest, payload: EventIn):
    data, related = event_fields(payload.dict())
    return Status(201, services.create_event(actor=request.auth, **data, **related))


@router.get("/events/{uid}", response={200: EventOut, **ERRORS}, tags=["events"])
def get_event(request: HttpRequest, uid: UUID):
    return get_object_or_404(Event.objects.prefetch_related(*RELATED), uid=uid)


@router.patch("/events/{uid}", response={200: EventOut, **ERRORS}, tags=["events"])
def update_event(request: HttpRequest, uid: UUID, payload: EventPatch):
    event = get_object_or_404(Event, uid=uid)
    changes, related = event_fields(payload.dict(exclude_unset=True))
    version = changes.pop("version")
    return services.update_event(actor=request.auth, event=event, version=version, changes=changes, **related)


@router.post("/events/{uid}/transition", response={200: EventOut, **ERRORS}, tags=["events"])
def transition_event(request: HttpRequest, uid: UUID, payload: TransitionIn):
    event = get_object_or_404(Event, uid=uid)
    return services.transition_event(actor=request.auth, event=event, status=payload.status, version=payload.version)


@router.get("/events/{uid}/thread", response={200: EventThreadOut, **ERRORS}, tags=["events"])
def event_thread(request: HttpRequest, uid: UUID):
    """Why the event happens: the objectives it claims and everything above them, up to national goals."""
    event = get_object_or_404(Event.objects.prefetch_related(*RELATED), uid=uid)
    claims = list(event.claims.select_related("objective", "event"))
    thread = selectors.event_thread(event)
    return {"event": event, "claims": claims, "objectives": thread_nodes(thread, thread.objectives)}


@router.get("/events/{uid}/claims", response={200: list[ClaimOut], **ERRORS}, tags=["claims"])
def list_claims(request: HttpRequest, uid: UUID):
    event = get_object_or_404(Event, uid=uid)
    return event.claims.select_related("objective", "event")


@router.post("/events/{uid}/claims", response={201: ClaimOut, **ERRORS}, tags=["claims"])
def add_claim(request: HttpRequest, uid: UUID, payload: ClaimIn):
    event = get_object_or_404(Event, uid=uid)
    data = payload.dict()
    objective = strategy_selectors.resolve_objective(data.pop("objective"))
    return Status(201, services.add_claim(actor=request.auth, event=event, objective=objective, **data))


@router.get("/claims/{uid}", response={200: ClaimOut, **ERRORS}, tags=["claims"])
def get_claim(request: HttpRequest, uid: UUID):
    return get_object_or_404(ContributionClaim.objects.select_related("event", "objective"), uid=uid)


@router.patch("/claims/{uid}", response={200: ClaimOut, **ERRORS}, tags=["claims"])
def update_claim(request: HttpRequest, uid: UUID, payload: ClaimPatch):
    claim = get_object_or_404(ContributionClaim.objects.select_related("event", "objective"), uid=uid)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    return services.update_claim(actor=request.auth, claim=claim, version=version, changes=changes)


@router.delete("/claims/{uid}", response={204: None, **ERRORS}, tags=["claims"])
def remove_claim(request: HttpRequest, uid: UUID):
    claim = get_object_or_404(ContributionClaim.objects.select_related("event", "objective"), uid=uid)
    services.remove_claim(actor=request.auth, claim=claim)
    return Status(204, None)


@router.get("/series", response={200: list[SeriesOut], **ERRORS}, tags=["events"])
@paginate(Pages, page_size=100)
def list_series(request: HttpRequest):
    return EventSeries.objects.all()


@router.post("/series", response={201: SeriesOut, **ERRORS}, tags=["events"])
def create_series(request: HttpRequest, payload: SeriesIn):
    return Status(201, services.create_series(actor=request.auth, **payload.dict()))


@router.get("/series/{uid}", response={200: SeriesOut, **ERRORS}, tags=["events"])
def get_series(request: HttpRequest, uid: UUID):
    return get_object_or_404(EventSeries, uid=uid)


@router.patch("/series/{uid}", response={200: SeriesOut, **ERRORS}, tags=["events"])
def update_series(request: HttpRequest, uid: UUID, payload: SeriesPatch):
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    series = get_object_or_404(EventSeries, uid=uid)
    return services.update_series(actor=request.auth, series=series, version=version, changes=changes)
