"""Reads over deliveries: a user's inbox, and how far a record has reached."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Q, QuerySet

from goldthread.core.models import User
from goldthread.delivery.models import Delivery, Subscription


def inbox(user: User, *, unread: bool = False) -> QuerySet[Delivery]:
    query = Delivery.objects.filter(recipient=user).select_related("event")
    return query.filter(read__isnull=True) if unread else query


def unacknowledged(user: User) -> QuerySet[Delivery]:
    """What the user has not acknowledged yet, newest first: the part of the inbox still asking for something."""
    return Delivery.objects.filter(recipient=user, acknowledged__isnull=True).select_related("event")


def tally(user: User) -> dict[str, int]:
    """How many records the user was sent, has not read and has not acknowledged, in one query."""
    return Delivery.objects.filter(recipient=user).aggregate(
        sent=Count("id"),
        unread=Count("id", filter=Q(read__isnull=True)),
        unacknowledged=Count("id", filter=Q(acknowledged__isnull=True)),
    )


@dataclass
class Reach:
    sent: int
    read: int
    acknowledged: int

    def __str__(self) -> str:
        return f"sent to {self.sent}, read by {self.read}, acknowledged by {self.acknowledged}"


def reach(record_uid: UUID) -> Reach:
    counts = Delivery.objects.filter(record_uid=record_uid).aggregate(
        sent=Count("id"), read=Count("read"), acknowledged=Count("acknowledged")
    )
    return Reach(**counts)


def subscriptions(event_id: int) -> QuerySet[Subscription]:
    return Subscription.objects.filter(event_id=event_id).select_related("user", "user__organization")
