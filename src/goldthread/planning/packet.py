"""The executor packet: one document that gives the executing unit what it needs for an event (INFO-1, CONF-2),
including the lessons earlier events left for it (TURN-2)."""

from dataclasses import dataclass, field

from django.utils import timezone

from goldthread.aars import selectors as aar_selectors
from goldthread.core.models import User
from goldthread.events import selectors as event_selectors
from goldthread.events.models import Event
from goldthread.folders import selectors as folder_selectors
from goldthread.folders.models import Section
from goldthread.planning import selectors as planning_selectors
from goldthread.planning.checklist import Requirement, requirements
from goldthread.planning.models import Conference, Item, PublicAffairsProduct
from goldthread.planning.purpose import PurposeBlock, purpose_block
from goldthread.readiness import selectors as readiness_selectors
from goldthread.strategy.models import Organization

NO_LESSONS = "No validated lesson from an earlier event applies to this one yet."
# The folder sections an executing unit needs before it travels (framework §3.C, administration and logistics).
ESSENTIALS = (Section.Key.ENTRY, Section.Key.LOGISTICS, Section.Key.CULTURE)


@dataclass
class Essential:
    country: str
    title: str
    text: str  # Markdown
    stale: bool


@dataclass
class ConferenceOutcome:
    title: str
    executing_unit_represented: bool | None
    items: dict[str, list[str]]


@dataclass
class Lesson:
    """A lesson from an earlier event, and why the unit going to this one should read it."""

    uid: str
    title: str
    why: str  # why it is relevant: same exercise lineage, same partner unit, or same type of event and country
    recommendation: str
    corrective_action: str
    stage: str
    source: str  # the event it came from

    @property
    def lines(self) -> list[str]:
        found = [f"From {self.source}. Why it applies: {self.why}. Stage: {self.stage}."]
        if self.recommendation:
            found.append(f"Recommendation: {self.recommendation}")
        if self.corrective_action:
            found.append(f"Corrective action: {self.corrective_action}")
        return found


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
    essentials: list[Essential] = field(default_factory=list)  # from the country folders
    deadlines: list[str] = field(default_factory=list)  # the readiness milestones, planned backward
    readiness: dict[str, int] = field(default_factory=dict)  # travelers' items by status
    lessons: list[Lesson] = field(default_factory=list)  # from earlier events (aars.selectors.relevant_lessons)

    @property
    def title(self) -> str:
        return f"Executor packet: {self.event.code} {self.event.name}"


def executor_packet(event: Event) -> Packet:
    previous, _ = event_selectors.iterations(event)
    packet = Packet(event=event, purpose=purpose_block(event), previous=previous)
    packet.requirements = requirements(event, packet.purpose)
    approved = (
        Conference.objects.filter(event=event, status=Conference.Status.APPROVED)
        .select_related("event__executing_unit")
        .prefetch_related("items__owner", "attendees")
        .order_by("starts")
    )
    for conference in planning_selectors.mark_represented(list(approved)):
        items: dict[str, list[str]] = {}
        for item in conference.items.all():
            items.setdefault(item.get_kind_display(), []).append(item.text)
            if item.kind == Item.Kind.ACTION and item.state == Item.State.OPEN:
                packet.open_actions.append(f"{item.text} — {item.owner}, due {item.due:%d %b %Y} ({conference.kind})")
        packet.conferences.append(
            ConferenceOutcome(
                title=f"{conference.get_kind_display()}, {conference.starts:%d %b %Y}, {conference.place} "
                f"(version {conference.number})",
                executing_unit_represented=conference.unit_represented,
                items=items,
            )
        )
    for product in PublicAffairsProduct.objects.filter(events=event).order_by("release_date", "title"):
        when = f", {product.release_date:%d %b %Y}" if product.release_date else ""
        packet.products.append(
            f"{product.get_kind_display()}: {product.title} ({product.get_status_display().lower()}{when})"
        )
    countries = list(event.countries.all())
    for section in Section.objects.filter(country__in=countries, key__in=ESSENTIALS, number__gt=0).select_related(
        "country"
    ):
        packet.essentials.append(
            Essential(section.country.name, section.get_key_display(), section.text, folder_selectors.is_stale(section))
        )
    packet.essentials.sort(key=lambda e: (e.country, [k.label for k in ESSENTIALS].index(e.title)))
    board = readiness_selectors.board(event, timezone.localdate())
    packet.deadlines = [
        f"{m.deadline.date:%a %d %b %Y}: {m.deadline.label} ({m.deadline.lead})"
        + (f" — {m.status.label}" if m.status else "")
        for m in board.milestones
    ]
    packet.readiness = {status.label: n for status, n in board.counts.items() if n}
    for office in Organization.objects.filter(echelon="SCO", country__in=countries).order_by("short_name"):
        packet.contacts.append(f"Security cooperation office: {office.name} ({office.country})")
    desk = User.objects.filter(groups__name="desk_officer", countries__in=countries, is_active=True).distinct()
    for user in desk.order_by("username"):
        packet.contacts.append(
            f"Country desk officer: {user.get_full_name() or user.username}"
            f"{', ' + str(user.organization) if user.organization else ''}"
        )
    for relevant in aar_selectors.relevant_lessons(event):
        lesson, source = relevant.observation, relevant.observation.report.event
        packet.lessons.append(
            Lesson(
                uid=str(lesson.uid),
                title=lesson.title,
                why=relevant.why,
                recommendation=lesson.recommendation,
                corrective_action=lesson.corrective_action,
                stage=lesson.get_stage_display(),
                source=f"{source.code} {source.name}",
            )
        )
    if previous and previous.executing_unit:
        packet.contacts.append(
            f"Executing unit of the previous iteration ({previous.code}): {previous.executing_unit.name}"
        )
    return packet
