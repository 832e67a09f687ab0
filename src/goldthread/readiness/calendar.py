"""The readiness board as an iCalendar file (RFC 5545): the event's milestones and every step a traveler still owes.

Each entry is an all-day event on its deadline. Uids are stable (the step and the event's or traveler's uid), so a
calendar that subscribes to the file again updates its entries instead of doubling them.
"""

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings

from goldthread.readiness.selectors import Board, Status

if TYPE_CHECKING:
    from icalendar import Event as Entry

CONTENT_TYPE = "text/calendar; charset=utf-8"


def filename(board: Board) -> str:
    return f"{board.event.code}-readiness.ics"


def _entry(uid: str, day: date, summary: str, description: str, stamp: datetime) -> "Entry":
    from icalendar import Event as Entry

    entry = Entry()
    entry.add("uid", f"{uid}@goldthread")
    entry.add("dtstamp", stamp)
    entry.add("dtstart", day)
    if day < date.max:  # an all-day entry ends the next day; on the calendar's last day it has no end
        entry.add("dtend", day + timedelta(days=1))
    entry.add("summary", summary)
    entry.add("description", f"{settings.CLASSIFICATION}\n{description}".strip())
    entry.add("categories", ["Goldthread readiness"])
    entry.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return entry


def ics(board: Board) -> bytes:
    # Imported here: the library is needed only when someone downloads, not on every process start.
    from icalendar import Calendar

    event = board.event
    stamp = datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//Goldthread//Travel readiness//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{event.code} readiness")
    for milestone in board.milestones:
        step = milestone.deadline
        status = f"Status: {milestone.status.label}." if milestone.status else ""
        lead = f"Lead time: {step.lead}." if step.lead else ""
        calendar.add_component(
            _entry(
                f"{step.key}.{event.uid}",
                step.date,
                f"{event.code}: {step.label}",
                "\n".join(part for part in (lead, status, step.note) if part),
                stamp,
            )
        )
    for row in board.rows:
        for item in row.items:
            if item.status == Status.DONE or item.deadline is None:
                continue
            calendar.add_component(
                _entry(
                    f"{item.key}.{row.traveler.uid}",
                    item.deadline,
                    f"{event.code}: {item.label}, {row.traveler.name} ({item.status.label})",
                    f"Lead time: {item.lead}.\n{item.reason}",
                    stamp,
                )
            )
    return calendar.to_ical()
