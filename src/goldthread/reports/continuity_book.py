"""Continuity books (TURN-1): a country's whole folder as one document, and what one person answers for, for
the newcomer and the successor."""

from datetime import date, timedelta

from django.utils import timezone

from goldthread.core.models import User
from goldthread.delivery.models import Delivery
from goldthread.folders import selectors
from goldthread.folders.models import Contact, Section
from goldthread.planning.models import InformationRequest
from goldthread.reports.document import Document, Heading, Paragraph, Table
from goldthread.reports.executor_packet import add_markdown
from goldthread.strategy.models import Country, CountryConstraint


def document(country: Country, *, today: date | None = None) -> Document:
    today = today or timezone.localdate()
    result = Document(title=f"Continuity book: {country.name}", filename=f"{country.iso3}-continuity-book")
    result.add(Paragraph(f"The country folder of {country.name} as of {today:%d %b %Y}."))
    for section in selectors.sections(country):
        result.add(Heading(section.get_key_display()))
        if section.pk:
            stale = " — STALE: not verified within the set period" if selectors.is_stale(section, today) else ""
            verified = f"{section.last_verified:%d %b %Y}" if section.last_verified else "never"
            result.add(Paragraph(f"Revision {section.number}, last verified {verified}{stale}.", strong=bool(stale)))
        else:
            result.add(Paragraph("Not written yet."))
        add_markdown(result, section.text)
        if section.key == "legal":
            rules = [f"{c.title} ({c.basis})" for c in CountryConstraint.objects.filter(country=country)]
            result.add(Heading("Country constraints in Goldthread", level=2))
            result.bullets(rules, "None.")
        if section.key == "contacts":
            contacts = Contact.objects.filter(country=country)
            result.add(Heading("Who held which role", level=2))
            result.add(
                Table(
                    ["Role", "Name", "Organization", "Held"],
                    [
                        [c.role, c.name, c.organization, f"{c.held_from:%b %Y} – {c.held_until:%b %Y}"]
                        if c.held_until
                        else [c.role, c.name, c.organization, f"{c.held_from:%b %Y} – now"]
                        for c in contacts
                    ],
                )
                if contacts
                else Paragraph("No contacts recorded.")
            )
        if section.key == "calendar":
            days = selectors.calendar(country, today, today + timedelta(days=365))
            result.add(Heading("The next twelve months", level=2))
            result.bullets([f"{d.starts:%a %d %b %Y}: {d.name} ({d.source})" for d in days], "No holidays known.")
    result.add(Heading("History"))
    result.bullets(
        [
            f"{e.code} {e.name}, {e.start_date:%b %Y}"
            + (f", executed by {e.executing_unit.short_name}" if e.executing_unit else "")
            for e in selectors.history(country, today=today)
        ],
        "No past events.",
    )
    result.add(Heading("Attachments"))
    result.bullets([f"{a.name} ({a.size:,} bytes)" for a in selectors.attachments(country)], "None.")
    return result


def for_person(user: User, *, today: date | None = None) -> Document:
    """What a person in a role answers for, for their successor: countries, folder sections, the events they follow,
    open requests for information and deliveries they have not acknowledged."""
    today = today or timezone.localdate()
    name = user.get_full_name() or user.username
    result = Document(title=f"Continuity book: {name}", filename=f"{user.username}-continuity-book")
    roles = ", ".join(user.groups.values_list("name", flat=True)) or "no role"
    result.add(
        Paragraph(f"{user.username} ({roles}), {user.organization or 'no organization'}, as of {today:%d %b %Y}.")
    )
    result.add(Heading("Countries"))
    result.bullets([c.name for c in user.countries.all()], "None.")
    result.add(Heading("Folder sections owned"))
    owned = Section.objects.filter(owner=user).select_related("country")
    result.bullets([f"{s}{' (stale)' if selectors.is_stale(s, today) else ''}" for s in owned], "None.")
    result.add(Heading("Events followed"))
    following = user.subscriptions.filter(active=True, event__end_date__gte=today).select_related("event")
    result.bullets(
        [f"{s.event.code} {s.event.name}, {s.event.start_date:%d %b %Y} ({s.get_reason_display()})" for s in following],
        "None upcoming.",
    )
    result.add(Heading("Open requests for information"))
    asked = InformationRequest.objects.filter(asked_by=user, status=InformationRequest.Status.OPEN).select_related(
        "event", "owner"
    )
    result.bullets(
        [f"{r.event.code}: {r.question} (to {r.owner.short_name}, due {r.due:%d %b %Y})" for r in asked], "None."
    )
    result.add(Heading("Not yet acknowledged"))
    pending = Delivery.objects.filter(recipient=user, acknowledged__isnull=True)
    result.bullets([f"{d.title} (sent {d.sent:%d %b %Y})" for d in pending], "Nothing.")
    return result
