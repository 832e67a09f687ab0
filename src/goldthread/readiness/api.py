"""REST endpoints for travel readiness. Parse, call one service, render."""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from goldthread.core import audit
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.schemas import ERRORS, Text
from goldthread.events.models import Event
from goldthread.readiness import calendar, selectors, services
from goldthread.readiness.models import Traveler
from goldthread.readiness.schemas import (
    BoardOut,
    Day,
    EntryRuleIn,
    EntryRuleOut,
    TravelerIn,
    TravelerOut,
    TravelerPatch,
)
from goldthread.strategy.api import organization
from goldthread.strategy.models import Country
from goldthread.strategy.selectors import resolve_countries

router = Router()
TAGS = ["readiness"]


def rule_out(found: selectors.CountryRule) -> dict[str, Any]:
    rule = found.rule
    return {
        "uid": rule.uid if found.stored else None,
        "country": found.country.iso3,
        "stored": found.stored,
        "version": rule.version if found.stored else None,
        **{name: getattr(rule, name) for name in services.RULE_FIELDS},
    }


def _country(iso3: str) -> Country:
    return get_object_or_404(Country, iso3=iso3.upper())


@router.get("/countries/{iso3}/entry-rules", response={200: EntryRuleOut, **ERRORS}, tags=TAGS)
def get_entry_rules(request: HttpRequest, iso3: Text(3, 3)):
    """The country's entry rules, or Goldthread's defaults (`stored` false) while it has none."""
    return rule_out(selectors.entry_rule(_country(iso3)))


@router.put("/countries/{iso3}/entry-rules", response={200: EntryRuleOut, 201: EntryRuleOut, **ERRORS}, tags=TAGS)
def set_entry_rules(request: HttpRequest, iso3: Text(3, 3), payload: EntryRuleIn):
    """Create (201) or replace (200) the country's entry rules."""
    country = _country(iso3)
    fields = payload.dict()
    version = fields.pop("version")
    existed = selectors.entry_rule(country).stored
    services.set_entry_rule(actor=request.auth, country=country, version=version, fields=fields)
    return Status(200 if existed else 201, rule_out(selectors.entry_rule(country)))


def _user(username: str | None) -> User | None:
    if not username:
        return None
    found = User.objects.filter(username=username).first()
    if found is None:
        raise DomainError.on("user", f"No user named {username!r}.")
    return found


def _documents(data: dict[str, Any]) -> dict[str, Any]:
    """Resolve the references a traveler input names: unit, user, and the visas' countries."""
    if data.get("unit") is not None:
        data["unit"] = organization(data["unit"], "unit")
    elif "unit" in data:
        data.pop("unit")
    if "user" in data:
        data["user"] = _user(data["user"])
    if data.get("visas") is not None:
        countries = resolve_countries([v["country"] for v in data["visas"]], "visas")
        data["visas"] = [{"country": c, "expires": v["expires"]} for c, v in zip(countries, data["visas"], strict=True)]
    return data


def _traveler(uid: UUID) -> Traveler:
    return get_object_or_404(
        Traveler.objects.select_related("event", "unit", "user").prefetch_related("visas__country", "training"),
        uid=uid,
    )


@router.get("/events/{uid}/travelers", response={200: list[TravelerOut], **ERRORS}, tags=TAGS)
def list_travelers(request: HttpRequest, uid: UUID):
    return selectors.travelers(get_object_or_404(Event, uid=uid))


@router.post("/events/{uid}/travelers", response={201: TravelerOut, **ERRORS}, tags=TAGS)
def add_traveler(request: HttpRequest, uid: UUID, payload: TravelerIn):
    """Attach a traveler to the event. A passport number is cut to its last four characters before it is stored."""
    event = get_object_or_404(Event, uid=uid)
    traveler = services.add_traveler(actor=request.auth, event=event, **_documents(payload.dict()))
    return Status(201, _traveler(traveler.uid))


@router.get("/travelers/{uid}", response={200: TravelerOut, **ERRORS}, tags=TAGS)
def get_traveler(request: HttpRequest, uid: UUID):
    return _traveler(uid)


@router.patch("/travelers/{uid}", response={200: TravelerOut, **ERRORS}, tags=TAGS)
def update_traveler(request: HttpRequest, uid: UUID, payload: TravelerPatch):
    changes = _documents(payload.dict(exclude_unset=True))
    version = changes.pop("version")
    extra = {name: changes.pop(name) for name in ("passport_number", "visas", "training") if name in changes}
    traveler = services.update_traveler(
        actor=request.auth, traveler=_traveler(uid), version=version, changes=changes, **extra
    )
    return _traveler(traveler.uid)


@router.delete("/travelers/{uid}", response={204: None, **ERRORS}, tags=TAGS)
def remove_traveler(request: HttpRequest, uid: UUID):
    services.remove_traveler(actor=request.auth, traveler=_traveler(uid))
    return Status(204, None)


class BoardQuery(Schema):
    on: Day | None = None


def board_out(board: selectors.Board) -> dict[str, Any]:
    event = board.event
    return {
        "event": event.uid,
        "code": event.code,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "today": board.today,
        "at_risk_days": selectors.AT_RISK_DAYS,
        "rules": [{"country": r.country.iso3, "stored": r.stored} for r in board.rules],
        "milestones": [{**vars(m.deadline), "status": m.status} for m in board.milestones],
        "travelers": [
            {
                "traveler": row.traveler.uid,
                "name": row.traveler.name,
                "unit": row.traveler.unit.short_name,
                "status": row.status,
                "items": [vars(i) for i in row.items],
            }
            for row in board.rows
        ],
        "counts": board.counts,
    }


def _on(query: BoardQuery) -> date:
    return query.on or timezone.localdate()


@router.get("/events/{uid}/readiness", response={200: BoardOut, **ERRORS}, tags=TAGS)
def readiness_board(request: HttpRequest, uid: UUID, query: Query[BoardQuery]):
    """Each traveler × requirement with its deadline and status, as of `on` (default today)."""
    return board_out(selectors.board(get_object_or_404(Event, uid=uid), _on(query)))


@router.get(
    "/events/{uid}/readiness.ics",
    response=ERRORS,
    tags=TAGS,
    openapi_extra={
        "responses": {
            200: {
                "description": "The deadlines and milestones as an iCalendar file.",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def readiness_calendar(request: HttpRequest, uid: UUID, query: Query[BoardQuery]):
    """The board's milestones and every step a traveler still owes, as all-day iCalendar entries."""
    board = selectors.board(get_object_or_404(Event, uid=uid), _on(query))
    response = HttpResponse(calendar.ics(board), content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{calendar.filename(board)}"'
    audit.record(request.auth, "readiness.exported", board.event, {"format": "ics"})
    return response
