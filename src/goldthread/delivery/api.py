"""REST endpoints for the inbox and subscriptions."""

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from goldthread.core.models import User
from goldthread.core.schemas import ERRORS, Pages, Text
from goldthread.delivery import selectors, services
from goldthread.delivery.models import Delivery
from goldthread.events.models import Event

router = Router()


class DeliveryOut(Schema):
    uid: UUID
    title: str
    record_type: str
    record_uid: UUID
    event: UUID | None = Field(None, alias="event.uid")
    path: str
    sent: datetime
    emailed: datetime | None
    read: datetime | None
    acknowledged: datetime | None


class InboxFilters(Schema):
    unread: bool = False


class SubscriptionOut(Schema):
    user: str = Field(alias="user.username")
    organization: str | None = Field(None, alias="user.organization.short_name")
    reason: str
    active: bool


class SubscriptionIn(Schema):
    user: Text(150, 1)
    active: bool = True


@router.get("/inbox", response={200: list[DeliveryOut], **ERRORS}, tags=["inbox"])
@paginate(Pages, page_size=50)
def inbox(request: HttpRequest, filters: Query[InboxFilters]):
    """Records delivered to the caller, newest first."""
    return selectors.inbox(request.auth, unread=filters.unread)


def _mine(request: HttpRequest, uid: UUID) -> Delivery:
    return get_object_or_404(Delivery.objects.select_related("event"), uid=uid, recipient=request.auth)


@router.post("/inbox/{uid}/read", response={200: DeliveryOut, **ERRORS}, tags=["inbox"])
def mark_read(request: HttpRequest, uid: UUID):
    return services.mark_read(actor=request.auth, delivery=_mine(request, uid))


@router.post("/inbox/{uid}/acknowledge", response={200: DeliveryOut, **ERRORS}, tags=["inbox"])
def acknowledge(request: HttpRequest, uid: UUID):
    return services.acknowledge(actor=request.auth, delivery=_mine(request, uid))


@router.get("/events/{uid}/subscriptions", response={200: list[SubscriptionOut], **ERRORS}, tags=["inbox"])
def list_subscriptions(request: HttpRequest, uid: UUID):
    """Who receives what is approved for the event (created automatically on the first delivery)."""
    return selectors.subscriptions(get_object_or_404(Event, uid=uid).pk)


@router.post("/events/{uid}/subscriptions", response={200: SubscriptionOut, **ERRORS}, tags=["inbox"])
def set_subscription(request: HttpRequest, uid: UUID, payload: SubscriptionIn):
    event = get_object_or_404(Event, uid=uid)
    user = get_object_or_404(User, username=payload.user)
    return services.set_subscription(actor=request.auth, event=event, user=user, active=payload.active)
