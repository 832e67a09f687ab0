"""Demo planning records: IPC, MPC and FPC records, orders, themes, requests for information and public-affairs
products for the recurring exercises around the demo's today.

Approval and issue really deliver them: the demo users find them in their inboxes. The many conference records are a
bulk import (`load_conferences`); the rest is written through the planning services.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from goldthread.core.models import User
from goldthread.delivery import services as delivery
from goldthread.delivery.models import Delivery, Subscription
from goldthread.demo.rules import require, valid
from goldthread.events.models import Event, EventSeries
from goldthread.planning import services
from goldthread.planning.models import (
    Attendee,
    Conference,
    InformationRequest,
    Item,
    Order,
    PublicAffairsProduct,
    Theme,
)
from goldthread.strategy.models import Country, Organization

# kind, days before the event starts, place pattern
SCHEDULE = [
    (Conference.Kind.IPC, 180, "{host} (partner headquarters)"),
    (Conference.Kind.MPC, 90, "Fort Shafter, Hawaii"),
    (Conference.Kind.FPC, 40, "{host} (exercise area)"),
]


def load_conferences(today: date) -> int:
    """Create the records that do not exist yet, approved if their conference is over. Returns how many exist.

    A bulk import (docs/decisions/0007-demo-loader-writes-directly.md): the records, attendees and items are written
    straight to their tables as the planning services would leave them, and an approved record is delivered to its
    event's subscribers (made by `delivery.ensure_subscriptions`, as on approval), without a permission check and an
    audit entry per step."""
    planner = User.objects.get(username="planner")
    usarpac = planner.organization
    events = (
        Event.objects.filter(series__isnull=False, fiscal_year__in=(2026, 2027), executing_unit__isnull=False)
        .exclude(status__in=(Event.Status.CANCELLED, Event.Status.PROPOSED))
        .select_related("executing_unit", "series")
        .prefetch_related("countries", "partner_units")
        .order_by("start_date", "code")
    )
    existing: dict[int, set[str]] = {}
    for event_id, kind in Conference.objects.values_list("event_id", "kind"):
        existing.setdefault(event_id, set()).add(kind)
    now = timezone.now()
    conferences, attendees, items = [], [], []
    for number, event in enumerate(events):
        host = event.countries.first()
        partner = event.partner_units.first()
        for kind, lead_days, place in SCHEDULE:
            starts = event.start_date - timedelta(days=lead_days)
            if kind in existing.get(event.pk, ()) or starts > today + timedelta(days=60):
                continue
            conference = Conference(
                event=event,
                kind=kind,
                starts=starts,
                ends=starts + timedelta(days=2),
                place=place.format(host=host.name if host else "Host nation"),
                summary=f"{Conference.Kind(kind).label} for {event.name}.",
            )
            if conference.ends < today:
                conference.status = Conference.Status.APPROVED
                conference.approved_at, conference.approved_by = now, planner
                conference.version = 2  # created, then approved
            conferences.append(conference)
            # Every third exercise's MPC goes without the executing unit, so CONF-1 has something to flag.
            unit_attends = not (kind == Conference.Kind.MPC and number % 3 == 0)
            attendees += _attendees(conference, usarpac, partner, unit_attends)
            items += _items(conference, partner)
    valid([*conferences, *attendees, *items])
    for item in items:
        require(
            item.kind != Item.Kind.ACTION or (item.owner and item.due), f"{item.text}: needs an owner and a due date"
        )
    Conference.objects.bulk_create(conferences)
    Attendee.objects.bulk_create(attendees)
    Item.objects.bulk_create(items)
    _deliver([c for c in conferences if c.status == Conference.Status.APPROVED], now)
    return Conference.objects.count()


def _attendees(
    conference: Conference, usarpac: Organization | None, partner: Organization | None, unit_attends: bool
) -> list[Attendee]:
    unit = conference.event.executing_unit
    found = [
        Attendee(conference=conference, name="USARPAC G37 exercise planner", organization=usarpac, role="Lead planner")
    ]
    if unit_attends:
        found.append(
            Attendee(conference=conference, name=f"{unit} S3 planner", organization=unit, role="Executing unit planner")
        )
    if partner:
        found.append(
            Attendee(
                conference=conference, name=f"{partner.name} lead planner", organization=partner, role="Partner lead"
            )
        )
    return found


def _items(conference: Conference, partner: Organization | None) -> list[Item]:
    event = conference.event
    return [
        Item(
            conference=conference,
            kind=Item.Kind.PARTNER_OBJECTIVE,
            text=f"{partner or 'The partner'} wants its staff to plan and "
            "lead the combined HADR response, with U.S. support.",
        ),
        Item(
            conference=conference,
            kind=Item.Kind.DECISION,
            text=f"Exercise dates confirmed: {event.start_date:%d %b} to {event.end_date:%d %b %Y}.",
        ),
        Item(
            conference=conference,
            kind=Item.Kind.AGREEMENT,
            text="The partner provides the training area and range control; "
            "the U.S. brings the communications gateway kit.",
        ),
        Item(
            conference=conference,
            kind=Item.Kind.OPEN_ISSUE,
            text="Customs release time for vehicles is not yet agreed.",
        ),
        Item(
            conference=conference,
            kind=Item.Kind.ACTION,
            text="Send the communications plan and frequency requests to the partner.",
            owner=event.executing_unit,
            due=conference.starts + timedelta(days=30),
        ),
    ]


def _deliver(approved: list[Conference], now: datetime) -> None:
    """Put each approved record in the inboxes of its event's subscribers, as approval does, and e-mail them."""
    events = list({conference.event_id: conference.event for conference in approved}.values())
    for event in events:
        delivery.ensure_subscriptions(event)
    subscriptions = Subscription.objects.filter(event__in=events, active=True, user__is_active=True)
    subscribers: dict[int, list[Subscription]] = {}
    for subscription in subscriptions.select_related("user"):
        subscribers.setdefault(subscription.event_id, []).append(subscription)
    sent = Delivery.objects.bulk_create(
        Delivery(
            recipient=subscription.user,
            event=conference.event,
            record_type=conference._meta.label_lower,
            record_uid=conference.uid,
            title=f"{conference.get_kind_display()} record, {conference.event} (version {conference.number})"[:300],
            path=reverse("conference", args=[conference.uid]),
            reason=subscription.get_reason_display()[:120],
            sent=now,
        )
        for conference in approved
        for subscription in subscribers.get(conference.event_id, [])
    )
    uids = [d.uid for d in sent]
    transaction.on_commit(lambda: delivery.send_emails(uids))


def load_orders(today: date) -> int:
    """A tasking order from USARPAC for each exercise being planned, and a FRAGO for every fourth; idempotent."""
    planner = User.objects.get(username="planner")
    events = (
        Event.objects.filter(conferences__status=Conference.Status.APPROVED, start_date__gte=today - timedelta(days=30))
        .exclude(claims__isnull=True)
        .select_related("executing_unit")
        .distinct()
        .order_by("start_date", "code")
    )
    for number, event in enumerate(events):
        if event.orders.exists():
            continue
        unit = event.executing_unit
        taskord = services.draft_order(
            actor=planner,
            event=event,
            kind=Order.Kind.TASKORD,
            issuer=planner.organization,
            title=f"Sourcing and tasking for {event.name}",
            situation=f"{event.name} is an annual bilateral exercise in the Theater Army's engagement program.",
            mission=f"{unit} conducts {event.name} from {event.start_date:%d %b} to {event.end_date:%d %b %Y} to "
            "achieve the objectives in the SC purpose annex.",
            execution="Phase I: deployment and reception. Phase II: combined staff exercise and field training. "
            "Phase III: redeployment and AAR.",
            sustainment="Title 10 exercise funds; life support by the host nation under the exercise agreement.",
            command_and_signal="USARPAC G37 is the exercise director; the executing unit reports through its division.",
        )
        services.issue_order(actor=planner, order=taskord)
        if number % 4 == 0:
            frago = services.draft_order(
                actor=planner,
                event=event,
                kind=Order.Kind.FRAGO,
                issuer=planner.organization,
                title=f"Change 1 to the tasking for {event.name}",
                change_reason="An aviation element joins.",
                situation=taskord.situation,
                mission=taskord.mission + " An aviation element joins.",
                execution=taskord.execution,
                sustainment=taskord.sustainment,
                command_and_signal=taskord.command_and_signal,
            )
            services.issue_order(actor=planner, order=frago)
    return Order.objects.count()


THEMES = [
    # title, audience, country (ISO) or None, series name or None, talking points, sensitivities
    (
        "Partners in disaster response",
        "Partner militaries and regional media",
        None,
        None,
        "The United States stands with its partners when disaster strikes.\n"
        "Combined exercises build the habits that save lives in a real response.",
        "Specific contingency plans",
    ),
    (
        "A long friendship with the Royal Thai Army",
        "Royal Thai Army and Thai media",
        "THA",
        None,
        "Our armies have trained together for decades.\n"
        "Hanuman Guardian grows Thai leadership of combined HADR planning.",
        "Thai domestic politics\nThe 2014 coup and its aftermath",
    ),
    (
        "Cooperation on humanitarian relief",
        "PLA delegation",
        "CHN",
        "Pacific Resilience DME",
        "Disaster relief is a shared interest of both our peoples.",
        "Anything beyond relationship-building (FY2000 NDAA limits)\nOperational capabilities and tactics",
    ),
]


def load_themes() -> int:
    planner = User.objects.get(username="planner")
    for title, audience, iso3, series, points, sensitivities in THEMES:
        if Theme.objects.filter(title=title).exists():
            continue
        services.create_theme(
            actor=planner,
            title=title,
            audience=audience,
            talking_points=points,
            sensitivities=sensitivities,
            country=Country.objects.filter(iso3=iso3).first() if iso3 else None,
            series=EventSeries.objects.filter(name=series).first() if series else None,
            valid_from=date(2025, 10, 1),
            status=Theme.Status.APPROVED,
        )
    return Theme.objects.count()


def load_requests(today: date) -> int:
    """The first questions for Hanuman Guardian 2027, asked by the G37: one answered by the SCO, one still open."""
    event = Event.objects.filter(code="EVT-2027-HG").first()
    sco = Organization.objects.filter(echelon="SCO", country__iso3="THA").first()
    if event is None or sco is None or InformationRequest.objects.filter(event=event).exists():
        return InformationRequest.objects.count()
    asker = User.objects.get(username="planner")
    entry = services.ask(
        actor=asker,
        event=event,
        topic="Administration",
        question="Which entry documents, clearances and lead times apply to travellers?",
        owner=sco,
        due=today + timedelta(days=14),
    )
    services.answer(
        actor=User.objects.get(username="sco"),
        request=entry,
        version=entry.version,
        text="Official passports with a Thai visa for all; country clearance through APACS 30 days ahead; "
        "SERE 100.2 and the Thailand AOR brief before travel.",
    )
    services.ask(
        actor=asker,
        event=event,
        topic="Execution",
        question="Which training areas and ranges, under whose range control?",
        owner=sco,
        due=today + timedelta(days=30),
    )
    return InformationRequest.objects.count()


def load_products(today: date) -> int:
    """Public-affairs products for Hanuman Guardian: last year's press release, this year's planned feature."""
    pao = User.objects.get(username="pao")
    theme = Theme.objects.filter(title="A long friendship with the Royal Thai Army").first()
    thailand = Country.objects.get(iso3="THA")
    for code, kind, title, status, released in (
        (
            "EVT-2025-HG",
            PublicAffairsProduct.Kind.PRESS_RELEASE,
            "Thai and U.S. soldiers open Hanuman Guardian 2025",
            PublicAffairsProduct.Status.RELEASED,
            True,
        ),
        (
            "EVT-2027-HG",
            PublicAffairsProduct.Kind.ARTICLE,
            "Feature: Thai staff lead combined HADR planning",
            PublicAffairsProduct.Status.PLANNED,
            False,
        ),
    ):
        event = Event.objects.filter(code=code).first()
        if event is None or PublicAffairsProduct.objects.filter(title=title).exists():
            continue
        services.create_product(
            actor=pao,
            kind=kind,
            title=title,
            summary=f"For {event.name}.",
            status=status,
            release_date=event.start_date if released else event.end_date,
            country=thailand,
            events=[event],
            themes=[theme] if theme else [],
        )
    return PublicAffairsProduct.objects.count()
