"""What a user's home page gathers ("my work"): the inbox, deadlines and overdue items, the events of their countries
or organization, and recent changes to the records they follow.

What is the user's follows their role's reach (core/roles.py). An organization role's work is that of its
organization and the units below it; a country role's, that of its countries; a theater role's, what waits for a
theater-wide decision (reviews, approvals, channel items) and what its own organization owes. Each kind of item is
read in a fixed number of queries, so the page costs the same for a user with three items as for one with three
hundred (tests/test_home.py counts them).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from goldthread.aars import routing
from goldthread.aars import selectors as aars
from goldthread.aars.models import Report
from goldthread.core import selectors as core_selectors
from goldthread.core.models import AuditEntry, User
from goldthread.core.roles import ROLES
from goldthread.delivery import selectors as delivery
from goldthread.evaluation.models import CountryStanding
from goldthread.events import selectors as event_selectors
from goldthread.events.models import Event
from goldthread.folders.models import Contact, Observance, Section
from goldthread.measures import selectors as measures
from goldthread.planning.models import Conference, InformationRequest, Order
from goldthread.readiness import selectors as readiness
from goldthread.readiness.models import Traveler
from goldthread.strategy.models import Country, Objective

SHOWN = 5  # items of each kind in the deadlines table; the rest are a link away
INBOX_SHOWN = 8
CHANGES_SHOWN = 10
CHANGES_DAYS = 90  # how far back "recent" changes go: it bounds the read of the audit trail
CHANGES_BATCH = 200  # audit entries read at a time for them
CHANGES_READ = 2_000  # and at most, so that someone who follows little in a busy trail is not kept waiting
EVENTS_SHOWN = 10
# Items of a kind and coming events are counted up to this: past it the number says nothing more to act on, and a
# theater-wide count reads hundreds of thousands of rows (a fifth of all events, half a million values to approve).
COUNTED = 1_000
EVENTS_PER_COUNTRY = 3
RECENT_DAYS = 30  # events that ended this recently still show, for their AAR and follow-up
READINESS_DAYS = 120  # upcoming events whose travel deadlines are watched: longer than any lead time in use

# Where each kind of record is read, for a link from its audit entry; the rest link to their own history.
RECORD_PAGES = {
    "events.event": "event",
    "strategy.objective": "objective",
    "aars.report": "aar",
    "aars.observation": "observation",
    "aars.channelitem": "channel-item",
    "measures.indicator": "indicator",
    "measures.assessment": "assessment",
    "planning.conference": "conference",
    "planning.order": "order",
    "planning.informationrequest": "rfi",
    "planning.theme": "theme",
}

# Each role's first paragraph: what the role does here, what to do next, and its guide in docs/user-guide/.
START_HERE: dict[str, tuple[str, list[str]]] = {
    "strategic_planner": (
        "You keep the thread whole across the theater. Review the AARs and approve the values waiting below, close "
        "the items routed to your channels, then work down the gaps of the year at the bottom of the page: each one "
        "links to the record that fixes it.",
        ["strategic-planner.md"],
    ),
    "desk_officer": (
        "You answer for your countries. Approve the values recorded for them, close the access blockers and partner "
        "requests routed to you, and watch what changed in their events, objectives and folders.",
        ["desk-officer.md"],
    ),
    "unit_planner": (
        "Your unit and the units below it: review their AARs, get travelers ready before each event, and see that "
        "the data each event collects is recorded.",
        ["unit-planner.md", "aar-authors.md"],
    ),
    "executor": (
        "Before an event, read its executor packet and get your travelers ready; after it, write the AAR within its "
        "deadline and record the values it asks you to collect.",
        ["executor.md", "aar-authors.md"],
    ),
    "assessor": (
        "Record values, lock periods and assess objectives on evidence. Approved AARs reach your inbox as an "
        "evaluator; finish the assessments you started, listed with your deadlines.",
        ["assessor.md"],
    ),
    "sco": (
        "You are the country team's link to the partner military: keep your country's entry rules right, watch "
        "travelers' clearances before each event, and close the access blockers and partner requests routed to you.",
        ["sco.md"],
    ),
    "public_affairs": (
        "Themes and talking points for your countries' events: see what is coming there, and keep the themes that "
        "apply to it approved and current.",
        ["public-affairs.md"],
    ),
    "reader": (
        "You can read everything and change nothing. Follow any event below to the objectives it serves, or look "
        "up what earlier events learned under Lessons.",
        ["reader.md"],
    ),
    "administrator": (
        "You run the installation and may change every record: accounts and roles, backups, and the theater "
        "summary at the bottom of the page.",
        ["administrator.md"],
    ),
}
NO_ROLE = (
    "Your account has no role yet, so there is nothing here for you to act on: ask an administrator to give you one.",
    ["README.md"],
)


@dataclass(frozen=True)
class Who:
    """The user as the home page sees them: roles, reach, countries and organization."""

    user: User
    roles: frozenset[str]
    reach: frozenset[str]
    countries: tuple[Country, ...]
    units: frozenset[int]  # the user's organization and every unit below it

    @classmethod
    def of(cls, user: User) -> "Who":
        roles = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        if user.is_superuser:
            roles.add("administrator")
        reach = frozenset(ROLES[role]["reach"] for role in roles)
        countries = tuple(user.countries.order_by("name"))
        units = frozenset(user.organization.subtree_ids()) if user.organization_id else frozenset()
        return cls(user, frozenset(roles), reach, countries, units)

    @property
    def country_ids(self) -> set[int]:
        return {c.pk for c in self.countries}

    @property
    def theater(self) -> bool:
        return "theater" in self.reach

    @property
    def org_units(self) -> frozenset[int]:
        """The units whose AARs and collection tasks are the user's to do: those of an organization role. A theater
        role may write them too, but they are the executing units' work, not a planner's or an assessor's."""
        return self.units if "organization" in self.reach else frozenset()


@dataclass(frozen=True)
class Deadline:
    """One thing to do by a date (or waiting, undated), with the page where it is done."""

    title: str
    url: str
    due: date | None
    overdue: bool
    note: str
    event: Event | None = None


@dataclass
class Kind:
    """One kind of deadline: how many there are and the soonest few."""

    label: str  # of the kind, e.g. "AARs to write"
    one: str  # of one item, e.g. "AAR to write"
    total: int
    shown: list[Deadline]
    more_url: str = ""

    @property
    def hidden(self) -> str:
        """How many are not shown, as the page says it: `total` stops counting past COUNTED."""
        return f"{self.total - len(self.shown):,}" + ("+" if self.total > COUNTED else "")


def _counted(items: QuerySet) -> int:
    """How many `items` there are, up to COUNTED + 1. Unordered: counting the first rows in the list's order makes
    the database sort them all first."""
    return items.order_by()[: COUNTED + 1].count()


@dataclass
class CountryEvents:
    country: Country
    count: int
    first: list[Event]


@dataclass
class Change:
    entry: AuditEntry
    url: str


@dataclass
class MyWork:
    """Everything the home page shows of one user's work, gathered by `gather`."""

    who: Who
    today: date
    start_here: list[tuple[str, str, list[str]]]
    inbox: list
    inbox_counts: dict[str, int]
    kinds: list[Kind]
    countries: list[CountryEvents] = field(default_factory=list)
    events_ahead: list[Event] = field(default_factory=list)
    events_ahead_count: int = 0  # up to COUNTED + 1
    events_ended: list[Event] = field(default_factory=list)
    events_scope: str = ""  # "countries", "organization" or "theater": which events the events panel shows
    changes: list[Change] = field(default_factory=list)
    follows: bool = False  # whether the user follows anything at all

    @property
    def events_ahead_counted(self) -> str:
        n = self.events_ahead_count
        return f"more than {COUNTED:,}" if n > COUNTED else f"{n:,}"

    @property
    def deadlines(self) -> list[tuple[str, Deadline]]:
        """(kind, item) for the shown items of every kind, soonest first; undated ones (waiting for the user) last."""
        items = [(kind.one, item) for kind in self.kinds for item in kind.shown]
        return sorted(items, key=lambda pair: (pair[1].due is None, pair[1].due or date.max, pair[1].title))

    @property
    def more(self) -> list[Kind]:
        return [kind for kind in self.kinds if kind.total > len(kind.shown)]


def gather(user: User, today: date | None = None) -> MyWork:
    """The user's work as it stands on `today`."""
    today = today or timezone.localdate()
    who = Who.of(user)
    mine = _events(who)
    work = MyWork(
        who=who,
        today=today,
        start_here=_start_here(who),
        inbox=list(delivery.unacknowledged(user)[:INBOX_SHOWN]),
        inbox_counts=delivery.tally(user),
        kinds=_kinds(who, mine, today),
    )
    _events_panel(work, mine)
    _changes(work, mine)
    return work


def _start_here(who: Who) -> list[tuple[str, str, list[str]]]:
    """(role label, paragraph, guide files) per role of the user, in the order of the role matrix."""
    found = [(ROLES[role]["label"], *START_HERE[role]) for role in ROLES if role in who.roles]
    return found or [("", *NO_ROLE)]


def _events(who: Who) -> QuerySet[Event] | None:
    """The events the user answers for: those of their countries, or else their organization's; None for neither."""
    if who.countries:
        return event_selectors.of_countries(who.country_ids)
    if who.units:
        return event_selectors.of_organizations(who.units)
    return None


# --- Deadlines ----------------------------------------------------------------------------------------------------


def _kinds(who: Who, mine: QuerySet[Event] | None, today: date) -> list[Kind]:
    user, kinds = who.user, []
    if who.org_units and user.has_perm("aars.change_report"):
        kinds.append(_to_write(who, today))
    if user.has_perm("aars.review_report") and (who.theater or who.org_units):
        kinds.append(_to_review(who))
    if who.units:
        kinds.append(_actions(who, today))
    if who.org_units and user.has_perm("measures.add_measurement"):
        kinds.append(_tasks(who, today))
    if who.roles & {role for carriers in routing.CHANNEL_ROLES.values() for role in carriers}:
        kinds.append(_channel_items(who, today))
    if user.has_perm("measures.approve_measurement") and (who.theater or who.countries):
        kinds.append(_approvals(who))
    kinds.append(_readiness(who, mine, today))
    kinds.append(_assessments(who))
    return [kind for kind in kinds if kind.total]


def _to_write(who: Who, today: date) -> Kind:
    owed = aars.owed(who.org_units)
    shown = []
    for event in owed[:SHOWN]:
        late = aars.lateness(event, today)
        if late.report is None:
            url, note = reverse("event-aar", args=[event.uid]), "Not started: start it or import a Word AAR."
        elif late.report.status == Report.Status.RETURNED:
            url, note = reverse("aar", args=[late.report.uid]), "Returned with comments: revise and resubmit."
        else:
            url, note = reverse("aar", args=[late.report.uid]), "Draft: finish and submit it."
        shown.append(Deadline(f"{event.code} {event.name}", url, late.due, late.days > 0, note, event))
    return Kind("AARs to write", "AAR to write", _counted(owed), shown, reverse("aar-list"))


def _to_review(who: Who) -> Kind:
    waiting = aars.awaiting_review(None if who.theater else who.org_units)
    shown = [
        Deadline(
            f"{r.event.code} {r.event.name}",
            reverse("aar", args=[r.uid]),
            r.due,
            False,  # submitted: the authors met their deadline, the review has none of its own
            f"Submitted {r.submitted_at:%d %b %Y}: return it with comments or approve it."
            if r.submitted_at
            else "Submitted: return it with comments or approve it.",
            r.event,
        )
        for r in waiting[:SHOWN]
    ]
    return Kind("AARs to review", "AAR to review", _counted(waiting), shown, f"{reverse('aar-list')}?status=SUBMITTED")


def _actions(who: Who, today: date) -> Kind:
    actions = aars.open_actions(who.units)
    shown = [
        Deadline(
            a.text,
            f"{reverse('aar', args=[a.report.uid])}#actions",
            a.due,
            a.due < today,
            f"Follow-up action of the AAR of {a.report.event.code}, owned by {a.owner}.",
            a.report.event,
        )
        for a in actions[:SHOWN]
    ]
    return Kind("Follow-up actions", "Follow-up action", _counted(actions), shown)


def _tasks(who: Who, today: date) -> Kind:
    tasks = measures.open_tasks(event_selectors.executed_by(who.org_units))
    shown = [
        Deadline(
            f"{t.indicator.code} at {t.event.code}",
            f"{reverse('value-create', args=[t.indicator.uid])}?event={t.event.uid}",
            t.due,
            t.due < today,
            f"Record a value: {t.indicator.statement}",
            t.event,
        )
        for t in tasks[:SHOWN]
    ]
    return Kind("Values to collect", "Value to collect", len(tasks), shown)


def _channel_items(who: Who, today: date) -> Kind:
    items = aars.open_channel_items(who.roles, who.country_ids)
    shown = [
        Deadline(
            str(i),
            reverse("channel-item", args=[i.uid]),
            i.due,
            i.due < today,
            "Routed to your channel: deal with it and close it.",
            i.observation.report.event,
        )
        for i in items[:SHOWN]
    ]
    return Kind("Channel items", "Channel item", _counted(items), shown, f"{reverse('channel-item-list')}?state=open")


def _approvals(who: Who) -> Kind:
    values = measures.waiting_for_approval(None if who.theater else who.country_ids)
    shown = [
        Deadline(
            f"{m.indicator.code}: {m.value:g} {m.indicator.unit} on {m.date:%d %b %Y}",
            f"{reverse('indicator', args=[m.indicator.uid])}#approval",
            None,
            False,
            f"Recorded by {m.recorded_by}: approve it or return it with a reason.",
            m.event,
        )
        for m in values[:SHOWN]
    ]
    return Kind("Values to approve", "Value to approve", _counted(values), shown, reverse("indicator-list"))


def _readiness(who: Who, mine: QuerySet[Event] | None, today: date) -> Kind:
    """One line per upcoming event with travel steps overdue or at risk: the user's events if the user looks after
    travelers or entry rules, and the events the user travels on. Its date is the first such step's deadline."""
    user = who.user
    window = Q(start_date__gt=today, start_date__lte=today + timedelta(days=READINESS_DAYS))
    watched = readiness.travels_of(user)
    if mine is not None and (user.has_perm("readiness.change_traveler") or user.has_perm("readiness.change_entryrule")):
        watched = watched | mine
    # A step is at risk only for a traveler who has yet to take it: an event without travelers has nothing to show,
    # and leaving those out spares a board for each of the theater's coming events. Few events have travelers, so
    # they are listed first and the rest looked up by key (a check per event makes SQLite visit every coming one).
    travelling = Q(pk__in=Traveler.objects.values("event_id"))
    events = list(
        watched.filter(window, travelling).exclude(status=Event.Status.CANCELLED).order_by("start_date", "code")
    )
    items = []
    for board in readiness.boards(events, today) if events else []:
        late = [m for m in board.milestones if m.status == readiness.Status.OVERDUE]
        risky = [m for m in board.milestones if m.status == readiness.Status.AT_RISK]
        if not late and not risky:
            continue
        first = min(late + risky, key=lambda m: m.deadline.date)
        counts = ", ".join(
            f"{len(steps)} step{'s' if len(steps) != 1 else ''} {label}"
            for steps, label in ((late, "overdue"), (risky, "at risk"))
            if steps
        )
        items.append(
            Deadline(
                f"{board.event.code} {board.event.name}",
                reverse("readiness", args=[board.event.uid]),
                first.deadline.date,
                bool(late),
                f"{counts}, the first: {first.deadline.label}. The board shows which traveler needs what.",
                board.event,
            )
        )
    items.sort(key=lambda d: (d.due, d.title))
    return Kind("Travel readiness", "Travel readiness", len(items), items[:SHOWN])


def _assessments(who: Who) -> Kind:
    drafts = measures.draft_assessments(who.user)
    shown = [
        Deadline(
            f"Assessment of {a.objective.code}, {a.period}",
            reverse("assessment", args=[a.uid]),
            None,
            False,
            "Draft: cite the evidence and submit it.",
        )
        for a in drafts[:SHOWN]
    ]
    return Kind("Assessments to finish", "Assessment to finish", _counted(drafts), shown)


# --- Events -------------------------------------------------------------------------------------------------------


def _events_panel(work: MyWork, mine: QuerySet[Event] | None) -> None:
    who, today = work.who, work.today
    if who.countries:
        work.events_scope = "countries"
        ahead = event_selectors.ahead_by_country(who.country_ids, on=today, shown=EVENTS_PER_COUNTRY)
        work.countries = [CountryEvents(c, *ahead[c.pk]) for c in who.countries]
        return
    if mine is not None:
        base = mine.select_related("executing_unit", "series").prefetch_related("countries")
        _ahead(work, base)
        ended = base.filter(end_date__lt=today, end_date__gte=today - timedelta(days=RECENT_DAYS))
        work.events_ended = list(ended.order_by("-end_date", "code")[:EVENTS_SHOWN])
        if work.events_ahead or work.events_ended:
            work.events_scope = "organization"
            return
    # Nothing of the user's own to show: what comes next across the theater is the next best thing to read.
    work.events_scope = "theater"
    _ahead(work, event_selectors.events())


def _ahead(work: MyWork, events: QuerySet[Event]) -> None:
    # Under way, then to come, each read from its own end of the events: asked as one, in start order, the database
    # walked every past event first (370,000 at enterprise size). The few thousand under way across the theater are
    # narrowed to the user's and put in order here.
    live = events.exclude(status=Event.Status.CANCELLED)
    spanning = event_selectors.under_way(work.today)
    under_way = sorted(live.filter(pk__among=spanning).values_list("start_date", "code", "pk"))
    first = [pk for _, _, pk in under_way[:EVENTS_SHOWN]]
    to_come = live.filter(start_date__gte=work.today).order_by("start_date", "code")
    work.events_ahead = [
        *live.filter(pk__in=first).order_by("start_date", "code"),
        *to_come[: EVENTS_SHOWN - len(first)],
    ]
    work.events_ahead_count = min(len(under_way) + _counted(to_come), COUNTED + 1)


# --- Recent changes -----------------------------------------------------------------------------------------------


def _followed(who: Who, mine: QuerySet[Event] | None) -> list[QuerySet]:
    """The uids of what the user follows, as subqueries: the events they answer for with what hangs off them (claims,
    conference records, orders, requests, AARs, travelers, values), the objectives of their countries or owned by
    their organization with their indicators and assessments, and their countries' folders, entry rules and
    standings."""
    countries = who.country_ids
    events = mine if mine is not None else Event.objects.none()
    objectives = Objective.objects.filter(Q(country_id__in=countries) | Q(owner_id__in=who.units))
    found = [
        *event_selectors.record_uids(events),
        *aars.record_uids(events),
        *readiness.record_uids(events, countries),
        *measures.record_uids(events, objectives),
        objectives.values("uid"),
        # These apps have no read of this shape in their selectors yet: the home page is their only reader.
        *(
            model.objects.filter(event_selectors.among(events)).values("uid")
            for model in (Conference, Order, InformationRequest)
        ),
    ]
    if countries:
        found += [
            model.objects.filter(country_id__in=countries).values("uid")
            for model in (Section, Contact, Observance, CountryStanding)
        ]
    return found


def _changes(work: MyWork, mine: QuerySet[Event] | None) -> None:
    who = work.who
    work.follows = bool(mine is not None or who.countries or who.units)
    if not work.follows:
        return
    since = timezone.now() - timedelta(days=CHANGES_DAYS)
    followed = _followed(who, mine)
    # Downloads change nothing; they are in the trail for accountability, not news to followers.
    entries = core_selectors.audit_entries(since=since).exclude(action__endswith="exported")
    # The trail is read newest first, a batch at a time, and each table is asked which of the batch's uids of its
    # type it holds among what the user follows, through its uid index, each record's event checked by key. One query
    # joining the trail to everything followed makes either database list everything followed first, which for a
    # theater-wide planner is every event. Unordered: a table's default order would join in what it sorts by.
    for start in range(0, CHANGES_READ, CHANGES_BATCH):
        batch = list(entries[start : start + CHANGES_BATCH])
        uids: dict[str, set] = {}
        for entry in batch:
            if entry.object_uid:
                uids.setdefault(entry.object_type, set()).add(entry.object_uid)
        held = {
            uid
            for records in followed
            if (of_type := uids.get(records.model._meta.label_lower))
            for uid in records.filter(uid__in=of_type).order_by().values_list("uid", flat=True)
        }
        found = [Change(entry, _record_url(entry)) for entry in batch if entry.object_uid in held]
        work.changes += found[: CHANGES_SHOWN - len(work.changes)]
        if len(work.changes) == CHANGES_SHOWN or len(batch) < CHANGES_BATCH:
            return


def _record_url(entry: AuditEntry) -> str:
    page = RECORD_PAGES.get(entry.object_type)
    # Only records that still exist are followed (their uids are read from the tables), so the page is there.
    if page and entry.object_uid:
        return reverse(page, args=[entry.object_uid])
    return f"{reverse('audit')}?object={entry.object_uid}" if entry.object_uid else ""


def theater_roles(roles: Iterable[str]) -> bool:
    """Whether the theater-wide summary is for these roles: the planners' and administrators' view."""
    return bool(set(roles) & {"strategic_planner", "administrator"})
