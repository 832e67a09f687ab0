"""The executor packet: one document that gives the executing unit what it needs for an event (INFO-1, CONF-2).

Sections whose source is not built yet say so plainly, and fill in once it exists.
"""

from dataclasses import dataclass, field

from goldthread.core.models import User
from goldthread.events import selectors as event_selectors
from goldthread.events.models import Event
from goldthread.planning.checklist import Requirement, requirements
from goldthread.planning.models import Conference, Item, PublicAffairsProduct
from goldthread.planning.purpose import PurposeBlock, purpose_block
from goldthread.strategy.models import Organization

NOT_BUILT = {
    "country": "Country folders (entry rules, culture, logistics, contacts) are not in Goldthread yet.",
    "readiness": "Readiness deadlines (clearances, passports, visas, training) are not in Goldthread yet.",
    "lessons": "Lessons from earlier events are not in Goldthread yet.",
}


@dataclass
class ConferenceOutcome:
    title: str
    executing_unit_represented: bool | None
    items: dict[str, list[str]]


@dataclass
class Packet:
    event: Event
    purpose: PurposeBlock
    previous: Event | None
    conferences: list[ConferenceOutcome] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    open_actions: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)  # public-affairs products about the event (COMM-2)
    not_built: dict[str, str] = field(default_factory=lambda: dict(NOT_BUILT))

    @property
    def title(self) -> str:
        return f"Executor packet: {self.event.code} {self.event.name}"


def executor_packet(event: Event) -> Packet:
    previous, _ = event_selectors.iterations(event)
    packet = Packet(event=event, purpose=purpose_block(event), previous=previous)
    packet.requirements = requirements(event, packet.purpose)
    approved = (
        Conference.objects.filter(event=event, status=Conference.Status.APPROVED)
        .prefetch_related("items__owner", "attendees")
        .order_by("starts")
    )
    for conference in approved:
        items: dict[str, list[str]] = {}
        for item in conference.items.all():
            items.setdefault(item.get_kind_display(), []).append(item.text)
            if item.kind == Item.Kind.ACTION and item.state == Item.State.OPEN:
                packet.open_actions.append(f"{item.text} — {item.owner}, due {item.due:%d %b %Y} ({conference.kind})")
        packet.conferences.append(
            ConferenceOutcome(
                title=f"{conference.get_kind_display()}, {conference.starts:%d %b %Y}, {conference.place} "
                f"(version {conference.number})",
                executing_unit_represented=conference.executing_unit_represented,
                items=items,
            )
        )
    for product in PublicAffairsProduct.objects.filter(events=event).order_by("release_date", "title"):
        when = f", {product.release_date:%d %b %Y}" if product.release_date else ""
        packet.products.append(
            f"{product.get_kind_display()}: {product.title} ({product.get_status_display().lower()}{when})"
        )
    countries = list(event.countries.all())
    for office in Organization.objects.filter(echelon="SCO", country__in=countries).order_by("short_name"):
        packet.contacts.append(f"Security cooperation office: {office.name} ({office.country})")
    desk = User.objects.filter(groups__name="desk_officer", countries__in=countries, is_active=True).distinct()
    for user in desk.order_by("username"):
        packet.contacts.append(
            f"Country desk officer: {user.get_full_name() or user.username}"
            f"{', ' + str(user.organization) if user.organization else ''}"
        )
    if previous and previous.executing_unit:
        packet.contacts.append(
            f"Executing unit of the previous iteration ({previous.code}): {previous.executing_unit.name}"
        )
    return packet
