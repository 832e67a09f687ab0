"""Reading country folders: the sections in their fixed order, staleness, revisions and their differences, the
partner's calendar (public holidays from the `holidays` library, and observances), and the country's event history."""

import difflib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import holidays
import pycountry
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from goldthread.events.models import Event
from goldthread.folders.models import Attachment, Observance, Revision, Section
from goldthread.strategy.models import Country


def is_stale(section: Section, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return section.last_verified is None or section.last_verified < today - timedelta(days=settings.FOLDER_STALE_DAYS)


def stale_sections(*, today: date | None = None) -> QuerySet[Section]:
    """Saved sections not verified within GOLDTHREAD_FOLDER_STALE_DAYS (sections never written are just empty)."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=settings.FOLDER_STALE_DAYS)
    return Section.objects.filter(Q(last_verified__isnull=True) | Q(last_verified__lt=limit)).select_related("country")


def sections(country: Country) -> list[Section]:
    """All sections of the folder in their fixed order; those never written are unsaved and empty."""
    saved = {s.key: s for s in Section.objects.filter(country=country).select_related("owner", "verified_by")}
    return [saved.get(key) or Section(country=country, key=key) for key in Section.Key.values]


def section(country: Country, key: str) -> Section:
    if key not in Section.Key.values:
        raise Section.DoesNotExist(key)
    return Section.objects.filter(country=country, key=key).select_related("owner").first() or Section(
        country=country, key=key
    )


def revisions(section: Section) -> QuerySet[Revision]:
    return Revision.objects.filter(section=section).select_related("author") if section.pk else Revision.objects.none()


@dataclass
class Line:
    kind: str  # "same", "added", "removed"
    text: str


def diff(section: Section, older: int, newer: int) -> list[Line]:
    """Line by line, what changed from revision `older` to revision `newer` (0 is the empty section)."""
    texts = dict(Revision.objects.filter(section=section, number__in=[older, newer]).values_list("number", "text"))
    for number in (older, newer):
        if number and number not in texts:
            raise Revision.DoesNotExist(number)
    kinds = {" ": "same", "+": "added", "-": "removed"}
    return [
        Line(kinds[line[0]], line[2:])
        for line in difflib.ndiff(texts.get(older, "").splitlines(), texts.get(newer, "").splitlines())
        if line[0] in kinds
    ]


def attachment_path(attachment: Attachment) -> Path:
    """Stored by content hash: the uploaded name never becomes part of a path."""
    return settings.ATTACHMENT_DIR / attachment.sha256[:2] / attachment.sha256


@dataclass
class Day:
    starts: date
    ends: date
    name: str
    country: str
    source: str  # "public holiday" or "observance"


def _alpha2(country: Country) -> str | None:
    found = pycountry.countries.get(alpha_3=country.iso3)
    return found.alpha_2 if found else None


def calendar(country: Country, start: date, end: date) -> list[Day]:
    """The partner's public holidays (from the maintained `holidays` library) and observances between two dates."""
    days: list[Day] = []
    code = _alpha2(country)
    if code and code in holidays.list_supported_countries():
        for day, name in sorted(holidays.country_holidays(code, years=range(start.year, end.year + 1)).items()):
            if start <= day <= end:
                days.append(Day(day, day, name, country.name, "public holiday"))
    observances = Observance.objects.filter(country=country, starts__lte=end, ends__gte=start)
    days += [Day(o.starts, o.ends, o.name, country.name, "observance") for o in observances]
    return sorted(days, key=lambda d: (d.starts, d.name))


def event_conflicts(event: Event) -> list[Day]:
    """Holidays and observances of the event's countries that fall within its dates."""
    return [day for country in event.countries.all() for day in calendar(country, event.start_date, event.end_date)]


def events_on_holidays(
    country: Country, start: date, end: date, *, limit: int = 20
) -> tuple[list[tuple[Event, list[Day]]], int]:
    """The first `limit` of the country's events between two dates that fall on one of its holidays or observances,
    soonest first, each with the days it falls on; and how many there are in all."""
    days = calendar(country, start, end)
    spans = (
        Event.objects.filter(countries=country, start_date__lte=end, end_date__gte=start)
        .order_by("start_date", "code")
        .values_list("pk", "start_date", "end_date")
    )
    # Dates only, compared here: one indexed range scan, whatever the number of holidays.
    clashing = [pk for pk, first, last in spans if any(d.starts <= last and d.ends >= first for d in days)]
    events = Event.objects.in_bulk(clashing[:limit])
    found = [
        (event, [d for d in days if d.starts <= event.end_date and d.ends >= event.start_date])
        for event in (events[pk] for pk in clashing[:limit])
    ]
    return found, len(clashing)


def history(country: Country, *, today: date | None = None, limit: int = 30) -> QuerySet[Event]:
    """Past events in the country, newest first, with the units that executed them."""
    today = today or timezone.localdate()
    return (
        Event.objects.filter(countries=country, start_date__lte=today)
        .select_related("executing_unit")
        .order_by("-start_date")[:limit]
    )


def attachments(country: Country) -> QuerySet[Attachment]:
    return Attachment.objects.filter(country=country).select_related("uploaded_by")
