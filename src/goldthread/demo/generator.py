"""The demo data set and the benchmark generator: fictional, unclassified, INDOPACOM-like (framework.md §5).

`load_demo` writes with the ORM rather than the services because it is a trusted bulk import
(docs/decisions/0007-demo-loader-writes-directly.md), but it keeps every rule the services keep: country constraints
(the stored rules, checked with the `CountryConstraint` methods), one primary claim per event, a claim before an
event moves past approved, parents never below children, no cycles (checked with `strategy.services.check_link`).
The events and their claims and links are read once per table and only the difference is written, so a second
load is quick and changes nothing. `generate` adds synthetic events at benchmark scale in flat memory, with the
objectives, measured values, conference records and AARs around them (demo/enterprise.py).
"""

import random
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

import pycountry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction

from goldthread.core import audit, statistics
from goldthread.core.catalogues import EventType, Level, ObjectiveType
from goldthread.core.errors import DomainError
from goldthread.core.records import save_changes
from goldthread.core.roles import ROLES, sync_roles
from goldthread.demo import bulk, enterprise
from goldthread.demo import catalogue as cat
from goldthread.demo.aar_records import load_aars
from goldthread.demo.evaluation_records import load_standings
from goldthread.demo.folder_records import load_folders
from goldthread.demo.measure_records import load_measures
from goldthread.demo.planning_records import (
    load_conferences,
    load_orders,
    load_products,
    load_requests,
    load_themes,
)
from goldthread.demo.readiness_records import load_readiness
from goldthread.demo.rules import require
from goldthread.events.models import ContributionClaim, Event, EventSeries, fiscal_year
from goldthread.search import index
from goldthread.search.models import Entry
from goldthread.strategy.models import (
    Country,
    CountryConstraint,
    Objective,
    ObjectiveLink,
    Organization,
    Plan,
)
from goldthread.strategy.services import check_link

# Statuses follow from dates relative to this day, never the wall clock, so the demo looks the same every run.
TODAY = date(2026, 11, 26)
FISCAL_YEARS = range(2023, 2028)
# Demo records get name-based UUIDs, so their URLs are the same on every install and docs can link them.
_UID_NAMESPACE = uuid.UUID("0b7e0a52-5d0f-4f7e-9a43-6c1f3d1e2a10")

# The page cache of a generating SQLite connection, in KiB.
SQLITE_CACHE_KIB = 512 * 1024
Status = Event.Status
Role = ContributionClaim.Role
# Engagements about people and relationships rather than a subject taught or practised.
_TOPICLESS = ("KLE", "STAFF_TALKS", "EXCHANGE")


# --- Public interface -------------------------------------------------------------------------------------


def demo_users() -> list[tuple[str, str, str]]:
    """(username, password, role label) of the demo log-ins, one per role in core.roles.ROLES."""
    return [(_demo_username(role), cat.DEMO_PASSWORD, spec["label"]) for role, spec in ROLES.items()]


def load_demo(seed: int = 2018) -> dict[str, int]:
    """Load the demo data set. Idempotent for a given seed: a second run changes nothing and adds nothing
    (apart from its one audit entry). Returns the number of records of each kind the data set holds."""
    rng = random.Random(seed)
    with transaction.atomic():
        sync_roles()
        ref = _load_reference()
        plan = _DemoPlanner(ref, rng).plan()
        for objective in plan.event_objectives:
            _write_objective(ref, objective, "EEP")
        _write_events(ref, plan.events)
        # The planner's statistics may describe empty tables (taken at migration); the loaders after this one read
        # what was just written, and on PostgreSQL, within this one transaction, would be planned as if it were not
        # there. ANALYZE counts the rows this transaction wrote.
        statistics.refresh()
        users = _write_users(ref)
        themes = load_themes()  # before the orders, whose purpose blocks carry them
        conferences = load_conferences(TODAY)
        orders = load_orders(TODAY)
        requests = load_requests(TODAY)
        products = load_products(TODAY)
        sections = load_folders(TODAY)
        travelers = load_readiness(TODAY)
        aars = load_aars(TODAY)
        indicators = load_measures(TODAY)  # after the AARs, whose observations the assessments cite
        standings = load_standings(get_user_model().objects.get(username="planner"))
        counts = {
            "countries": len(ref.countries),
            "constraints": sum(len(rules) for rules in ref.constraints.values()),
            "organizations": len(ref.orgs),
            "plans": len(ref.plans),
            "objectives": len(ref.objectives),
            "objective_links": len(ref.links),
            "series": len(cat.SERIES),
            "events": len(plan.events),
            "claims": sum(len(spec.claims) for spec in plan.events),
            "orphan_events": sum(1 for spec in plan.events if not spec.claims),
            "starved_objectives": len(plan.starved),
            "users": users,
            "conferences": conferences,
            "orders": orders,
            "themes": themes,
            "information_requests": requests,
            "public_affairs_products": products,
            "folder_sections": sections,
            "travelers": travelers,
            "aars": aars,
            "indicators": indicators,
            "country_standings": standings,
        }
        statistics.refresh()
        index.reindex(missing_only=True)  # the records written directly above, so that search finds them
        audit.record(None, "demo.loaded", ref.orgs["USINDOPACOM"], {**counts, "seed": seed})
    return counts


def generate(
    events: int,
    seed: int = 1,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    *,
    content: bool = True,
) -> dict[str, int]:
    """Add `events` synthetic events (codes GEN-{seed}-{n}) with claims and links, and with `content` what an
    enterprise data set holds around them (demo/enterprise.py): about one country objective per ten events, MOEs
    and measured values, planning conference records and after-action reports with observations, all searchable.

    Each batch is built, inserted and dropped before the next, so memory stays flat whatever `events` is.
    A second run with the same seed continues the numbering after the highest existing code.
    """
    if events < 0:
        raise DomainError.on("events", "The number of events to generate cannot be negative.")
    if batch_size < 1:
        raise DomainError.on("batch_size", "The batch size must be at least 1.")
    _cache_indexes()
    with transaction.atomic():
        ref = _load_reference()
    pools = _Pools(ref)
    prefix = f"GEN-{seed}-"
    first = _next_generated_number(prefix)
    # Seeded by the starting number too, so a continued run does not repeat the first run's data.
    rng = random.Random(f"goldthread.generate:{seed}:{first}")
    uids = _Uids(rng)
    extra = enterprise.Content(ref, TODAY, uids, prefix, rng) if content else None
    totals: Counter[str] = Counter()
    done, analysed = 0, Event.objects.count()
    while done < events:
        size = min(batch_size, events - done)
        # The planner's row counts are refreshed whenever the events have doubled, inside the batch so that they
        # count its rows: working from counts that say a table is empty, PostgreSQL indexes a batch's records for
        # search by nested loops over whole tables, minutes for one batch.
        stale = analysed + done + size >= 2 * max(analysed, 1)
        with transaction.atomic():
            _commit_without_waiting()
            totals.update(_generate_batch(pools, extra, rng, uids, prefix, first + done, size, analyse=stale))
        if stale:
            analysed += done + size
        done += size
        if progress:
            progress(done)
    result = {
        "events": totals["events"],
        "claims": totals["claims"],
        "orphans": totals["orphans"],
        "cancelled": totals["cancelled"],
        "country_links": totals["country_links"],
        "partner_links": totals["partner_links"],
        "supporting_links": totals["supporting_links"],
        **{name: totals[name] for name in enterprise.KINDS if content},
        "first_number": first,
    }
    audit.record(None, "demo.generated", ref.orgs["USINDOPACOM"], {**result, "seed": seed})
    statistics.settle()
    return result


def _cache_indexes() -> None:
    """On SQLite, give this connection a page cache the size of the indexes a large run writes into (it is 2 MB
    by default, and every batch adds rows all over the indexes on dates, countries and words): each page is then
    read once rather than after each eviction. The connection is closed after the command."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


def _commit_without_waiting() -> None:
    """On PostgreSQL, let this transaction's commit return before its log is on disk. A crash in the next moment
    can lose the last batches of generated benchmark data, never leave them half written, and nothing else shares
    the setting: it ends with the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# --- Reference data: countries, constraints, organizations, plans, objectives ------------------------------


@dataclass
class Reference:
    countries: dict[str, Country]
    constraints: dict[str, list[CountryConstraint]]
    orgs: dict[str, Organization]
    plans: dict[str, Plan]
    objectives: dict[str, Objective]
    links: set[tuple[str, str]]  # (parent code, child code)

    def in_force(self, isos: Iterable[str], start: date, end: date) -> list[CountryConstraint]:
        return [rule for iso in isos for rule in self.constraints.get(iso, ()) if rule.applies_between(start, end)]

    def allowed_types(self, isos: Iterable[str], start: date, end: date) -> list[str]:
        rules = self.in_force(isos, start, end)
        return [t for t in ObjectiveType.values if not any(rule.forbids_objective_type(t) for rule in rules)]

    def event_type_allowed(self, isos: Iterable[str], event_type: str, start: date, end: date) -> bool:
        return not any(rule.forbids_event_type(event_type) for rule in self.in_force(isos, start, end))


def _load_reference() -> Reference:
    """Create or update the static reference data. Safe to call any number of times."""
    countries = {}
    for iso in cat.AOR_COUNTRIES:
        entry = pycountry.countries.get(alpha_3=iso)
        name = cat.NAME_OVERRIDES.get(iso) or getattr(entry, "common_name", None) or entry.name
        countries[iso] = _upsert(
            Country, {"iso3": iso}, {"name": name, "in_aor": True, "treaty_ally": iso in cat.TREATY_ALLIES}
        )

    rules: dict[str, list[CountryConstraint]] = {}
    for spec in cat.CONSTRAINTS:
        require(all(t in ObjectiveType.values for t in spec.allowed_objective_types), f"types of {spec.code}")
        rule = _upsert(
            CountryConstraint,
            {"country_id": countries[spec.country].pk, "code": spec.code},
            {
                "title": spec.title,
                "basis": spec.basis,
                "allowed_objective_types": list(spec.allowed_objective_types),
                "forbidden_event_types": list(spec.forbidden_event_types),
                "starts": spec.starts,
                "ends": spec.ends,
            },
            natural=f"{spec.country}:{spec.code}",
        )
        rule.country = countries[spec.country]
        rules.setdefault(spec.country, []).append(rule)

    orgs: dict[str, Organization] = {}
    for spec in cat.ORGANIZATIONS:
        orgs[spec.short_name] = _upsert(
            Organization,
            {"short_name": spec.short_name},
            {
                "name": spec.name,
                "echelon": spec.echelon,
                "parent_id": orgs[spec.parent].pk if spec.parent else None,
                "country_id": countries[spec.country].pk if spec.country else None,
            },
        )

    plan_specs = list(cat.PLANS) + [
        cat.PlanSpec(
            f"CSCP-{iso}",
            f"Country Security Cooperation Plan — {countries[iso].name}",
            "COUNTRY_PLAN",
            "USINDOPACOM J5",
            iso,
            cat.PLANS[0].period_start,
            cat.PLANS[0].period_end,
        )
        for iso in cat.COUNTRY_PLAN_COUNTRIES
    ]
    plans = {
        spec.key: _upsert(
            Plan,
            {"name": spec.name},
            {
                "kind": spec.kind,
                "owner_id": orgs[spec.owner].pk,
                "country_id": countries[spec.country].pk if spec.country else None,
                "period_start": spec.period_start,
                "period_end": spec.period_end,
            },
        )
        for spec in plan_specs
    }

    ref = Reference(countries, rules, orgs, plans, {}, set())
    for spec in cat.OBJECTIVES:
        _write_objective(ref, spec, _plan_key(spec))
    return ref


def _plan_key(spec: cat.ObjectiveSpec) -> str:
    if spec.level == Level.NATIONAL:
        return cat.NATIONAL_PLAN[spec.code]
    if spec.level == Level.IMO and spec.country in cat.COUNTRY_PLAN_COUNTRIES:
        return f"CSCP-{spec.country}"
    return {Level.THEATER: "TCP", Level.IMO: "TCP", Level.COUNTRY: "CSP"}.get(spec.level, "EEP")


def _write_objective(ref: Reference, spec: cat.ObjectiveSpec, plan_key: str) -> Objective:
    # Objectives are listed parents first, so every parent already exists; check_link refuses level
    # inversions and cycles exactly as the objective service does.
    if spec.country:
        allowed = ref.allowed_types([spec.country], TODAY, TODAY)
        refused = [t for t in (spec.primary_type, *spec.secondary_types) if t not in allowed]
        require(not refused, f"{spec.code} is typed {', '.join(refused)}, which {spec.country} does not permit")
    objective = _upsert(
        Objective,
        {"code": spec.code},
        {
            "statement": spec.statement,
            "level": spec.level,
            "plan_id": ref.plans[plan_key].pk,
            "country_id": ref.countries[spec.country].pk if spec.country else None,
            "primary_type": spec.primary_type,
            "secondary_types": [t for t in spec.secondary_types if t != spec.primary_type],
            "measure": spec.measure,
            "target": spec.target,
            "target_date": spec.target_date,
            "owner_id": ref.orgs[spec.owner].pk if spec.owner else None,
            "status": Objective.Status.ACTIVE,
        },
    )
    ref.objectives[spec.code] = objective
    for parent_code in spec.parents:
        require(parent_code in ref.objectives, f"{spec.code}: parent {parent_code} must be listed before it")
        parent = ref.objectives[parent_code]
        if not ObjectiveLink.objects.filter(parent=parent, child=objective).exists():
            check_link(parent, objective)
            ObjectiveLink.objects.create(parent=parent, child=objective)
        ref.links.add((parent_code, spec.code))
    return objective


# --- Planning the demo's events (pure: only the random generator, no database) ----------------------------


@dataclass
class ClaimSpec:
    objective: str
    objective_type: str
    role: str
    expected_change: str
    indicator: str
    direction: str
    time_lag_months: int
    assumptions: str


@dataclass
class EventSpec:
    code: str
    name: str
    event_type: str
    countries: list[str]
    start: date
    end: date
    executing: str | None
    partners: list[str]
    supporting: list[str]
    authority: str
    description: str = ""
    series: str | None = None
    parent: str | None = None
    status: str = Status.PROPOSED
    topic: str = "disaster response"
    partner_label: str = "partner forces"  # how claim wording names the partner
    claims: list[ClaimSpec] = field(default_factory=list)


@dataclass
class DemoPlan:
    events: list[EventSpec]
    event_objectives: list[cat.ObjectiveSpec]
    starved: list[str]


class _DemoPlanner:
    """Decides every demo event, its dates, status and claims; deterministic for a given random generator."""

    def __init__(self, ref: Reference, rng: random.Random):
        self.ref = ref
        self.rng = rng
        self.types: dict[str, tuple[str, ...]] = {s.code: (s.primary_type, *s.secondary_types) for s in cat.OBJECTIVES}
        self.country_of = {s.code: s.country for s in cat.OBJECTIVES}
        self.level = {s.code: s.level for s in cat.OBJECTIVES}
        self.parents = {s.code: s.parents for s in cat.OBJECTIVES}
        self.series = {s.abbr: s for s in cat.SERIES}
        self.partner_units: dict[str, list[str]] = {}
        self.scos: dict[str, list[str]] = {}
        for org in cat.ORGANIZATIONS:
            if org.echelon == "PARTNER_UNIT":
                self.partner_units.setdefault(org.country, []).append(org.short_name)
            elif org.echelon == "SCO":
                self.scos.setdefault(org.country, []).append(org.short_name)
        self.event_objectives: list[cat.ObjectiveSpec] = []

    def plan(self) -> DemoPlan:
        pathways, legs = self._pathways()
        exercises = self._series_events(legs)
        surveys = self._site_surveys(exercises)
        everyday = self._everyday_events()
        self._leave_orphans(everyday)
        events = pathways + exercises + surveys + everyday  # parents before their legs and surveys
        self._cover_unserved_objectives(events, everyday)
        return DemoPlan(events, self.event_objectives, self._starved(events))

    # Series, Pathways and site surveys.

    def _pathways(self) -> tuple[list[EventSpec], dict[tuple[str, int], tuple[date, date, str, str]]]:
        """One parent event per rotation; returns it and each leg's (start, end, brigade, parent code)."""
        parents, legs = [], {}
        for fy in FISCAL_YEARS:
            for rotation, abbrs in cat.PATHWAYS_ROTATIONS.items():
                brigade = cat.PATHWAYS_BRIGADES[
                    ((fy - FISCAL_YEARS[0]) * 2 + rotation - 1) % len(cat.PATHWAYS_BRIGADES)
                ]
                code = f"EVT-{fy}-PW{rotation}"
                first = self.series[abbrs[0]]
                start = _in_fiscal_year(fy, first.month, first.day) + timedelta(days=self.rng.randint(-5, 5))
                hosts = []
                for abbr in abbrs:
                    series = self.series[abbr]
                    end = start + timedelta(days=series.days - 1)
                    legs[(abbr, fy)] = (start, end, brigade, code)
                    hosts.append(series.countries[0])
                    start = end + timedelta(days=self.rng.randint(6, 10))  # moving the task force on
                leg_dates = [legs[(abbr, fy)] for abbr in abbrs]
                begin, finish = leg_dates[0][0] - timedelta(days=10), leg_dates[-1][1] + timedelta(days=10)
                require(fiscal_year(leg_dates[-1][0]) == fy, f"{code} legs must start within FY{fy}")
                spec = EventSpec(
                    code=code,
                    name=f"Pacific Pathways {fy % 100:02d}-{rotation}",
                    event_type="PATHWAYS",
                    countries=hosts,
                    start=begin,
                    end=finish,
                    executing=brigade,
                    partners=[],
                    supporting=["8th TSC", "USARPAC"],
                    authority=cat.EVENT_TYPES["PATHWAYS"].authority,
                    partner_label="the host nations",
                    description="Pacific Pathways rotation: "
                    + " → ".join(self.series[a].name for a in abbrs)
                    + f", with {brigade} as the task force headquarters.",
                )
                self._check_event_type(spec)
                spec.status = self._status(spec.start, spec.end, established=True)
                self._add_claims(spec, [cat.PATHWAYS_OBJECTIVE], preferred=("ACC", "INT"))
                parents.append(spec)
        return parents, legs

    def _series_events(self, legs: dict[tuple[str, int], tuple[date, date, str, str]]) -> list[EventSpec]:
        specs = []
        for series in cat.SERIES:
            for fy in FISCAL_YEARS:
                if (fy - FISCAL_YEARS[0]) % series.every:
                    continue
                if (series.abbr, fy) in legs:
                    start, end, executing, parent = legs[(series.abbr, fy)]
                else:
                    start = _in_fiscal_year(fy, series.month, series.day) + timedelta(days=self.rng.randint(-7, 7))
                    start = max(start, date(fy - 1, 10, 1))
                    end, parent = start + timedelta(days=series.days - 1), None
                    executing = series.executing[(fy - FISCAL_YEARS[0]) % len(series.executing)]
                countries = self._series_countries(series, fy)
                spec = EventSpec(
                    code=f"EVT-{fy}-{series.abbr}",
                    name=f"{series.name} {start.year}",
                    event_type=series.event_type,
                    countries=countries,
                    start=start,
                    end=end,
                    executing=executing,
                    partners=list(series.partners),
                    supporting=self._supporting(series, countries),
                    authority=series.authority,
                    description=self._series_description(series, fy),
                    series=series.name,
                    parent=parent,
                    partner_label=series.partners[0] if series.partners else "partner armies",
                    topic=series.topic,
                )
                self._check_event_type(spec)
                cancelled = fy in cat.CANCELLED_ITERATIONS.get(series.abbr, ())
                spec.status = Status.CANCELLED if cancelled else self._status(start, end, established=True)
                objectives = [
                    code
                    for code in series.objectives
                    if self.country_of.get(code) is None or self.country_of[code] in countries
                ]
                if series.event_objective and fy >= 2026 and not cancelled:
                    # The event objective serves its parent through the graph; claiming both counts twice.
                    objectives[0] = self._event_objective(series, spec, objectives[0])
                preferred = cat.EVENT_TYPES[series.event_type].objective_types
                if series.event_objective:
                    preferred = (series.event_objective.primary_type, *preferred)
                self._add_claims(spec, objectives[:3], preferred=preferred)
                specs.append(spec)
        return specs

    def _series_countries(self, series: cat.SeriesSpec, fy: int) -> list[str]:
        if series.abbr == "PAMS":
            host = cat.PAMS_HOSTS[fy]
            guests = [iso for iso in cat.PAMS_GUESTS if iso != host]
            return [host, *guests, *(["CHN"] if fy in cat.PAMS_PLA_YEARS else [])]
        joined = [iso for iso, since in series.joins if fy >= since]
        return [*series.countries, *(iso for iso in joined if iso not in series.countries)]

    def _series_description(self, series: cat.SeriesSpec, fy: int) -> str:
        text = f"{series.name}: {series.focus}."
        if series.abbr == "YA":
            text += " Hosted in India this year." if fy % 2 else " Hosted in Alaska; the Indian Army unit deploys."
        if series.abbr == "PAMS":
            text += f" Co-hosted by {self.ref.countries[cat.PAMS_HOSTS[fy]].name}."
        return text

    def _supporting(self, series: cat.SeriesSpec, countries: list[str]) -> list[str]:
        units = list(series.supporting)
        for sco in self.scos.get(countries[0], []):
            if sco not in units:
                units.append(sco)
        return units

    def _event_objective(self, series: cat.SeriesSpec, event: EventSpec, parent: str) -> str:
        spec = series.event_objective
        code = f"EO-{event.code.removeprefix('EVT-')}"
        objective = cat.ObjectiveSpec(
            code=code,
            level=Level.EVENT,
            statement=f"{spec.statement} ({event.name})",
            primary_type=spec.primary_type,
            secondary_types=spec.secondary_types,
            parents=(parent,),
            country=event.countries[0],
            owner=event.executing,
            measure=spec.measure,
            target=spec.target,
            target_date=event.end,
        )
        self.event_objectives.append(objective)
        self.types[code] = (spec.primary_type, *spec.secondary_types)
        self.country_of[code] = event.countries[0]
        self.parents[code] = (parent,)
        return code

    def _site_surveys(self, exercises: list[EventSpec]) -> list[EventSpec]:
        """A pre-deployment site survey before each big field exercise, as a sub-event of it (§5.2)."""
        specs = []
        for exercise in exercises:
            series = next(s for s in cat.SERIES if s.name == exercise.series)
            if not series.site_survey or exercise.status == Status.CANCELLED:
                continue
            host = exercise.countries[0]
            start = exercise.start - timedelta(days=self.rng.randint(60, 100))
            spec = EventSpec(
                code=f"{exercise.code}-SS",
                name=f"{exercise.name} pre-deployment site survey",
                event_type="SITE_SURVEY",
                countries=[host],
                start=start,
                end=start + timedelta(days=self.rng.randint(2, 4)),
                executing=exercise.executing,
                partners=exercise.partners[:1],
                supporting=self.scos.get(host, [])[:1],
                authority=exercise.authority,
                parent=exercise.code,
                partner_label=exercise.partner_label,
                description=f"Survey of ports, routes, training areas and life support for {exercise.name}.",
            )
            self._check_event_type(spec)
            spec.status = self._status(spec.start, spec.end, established=True)
            # The most specific access objective (the highest level number) is the one the survey moves.
            access = sorted(
                (
                    code
                    for code in [*series.objectives, *self._country_objectives(host)]
                    if "ACC" in self.types[code] and self.country_of[code] in (None, host)
                ),
                key=lambda code: -self.level[code],
            )
            if exercise.parent:
                access.append(cat.PATHWAYS_OBJECTIVE)
            if not access:
                continue
            self._add_claims(spec, access[:1], preferred=("ACC",))
            specs.append(spec)
        return specs

    # Everyday engagement: SMEEs, KLEs, staff talks, SPP, MTTs, HCA, exchanges.

    def _everyday_events(self) -> list[EventSpec]:
        specs = []
        for fy in FISCAL_YEARS:
            for iso, activity in cat.ACTIVITY.items():
                count = round(activity.weight * self.rng.uniform(0.45, 0.85))
                kinds = (["STAFF_TALKS"] if activity.staff_talks else []) + [
                    self.rng.choice(activity.event_types) for _ in range(count)
                ]
                for number, kind in enumerate(kinds, start=1):
                    spec = self._everyday_event(fy, iso, kind, number)
                    if spec:
                        specs.append(spec)
        return specs

    def _everyday_event(self, fy: int, iso: str, kind: str, number: int) -> EventSpec | None:
        rng = self.rng
        states = [state for state, partners in cat.SPP_PARTNERS.items() if iso in partners]
        if kind == "SPP" and not states:
            kind = "SMEE"
        profile = cat.EVENT_TYPES[kind]
        start = date(fy - 1, 10, 1) + timedelta(days=rng.randint(0, 355))
        end = start + timedelta(days=rng.randint(*profile.days) - 1)
        if not self.ref.event_type_allowed([iso], kind, start, end):
            return None
        topic = {"HCA": rng.choice(("engineering", "medical")), "DME": "hadr"}.get(kind) or rng.choice(list(cat.TOPICS))
        words, topic_unit = cat.TOPICS[topic]
        if kind in _TOPICLESS:
            words, topic_unit = "staff planning", None
        state = rng.choice(states) if kind == "SPP" else None
        if kind == "SPP":
            executing = state
        elif kind in ("KLE", "STAFF_TALKS", "CONFERENCE"):
            executing = "USARPAC"
        else:
            executing = topic_unit or rng.choice(cat.ALIGNED_UNITS[iso])
        country = self.ref.countries[iso].name
        partners = self.partner_units.get(iso, [])
        partner = rng.choice(partners) if partners else None
        name = cat.EVENT_NAMES[kind].format(
            country=country,
            topic=words,
            Topic=words[0].upper() + words[1:],
            state=(state or "").removesuffix(" NG"),
            fy=fy,
        )
        code = f"EVT-{fy}-{iso}-ST" if kind == "STAFF_TALKS" else f"EVT-{fy}-{iso}-{profile.abbr}{number:02d}"
        spec = EventSpec(
            code=code,
            name=name,
            event_type=kind,
            countries=[iso],
            start=start,
            end=end,
            executing=executing,
            partners=[partner] if partner else [],
            supporting=self.scos.get(iso, [])[:1],
            authority=profile.authority,
            topic=words,
            partner_label=partner or f"{country}'s military",
            description=f"{EventType(kind).label} with {partner or country}"
            + ("." if kind in _TOPICLESS else f" on {words}."),
        )
        spec.status = self._status(start, end, established=False)
        if rng.random() < 0.03:
            spec.status = Status.CANCELLED
        count = rng.choices((1, 2, 3), weights=(5, 4, 1))[0]
        pool = self._country_objectives(iso)
        rng.shuffle(pool)
        # Objectives whose types suit this kind of event come first; the shuffle breaks ties.
        pool.sort(key=lambda code: not set(self.types[code]) & set(profile.objective_types))
        chosen = pool[:count] or [cat.FALLBACK_OBJECTIVE.get(iso, cat.DEFAULT_FALLBACK_OBJECTIVE)]
        self._add_claims(spec, chosen, preferred=profile.objective_types)
        return spec

    def _country_objectives(self, iso: str) -> list[str]:
        return [
            s.code
            for s in cat.OBJECTIVES
            if s.country == iso and s.level in (Level.IMO, Level.COUNTRY) and not s.starved
        ]

    def _leave_orphans(self, everyday: list[EventSpec]) -> None:
        """A few not-yet-planned events without any claim: what the "unlinked events" view should catch."""
        candidates = [s for s in everyday if s.status in (Status.PROPOSED, Status.APPROVED)]
        for spec in self.rng.sample(candidates, min(4, len(candidates))):
            spec.claims = []

    def _cover_unserved_objectives(self, events: list[EventSpec], everyday: list[EventSpec]) -> None:
        """Give every leaf objective not starved by design at least one event, as a secondary claim."""
        served = {c.objective for s in events if s.status != Status.CANCELLED for c in s.claims}
        has_children = {p for parents in self.parents.values() for p in parents}
        for spec in cat.OBJECTIVES:
            if spec.starved or spec.code in served or spec.code in has_children:
                continue
            hosts = [
                s
                for s in everyday
                if s.claims
                and len(s.claims) < 3
                and s.status != Status.CANCELLED
                and (spec.country is None or spec.country in s.countries)
                and self._claim_type(spec.code, s, ()) is not None
            ]
            if hosts:
                self._add_claims(self.rng.choice(hosts), [spec.code], preferred=())
                served.add(spec.code)

    # Shared helpers.

    def _status(self, start: date, end: date, *, established: bool) -> str:
        return _date_status(start, end, self.rng, established=established)

    def _check_event_type(self, spec: EventSpec) -> None:
        require(
            self.ref.event_type_allowed(spec.countries, spec.event_type, spec.start, spec.end),
            f"{spec.code}: {spec.event_type} is not permitted in {', '.join(spec.countries)}",
        )

    def _claim_type(self, objective: str, event: EventSpec, preferred: Iterable[str]) -> str | None:
        allowed = self.ref.allowed_types(event.countries, event.start, event.end)
        types = self.types[objective]
        for kind in (*[t for t in preferred if t in types], *types):
            if kind in allowed:
                return kind
        return None

    def _add_claims(self, spec: EventSpec, objectives: list[str], *, preferred: Iterable[str]) -> None:
        preferred = tuple(preferred)
        claimed = {c.objective for c in spec.claims}
        for code in objectives:
            kind = self._claim_type(code, spec, preferred)
            if kind is None or code in claimed:
                continue
            text = self.rng.choice(cat.CLAIM_TEXTS[kind])
            spec.claims.append(
                ClaimSpec(
                    objective=code,
                    objective_type=kind,
                    role=Role.SECONDARY if spec.claims else Role.PRIMARY,
                    expected_change=text.expected_change.format(
                        partner=spec.partner_label, topic=spec.topic, country=self.ref.countries[spec.countries[0]].name
                    ),
                    indicator=text.indicator,
                    direction=text.direction,
                    time_lag_months=text.time_lag_months,
                    assumptions=self.rng.choice(cat.ASSUMPTIONS),
                )
            )
            claimed.add(code)

    def _starved(self, events: list[EventSpec]) -> list[str]:
        """Active objectives that no live event serves, directly or through a descendant."""
        served = {c.objective for s in events if s.status != Status.CANCELLED for c in s.claims}
        frontier = set(served)
        while frontier:
            frontier = {p for code in frontier for p in self.parents.get(code, ())} - served
            served |= frontier
        return sorted(code for code in self.types if code not in served)


_CountryLink = Event.countries.through
_PartnerLink = Event.partner_units.through
_SupportingLink = Event.supporting_units.through


# --- Writing the demo's events, claims and users -----------------------------------------------------------

_Rules = dict[int, list[CountryConstraint]]  # the stored country constraints, by country id


def _write_events(ref: Reference, specs: list[EventSpec]) -> None:
    """Create the demo's events with their countries, units and claims, or bring them in line with the plan, in a
    few queries per table however many there are: what is stored is read once, and only the difference is written."""
    series = {
        s.name: _upsert(EventSeries, {"name": s.name}, {"description": f"{s.name}: {s.focus}."}) for s in cat.SERIES
    }
    rules = _stored_rules()
    stored = Event.objects.in_bulk([spec.code for spec in specs], field_name="code")
    events: dict[str, Event] = {}
    new: list[Event] = []  # not inserted yet
    for spec in specs:
        countries = [ref.countries[iso] for iso in spec.countries]
        # The same checks the event service runs, so the demo never shows what the application would refuse.
        _check_allowed(rules, countries, spec, event_type=spec.event_type)
        require(spec.claims or spec.status not in Event.NEEDS_CLAIM, f"{spec.code} needs a claim")
        require(
            sum(c.role == Role.PRIMARY for c in spec.claims) == (1 if spec.claims else 0),
            f"{spec.code} needs exactly one primary claim",
        )
        if spec.parent and events[spec.parent].pk is None:
            Event.objects.bulk_create(new)  # a leg points at its parent, which needs its key first
            new = []
        values = {
            "name": spec.name,
            "event_type": spec.event_type,
            "description": spec.description,
            "series_id": series[spec.series].pk if spec.series else None,
            "parent_id": events[spec.parent].pk if spec.parent else None,
            "executing_unit_id": ref.orgs[spec.executing].pk if spec.executing else None,
            "start_date": spec.start,
            "end_date": spec.end,
            "fiscal_year": fiscal_year(spec.start),  # bulk_create skips Event.save, which would set it
            "authority": spec.authority,
            "status": spec.status,
        }
        if spec.code in stored:
            events[spec.code] = _updated(stored[spec.code], values)
        else:
            events[spec.code] = Event(code=spec.code, **values, uid=_uid(Event, spec.code))
            new.append(events[spec.code])
    Event.objects.bulk_create(new)
    Event.objects.bulk_update([event for event in events.values() if _entered(event)], ["created"])
    pks = {spec.code: events[spec.code].pk for spec in specs}
    _set_links(_CountryLink, "country_id", {pks[s.code]: [ref.countries[iso].pk for iso in s.countries] for s in specs})
    _set_links(
        _PartnerLink, "organization_id", {pks[s.code]: [ref.orgs[name].pk for name in s.partners] for s in specs}
    )
    _set_links(
        _SupportingLink,
        "organization_id",
        {pks[s.code]: [ref.orgs[name].pk for name in s.supporting if name != s.executing] for s in specs},
    )
    _write_claims(ref, rules, specs, pks)


def _updated(record: models.Model, values: dict[str, Any]) -> models.Model:
    """Bring a stored record in line with `values`; an unchanged record is not written at all."""
    changes = {name: value for name, value in values.items() if getattr(record, name) != value}
    if changes:
        save_changes(record, version=None, changes=changes)
    return record


def _entered(event: Event) -> bool:
    """Date the event's entry as a unit would have made it: most months ahead, about one in six late (under 90
    days before the start), so data discipline has something to show. From the code, not the seeded random
    generator, so the rest of the demo is unchanged; it only ever moves the entry earlier. True if it moved."""
    spread = zlib.crc32(event.code.encode())
    lead = 15 + spread % 75 if spread % 6 == 0 else 100 + spread % 220
    entered = datetime.combine(event.start_date - timedelta(days=lead), time(9), tzinfo=UTC)
    if event.created <= entered:
        return False
    event.created = entered
    return True


def _set_links(link: type[models.Model], column: str, wanted: dict[int, list[int]]) -> None:
    """What `event.<relation>.set(…)` does for each event, for all of them at once: the missing rows are added and
    those no longer wanted are deleted."""
    stored: dict[int, dict[int, int]] = {}
    for pk, event_id, target in link.objects.filter(event_id__in=wanted).values_list("pk", "event_id", column):
        stored.setdefault(event_id, {})[target] = pk
    stale = [pk for event_id, rows in stored.items() for target, pk in rows.items() if target not in wanted[event_id]]
    link.objects.filter(pk__in=stale).delete()
    link.objects.bulk_create(
        link(event_id=event_id, **{column: target})
        for event_id, targets in wanted.items()
        for target in set(targets) - set(stored.get(event_id, {}))
    )


def _write_claims(ref: Reference, rules: _Rules, specs: list[EventSpec], pks: dict[str, int]) -> None:
    stored = {(c.event_id, c.objective_id): c for c in ContributionClaim.objects.filter(event_id__in=pks.values())}
    wanted = {(pks[spec.code], ref.objectives[c.objective].pk) for spec in specs for c in spec.claims}
    # Only a run with another seed leaves claims this one does not plan; drop them so one primary remains.
    ContributionClaim.objects.filter(pk__in=[c.pk for key, c in stored.items() if key not in wanted]).delete()
    new = []
    for spec in specs:
        countries = [ref.countries[iso] for iso in spec.countries]
        for claim in spec.claims:
            objective = ref.objectives[claim.objective]
            require(
                claim.objective_type in objective.types,
                f"{spec.code}: {objective.code} is not {claim.objective_type}",
            )
            _check_allowed(rules, countries, spec, objective_type=claim.objective_type)
            values = {
                "role": claim.role,
                "objective_type": claim.objective_type,
                "expected_change": claim.expected_change,
                "indicator": claim.indicator,
                "direction": claim.direction,
                "time_lag_months": claim.time_lag_months,
                "assumptions": claim.assumptions,
            }
            key = (pks[spec.code], objective.pk)
            if key in stored:
                _updated(stored[key], values)
            else:
                uid = _uid(ContributionClaim, f"{spec.code}>{claim.objective}")
                new.append(ContributionClaim(event_id=key[0], objective_id=key[1], **values, uid=uid))
    ContributionClaim.objects.bulk_create(new)


def _stored_rules() -> _Rules:
    """Every stored country constraint, by country id: the checks read what is in the database, as the services do,
    not only the catalogue's rules."""
    rules: _Rules = {}
    for rule in CountryConstraint.objects.select_related("country"):
        rules.setdefault(rule.country_id, []).append(rule)
    return rules


def _check_allowed(
    rules: _Rules, countries: list[Country], spec: EventSpec, *, event_type: str = "", objective_type: str = ""
) -> None:
    """Refuse an event type or an objective type that a constraint in force during the event forbids, as
    `strategy.constraints` does for the event service, from rules read once for the whole load."""
    for country in countries:
        for rule in rules.get(country.pk, ()):
            if not rule.applies_between(spec.start, spec.end):
                continue
            if event_type and rule.forbids_event_type(event_type):
                raise DomainError.on(
                    "event_type", f"{spec.code}: {country.name} does not permit {event_type} events ({rule.code})."
                )
            if objective_type and rule.forbids_objective_type(objective_type):
                raise DomainError.on(
                    "objective",
                    f"{spec.code}: {country.name} does not permit {objective_type} objectives ({rule.code}).",
                )


def _write_users(ref: Reference) -> int:
    user_model = get_user_model()
    stored = user_model.objects.in_bulk([_demo_username(role) for role in ROLES], field_name="username")
    groups = Group.objects.in_bulk(list(ROLES), field_name="name")
    password = _DemoPassword()
    for role, spec in ROLES.items():
        username = _demo_username(role)
        org_name = cat.DEMO_USERS.get(role, (username, None))[1]
        user = stored.get(username) or user_model(username=username)
        user.password = password.hash_for(user)
        user.first_name, user.last_name = "Demo", spec["label"]
        user.email = f"{username}@demo.goldthread.invalid"
        user.organization = ref.orgs[org_name] if org_name else None
        user.is_active = True
        user.is_staff = user.is_superuser = role == "administrator"
        user.save()
        user.groups.set([groups[role]])
        user.countries.set([ref.countries[iso] for iso in cat.DEMO_USER_COUNTRIES.get(role, [])])
    return len(ROLES)


class _DemoPassword:
    """The demo users all have the one published password. Hashing is deliberately slow, so a load checks one stored
    hash of it (or, failing that, hashes it) once, and gives every demo user that same hash."""

    def __init__(self) -> None:
        self.hash: str | None = None

    def hash_for(self, user) -> str:
        if self.hash is None:
            stored = user.pk and user.check_password(cat.DEMO_PASSWORD)
            self.hash = user.password if stored else make_password(cat.DEMO_PASSWORD)
        return self.hash


def _demo_username(role: str) -> str:
    return cat.DEMO_USERS.get(role, (role, None))[0]


# --- Generating benchmark events ---------------------------------------------------------------------------


class _Pools:
    """Everything a synthetic event is drawn from, as plain ids, so a batch needs no reads at all."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.isos = list(cat.ACTIVITY)
        self.cum_weights = list(accumulate(activity.weight for activity in cat.ACTIVITY.values()))
        self.names = {iso: country.name for iso, country in ref.countries.items()}
        self.country_ids = {iso: country.pk for iso, country in ref.countries.items()}
        self.partner_ids: dict[str, list[int]] = {}
        self.sco_ids: dict[str, list[int]] = {}
        iso_of = {country.pk: iso for iso, country in ref.countries.items()}
        for org in ref.orgs.values():
            iso = iso_of.get(org.country_id)
            if org.echelon == "PARTNER_UNIT":
                self.partner_ids.setdefault(iso, []).append(org.pk)
            elif org.echelon == "SCO":
                self.sco_ids.setdefault(iso, []).append(org.pk)
        self.aligned_ids = {iso: [ref.orgs[n].pk for n in units] for iso, units in cat.ALIGNED_UNITS.items()}
        self.org_ids = {name: org.pk for name, org in ref.orgs.items()}
        self.org_names = {org.pk: name for name, org in ref.orgs.items()}
        self.topics = list(cat.TOPICS)
        self.usarpac_id = ref.orgs["USARPAC"].pk
        self.spp_states = {
            iso: [state for state, partners in cat.SPP_PARTNERS.items() if iso in partners] for iso in self.isos
        }
        self.state_ids = {state: ref.orgs[state].pk for state in cat.SPP_PARTNERS}
        # (objective id, its types) per country; starved-by-design objectives stay starved for gap analysis.
        self.objectives: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        starved = {s.code for s in cat.OBJECTIVES if s.starved}
        for spec in cat.OBJECTIVES:
            if spec.country and spec.level in (Level.IMO, Level.COUNTRY) and spec.code not in starved:
                objective = ref.objectives[spec.code]
                self.objectives.setdefault(spec.country, []).append((objective.pk, tuple(objective.types)))
        self.fallback = {
            iso: self._as_pool_entry(cat.FALLBACK_OBJECTIVE.get(iso, cat.DEFAULT_FALLBACK_OBJECTIVE))
            for iso in self.isos
        }
        self._allowed: dict[tuple[int, ...], list[str]] = {}

    def _as_pool_entry(self, code: str) -> tuple[int, tuple[str, ...]]:
        objective = self.ref.objectives[code]
        return objective.pk, tuple(objective.types)

    def allowed_types(self, isos: tuple[str, ...], start: date, end: date) -> list[str]:
        # Only the rules in force decide the answer, and there are few, so this cache stays tiny.
        key = tuple(rule.pk for rule in self.ref.in_force(isos, start, end))
        if key not in self._allowed:
            self._allowed[key] = self.ref.allowed_types(isos, start, end)
        return self._allowed[key]

    def country(self, rng: random.Random) -> str:
        return rng.choices(self.isos, cum_weights=self.cum_weights)[0]


def _next_generated_number(prefix: str) -> int:
    last = Event.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    if last is None:
        return 1
    try:
        return int(last.removeprefix(prefix)) + 1
    except ValueError as exc:
        raise DomainError.on(
            "seed", f"Event code {last} does not follow the generator's numbering; use another seed."
        ) from exc


class _Batch:
    """The tables a batch of synthetic events is written to, as plain rows (`demo/bulk.py`)."""

    def __init__(self, uid: Callable[[], uuid.UUID]) -> None:
        self.uid = uid
        self.events = bulk.Table(Event, _EVENT_COLUMNS)
        self.claims = bulk.Table(ContributionClaim, _CLAIM_COLUMNS)
        self.countries = bulk.Table(_CountryLink, ("event_id", "country_id"))
        self.partners = bulk.Table(_PartnerLink, ("event_id", "organization_id"))
        self.supporting = bulk.Table(_SupportingLink, ("event_id", "organization_id"))

    def write(self) -> Counter[str]:
        # Events first: on PostgreSQL the rows that point at them are checked as they arrive.
        return Counter(
            events=self.events.write(),
            claims=self.claims.write(),
            country_links=self.countries.write(),
            partner_links=self.partners.write(),
            supporting_links=self.supporting.write(),
        )


_EVENT_COLUMNS = (
    "uid",
    "code",
    "name",
    "event_type",
    "start_date",
    "end_date",
    "fiscal_year",
    "authority",
    "executing_unit_id",
    "status",
)
_CLAIM_COLUMNS = (
    "uid",
    "event_id",
    "objective_id",
    "objective_type",
    "role",
    "expected_change",
    "indicator",
    "direction",
    "time_lag_months",
    "assumptions",
)


def _generate_batch(
    pools: _Pools,
    content: enterprise.Content | None,
    rng: random.Random,
    uid: Callable[[], uuid.UUID],
    prefix: str,
    first: int,
    size: int,
    *,
    analyse: bool = False,
) -> Counter[str]:
    batch = _Batch(uid)
    counts: Counter[str] = Counter()
    if content:
        content.start_batch()
        # One objective per EVENTS_PER_OBJECTIVE event numbers, so a continued run numbers its own.
        per = enterprise.EVENTS_PER_OBJECTIVE
        for number in range(-(-first // per), -(-(first + size) // per)):
            content.objective(number, pools.country(rng))
    for number in range(first, first + size):
        drafted = _draft_event(pools, content, rng, f"{prefix}{number:09d}", batch)
        counts["orphans"] += not drafted.claims
        counts["cancelled"] += drafted.status == Status.CANCELLED
        if content:
            content.event(drafted)
    first_event = batch.events.next_key - len(batch.events.rows)
    counts.update(batch.write())
    if content:
        counts.update(content.write())
        if analyse:
            statistics.refresh()
        with bulk.full_text_deferred(Entry._meta.db_table, "search_fts"):
            content.index()
            enterprise.index_written(Event, first_event, first_event + counts["events"] - 1)
    return counts


def _draft_event(
    pools: _Pools, content: enterprise.Content | None, rng: random.Random, code: str, batch: _Batch
) -> enterprise.Drafted:
    """Queue one synthetic event with its claims and its country, partner and supporting-unit rows; return what
    its other content is drafted from."""
    while True:
        iso = pools.country(rng)
        kind = rng.choice(cat.ACTIVITY[iso].event_types)
        isos = [iso]
        if rng.random() < 0.1:  # a multilateral seminar or SMEE with one to three more countries
            kind = rng.choice(("CONFERENCE", "SMEE"))
            for _ in range(rng.randint(1, 3)):
                other = pools.country(rng)
                if other not in isos:
                    isos.append(other)
        if kind == "SPP" and not pools.spp_states[iso]:
            kind = "SMEE"
        profile = cat.EVENT_TYPES[kind]
        orphan = rng.random() < 0.03
        if orphan:  # orphans lie ahead: an event already under way would need a claim
            start = TODAY + timedelta(days=rng.randint(30, 300))
        else:
            start = date(rng.choice(FISCAL_YEARS) - 1, 10, 1) + timedelta(days=rng.randint(0, 364))
        end = start + timedelta(days=rng.randint(*profile.days) - 1)
        isos_key = tuple(isos)
        allowed = pools.allowed_types(isos_key, start, end)
        if allowed and pools.ref.event_type_allowed(isos_key, kind, start, end):
            break

    country, (words, topic_unit) = pools.names[iso], cat.TOPICS[rng.choice(pools.topics)]
    if kind in _TOPICLESS:
        words, topic_unit = "staff planning", None
    state = rng.choice(pools.spp_states[iso]) if kind == "SPP" else ""
    if state:
        executing = pools.state_ids[state]
    elif kind in ("KLE", "STAFF_TALKS", "CONFERENCE"):
        executing = pools.usarpac_id
    else:
        executing = pools.org_ids[topic_unit] if topic_unit else rng.choice(pools.aligned_ids[iso])

    claims: list[tuple[int, str]] = []  # (objective id, claim type)
    if not orphan:
        candidates = [entry for i in isos for entry in pools.objectives.get(i, ())] or [pools.fallback[iso]]
        wanted = rng.choices((1, 2, 3), weights=(4, 4, 2))[0]
        picked = rng.sample(candidates, min(len(candidates), wanted + 2))
        if content:
            picked = _generated_candidates(content, rng, iso) + picked
        for objective_id, types in picked:
            claim_type = next((t for t in (*profile.objective_types, *types) if t in types and t in allowed), None)
            if claim_type and all(objective_id != claimed for claimed, _ in claims):
                claims.append((objective_id, claim_type))
            if len(claims) == wanted:
                break
        if not claims and "REL" in allowed:
            claims.append((pools.fallback[iso][0], "REL"))
    if claims:
        status = Status.CANCELLED if rng.random() < 0.01 else _date_status(start, end, rng)
    else:
        # Without a claim an event may not move past approved, so one already under way was called off.
        status = rng.choice((Status.PROPOSED, Status.APPROVED)) if start > TODAY else Status.CANCELLED

    fy = fiscal_year(start)
    name = cat.EVENT_NAMES[kind].format(
        country=country, topic=words, Topic=words[0].upper() + words[1:], state=state.removesuffix(" NG"), fy=fy
    )
    event = batch.events.add(batch.uid(), code, name, kind, start, end, fy, profile.authority, executing, status)
    drafted = enterprise.Drafted(event, iso, country, kind, start, end, fy, status, executing, None)
    for position, (objective_id, claim_type) in enumerate(claims):
        wording = rng.choice(cat.CLAIM_TEXTS[claim_type])
        role = Role.SECONDARY if position else Role.PRIMARY
        expected_change = wording.expected_change.format(partner=f"{country}'s military", topic=words, country=country)
        claim = batch.claims.add(
            batch.uid(),
            event,
            objective_id,
            claim_type,
            role,
            expected_change,
            wording.indicator,
            wording.direction,
            wording.time_lag_months,
            rng.choice(cat.ASSUMPTIONS),
        )
        drafted.claims.append((claim, objective_id, claim_type, wording.indicator, expected_change, role))
    for i in isos:
        batch.countries.add(event, pools.country_ids[i])
    partners = pools.partner_ids.get(iso, [])
    if partners and rng.random() < 0.7:
        partner = rng.choice(partners)
        batch.partners.add(event, partner)
        drafted.partner = (partner, pools.org_names[partner])
    scos = pools.sco_ids.get(iso, [])
    if scos and rng.random() < 0.5:
        batch.supporting.add(event, scos[0])
    return drafted


def _generated_candidates(
    content: enterprise.Content, rng: random.Random, iso: str
) -> list[tuple[int, tuple[str, ...]]]:
    """Generated objectives of the event's country to claim before the catalogue's: mostly one with MOEs, so that
    the event collects values, sometimes another."""
    found = []
    measured, generated = content.measured.get(iso), content.generated.get(iso)
    if measured and rng.random() < 0.85:
        found.append(rng.choice(measured))
    if generated and rng.random() < 0.3:
        found.append(rng.choice(generated))
    return found


class _Uids:
    """Keys for generated records that rise one by one from a random start: unique like random ones, but each new
    key lands at the end of the uid index instead of somewhere in its middle, which keeps writing 500,000 events
    fast."""

    def __init__(self, rng: random.Random):
        # The version and variant bits set once: counting up from here never reaches them.
        self.next = uuid.UUID(int=rng.getrandbits(64) << 64, version=4).int

    def __call__(self) -> uuid.UUID:
        self.next += 1
        return uuid.UUID(int=self.next)


def _date_status(start: date, end: date, rng: random.Random, *, established: bool = False) -> str:
    """Where an event stands on TODAY; `established` series are approved a year ahead, new events may not be."""
    if end < TODAY:
        # Recently ended events still wait for their AAR; a few older ones were never closed out.
        return Status.COMPLETED if (TODAY - end).days <= 75 or rng.random() < 0.08 else Status.CLOSED
    if start <= TODAY:
        return Status.EXECUTING
    lead = (start - TODAY).days
    if lead <= 30:
        return Status.READY
    if lead <= 150:
        return Status.PLANNING
    if lead <= 240 or established:
        return Status.APPROVED
    return rng.choice((Status.APPROVED, Status.PROPOSED))


# --- Small helpers -----------------------------------------------------------------------------------------


def _upsert(model: type[models.Model], key: dict[str, Any], values: dict[str, Any], natural: str | None = None):
    """Create the record, or bring it in line with `values`; an unchanged record is not written at all."""
    obj = model.objects.filter(**key).first()
    if obj is None:
        obj = model(**key, **values, uid=_uid(model, natural or ":".join(str(v) for v in key.values())))
        obj.save()
        return obj
    return _updated(obj, values)


def _uid(model: type[models.Model], natural: str) -> uuid.UUID:
    return uuid.uuid5(_UID_NAMESPACE, f"{model._meta.label_lower}:{natural}")


def _in_fiscal_year(fy: int, month: int, day: int) -> date:
    return date(fy - 1 if month >= 10 else fy, month, day)
