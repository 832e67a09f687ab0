"""Reads over conference records: an event's conferences, one record's versions and what changed between them."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, prefetch_related_objects

from goldthread.core.models import User
from goldthread.core.permissions import allows
from goldthread.events.models import Event
from goldthread.planning.models import Conference, Order, Theme

# A draft belongs to those who may still change it; everyone else sees it once it is approved or issued.
DRAFT_READERS = {Conference: "planning.change_conference", Order: "planning.change_order"}


def can_see(viewer: User | None, record: Conference | Order) -> bool:
    return record.status != "DRAFT" or allows(viewer, DRAFT_READERS[type(record)], record)


def _visible(records: Iterable[Conference | Order], viewer: User | None) -> list:
    """The records of one event that `viewer` may see (all of them for no viewer). They share the event's scope, so
    whether drafts are visible is asked once, not once per draft: a permission check costs queries."""
    drafts_visible: bool | None = None
    shown = []
    for record in records:
        if viewer is not None and record.status == "DRAFT":
            if drafts_visible is None:
                drafts_visible = can_see(viewer, record)
            if not drafts_visible:
                continue
        shown.append(record)
    return shown


def mark_represented(conferences: list[Conference]) -> list[Conference]:
    """Set `unit_represented` on each conference: `Conference.executing_unit_represented` without its two queries per
    record, from the attendees (prefetched here unless they are) and one walk down each executing unit."""
    prefetch_related_objects(conferences, "attendees")
    subtrees: dict[int, set[int]] = {}
    for conference in conferences:
        unit = conference.event.executing_unit
        if unit is None:
            conference.unit_represented = None
            continue
        if unit.pk not in subtrees:
            subtrees[unit.pk] = unit.subtree_ids()
        conference.unit_represented = any(a.organization_id in subtrees[unit.pk] for a in conference.attendees.all())
    return conferences


def conferences(event: Event, viewer: User | None = None) -> list[Conference]:
    """The current version of each of the event's conferences that `viewer` may see: a draft correction to those who
    may change it, otherwise the approved version."""
    current = (
        Conference.objects.filter(event=event)
        .exclude(status=Conference.Status.SUPERSEDED)
        .select_related("event__executing_unit", "approved_by")
        .prefetch_related("attendees__organization", "items__owner")
        .order_by("starts", "lineage", "-number")
    )
    shown, lineages = [], set()
    for conference in _visible(current, viewer):
        if conference.lineage not in lineages:
            shown.append(conference)
            lineages.add(conference.lineage)
    return mark_represented(shown)


def versions(conference: Conference, viewer: User | None = None) -> list[Conference]:
    found = Conference.objects.filter(lineage=conference.lineage).select_related("event", "approved_by")
    return _visible(found.order_by("number"), viewer)


@dataclass
class Change:
    what: str
    before: str
    after: str


def changes(older: Conference, newer: Conference) -> list[Change]:
    """What a correction changed: the fields, then attendees and items added or removed."""
    prefetch_related_objects([older, newer], "attendees__organization", "items")  # kept if already prefetched
    found = [
        Change(name, str(getattr(older, name)), str(getattr(newer, name)))
        for name in ("kind", "starts", "ends", "place", "summary", "markings")
        if getattr(older, name) != getattr(newer, name)
    ]
    for label, left, right in (
        ("attendee", {str(a) for a in older.attendees.all()}, {str(a) for a in newer.attendees.all()}),
        (
            "item",
            {f"{i.get_kind_display()}: {i.text}" for i in older.items.all()},
            {f"{i.get_kind_display()}: {i.text}" for i in newer.items.all()},
        ),
    ):
        found += [Change(label, value, "") for value in sorted(left - right)]
        found += [Change(label, "", value) for value in sorted(right - left)]
    return found


def missed_by_executing_unit(event: Event) -> list[Conference]:
    """Key planning conferences (IPC, MPC, FPC) the executing unit did not attend (CONF-1)."""
    return [c for c in conferences(event) if c.kind in Conference.KEY_KINDS and c.unit_represented is False]


def orders(event: Event, viewer: User | None = None) -> list[Order]:
    found = Order.objects.filter(event=event).select_related("event", "issuer", "issued_by").order_by("number")
    return _visible(found, viewer)


def previous_issued(order: Order) -> Order | None:
    return Order.objects.filter(event=order.event, number__lt=order.number, status=Order.Status.ISSUED).last()


def order_changes(older: Order, newer: Order) -> list[Change]:
    """What a later order changes against an earlier one: its paragraphs, then the purpose it carries."""
    found = [
        Change(label, getattr(older, name), getattr(newer, name))
        for name, label in Order.PARAGRAPHS
        if getattr(older, name) != getattr(newer, name)
    ]
    before = {s["code"]: s for s in older.purpose.get("served", [])}
    after = {s["code"]: s for s in newer.purpose.get("served", [])}
    found += [Change("objective served", f"{c} {before[c]['statement']}", "") for c in sorted(before.keys() - after)]
    found += [Change("objective served", "", f"{c} {after[c]['statement']}") for c in sorted(after.keys() - before)]
    found += [
        Change(f"expected outcome ({c})", before[c]["expected_change"], after[c]["expected_change"])
        for c in sorted(before.keys() & after.keys())
        if before[c]["expected_change"] != after[c]["expected_change"]
    ]
    return found


def themes_for(event: Event) -> QuerySet[Theme]:
    """Approved themes valid during the event for its countries, its series, or the whole region."""
    return (
        Theme.objects.filter(status=Theme.Status.APPROVED, valid_from__lte=event.end_date)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=event.start_date))
        .filter(
            Q(country__in=event.countries.all())
            | Q(series_id=event.series_id)
            | Q(country__isnull=True, series__isnull=True)
        )
        .distinct()
        .order_by("title")
    )
