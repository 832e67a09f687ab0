"""Reads over conference records: an event's conferences, one record's versions and what changed between them."""

from dataclasses import dataclass

from django.db.models import QuerySet

from goldthread.events.models import Event
from goldthread.planning.models import Conference


def conferences(event: Event) -> QuerySet[Conference]:
    """The current version of each of the event's conferences: the draft being corrected, else the approved one."""
    return (
        Conference.objects.filter(event=event)
        .exclude(status=Conference.Status.SUPERSEDED)
        .prefetch_related("attendees__organization", "items__owner")
        .order_by("starts", "lineage", "-number")
    )


def versions(conference: Conference) -> QuerySet[Conference]:
    return Conference.objects.filter(lineage=conference.lineage).order_by("number")


@dataclass
class Change:
    what: str
    before: str
    after: str


def changes(older: Conference, newer: Conference) -> list[Change]:
    """What a correction changed: the fields, then attendees and items added or removed."""
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
    return [c for c in conferences(event) if c.kind in Conference.KEY_KINDS and c.executing_unit_represented is False]
