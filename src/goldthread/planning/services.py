"""Every write to conference records. A draft can change; approval makes it authoritative and delivers it; a
correction is a new version, and the approved one stays as it was (CONF-2)."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from goldthread.core import audit, records
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import Scope, require
from goldthread.delivery import services as delivery
from goldthread.events.models import Event
from goldthread.planning.models import (
    Attendee,
    Conference,
    InformationRequest,
    Item,
    Order,
    PublicAffairsProduct,
    Theme,
)
from goldthread.planning.purpose import purpose_block
from goldthread.search import index as search_index

FIELDS = ["kind", "starts", "ends", "place", "summary", "markings"]


def _draft_only(conference: Conference) -> None:
    if conference.status != Conference.Status.DRAFT:
        raise DomainError.on(
            "status",
            f"{conference} is {conference.get_status_display().lower()} and cannot change; "
            "start a correction to make a new version.",
        )


def create_conference(*, actor: User, event: Event, **fields: Any) -> Conference:
    require(actor, "planning.add_conference", event)
    conference = Conference(event=event, **fields)
    records.validate(conference)
    with transaction.atomic():
        conference.save()
        audit.record(actor, "conference.created", conference, audit.snapshot(conference, FIELDS))
    return conference


def update_conference(
    *, actor: User, conference: Conference, version: int | None, changes: dict[str, Any]
) -> Conference:
    return records.update(
        actor,
        conference,
        permission="planning.change_conference",
        action="conference.updated",
        version=version,
        changes=changes,
        check=_draft_only,
    )


def set_attendees(*, actor: User, conference: Conference, attendees: list[dict[str, Any]]) -> Conference:
    """Replace the attendee list of a draft."""
    require(actor, "planning.change_conference", conference)
    _draft_only(conference)
    rows = [Attendee(conference=conference, **a) for a in attendees]
    for row in rows:
        records.validate(row, exclude=["conference"])
    with transaction.atomic():
        before = [str(a) for a in conference.attendees.all()]
        conference.attendees.all().delete()
        Attendee.objects.bulk_create(rows)
        audit.record(actor, "conference.attendees", conference, {"attendees": [before, [str(a) for a in rows]]})
    return conference


def set_items(*, actor: User, conference: Conference, items: list[dict[str, Any]]) -> Conference:
    """Replace the partner objectives, decisions, agreements, open issues and action items of a draft."""
    require(actor, "planning.change_conference", conference)
    _draft_only(conference)
    rows = [Item(conference=conference, **i) for i in items]
    for index, row in enumerate(rows):
        records.validate(row, exclude=["conference"])
        if row.kind == Item.Kind.ACTION and not (row.owner_id and row.due):
            raise DomainError.on(f"items.{index}", "An action item needs an owner and a due date.")
    with transaction.atomic():
        conference.items.all().delete()
        Item.objects.bulk_create(rows)
        audit.record(actor, "conference.items", conference, {"items": len(rows)})
    return conference


def approve_conference(*, actor: User, conference: Conference) -> Conference:
    """Make a draft the authoritative record, supersede the version it corrects, and deliver it."""
    require(actor, "planning.approve_conference", conference)
    _draft_only(conference)
    with transaction.atomic():
        locked = Conference.objects.select_for_update().get(pk=conference.pk)
        _draft_only(locked)
        superseded = Conference.objects.filter(lineage=conference.lineage, status=Conference.Status.APPROVED)
        superseded.update(status=Conference.Status.SUPERSEDED)
        records.save_changes(
            conference,
            version=None,
            changes={
                "status": Conference.Status.APPROVED,
                "approved_at": timezone.now(),
                "approved_by": actor,
            },
        )
        audit.record(actor, "conference.approved", conference, {"number": conference.number})
        delivery.deliver(
            actor=actor,
            event=conference.event,
            record=conference,
            title=f"{conference.get_kind_display()} record, {conference.event} (version {conference.number})",
            path=reverse("conference", args=[conference.uid]),
        )
    return conference


def correct_conference(*, actor: User, conference: Conference, reason: str) -> Conference:
    """Start a new draft version of an approved record, with its content copied, to be corrected and approved."""
    require(actor, "planning.change_conference", conference)
    if conference.status != Conference.Status.APPROVED:
        raise DomainError.on("status", "Only the approved version of a record can be corrected.")
    if not reason.strip():
        raise DomainError.on("correction_reason", "Say why the record needs a correction.")
    if Conference.objects.filter(lineage=conference.lineage, status=Conference.Status.DRAFT).exists():
        raise DomainError.on("status", "A correction of this record is already in draft.")
    with transaction.atomic():
        latest = Conference.objects.filter(lineage=conference.lineage).order_by("-number").first()
        draft = Conference.objects.create(
            lineage=conference.lineage,
            number=latest.number + 1,
            event=conference.event,
            correction_reason=reason.strip()[:300],
            **{f: getattr(conference, f) for f in FIELDS},
        )
        Attendee.objects.bulk_create(
            Attendee(conference=draft, name=a.name, organization_id=a.organization_id, role=a.role)
            for a in conference.attendees.all()
        )
        Item.objects.bulk_create(
            Item(conference=draft, kind=i.kind, text=i.text, owner_id=i.owner_id, due=i.due, state=i.state)
            for i in conference.items.all()
        )
        audit.record(actor, "conference.correction_started", draft, {"corrects": conference.number, "reason": reason})
    return draft


ORDER_FIELDS = ["kind", "issuer", "title", "change_reason", *[name for name, _ in Order.PARAGRAPHS], "markings"]


def _order_draft_only(order: Order) -> None:
    if order.status != Order.Status.DRAFT:
        raise DomainError.on("status", f"{order} is issued and cannot change; write a FRAGO instead.")


def draft_order(*, actor: User, event: Event, **fields: Any) -> Order:
    """A new draft order, numbered after the event's earlier orders."""
    require(actor, "planning.add_order", event)
    if fields.get("kind") == Order.Kind.FRAGO and not fields.get("change_reason", "").strip():
        raise DomainError.on("change_reason", "A FRAGO says what it changes and why (ORD-4).")
    with transaction.atomic():
        # Lock the event so two drafts cannot take the same number.
        Event.objects.select_for_update().filter(pk=event.pk).first()
        last = Order.objects.filter(event=event).order_by("-number").values_list("number", flat=True).first()
        order = Order(event=event, number=(last or 0) + 1, **fields)
        records.validate(order)
        order.save()
        audit.record(actor, "order.created", order, audit.snapshot(order, ORDER_FIELDS))
    return order


def update_order(*, actor: User, order: Order, version: int | None, changes: dict[str, Any]) -> Order:
    return records.update(
        actor,
        order,
        permission="planning.change_order",
        action="order.updated",
        version=version,
        changes=changes,
        check=_order_draft_only,
    )


def issue_order(*, actor: User, order: Order) -> Order:
    """Freeze the order with the event's purpose block as it stands, and deliver it to the event's subscribers."""
    require(actor, "planning.issue_order", order)
    _order_draft_only(order)
    block = purpose_block(order.event)
    if not block.served:
        raise DomainError.on(
            "purpose", f"{order.event.code} claims no objective: an order without a purpose cannot be issued (ORD-1)."
        )
    with transaction.atomic():
        records.save_changes(
            order,
            version=None,
            changes={
                "status": Order.Status.ISSUED,
                "issued_at": timezone.now(),
                "issued_by": actor,
                "purpose": block.as_dict(),
            },
        )
        audit.record(actor, "order.issued", order, {"number": order.number, "kind": order.kind})
        delivery.deliver(
            actor=actor,
            event=order.event,
            record=order,
            title=f"{order.get_kind_display()} {order.number}, {order.event}: {order.title}",
            path=reverse("order", args=[order.uid]),
        )
    return order


THEME_FIELDS = [
    "title",
    "audience",
    "talking_points",
    "sensitivities",
    "country",
    "series",
    "valid_from",
    "valid_until",
    "status",
    "markings",
]


def _check_theme(theme: Theme) -> None:
    if theme.valid_until and theme.valid_until < theme.valid_from:
        raise DomainError.on("valid_until", "A theme cannot stop being valid before it starts.")


def create_theme(*, actor: User, objectives: list = (), **fields: Any) -> Theme:
    country = fields.get("country")
    require(actor, "planning.add_theme", Scope(countries=frozenset({country.pk} if country else ())))
    with transaction.atomic():
        theme = records.create(
            actor, Theme, permission="planning.add_theme", action="theme.created", fields=fields, check=_check_theme
        )
        theme.objectives.set(objectives)
        search_index.put_record(theme)
    return theme


def update_theme(*, actor: User, theme: Theme, version: int | None, changes: dict[str, Any]) -> Theme:
    with transaction.atomic():
        records.update(
            actor,
            theme,
            permission="planning.change_theme",
            action="theme.updated",
            version=version,
            changes=changes,
            check=_check_theme,
        )
        search_index.put_record(theme)
    return theme


def save_conference_draft(
    *,
    actor: User,
    event: Event,
    conference: Conference | None,
    fields: dict[str, Any],
    attendees: list[dict[str, Any]],
    items: list[dict[str, Any]],
) -> Conference:
    """Create or rewrite a draft with its attendees and items in one step: all of it is saved, or none."""
    with transaction.atomic():
        if conference is None:
            conference = create_conference(actor=actor, event=event, **fields)
        else:
            version = fields.pop("version", None)
            update_conference(actor=actor, conference=conference, version=version, changes=fields)
        set_attendees(actor=actor, conference=conference, attendees=attendees)
        set_items(actor=actor, conference=conference, items=items)
    return conference


RFI_FIELDS = ["topic", "question", "owner", "due", "markings"]


def ask(*, actor: User, event: Event, **fields: Any) -> InformationRequest:
    """Put a question of the event's checklist to an owner; everyone who depends on the event sees it (INFO-1)."""
    require(actor, "planning.add_informationrequest", event)
    request = InformationRequest(event=event, asked_by=actor, **fields)
    records.validate(request)
    with transaction.atomic():
        request.save()
        audit.record(actor, "rfi.created", request, audit.snapshot(request, RFI_FIELDS))
        delivery.deliver(
            actor=actor,
            event=event,
            record=request,
            title=f"RFI to {request.owner.short_name}, {event.code}: {request.question[:200]}",
            path=reverse("rfi", args=[request.uid]),
        )
    return request


def _open_only(request: InformationRequest) -> None:
    if request.status != InformationRequest.Status.OPEN:
        raise DomainError.on("status", f"This request is {request.get_status_display().lower()} already.")


def answer(*, actor: User, request: InformationRequest, version: int | None, text: str) -> InformationRequest:
    """Answer an open request; the answer goes back to the one who asked, unread at the top of their inbox."""
    require(actor, "planning.answer_informationrequest", request)
    _open_only(request)
    if not text.strip():
        raise DomainError.on("answer", "Write the answer.")
    with transaction.atomic():
        records.save_changes(
            request,
            version=version,
            changes={
                "answer": text.strip(),
                "status": InformationRequest.Status.ANSWERED,
                "answered_at": timezone.now(),
                "answered_by": actor,
            },
        )
        audit.record(actor, "rfi.answered", request, {"answer": request.answer})
        delivery.notify(
            actor=actor,
            event=request.event,
            record=request,
            title=f"Answered: RFI {request.topic}, {request.event.code}",
            path=reverse("rfi", args=[request.uid]),
            users=[request.asked_by],
        )
    return request


def withdraw(*, actor: User, request: InformationRequest, version: int | None) -> InformationRequest:
    """The one who asked, or anyone who may answer, closes a request that no longer needs an answer."""
    if actor.pk != request.asked_by_id:
        require(actor, "planning.answer_informationrequest", request)
    _open_only(request)
    with transaction.atomic():
        records.save_changes(request, version=version, changes={"status": InformationRequest.Status.WITHDRAWN})
        audit.record(actor, "rfi.withdrawn", request, {"status": ["OPEN", "WITHDRAWN"]})
    return request


PRODUCT_FIELDS = ["kind", "title", "summary", "link", "status", "release_date", "country", "markings"]


def _check_product(product: PublicAffairsProduct) -> None:
    if product.status == PublicAffairsProduct.Status.RELEASED and not product.release_date:
        raise DomainError.on("release_date", "A released product needs its release date.")


def create_product(
    *, actor: User, events: list[Event] = (), themes: list[Theme] = (), **fields: Any
) -> PublicAffairsProduct:
    country = fields.get("country")
    require(actor, "planning.add_publicaffairsproduct", Scope(countries=frozenset({country.pk} if country else ())))
    with transaction.atomic():
        product = records.create(
            actor,
            PublicAffairsProduct,
            permission="planning.add_publicaffairsproduct",
            action="product.created",
            fields=fields,
            check=_check_product,
        )
        product.events.set(events)
        product.themes.set(themes)
    return product


def update_product(
    *,
    actor: User,
    product: PublicAffairsProduct,
    version: int | None,
    changes: dict[str, Any],
    events: list[Event] | None = None,
    themes: list[Theme] | None = None,
) -> PublicAffairsProduct:
    with transaction.atomic():
        records.update(
            actor,
            product,
            permission="planning.change_publicaffairsproduct",
            action="product.updated",
            version=version,
            changes=changes,
            check=_check_product,
        )
        for name, values in (("events", events), ("themes", themes)):
            if values is not None:
                getattr(product, name).set(values)
                audit.record(actor, f"product.{name}_set", product, {name: sorted(str(v) for v in values)})
    return product
