"""REST endpoints for conference records, orders, themes, requests for information and public-affairs products.
Parse, call one service, render."""

from uuid import UUID

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from goldthread.core.errors import DomainError
from goldthread.core.identifiers import is_uuid
from goldthread.core.schemas import ERRORS, Pages, Text
from goldthread.events.models import Event, EventSeries
from goldthread.planning import selectors, services
from goldthread.planning.checklist import requirements
from goldthread.planning.models import Conference, InformationRequest, Order, PublicAffairsProduct, Theme
from goldthread.planning.purpose import purpose_block
from goldthread.planning.schemas import (
    AnswerIn,
    AttendeeIn,
    ChangeOut,
    ConferenceIn,
    ConferenceOut,
    ConferencePatch,
    CorrectionIn,
    ItemIn,
    OrderIn,
    OrderOut,
    OrderPatch,
    ProductIn,
    ProductOut,
    ProductPatch,
    PurposeOut,
    RequestIn,
    RequestOut,
    RequirementOut,
    ThemeIn,
    ThemeOut,
    ThemePatch,
    VersionIn,
)
from goldthread.strategy import selectors as strategy_selectors
from goldthread.strategy.api import country, organization

router = Router()


def _conference(request: HttpRequest, uid: UUID) -> Conference:
    conference = get_object_or_404(Conference.objects.select_related("event", "approved_by"), uid=uid)
    if not selectors.can_see(request.auth, conference):
        raise Http404
    return conference


@router.get("/events/{uid}/conferences", response={200: list[ConferenceOut], **ERRORS}, tags=["conferences"])
def list_conferences(request: HttpRequest, uid: UUID):
    """The current version of each planning conference of the event."""
    return selectors.conferences(get_object_or_404(Event, uid=uid), request.auth)


@router.post("/events/{uid}/conferences", response={201: ConferenceOut, **ERRORS}, tags=["conferences"])
def create_conference(request: HttpRequest, uid: UUID, payload: ConferenceIn):
    event = get_object_or_404(Event, uid=uid)
    return Status(201, services.create_conference(actor=request.auth, event=event, **payload.dict()))


def _shown(conferences: list[Conference]) -> list[Conference]:
    """Conferences as a read shows them, with their attendees and items in a fixed number of queries. Only for reads:
    a write's answer must not come from a cache taken before the write."""
    prefetch_related_objects(conferences, "event__executing_unit", "attendees__organization", "items__owner")
    return selectors.mark_represented(conferences)


@router.get("/conferences/{uid}", response={200: ConferenceOut, **ERRORS}, tags=["conferences"])
def get_conference(request: HttpRequest, uid: UUID):
    return _shown([_conference(request, uid)])[0]


@router.patch("/conferences/{uid}", response={200: ConferenceOut, **ERRORS}, tags=["conferences"])
def update_conference(request: HttpRequest, uid: UUID, payload: ConferencePatch):
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    return services.update_conference(
        actor=request.auth, conference=_conference(request, uid), version=version, changes=changes
    )


@router.put("/conferences/{uid}/attendees", response={200: ConferenceOut, **ERRORS}, tags=["conferences"])
def set_attendees(request: HttpRequest, uid: UUID, payload: list[AttendeeIn]):
    attendees = [{**a.dict(), "organization": organization(a.organization, "organization")} for a in payload]
    return services.set_attendees(actor=request.auth, conference=_conference(request, uid), attendees=attendees)


@router.put("/conferences/{uid}/items", response={200: ConferenceOut, **ERRORS}, tags=["conferences"])
def set_items(request: HttpRequest, uid: UUID, payload: list[ItemIn]):
    items = [{**i.dict(), "owner": organization(i.owner, "owner")} for i in payload]
    return services.set_items(actor=request.auth, conference=_conference(request, uid), items=items)


@router.post("/conferences/{uid}/approve", response={200: ConferenceOut, **ERRORS}, tags=["conferences"])
def approve_conference(request: HttpRequest, uid: UUID):
    """Make the draft authoritative and deliver it to everyone subscribed to the event."""
    return services.approve_conference(actor=request.auth, conference=_conference(request, uid))


@router.post("/conferences/{uid}/corrections", response={201: ConferenceOut, **ERRORS}, tags=["conferences"])
def correct_conference(request: HttpRequest, uid: UUID, payload: CorrectionIn):
    """Start a new draft version of an approved record; the approved one stays unchanged until the draft is approved."""
    return Status(
        201,
        services.correct_conference(actor=request.auth, conference=_conference(request, uid), reason=payload.reason),
    )


@router.get("/conferences/{uid}/versions", response={200: list[ConferenceOut], **ERRORS}, tags=["conferences"])
def list_versions(request: HttpRequest, uid: UUID):
    return _shown(selectors.versions(_conference(request, uid), request.auth))


@router.get("/conferences/{uid}/changes", response={200: list[ChangeOut], **ERRORS}, tags=["conferences"])
def conference_changes(request: HttpRequest, uid: UUID):
    """What this version changed against the version before it (empty for version 1)."""
    conference = _conference(request, uid)
    previous = next((v for v in reversed(selectors.versions(conference)) if v.number < conference.number), None)
    return selectors.changes(previous, conference) if previous else []


def _order(request: HttpRequest, uid: UUID) -> Order:
    order = get_object_or_404(Order.objects.select_related("event", "issuer", "issued_by"), uid=uid)
    if not selectors.can_see(request.auth, order):
        raise Http404
    return order


def _order_fields(data: dict) -> dict:
    if data.get("issuer") is not None:
        data["issuer"] = organization(data["issuer"], "issuer")
    return data


@router.get("/events/{uid}/purpose", response={200: PurposeOut, **ERRORS}, tags=["orders"])
def event_purpose(request: HttpRequest, uid: UUID):
    """The event's purpose block as it stands now: what an order issued today would carry (ORD-1)."""
    block = purpose_block(get_object_or_404(Event, uid=uid))
    return {**block.as_dict(), "text": block.as_text()}


@router.get("/events/{uid}/orders", response={200: list[OrderOut], **ERRORS}, tags=["orders"])
def list_orders(request: HttpRequest, uid: UUID):
    return selectors.orders(get_object_or_404(Event, uid=uid), request.auth)


@router.post("/events/{uid}/orders", response={201: OrderOut, **ERRORS}, tags=["orders"])
def draft_order(request: HttpRequest, uid: UUID, payload: OrderIn):
    event = get_object_or_404(Event, uid=uid)
    return Status(201, services.draft_order(actor=request.auth, event=event, **_order_fields(payload.dict())))


@router.get("/orders/{uid}", response={200: OrderOut, **ERRORS}, tags=["orders"])
def get_order(request: HttpRequest, uid: UUID):
    return _order(request, uid)


@router.patch("/orders/{uid}", response={200: OrderOut, **ERRORS}, tags=["orders"])
def update_order(request: HttpRequest, uid: UUID, payload: OrderPatch):
    changes = _order_fields(payload.dict(exclude_unset=True))
    version = changes.pop("version")
    return services.update_order(actor=request.auth, order=_order(request, uid), version=version, changes=changes)


@router.post("/orders/{uid}/issue", response={200: OrderOut, **ERRORS}, tags=["orders"])
def issue_order(request: HttpRequest, uid: UUID):
    """Freeze the order with the event's purpose block and deliver it to the event's subscribers."""
    return services.issue_order(actor=request.auth, order=_order(request, uid))


@router.get("/orders/{uid}/changes", response={200: list[ChangeOut], **ERRORS}, tags=["orders"])
def order_changes(request: HttpRequest, uid: UUID):
    """What this order changes against the event's previous issued order (empty for the first)."""
    order = _order(request, uid)
    previous = selectors.previous_issued(order)
    return selectors.order_changes(previous, order) if previous else []


class ThemeFilters(Schema):
    country: Text(3) | None = None
    status: Theme.Status | None = None


@router.get("/themes", response={200: list[ThemeOut], **ERRORS}, tags=["themes"])
@paginate(Pages, page_size=100)
def list_themes(request: HttpRequest, filters: Query[ThemeFilters]):
    query = Theme.objects.select_related("country", "series").prefetch_related("objectives")
    if filters.country:
        query = query.filter(country__iso3=filters.country.upper())
    return query.filter(status=filters.status) if filters.status else query


@router.post("/themes", response={201: ThemeOut, **ERRORS}, tags=["themes"])
def create_theme(request: HttpRequest, payload: ThemeIn):
    data = payload.dict()
    data["country"] = country(data["country"])
    if data["series"]:
        data["series"] = EventSeries.objects.filter(name=data["series"]).first()
        if data["series"] is None:
            raise DomainError.on("series", "No such series.")
    else:
        data["series"] = None
    objectives = [strategy_selectors.resolve_objective(o, "objectives") for o in data.pop("objectives")]
    return Status(201, services.create_theme(actor=request.auth, objectives=objectives, **data))


@router.get("/themes/{uid}", response={200: ThemeOut, **ERRORS}, tags=["themes"])
def get_theme(request: HttpRequest, uid: UUID):
    return get_object_or_404(Theme.objects.select_related("country", "series"), uid=uid)


@router.patch("/themes/{uid}", response={200: ThemeOut, **ERRORS}, tags=["themes"])
def update_theme(request: HttpRequest, uid: UUID, payload: ThemePatch):
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    theme = get_object_or_404(Theme, uid=uid)
    return services.update_theme(actor=request.auth, theme=theme, version=version, changes=changes)


@router.get("/events/{uid}/requirements", response={200: list[RequirementOut], **ERRORS}, tags=["requests"])
def event_requirements(request: HttpRequest, uid: UUID):
    """The executor's information-requirements checklist (INFO-1): where each is answered, or its RFI."""
    event = get_object_or_404(Event, uid=uid)
    found = requirements(event, purpose_block(event))
    # One request per topic at most, but each names its event and people: read them together.
    prefetch_related_objects([r.request for r in found if r.request], "event", "asked_by", "answered_by")
    return found


def _request(uid: UUID) -> InformationRequest:
    related = ("event", "owner", "asked_by", "answered_by")
    return get_object_or_404(InformationRequest.objects.select_related(*related), uid=uid)


@router.get("/events/{uid}/requests", response={200: list[RequestOut], **ERRORS}, tags=["requests"])
def list_requests(request: HttpRequest, uid: UUID):
    event = get_object_or_404(Event, uid=uid)
    return InformationRequest.objects.filter(event=event).select_related("event", "owner", "asked_by", "answered_by")


@router.post("/events/{uid}/requests", response={201: RequestOut, **ERRORS}, tags=["requests"])
def create_request(request: HttpRequest, uid: UUID, payload: RequestIn):
    """Ask a question of the checklist: it is delivered to everyone who depends on the event."""
    event = get_object_or_404(Event, uid=uid)
    data = payload.dict()
    data["owner"] = organization(data["owner"], "owner")
    return Status(201, services.ask(actor=request.auth, event=event, **data))


@router.get("/requests/{uid}", response={200: RequestOut, **ERRORS}, tags=["requests"])
def get_request(request: HttpRequest, uid: UUID):
    return _request(uid)


@router.post("/requests/{uid}/answer", response={200: RequestOut, **ERRORS}, tags=["requests"])
def answer_request(request: HttpRequest, uid: UUID, payload: AnswerIn):
    """Answer an open request; the one who asked finds the answer at the top of their inbox."""
    found = _request(uid)
    return services.answer(actor=request.auth, request=found, version=payload.version, text=payload.answer)


@router.post("/requests/{uid}/withdraw", response={200: RequestOut, **ERRORS}, tags=["requests"])
def withdraw_request(request: HttpRequest, uid: UUID, payload: VersionIn):
    return services.withdraw(actor=request.auth, request=_request(uid), version=payload.version)


def _events(references: list[str]) -> list[Event]:
    found = []
    for reference in references:
        event = Event.objects.filter(**{"uid" if is_uuid(reference) else "code": reference}).first()
        if event is None:
            raise DomainError.on("events", f"No event {reference!r}.")
        found.append(event)
    return found


def _themes(uids: list[UUID]) -> list[Theme]:
    found = list(Theme.objects.filter(uid__in=uids))
    if len(found) != len(set(uids)):
        raise DomainError.on("themes", "One of the themes does not exist.")
    return found


class ProductFilters(Schema):
    country: Text(3) | None = None
    event: UUID | None = None
    status: PublicAffairsProduct.Status | None = None


@router.get("/products", response={200: list[ProductOut], **ERRORS}, tags=["public affairs"])
@paginate(Pages, page_size=100)
def list_products(request: HttpRequest, filters: Query[ProductFilters]):
    query = PublicAffairsProduct.objects.select_related("country").prefetch_related("events", "themes")
    if filters.country:
        query = query.filter(country__iso3=filters.country.upper())
    if filters.event:
        query = query.filter(events__uid=filters.event)
    return query.filter(status=filters.status) if filters.status else query


@router.post("/products", response={201: ProductOut, **ERRORS}, tags=["public affairs"])
def create_product(request: HttpRequest, payload: ProductIn):
    data = payload.dict()
    data["country"] = country(data["country"])
    events, themes = _events(data.pop("events")), _themes(data.pop("themes"))
    return Status(201, services.create_product(actor=request.auth, events=events, themes=themes, **data))


@router.get("/products/{uid}", response={200: ProductOut, **ERRORS}, tags=["public affairs"])
def get_product(request: HttpRequest, uid: UUID):
    return get_object_or_404(PublicAffairsProduct.objects.select_related("country"), uid=uid)


@router.patch("/products/{uid}", response={200: ProductOut, **ERRORS}, tags=["public affairs"])
def update_product(request: HttpRequest, uid: UUID, payload: ProductPatch):
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    events = _events(changes.pop("events")) if changes.get("events") is not None else changes.pop("events", None)
    themes = _themes(changes.pop("themes")) if changes.get("themes") is not None else changes.pop("themes", None)
    product = get_object_or_404(PublicAffairsProduct, uid=uid)
    return services.update_product(
        actor=request.auth, product=product, version=version, changes=changes, events=events, themes=themes
    )
