"""Delivering approved records to the people who depend on an event, by inbox and e-mail, and tracking what they
did with them. One mechanism for every kind of record: conference records now, orders and AARs later."""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.utils import timezone

from goldthread.core import audit
from goldthread.core.errors import NotPermitted
from goldthread.core.models import User
from goldthread.core.permissions import allows
from goldthread.delivery.models import Delivery, Subscription
from goldthread.events.models import Event

log = logging.getLogger(__name__)


def audience(event: Event) -> dict[User, str]:
    """Who depends on the event: its executing and supporting units (and the units below them), and the desk
    officers and SCOs who answer for its countries. The first reason found for a user wins."""
    found: dict[User, str] = {}
    units = [(event.executing_unit, Subscription.Reason.EXECUTING_UNIT)] if event.executing_unit else []
    units += [(unit, Subscription.Reason.SUPPORTING_UNIT) for unit in event.supporting_units.all()]
    for unit, reason in units:
        for user in User.objects.filter(organization_id__in=unit.subtree_ids(), is_active=True):
            found.setdefault(user, reason)
    countries = list(event.countries.values_list("pk", flat=True))
    for role, reason in (("desk_officer", Subscription.Reason.DESK_OFFICER), ("sco", Subscription.Reason.SCO)):
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for user in User.objects.filter(groups=group, countries__in=countries, is_active=True).distinct():
            found.setdefault(user, reason)
    return found


def ensure_subscriptions(event: Event) -> None:
    for user, reason in audience(event).items():
        Subscription.objects.get_or_create(event=event, user=user, defaults={"reason": reason})


def deliver(
    *,
    actor: User | None,
    event: Event,
    record: models.Model,
    title: str,
    path: str,
    recipients: dict[User, str] | None = None,
) -> list[Delivery]:
    """Put `record` in the inbox of each recipient — the event's active subscribers unless `recipients` ({user:
    reason}) names others — and e-mail them once the transaction commits. Called by the service that approves the
    record, inside its transaction. A recipient who already has the record is not sent it twice."""
    if recipients is None:
        ensure_subscriptions(event)
        recipients = {
            s.user: s.get_reason_display()
            for s in event.subscriptions.filter(active=True, user__is_active=True).select_related("user")
        }
    already = set(Delivery.objects.filter(record_uid=record.uid).values_list("recipient_id", flat=True))
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        draft(user, event, record, title, path, reason, now)
        for user, reason in recipients.items()
        if user.is_active and user.pk not in already
    )
    audit.record(actor, "record.delivered", record, {"recipients": sorted(d.recipient.username for d in deliveries)})
    uids = [d.uid for d in deliveries]
    transaction.on_commit(lambda: send_emails(uids))
    return deliveries


def draft(user: User, event: Event, record: models.Model, title: str, path: str, reason: str, sent) -> Delivery:
    """One unsaved inbox entry, cut to the columns' lengths."""
    return Delivery(
        recipient=user,
        event=event,
        record_type=record._meta.label_lower,
        record_uid=record.uid,
        title=title[:300],
        path=path,
        reason=reason[:120],
        sent=sent,
    )


def notify(
    *,
    actor: User | None,
    event: Event,
    record: models.Model,
    title: str,
    path: str,
    users: list[User],
    reason: str = "",
):
    """Put `record` back at the top of these users' inboxes, unread, with a new title — for a change one person
    waits for, such as the answer to the request they asked. An earlier delivery of the record is reused."""
    now = timezone.now()
    for user in {u for u in users if u.is_active}:
        delivery, _ = Delivery.objects.update_or_create(
            recipient=user,
            record_uid=record.uid,
            defaults={
                "event": event,
                "record_type": record._meta.label_lower,
                "title": title[:300],
                "path": path,
                "reason": reason[:120],
                "sent": now,
                "emailed": None,
                "read": None,
                "acknowledged": None,
            },
        )
        uid = delivery.uid
        transaction.on_commit(lambda uid=uid: send_emails([uid]))
    audit.record(actor, "record.delivered", record, {"recipients": sorted(u.username for u in users if u.is_active)})


def send_emails(uids: list) -> int:
    """E-mail each delivery whose recipient has an address; a mail server that fails is logged, never fatal."""
    pending = Delivery.objects.filter(uid__in=uids, emailed__isnull=True).exclude(recipient__email="")
    messages = [
        (
            d,
            EmailMessage(
                subject=f"[{settings.CLASSIFICATION}] {d.title}",
                body=(
                    f"{settings.CLASSIFICATION}\n\n{d.title} has been sent to you.\n\n"
                    f"Read and acknowledge it in Goldthread: {settings.BASE_URL.rstrip('/')}{d.path}\n\n"
                    f"{settings.CLASSIFICATION}\n"
                ),
                to=[d.recipient.email],
            ),
        )
        for d in pending.select_related("recipient")
    ]
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            sent = connection.send_messages([m for _, m in messages]) or 0
    except OSError:
        log.exception("Could not send %d delivery e-mails; they stay in the inboxes", len(messages))
        return 0
    Delivery.objects.filter(pk__in=[d.pk for d, _ in messages]).update(emailed=timezone.now())
    return sent


def _own(actor: User, delivery: Delivery) -> None:
    if actor is None or actor.pk != delivery.recipient_id:
        raise NotPermitted("Only its recipient can mark a delivery read or acknowledged.")


def mark_read(*, actor: User, delivery: Delivery) -> Delivery:
    _own(actor, delivery)
    if delivery.read is None:
        delivery.read = timezone.now()
        delivery.save(update_fields=["read"])
    return delivery


def open_delivered(*, actor: User, record: models.Model) -> Delivery | None:
    """The actor's delivery of `record`, if it was delivered to them, marked read: opening the record is reading it."""
    mine = Delivery.objects.filter(recipient=actor, record_uid=record.uid).first()
    return mark_read(actor=actor, delivery=mine) if mine else None


def acknowledge(*, actor: User, delivery: Delivery) -> Delivery:
    """The recipient confirms they have read the record and will act on it."""
    _own(actor, delivery)
    if delivery.acknowledged is None:
        now = timezone.now()
        with transaction.atomic():
            delivery.read = delivery.read or now
            delivery.acknowledged = now
            delivery.save(update_fields=["read", "acknowledged"])
            audit.record_about(actor, "delivery.acknowledged", delivery.title, {"record": str(delivery.record_uid)})
    return delivery


def set_subscription(*, actor: User, event: Event, user: User, active: bool) -> Subscription:
    """Subscribe or unsubscribe `user`: users may do it for themselves, event editors for anyone."""
    if actor.pk != user.pk and not allows(actor, "events.change_event", event):
        raise NotPermitted("Only the user, or someone who may change the event, can change this subscription.")
    with transaction.atomic():
        subscription, _ = Subscription.objects.get_or_create(
            event=event, user=user, defaults={"reason": Subscription.Reason.MANUAL, "active": active}
        )
        if subscription.active != active:
            subscription.active = active
            subscription.save(update_fields=["active"])
        audit.record(actor, "subscription.changed", event, {"user": user.username, "active": active})
    return subscription
