"""What `goldthread generate` writes around its events, in the same batches: country objectives under the catalogue's,
MOEs on some of them with values measured at the events that claim them, planning conference records, and
after-action reports with their objective reviews, observations and routed channel items.

Every record is drafted as plain rows (demo/bulk.py) in the state the services would leave it in: an AAR only for
an event that has ended, observations of a draft report still at the start of the lessons loop, approved conference
records only for conferences that are over, measured values only at events that collect the indicator, the report's
score computed by the AAR rubric itself. Search entries are built by `search.documents`, as the services' are.
"""

import dataclasses
import operator
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from goldthread.aars import routing, score
from goldthread.aars.models import ChannelItem, ObjectiveReview, Observation, Report
from goldthread.core.catalogues import Level
from goldthread.demo import bulk
from goldthread.demo import catalogue as cat
from goldthread.demo.observation_text import EventFacts, Writer, between
from goldthread.demo.planning_records import SCHEDULE
from goldthread.events.models import Event
from goldthread.measures import periods
from goldthread.measures.models import CRITERIA, Indicator, Measurement
from goldthread.planning.models import Attendee, Conference, Item
from goldthread.search import documents
from goldthread.search.models import Entry
from goldthread.strategy.models import Objective, ObjectiveLink

Status = Event.Status
# One generated objective for every this many events; every MEASURED_EVERY-th of them carries MOEs.
EVENTS_PER_OBJECTIVE = 10
MEASURED_EVERY = 4
# Values recorded at an ended event that collects an indicator, shared among its indicators.
VALUES_PER_EVENT = (8, 18)
OBSERVATIONS_PER_REPORT = (1, 5)
# Event types planned through IPC, MPC and FPC, and the share of them whose records are kept here.
PLANNED_TYPES = frozenset({"CPX", "HCA", "MTT", "CONFERENCE"})
PLANNED_SHARE = 0.5
RECORDER = "generated-import"
# The counts `Content.write` returns, in the order it writes them.
KINDS = (
    "objectives", "objective_links", "indicators", "conferences", "attendees", "conference_items", "aars",
    "objective_reviews", "observations", "channel_items", "measured_values",
)  # fmt: skip

# Objective statements and MOEs by objective type. Placeholders: {country}, {topic}.
STATEMENTS = {
    "REL": (
        "{country} and U.S. Army {topic} staffs keep standing counterparts between engagements",
        "{country} army leaders raise {topic} cooperation with the U.S. Army on their own initiative",
    ),
    "CAP": (
        "{country} army units train and certify their own {topic} teams to a combined standard",
        "{country} army sustains a {topic} course taught by its own instructors",
    ),
    "INT": (
        "{country} and U.S. units share one {topic} picture during combined operations",
        "{country} army {topic} procedures work alongside U.S. procedures without liaison teams",
    ),
    "ACC": (
        "U.S. {topic} teams reach {country} training areas within agreed clearance times",
        "{country} keeps its training areas and ports open to U.S. {topic} units",
    ),
}


@dataclass(frozen=True)
class Moe:
    statement: str
    unit: str
    aggregation: str
    accumulation: str
    good: str
    low: int  # the range values are drawn from; a ratio's numerator and denominator are drawn up to `high`
    high: int
    minimum: float | None = 0.0
    maximum: float | None = None


MOES = {
    "REL": (
        Moe("Follow-on {topic} engagements the {country} army asks for", "engagements", "SUM", "PERIODIC", "HIGHER",
            0, 4),
        Moe("Share of {topic} commitments kept by both armies", "%", "RATIO", "PERIODIC", "HIGHER", 1, 12),
    ),
    "CAP": (
        Moe("Share of {country} {topic} teams certified to the combined standard", "%", "AVERAGE", "PERIODIC",
            "HIGHER", 20, 95, maximum=100.0),
        Moe("{country} instructors teaching {topic} without U.S. help", "instructors", "SUM", "CUMULATIVE",
            "HIGHER", 0, 6),
    ),
    "INT": (
        Moe("Share of combined {topic} tasks run over one network", "%", "RATIO", "PERIODIC", "HIGHER", 1, 20),
        Moe("Hours to pass a {topic} report between the two staffs", "hours", "AVERAGE", "PERIODIC", "LOWER", 1, 48),
    ),
    "ACC": (
        Moe("Days to clear U.S. {topic} teams into {country}", "days", "AVERAGE", "PERIODIC", "LOWER", 3, 45),
        Moe("Training areas in {country} open to U.S. {topic} units", "areas", "LATEST", "PERIODIC", "HIGHER", 1, 8),
    ),
}  # fmt: skip

HAPPENED = {
    "REL": "The partner's leaders took part throughout and named counterparts for the next iteration.",
    "CAP": "Partner teams performed most collective tasks to standard by the last day.",
    "INT": "The combined staff ran the scenario on one network after the second day.",
    "ACC": "Clearances and movement went through within the agreed times.",
}
WHY = "The partner staff planned the event with us from the initial planning conference."
SECTIONS = {
    "REL": "Counterparts were named on both sides; the partner asked for a follow-on engagement.",
    "CAP": "Partner performance was rated against the combined standard; gaps are in the observations below.",
    "INT": "Friction points between the forces and their fixes are in the observations below.",
    "ACC": "Diplomatic clearance, customs and movement timelines are recorded in the observations below.",
}
SECTION_FIELDS = {objective_type: name for name, objective_type, _, _ in Report.TYPE_SECTIONS}


@dataclass
class Drafted:
    """What the content of one generated event is drafted from."""

    key: int
    iso: str
    country: str
    kind: str
    start: date
    end: date
    fiscal_year: int
    status: str
    executing: int | None
    partner: tuple[int, str] | None
    # (claim key, objective id, objective type, indicator, expected change, role)
    claims: list[tuple[int, int, str, str, str, str]] = field(default_factory=list)


@dataclass
class _Measured:
    """A generated MOE, as its values need it."""

    key: int
    moe: Moe


@dataclass
class _Parent:
    id: int
    level: int
    types: tuple[str, ...]


class Content:
    """The generated objectives so far (events draw their claims from them) and one batch's rows of everything
    else. `start_batch` opens the tables, `write` writes and drops them."""

    def __init__(self, ref, today: date, uid: Callable[[], uuid.UUID], prefix: str, rng: random.Random):
        self.today, self.uid, self.prefix, self.rng = today, uid, prefix, rng
        self.writer = Writer(rng)
        self.usarpac = ref.orgs["USARPAC"].pk
        self.names = {iso: country.name for iso, country in ref.countries.items()}
        self.country_ids = {iso: country.pk for iso, country in ref.countries.items()}
        self.sco = {org.country_id: org.pk for org in ref.orgs.values() if org.echelon == "SCO"}
        self.plans = {key: plan.pk for key, plan in ref.plans.items()}
        self.parents = _parents(ref, today)
        # Generated objectives by country: all of them, and those with MOEs (which events claim first).
        self.generated: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        self.measured: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        self.moes: dict[int, list[_Measured]] = {}
        # Indicators the catalogue already has on objectives: collection tasks of the events that claim them.
        self.tasks: dict[int, list[str]] = {}
        for objective_id, code, statement in Indicator.objects.filter(objective__isnull=False).values_list(
            "objective_id", "code", "statement"
        ):
            self.tasks.setdefault(objective_id, []).append(f"{code} {statement}")
        self.recorder = _recorder()

    def start_batch(self) -> None:
        self.objectives = bulk.Table(Objective, _OBJECTIVE_COLUMNS)
        self.links = bulk.Table(ObjectiveLink, ("parent_id", "child_id"))
        self.indicators = bulk.Table(Indicator, _INDICATOR_COLUMNS)
        self.conferences = bulk.Table(Conference, _CONFERENCE_COLUMNS)
        self.attendees = bulk.Table(Attendee, ("conference_id", "name", "organization_id", "role"))
        self.items = bulk.Table(Item, ("conference_id", "kind", "text", "owner_id", "due", "state"))
        self.reports = bulk.Table(Report, _REPORT_COLUMNS)
        self.reviews = bulk.Table(ObjectiveReview, _REVIEW_COLUMNS)
        self.observations = bulk.Table(Observation, _OBSERVATION_COLUMNS)
        self.channel_items = bulk.Table(ChannelItem, _CHANNEL_COLUMNS)
        self.values = bulk.Table(Measurement, _MEASUREMENT_COLUMNS)
        self.written: dict[str, tuple[int, int]] = {}  # the first and last key of each kind, once written

    def write(self) -> dict[str, int]:
        """Write the batch (after its events and claims); return how many rows of each kind."""
        tables = {
            "objectives": self.objectives,
            "objective_links": self.links,
            "indicators": self.indicators,
            "conferences": self.conferences,
            "attendees": self.attendees,
            "conference_items": self.items,
            "aars": self.reports,
            "objective_reviews": self.reviews,
            "observations": self.observations,
            "channel_items": self.channel_items,
            "measured_values": self.values,
        }
        firsts = {name: table.next_key - len(table.rows) for name, table in tables.items()}
        counts = {name: table.write() for name, table in tables.items()}
        self.written = {name: (firsts[name], firsts[name] + counts[name] - 1) for name in counts}
        # Written as plain rows, the reports do not pass through Report.objects, which would mark their events.
        Event.objects.filter(aar__pk__range=self.written["aars"]).update(aar_started=True)
        return counts

    def index(self) -> None:
        """Write the search entries of what `write` wrote."""
        for name, model in (("objectives", Objective), ("indicators", Indicator), ("aars", Report)):
            index_written(model, *self.written[name])
        index_written(Observation, *self.written["observations"])

    # --- Objectives and their MOEs -------------------------------------------------------------------------

    def objective(self, number: int, iso: str) -> None:
        """Queue generated objective `number` of country `iso`, under one of the country's catalogue objectives,
        typed as its parent is (as far as the country's constraints allow)."""
        rng = self.rng
        parent = rng.choice(self.parents[iso])
        types = list(parent.types)
        primary = rng.choice(types)
        secondary = [t for t in types if t != primary and rng.random() < 0.5]
        level = Level.COUNTRY if parent.level > Level.IMO or rng.random() < 0.75 else Level.IMO
        country = self.names[iso]
        topic = rng.choice(_TOPIC_WORDS)
        fy = rng.choice((2026, 2027, 2028))
        plan = f"CSCP-{iso}" if level == Level.IMO and f"CSCP-{iso}" in self.plans else "CSP"
        plan = "TCP" if level == Level.IMO and plan == "CSP" else plan
        key = self.objectives.add(
            self.uid(),
            f"{self.prefix}O{number:08d}",
            rng.choice(STATEMENTS[primary]).format(country=country, topic=topic),
            level,
            self.plans[plan],
            self.country_ids[iso],
            primary,
            secondary,
            f"Partner {topic} capability and cooperation as the MOEs below measure it",
            f"Assessed as achieved by FY{fy}",
            date(fy, 9, 30),
            self.sco.get(self.country_ids[iso], self.usarpac),
            Objective.Status.ACTIVE,
        )
        self.links.add(parent.id, key)
        entry = (key, (primary, *secondary))
        self.generated.setdefault(iso, []).append(entry)
        if number % MEASURED_EVERY == 0:
            self.measured.setdefault(iso, []).append(entry)
            self.moes[key] = [
                self._moe(number, n, key, moe, iso, topic)
                for n, moe in enumerate(rng.sample(MOES[primary], rng.randint(1, 2)), 1)
            ]

    def _moe(self, number: int, n: int, objective: int, moe: Moe, iso: str, topic: str) -> _Measured:
        key = self.indicators.add(
            self.uid(),
            f"{self.prefix}M{number:08d}-{n}",
            Indicator.Kind.MOE,
            moe.statement.format(country=self.names[iso], topic=topic),
            objective,
            moe.unit,
            moe.good,
            "Partner training records and the events' after-action reports",
            moe.accumulation,
            moe.aggregation,
            moe.minimum,
            moe.maximum,
            self.sco.get(self.country_ids[iso]),
            list(CRITERIA),
        )
        return _Measured(key, moe)

    # --- One event's conference records, AAR and measured values -------------------------------------------

    def event(self, event: Drafted) -> None:
        decisions, agreements = [], []
        planned = event.kind in PLANNED_TYPES and event.status not in (Status.PROPOSED, Status.CANCELLED)
        if planned and self.rng.random() < PLANNED_SHARE:
            decisions, agreements = self._conferences(event)
        if event.status not in (Status.COMPLETED, Status.CLOSED):
            return
        tasks = self._values(event)
        self._report(event, decisions, agreements, tasks)

    def _conferences(self, event: Drafted) -> tuple[list[str], list[str]]:
        """IPC, MPC and FPC records of the event, those held by today; approved once over, as a planner would.
        Returns the decisions and agreements of the approved ones, which the AAR starts from."""
        decisions, agreements = [], []
        place_names = {"host": self.names[event.iso]}
        for kind, lead_days, place in SCHEDULE:
            starts = event.start - timedelta(days=lead_days)
            if starts > self.today:
                continue
            ends = starts + timedelta(days=2)
            approved = ends < self.today
            conference = self.conferences.add(
                self.uid(),
                self.uid(),
                event.key,
                kind,
                starts,
                ends,
                place.format(**place_names),
                f"{Conference.Kind(kind).label} for {event.country} {event.kind.lower()} ({event.start:%b %Y}).",
                Conference.Status.APPROVED if approved else Conference.Status.DRAFT,
                _at(ends + timedelta(days=3), self.today) if approved else None,
                2 if approved else 1,  # created, then approved
            )
            self.attendees.add(conference, "USARPAC G37 exercise planner", self.usarpac, "Lead planner")
            if event.executing:
                self.attendees.add(conference, "Executing unit S3 planner", event.executing, "Executing unit planner")
            if event.partner:
                self.attendees.add(conference, f"{event.partner[1]} lead planner", event.partner[0], "Partner lead")
            decision = f"Event dates confirmed: {event.start:%d %b} to {event.end:%d %b %Y}."
            agreement = f"The partner provides the training area; the U.S. brings the {kind} support package."
            due = ends + timedelta(days=30)
            self.items.add(conference, Item.Kind.DECISION, decision, None, None, Item.State.OPEN)
            self.items.add(conference, Item.Kind.AGREEMENT, agreement, None, None, Item.State.OPEN)
            self.items.add(
                conference,
                Item.Kind.ACTION,
                "Send the updated troop list and the equipment density list to the partner.",
                event.executing or self.usarpac,
                due,
                Item.State.DONE if due < self.today else Item.State.OPEN,
            )
            if approved:
                decisions.append(decision)
                agreements.append(agreement)
        return decisions, agreements

    def _values(self, event: Drafted) -> list[score.Task]:
        """Values of the MOEs on the event's claimed objectives, collected on its days; returns the event's
        collection tasks, answered or not."""
        rng = self.rng
        measured = [m for claim in event.claims for m in self.moes.get(claim[1], ())]
        tasks = [score.Task(text) for claim in event.claims for text in self.tasks.get(claim[1], ())]
        if not measured:
            return tasks
        days = (min(event.end, self.today) - event.start).days + 1
        status = Measurement.Status.APPROVED if event.status == Status.CLOSED else Measurement.Status.SUBMITTED
        for n in range(rng.randint(*VALUES_PER_EVENT)):
            indicator = measured[n % len(measured)]
            moe = indicator.moe
            day = event.start + timedelta(days=between(rng, 0, days - 1))
            numerator = denominator = None
            if moe.aggregation == "RATIO":
                denominator = between(rng, moe.low, moe.high)
                numerator = between(rng, 0, denominator)
                value = numerator / denominator
            else:
                value = float(between(rng, moe.low, moe.high))
            self.values.add(
                self.uid(),
                indicator.key,
                event.key,
                day,
                periods.quarter_of(day),
                value,
                numerator,
                denominator,
                Measurement.Source.IMPORT,
                status,
                self.recorder,
            )
        return tasks + [score.Task(str(m.key), answered=True) for m in measured]

    def _report(self, event: Drafted, decisions: list[str], agreements: list[str], tasks: list[score.Task]) -> None:
        """The AAR of an ended event: disseminated once the event is closed, otherwise a draft until it is due and
        submitted after, as `aars.services` moves it."""
        rng = self.rng
        due = event.end + timedelta(days=settings.AAR_DUE_DAYS)
        if event.status == Status.CLOSED:
            status = Report.Status.DISSEMINATED
        else:
            status = Report.Status.SUBMITTED if due < self.today else Report.Status.DRAFT
        published = status == Report.Status.DISSEMINATED
        types = {claim[2] for claim in event.claims}
        relationships = (
            "Commitments agreed with the partner at planning conferences (say what became of each):\n"
            + "\n".join(f"- {a}" for a in agreements)
            if agreements
            else ""
        )
        sections = {t: SECTIONS[t] if t in types and (published or rng.random() < 0.5) else "" for t in SECTIONS}
        if relationships:
            sections["REL"] = "\n\n".join(t for t in (relationships, sections["REL"]) if t)
        reviews = []
        for claim_key, _, objective_type, indicator, expected_change, role in event.claims:
            planned = expected_change
            if role == "PRIMARY" and decisions:
                planned += "\n\nDecided at the planning conferences:\n" + "\n".join(f"- {d}" for d in decisions)
            happened = HAPPENED[objective_type] if published or rng.random() < 0.5 else ""
            why = WHY if happened else ""
            evidence = f"Recorded against “{indicator}” in the AAR annex." if happened else ""
            reviews.append((claim_key, planned, happened, why, evidence, objective_type, indicator))
        facts = EventFacts(
            event.key,
            event.end,
            event.fiscal_year,
            event.kind,
            event.iso,
            event.country,
            [event.partner] if event.partner else [],
            [(claim[0], claim[2], claim[3]) for claim in event.claims],
        )
        observations = [
            self.writer.observation(facts, published=published) for _ in range(rng.randint(*OBSERVATIONS_PER_REPORT))
        ]
        total = score.compute(
            score.Content(
                reviews=[score.Review("", t, p, h, w, i, e) for _, p, h, w, e, t, i in reviews],
                sections=sections,
                items=[
                    score.Item(
                        o["title"],
                        o["finding"],
                        o["discussion"],
                        o["recommendation"],
                        str(o["analysis"].get("root_cause", "")),
                        o["partner_unit_id"] is not None,
                    )
                    for o in observations
                ],
                tasks=tasks,
            )
        ).total
        submitted = _at(event.end + timedelta(days=rng.randint(10, 28)), self.today) if status != "DRAFT" else None
        approved = _at(event.end + timedelta(days=rng.randint(29, 40)), self.today) if published else None
        report = self.reports.add(
            self.uid(),
            event.key,
            status,
            event.end,
            event.end,
            due,
            f"The {event.kind.lower()} in {event.country} was executed as planned, with the friction points below.",
            *(sections[t] for t in SECTION_FIELDS),
            total,
            submitted,
            approved,
            approved,
        )
        for claim_key, planned, happened, why, evidence, _, _ in reviews:
            self.reviews.add(report, claim_key, planned, happened, why, evidence)
        for fields in observations:
            observation = self.observations.add(self.uid(), report, *(fields[name] for name in _OBSERVATION_FIELDS))
            routed = fields["channel"] != Observation.Channel.NONE and fields["criticality"] in routing.CHANNEL_DAYS
            if published and routed:
                routed_on = approved.date()
                item_due = routed_on + timedelta(days=routing.CHANNEL_DAYS[fields["criticality"]])
                closed = item_due + timedelta(days=60) < self.today
                self.channel_items.add(
                    self.uid(),
                    observation,
                    fields["channel"],
                    item_due,
                    _at(item_due, self.today) if closed else None,
                    "Dealt with as the observation recommends." if closed else "",
                )


def index_written(model: type[models.Model], first: int, last: int) -> int:
    """Write the search entries of the records of `model` with keys `first` to `last`, built by the same code as
    the services' entries; records that are not to be found (a draft's observations) get none."""
    if last < first:
        return 0
    source = next(s for s in documents.SOURCES if s.model is model)
    built = source.build(source.records().filter(pk__gte=first, pk__lte=last))
    entries = bulk.Table(Entry, _ENTRY_COLUMNS)
    for document in built:
        entries.add(*_entry_values(document))
    return entries.write()


def _parents(ref, today: date) -> dict[str, list[_Parent]]:
    """Per active country, the catalogue objectives a generated one may sit under: its own country and IMO
    objectives (not those left unserved by design), else its fallback; typed only as the country permits."""
    starved = {s.code for s in cat.OBJECTIVES if s.starved}
    found: dict[str, list[_Parent]] = {}
    for iso in cat.ACTIVITY:
        allowed = ref.allowed_types([iso], today, today)
        codes = [
            s.code
            for s in cat.OBJECTIVES
            if s.country == iso and s.level in (Level.IMO, Level.COUNTRY) and s.code not in starved
        ] or [cat.FALLBACK_OBJECTIVE.get(iso, cat.DEFAULT_FALLBACK_OBJECTIVE)]
        for code in codes:
            objective = ref.objectives[code]
            types = tuple(t for t in objective.types if t in allowed)
            if types:
                found.setdefault(iso, []).append(_Parent(objective.pk, objective.level, types))
    return found


def _recorder() -> int:
    """The user measured values are imported by: one that cannot log in, so that no one else's name is on them."""
    user, _ = get_user_model().objects.get_or_create(
        username=RECORDER, defaults={"is_active": False, "first_name": "Generated", "last_name": "data"}
    )
    return user.pk


def _at(day: date, today: date) -> datetime:
    day = min(day, today)
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


_TOPIC_WORDS = [words for words, _ in cat.TOPICS.values()]
_OBJECTIVE_COLUMNS = (
    "uid", "code", "statement", "level", "plan_id", "country_id", "primary_type", "secondary_types", "measure",
    "target", "target_date", "owner_id", "status",
)  # fmt: skip
_INDICATOR_COLUMNS = (
    "uid", "code", "kind", "statement", "objective_id", "unit", "good", "data_source", "accumulation", "aggregation",
    "minimum", "maximum", "responsible_id", "criteria",
)  # fmt: skip
_CONFERENCE_COLUMNS = (
    "uid", "lineage", "event_id", "kind", "starts", "ends", "place", "summary", "status", "approved_at", "version",
)  # fmt: skip
_REPORT_COLUMNS = (
    "uid", "event_id", "status", "hotwash_due", "hotwash_held", "due", "summary",
    *(SECTION_FIELDS[t] for t in SECTION_FIELDS), "score", "submitted_at", "approved_at", "disseminated_at",
)  # fmt: skip
_REVIEW_COLUMNS = ("report_id", "claim_id", "planned", "happened", "why", "indicator_evidence")
_OBSERVATION_FIELDS = (
    "title", "finding", "observation", "discussion", "recommendation", "claim_id", "objective_type", "indicator",
    "partner_unit_id", "dotmlpfp", "criticality", "channel", "analysis", "stage", "corrective_action", "resolution",
    "verification",
)  # fmt: skip
_OBSERVATION_COLUMNS = ("uid", "report_id", *_OBSERVATION_FIELDS)
_CHANNEL_COLUMNS = ("uid", "observation_id", "channel", "due", "closed_at", "closure")
_MEASUREMENT_COLUMNS = (
    "uid", "indicator_id", "event_id", "date", "period", "value", "numerator", "denominator", "source", "status",
    "recorded_by_id",
)  # fmt: skip
_ENTRY_COLUMNS = tuple(f.name for f in dataclasses.fields(documents.Document))
_entry_values = operator.attrgetter(*_ENTRY_COLUMNS)
