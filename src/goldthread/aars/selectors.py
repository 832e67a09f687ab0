"""Reading AARs and lessons: the content the score is computed from, what is overdue per unit and command,
what a unit still owes and what waits for a reviewer, the lessons relevant to a new event, and issues that recur
across events."""

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Avg, Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber

from goldthread.aars import routing, score
from goldthread.aars.models import Action, ChannelItem, Observation, Report
from goldthread.core.roles import ROLES
from goldthread.events.models import Event
from goldthread.events.selectors import among
from goldthread.measures import selectors as measures
from goldthread.search import index
from goldthread.strategy.models import Organization

SECTION_FIELDS = {objective_type: name for name, objective_type, _, _ in Report.TYPE_SECTIONS}


def final_due(event: Event) -> date:
    return event.end_date + timedelta(days=settings.AAR_DUE_DAYS)


def content(report: Report, *, fields: dict | None = None, reviews: dict[int, dict] | None = None) -> score.Content:
    """What the score reads, from the stored report — or with `fields` and `reviews` ({claim id: fields}) as
    typed in the editor and not saved yet."""
    fields, reviews = fields or {}, reviews or {}
    found = []
    for review in report.reviews.select_related("claim__objective"):
        typed = reviews.get(review.claim_id, {})
        found.append(
            score.Review(
                objective=review.claim.objective.code,
                objective_type=review.claim.objective_type,
                planned=typed.get("planned", review.planned),
                happened=typed.get("happened", review.happened),
                why=typed.get("why", review.why),
                indicator=review.claim.indicator,
                indicator_evidence=typed.get("indicator_evidence", review.indicator_evidence),
            )
        )
    sections = {t: fields.get(name, getattr(report, name)) for t, name in SECTION_FIELDS.items()}
    items = [
        score.Item(
            title=o.title,
            finding=o.finding,
            discussion=o.discussion,
            recommendation=o.recommendation,
            root_cause=str(o.analysis.get("root_cause", "")),
            partner_unit=o.partner_unit_id is not None,
        )
        for o in report.observations.all()
    ]
    tasks = [
        score.Task(f"{t.indicator.code} {t.indicator.statement}", t.answered) for t in measures.tasks(report.event)
    ]
    return score.Content(reviews=found, sections=sections, items=items, tasks=tasks)


@dataclass
class Late:
    event: Event
    report: Report | None
    due: date
    days: int


def overdue(today: date, *, units: set[int] | None = None) -> list[Late]:
    """Events whose final AAR is past due and not submitted — including events nobody started an AAR for."""
    cutoff = today - timedelta(days=settings.AAR_DUE_DAYS)
    ended = (
        Event.objects.filter(status__in=[Event.Status.EXECUTING, Event.Status.COMPLETED, Event.Status.CLOSED])
        .filter(Q(aar__isnull=True, end_date__lt=cutoff) | Q(aar__due__lt=today, aar__status__in=Report.EDITABLE))
        .select_related("executing_unit", "aar")
        .order_by("end_date", "code")
    )
    if units is not None:
        ended = ended.filter(executing_unit_id__in=units)
    found = []
    for event in ended:
        report = getattr(event, "aar", None)
        due = report.due if report else final_due(event)
        found.append(Late(event=event, report=report, due=due, days=(today - due).days))
    return found


def owed(units: Collection[int]) -> QuerySet[Event]:
    """Events executed by any of `units` (ids) whose final AAR is still to be written: under way or done, with no
    AAR yet or one in draft or returned. Earliest end first, which is earliest due first: the due date is set from
    the end (`final_due`)."""
    return (
        Event.objects.filter(
            executing_unit_id__in=units,
            status__in=[Event.Status.EXECUTING, Event.Status.COMPLETED, Event.Status.CLOSED],
        )
        .filter(Q(aar__isnull=True) | Q(aar__status__in=Report.EDITABLE))
        .select_related("executing_unit", "aar")
        .order_by("end_date", "code")
    )


def lateness(event: Event, today: date) -> Late:
    """When the event's final AAR is due and how many days late it is on `today` (negative: days still to go)."""
    report = getattr(event, "aar", None)
    due = report.due if report else final_due(event)
    return Late(event=event, report=report, due=due, days=(today - due).days)


def awaiting_review(units: Collection[int] | None) -> QuerySet[Report]:
    """Submitted AARs of events executed by any of `units` (ids), or every submitted AAR with `units` None (a
    theater reviewer's), longest waiting first."""
    found = Report.objects.filter(status=Report.Status.SUBMITTED)
    if units is not None:
        found = found.filter(event__executing_unit_id__in=units)
    return found.select_related("event__executing_unit").order_by("submitted_at", "id")


def open_actions(units: Collection[int]) -> QuerySet[Action]:
    """Follow-up actions owned by any of `units` (ids) and not done yet, soonest due first."""
    return (
        Action.objects.filter(owner_id__in=units, done=False)
        .select_related("owner", "report__event")
        .order_by("due", "id")
    )


def open_channel_items(roles: Collection[str], countries: Collection[int]) -> QuerySet[ChannelItem]:
    """Open channel items on the channels `roles` carry (aars/routing.py): every item where a theater-wide role
    carries it, otherwise only the items about `countries` (ids). Soonest due first."""
    theater = {role for role in roles if ROLES.get(role, {}).get("reach") == "theater"}
    everywhere, in_countries = [], []
    for channel, carriers in routing.CHANNEL_ROLES.items():
        if theater & set(carriers):
            everywhere.append(channel)
        elif set(roles) & set(carriers):
            in_countries.append(channel)
    carried = Q(channel__in=everywhere)
    if in_countries:  # only then joined to the items' events: counting a theater's items went through every one
        about = Exists(
            Event.countries.through.objects.filter(
                event_id=OuterRef("observation__report__event_id"), country_id__in=countries
            )
        )
        carried |= Q(about, channel__in=in_countries)
    return (
        ChannelItem.objects.filter(carried, closed_at__isnull=True)
        .select_related("observation__report__event")
        .order_by("due", "id")
    )


def record_uids(events: QuerySet[Event]) -> list[QuerySet]:
    """The uids of the AARs of `events`, their observations and channel items, to be narrowed to a few uids: what
    the audit trail names when they change."""
    return [
        Report.objects.filter(among(events)).values("uid"),
        Observation.objects.filter(among(events, "report__event")).values("uid"),
        ChannelItem.objects.filter(among(events, "observation__report__event")).values("uid"),
    ]


@dataclass
class UnitLine:
    unit: Organization
    depth: int
    overdue: int  # of the unit itself
    overdue_below: int  # of the unit and every unit under it: the command's view
    reports: int
    average_score: int | None


def by_unit(today: date) -> list[UnitLine]:
    """Overdue AARs and average critical-content score per executing unit, rolled up the chain of command."""
    late = Counter(line.event.executing_unit_id for line in overdue(today) if line.event.executing_unit_id)
    scored = {
        row["event__executing_unit"]: row
        for row in Report.objects.filter(status__in=Report.IN)
        .values("event__executing_unit")
        .annotate(n=Count("id"), avg=Avg("score"))
    }
    units = {u.pk: u for u in Organization.objects.exclude(echelon="PARTNER_UNIT")}
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit in units.values():
        children[unit.parent_id if unit.parent_id in units else None].append(unit.pk)
    lines: list[UnitLine] = []

    def walk(pk: int, depth: int) -> int:
        line = UnitLine(units[pk], depth, late.get(pk, 0), 0, 0, None)
        row = scored.get(pk)
        if row:
            line.reports, line.average_score = row["n"], round(row["avg"])
        lines.append(line)
        line.overdue_below = line.overdue + sum(
            walk(c, depth + 1) for c in sorted(children[pk], key=lambda c: units[c].short_name)
        )
        return line.overdue_below

    for root in sorted(children[None], key=lambda c: units[c].short_name):
        walk(root, 0)
    # Only units with something to show, and the chain above them.
    shown = {id(line) for line in lines if line.overdue_below or line.reports}
    return [line for line in lines if id(line) in shown]


# Critical first: the text values do not sort in that order.
CRITICALITY_RANK = Case(
    When(criticality=Observation.Criticality.CRITICAL, then=Value(2)),
    When(criticality=Observation.Criticality.SIGNIFICANT, then=Value(1)),
    default=Value(0),
)


@dataclass
class Relevant:
    observation: Observation
    why: str


def relevant_lessons(event: Event, limit: int = 10) -> list[Relevant]:
    """Validated lessons from earlier events that a unit going to `event` should read: same exercise lineage first,
    then the same partner unit, then the same type of event in the same country."""
    earlier = Observation.objects.filter(
        stage__in=Observation.CARRIED, report__event__start_date__lt=event.start_date
    ).exclude(report__event=event)
    rules = []
    if event.series_id:
        rules.append((Q(report__event__series_id=event.series_id), f"Earlier iteration of {event.series}"))
    partners = list(event.partner_units.all())
    if partners:
        rules.append((Q(partner_unit__in=partners), "Same partner unit"))
    held = Event.countries.through.objects.filter(
        event_id=OuterRef("report__event_id"), country_id__in=event.countries.values("pk")
    )
    rules.append((Q(Exists(held), report__event__event_type=event.event_type), "Same event type and country"))
    why_of: dict[int, str] = {}
    for condition, why in rules:
        if len(why_of) >= limit:
            break
        # Ranked by key alone, then the few kept read whole: sorting tens of thousands of whole observations (a
        # partner unit's, at enterprise size) cost more than finding them. The event's start date is sorted as an
        # expression no index holds, so that each rule starts from its own condition: walking the events newest
        # first, PostgreSQL passed 118,000 of them before a partner unit's ten lessons turned up (410 ms, not 64).
        # `limit` of each rule are enough: any beyond the new ones are among those already found.
        started = Coalesce("report__event__start_date", "report__event__start_date")
        ranked = earlier.filter(condition).annotate(started=started, rank=CRITICALITY_RANK)
        for pk in ranked.order_by("-started", "-rank", "id").values_list("pk", flat=True)[:limit]:
            why_of.setdefault(pk, why)
    kept = list(why_of)[:limit]
    observations = Observation.objects.select_related("report__event", "partner_unit").in_bulk(kept)
    return [Relevant(observations[pk], why_of[pk]) for pk in kept]


# Words that say nothing about what an observation is about: matching on them would find every observation.
COMMON_WORDS = frozenset(
    (  # noqa: SIM905 - a list of words reads best as words
        "the a an and or of for to in on at by with from was were is are be been not no too few late during after "
        "before than this that their its our we they it as"
    ).split()
)


def telling_words(title: str, most: int = 6) -> str:
    """The longest words of a title that are not common words: what similar observations would share."""
    words = {w.strip(".,;:!?()\"'").lower() for w in title.split()}
    kept = sorted((w for w in words if len(w) > 3 and w not in COMMON_WORDS), key=lambda w: (-len(w), w))
    return " ".join(kept[:most])


def recurring(observation: Observation, limit: int = 10) -> list[Observation]:
    """Improve items from other events that look like this one: same partner unit and DOTMLPF-P domain, or words of
    the title in common."""
    others = (
        Observation.objects.exclude(report__event_id=observation.report.event_id)
        .filter(finding=Observation.Finding.IMPROVE, report__status=Report.Status.DISSEMINATED)
        .select_related("report__event", "partner_unit")
    )
    same = []
    if observation.partner_unit_id and observation.dotmlpfp:
        same = list(others.filter(partner_unit_id=observation.partner_unit_id, dotmlpfp=observation.dotmlpfp)[:limit])
    uids = [
        h.uid
        for h in index.search(telling_words(observation.title), kind="observation", any_word=True, limit=limit * 2)
    ]
    alike = list(others.filter(uid__in=uids)) if uids else []
    seen, found = set(), []
    for o in same + alike:
        if o.pk not in seen and o.pk != observation.pk:
            seen.add(o.pk)
            found.append(o)
    return found[:limit]


@dataclass
class Pattern:
    partner: Organization | None
    dotmlpfp: str
    objective_type: str
    events: int
    observations: list[Observation]


def recurring_issues(min_events: int = 2, limit: int = 30) -> list[Pattern]:
    """Improve items that come back across events with the same partner unit, DOTMLPF-P domain and objective type."""
    groups = (
        Observation.objects.filter(finding=Observation.Finding.IMPROVE, report__status=Report.Status.DISSEMINATED)
        .exclude(dotmlpfp="")
        .values("partner_unit", "dotmlpfp", "objective_type")
        .annotate(events=Count("report__event", distinct=True))
        .filter(events__gte=min_events)
        .order_by("-events", "dotmlpfp")[:limit]
    )
    groups = list(groups)
    partners = Organization.objects.in_bulk([g["partner_unit"] for g in groups if g["partner_unit"]])
    # The ten newest observations of every pattern in one query, dealt out to their patterns in Python.
    keys = ("partner_unit", "dotmlpfp", "objective_type")
    members: dict[tuple, list[Observation]] = {tuple(g[k] for k in keys): [] for g in groups}
    if groups:
        matching = Q()
        for group in groups:
            matching |= Q(**{k: group[k] for k in keys})
        newest = F("report__event__start_date").desc()
        observations = (
            Observation.objects.filter(finding=Observation.Finding.IMPROVE, report__status=Report.Status.DISSEMINATED)
            .filter(matching)
            .annotate(rank=Window(RowNumber(), partition_by=[F(k) for k in keys], order_by=newest))
            .filter(rank__lte=10)
            .select_related("report__event", "partner_unit")
            .order_by(newest)
        )
        for o in observations:
            members[(o.partner_unit_id, o.dotmlpfp, o.objective_type)].append(o)
    return [
        Pattern(
            partners.get(group["partner_unit"]),
            group["dotmlpfp"],
            group["objective_type"],
            group["events"],
            members[tuple(group[k] for k in keys)][:10],
        )
        for group in groups
    ]
