"""Query counts of every page and API read: they do not grow with the rows shown (no N+1).

READS is the table: each GET route of the site and of /api/v1 with a URL to read and a grower, the function that adds
the rows the read shows (more events for a list of events, more observations for a report...). For each grower the
reads are counted with FEW rows, the grower adds more, and they are counted again: a list costs as many queries for
MANY rows as for FEW, and a detail page as many for a record with MANY related rows as with FEW. A read that shows the
rows also sends more bytes for MANY rows, which proves the grower reached it.

`test_every_get_route_is_counted_or_excluded` walks the URL resolver and the API's operations: a new GET route fails
the suite until it has a row in READS, or a line in COVERED_ELSEWHERE or EXCLUDED saying why it needs none.
"""

import inspect
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from goldthread.aars import services as aars
from goldthread.aars.models import ChannelItem, Observation, Report
from goldthread.api import api as ninja_api
from goldthread.core.catalogues import Echelon, Level
from goldthread.core.tokens import create_token
from goldthread.delivery import services as delivery
from goldthread.evaluation import services as evaluation
from goldthread.events import services as events
from goldthread.events.models import Event
from goldthread.folders import selectors as folder_selectors
from goldthread.folders import services as folders
from goldthread.measures import services as measures
from goldthread.measures.models import Evidence
from goldthread.planning import services as planning
from goldthread.planning.models import Item
from goldthread.readiness import services as readiness
from goldthread.readiness.models import EntryRule
from goldthread.strategy import services as strategy

from .conftest import World, make_user

FEW, MANY = 2, 6
Grow = Callable[[World, int, int], None]  # adds rows numbered start..stop-1


# --- Growers: each adds rows through the services, as the application does -----------------------------------------


EXTRA_COUNTRIES = ("VNM", "IDN", "MYS", "SGP", "KHM", "LAO", "MMR", "BRN", "MNG", "FJI")


def _country(w: World, n: int):
    """The n-th extra country of the area, made on first use: visas, entry rules and portfolios need many."""
    iso3 = EXTRA_COUNTRIES[n]
    found = getattr(w, "extra_countries", {})
    if iso3 not in found:
        found[iso3] = strategy.create_country(actor=w.planner, iso3=iso3, in_aor=True)
        w.extra_countries = found
    return found[iso3]


def _move(w: World, event: Event, *statuses: str) -> None:
    for status in statuses:
        events.transition_event(actor=w.planner, event=event, status=status)


def _event(w: World, code: str, day: date, *, country=None, claim=None, unit=None) -> Event:
    """A new event of the world's series: claiming `claim` and executed, or without `claim` an orphan, proposed."""
    event = events.create_event(
        actor=w.planner,
        code=code,
        name=f"Event {code}",
        event_type="FTX",
        series=w.series,
        start_date=day,
        end_date=day + timedelta(days=3),
        executing_unit=unit or w.bct,
        countries=[country or w.phl],
        partner_units=[w.rta] if country == w.tha else [],
    )
    if claim is not None:
        events.add_claim(actor=w.planner, event=event, objective=claim, expected_change="More trust")
        _move(w, event, "APPROVED", "PLANNING", "READY", "EXECUTING", "COMPLETED")
    return event


def more_events(w: World, start: int, stop: int) -> None:
    """Events of FY2025: executed ones in the Philippines claiming the theater objective, with no AAR (overdue), and
    orphans that claim nothing, each in another country."""
    for n in range(start, stop):
        day = date(2025, 1, 6) + timedelta(days=7 * n)
        if n % 2 == 0:
            _event(w, f"EVT-QC-{n}", day, claim=w.rel)
        else:
            _event(w, f"EVT-QC-{n}", day, country=_country(w, n))


def more_objectives(w: World, start: int, stop: int) -> None:
    """Country objectives under the Thai IMO, each measured by an indicator."""
    for n in range(start, stop):
        objective = strategy.create_objective(
            actor=w.planner,
            parents=[w.imo],
            code=f"CSP-THA-Q{n}",
            level=Level.COUNTRY,
            primary_type="CAP",
            country=w.tha,
            statement=f"Objective {n}",
        )
        measures.create_indicator(
            actor=w.planner,
            code=f"MOE-Q{n}",
            kind="MOE",
            statement="x",
            objective=objective,
            unit="u",
            data_source="x",
        )


def more_claims(w: World, start: int, stop: int) -> None:
    """Secondary claims of the exercise on new country objectives."""
    for n in range(start, stop):
        objective = strategy.create_objective(
            actor=w.planner,
            parents=[w.imo],
            code=f"CSP-THA-C{n}",
            level=Level.COUNTRY,
            primary_type="CAP",
            country=w.tha,
            statement=f"Claimed objective {n}",
        )
        events.add_claim(
            actor=w.planner,
            event=w.event,
            objective=objective,
            role="SECONDARY",
            expected_change=f"Change {n}",
            indicator=f"Indicator {n}",
        )


def more_organizations(w: World, start: int, stop: int) -> None:
    """Brigades under USARPAC, and Thai partner units all taking part in the exercise."""
    for n in range(start, stop):
        strategy.create_organization(
            actor=w.planner, name=f"Brigade {n}", short_name=f"BDE-{n}", echelon=Echelon.BRIGADE, parent=w.usarpac
        )
        strategy.create_organization(
            actor=w.planner,
            name=f"Partner unit {n}",
            short_name=f"RTA-{n}",
            echelon=Echelon.PARTNER_UNIT,
            country=w.tha,
            parent=w.rta,
        )
    w.event.refresh_from_db()
    partners = list(w.rta.children.all()) + [w.rta]
    events.update_event(actor=w.planner, event=w.event, version=w.event.version, changes={}, partner_units=partners)


def more_countries(w: World, start: int, stop: int) -> None:
    """Countries of the area, each with a constraint, entry rules and a standing."""
    for n in range(start, stop):
        country = _country(w, n)
        strategy.create_constraint(
            actor=w.planner, country=country, code=f"C-{n}", title="Limit", basis="Policy", forbidden_event_types=[]
        )
        readiness.set_entry_rule(actor=w.planner, country=country, version=None, fields={"visa_required": True})
        evaluation.set_standing(
            actor=w.planner,
            country=country,
            version=None,
            priority=1,
            absorptive_capacity=4,
            relationship=3,
            capability=2,
            rationale="Reviewed",
            reviewed_on=date(2026, 1, 1),
        )


def more_constraints(w: World, start: int, stop: int) -> None:
    """Constraints on Thailand."""
    for n in range(start, stop):
        strategy.create_constraint(
            actor=w.planner, country=w.tha, code=f"TC-{n}", title=f"Limit {n}", basis="Policy", forbidden_event_types=[]
        )


def more_plans(w: World, start: int, stop: int) -> None:
    """Plans of USARPAC for Thailand."""
    for n in range(start, stop):
        strategy.create_plan(
            actor=w.planner,
            name=f"Plan {n}",
            kind="CSP",
            owner=w.usarpac,
            country=w.tha,
            period_start=date(2025, 1, 1),
            period_end=date(2027, 1, 1),
        )
    w.plan = w.usarpac.plans.first()


def more_desk_countries(w: World, start: int, stop: int) -> None:
    """Countries of the desk officer's (set on the account, as an administrator does), each with an event there."""
    for n in range(start, stop):
        country = _country(w, n)
        w.desk.countries.add(country)
        _event(w, f"EVT-DESK-{n}", date(2025, 4, 1) + timedelta(days=n), country=country)


def more_series(w: World, start: int, stop: int) -> None:
    """Event series."""
    for n in range(start, stop):
        events.create_series(actor=w.planner, name=f"Series {n}")


def more_conferences(w: World, start: int, stop: int) -> None:
    """Conferences of the exercise, every other one approved, each with an attendee and an action item."""
    for n in range(start, stop):
        conference = planning.save_conference_draft(
            actor=w.planner,
            event=w.event,
            conference=None,
            fields={"kind": "MPC", "starts": date(2025, 3, 1 + n), "ends": date(2025, 3, 2 + n), "place": "Lopburi"},
            attendees=[{"name": f"MAJ {n}", "organization": w.bct, "role": "S3"}],
            items=[{"kind": Item.Kind.ACTION, "text": f"Action {n}", "owner": w.bct, "due": date(2025, 5, 1)}],
        )
        if n % 2 == 0:
            planning.approve_conference(actor=w.planner, conference=conference)


def _attendees_and_items(w: World, count: int) -> tuple[list[dict], list[dict]]:
    attendees = [{"name": f"CPT {n}", "organization": [w.bct, None][n % 2], "role": "Planner"} for n in range(count)]
    kinds = list(Item.Kind)
    items = [
        {"kind": kinds[n % len(kinds)], "text": f"Item {n}", "owner": w.bct, "due": date(2025, 5, 1)}
        for n in range(count)
    ]
    return attendees, items


def more_conference_content(w: World, start: int, stop: int) -> None:
    """A correction of an approved conference record, with more attendees and items than the version it corrects."""
    if not hasattr(w, "correction"):
        first = planning.create_conference(
            actor=w.planner, event=w.event, kind="IPC", starts=date(2025, 2, 1), ends=date(2025, 2, 2), place="Bangkok"
        )
        planning.approve_conference(actor=w.planner, conference=first)
        w.correction = planning.correct_conference(actor=w.planner, conference=first, reason="Attendees missing")
    attendees, items = _attendees_and_items(w, stop)
    planning.set_attendees(actor=w.planner, conference=w.correction, attendees=attendees)
    planning.set_items(actor=w.planner, conference=w.correction, items=items)


def more_versions(w: World, start: int, stop: int) -> None:
    """Corrections of one conference record, each approved: the versions of its lineage."""
    if not hasattr(w, "versioned"):
        w.versioned = planning.create_conference(
            actor=w.planner, event=w.event, kind="FPC", starts=date(2025, 5, 1), ends=date(2025, 5, 2), place="Korat"
        )
        planning.approve_conference(actor=w.planner, conference=w.versioned)
    for n in range(start, stop):
        draft = planning.correct_conference(actor=w.planner, conference=w.versioned, reason=f"Correction {n}")
        planning.update_conference(
            actor=w.planner, conference=draft, version=draft.version, changes={"summary": f"{n}"}
        )
        w.versioned = planning.approve_conference(actor=w.planner, conference=draft)


def more_orders(w: World, start: int, stop: int) -> None:
    """Orders of the exercise, every other one issued."""
    for n in range(start, stop):
        order = planning.draft_order(actor=w.planner, event=w.event, kind="OPORD", issuer=w.usarpac, title=f"Order {n}")
        if n % 2 == 0:
            planning.issue_order(actor=w.planner, order=order)


def more_order_changes(w: World, start: int, stop: int) -> None:
    """An order issued, then claims added, then a FRAGO issued: what the FRAGO changes grows with the claims."""
    planning.issue_order(
        actor=w.planner,
        order=planning.draft_order(actor=w.planner, event=w.event, kind="OPORD", issuer=w.usarpac, title="Before"),
    )
    more_claims(w, start, stop)
    w.frago = planning.draft_order(
        actor=w.planner, event=w.event, kind="FRAGO", issuer=w.usarpac, title="After", change_reason="More claims"
    )
    planning.issue_order(actor=w.planner, order=w.frago)


def more_themes(w: World, start: int, stop: int) -> None:
    """Approved themes for Thailand and for the region, each on an objective; a product carrying each."""
    for n in range(start, stop):
        theme = planning.create_theme(
            actor=w.planner,
            objectives=[w.army],
            title=f"Theme {n}",
            audience="Partner military",
            talking_points=f"Point {n}\nAnother point",
            country=[w.tha, None][n % 2],
            valid_from=date(2025, 1, 1),
            status="APPROVED",
        )
        planning.create_product(
            actor=w.planner, events=[w.event], themes=[theme], kind="ARTICLE", title=f"Story {n}", country=w.tha
        )


def more_theme_objectives(w: World, start: int, stop: int) -> None:
    """A theme on `stop` objectives, and a product about `stop` events and themes: the one read is the newest."""
    more_events(w, start, stop)
    objectives = [w.army, w.imo, w.theater, w.rel, w.national, w.starved][:stop]
    w.theme = planning.create_theme(
        actor=w.planner,
        objectives=objectives,
        title=f"Theme of {stop}",
        audience="Partner military",
        talking_points="Point",
        country=w.tha,
        valid_from=date(2025, 1, 1),
    )
    themes = [w.theme, *(getattr(w, "themes", []))]
    w.themes = themes
    w.product = planning.create_product(
        actor=w.planner,
        events=list(Event.objects.filter(code__startswith="EVT-QC-"))[:stop],
        themes=themes,
        kind="ARTICLE",
        title=f"Story of {stop}",
        country=w.tha,
    )


def more_requests(w: World, start: int, stop: int) -> None:
    """Requests for information on the exercise, each on a topic of the checklist and delivered to the desk officer
    among others; every other one answered."""
    topics = ["Partner", "Administration", "History", "Agreements", "Communications", "Reporting"]
    for n in range(start, stop):
        asked = planning.ask(
            actor=w.planner,
            event=w.event,
            topic=topics[n],
            question=f"Question {n}?",
            owner=w.bct,
            due=date(2025, 6, 1),
        )
        if n % 2 == 0:
            planning.answer(actor=w.planner, request=asked, version=asked.version, text="Answer")
        w.request = asked


def more_subscribers(w: World, start: int, stop: int) -> None:
    """Executors of the brigade subscribed to the exercise."""
    for n in range(start, stop):
        user = make_user(f"follower{n}", "executor", w.bct)
        delivery.set_subscription(actor=w.planner, event=w.event, user=user, active=True)


def _section_text(lines: int) -> str:
    return "\n".join(f"Line {n} about interpreters" for n in range(lines))


def more_folder_content(w: World, start: int, stop: int) -> None:
    """In the Thai folder: revisions of the entry section, contacts, observances and attachments."""
    for n in range(start, stop):
        section = folder_selectors.section(w.tha, "entry")
        folders.edit_section(
            actor=w.planner,
            country=w.tha,
            key="entry",
            version=section.version if section.pk else None,
            text=_section_text(n + 1),
            reason=f"Revision {n}",
        )
        folders.add_contact(
            actor=w.planner, country=w.tha, role="Desk", name=f"Contact {n}", held_from=date(2024, 1, 1 + n)
        )
        day = timezone.localdate() + timedelta(days=10 + n)
        folders.add_observance(actor=w.planner, country=w.tha, name=f"Observance {n}", starts=day, ends=day)
        folders.attach(actor=w.planner, country=w.tha, section="entry", name=f"note{n}.txt", content=b"Note")
        if n == 0:
            folders.set_owner(actor=w.planner, country=w.tha, key="entry", owner=w.planner)


def more_search_entries(w: World, start: int, stop: int) -> None:
    """Folder sections of extra countries, each mentioning interpreters."""
    for n in range(start, stop):
        folders.edit_section(
            actor=w.planner, country=_country(w, n), key="culture", version=None, text=_section_text(2), reason="New"
        )


def more_travelers(w: World, start: int, stop: int) -> None:
    """Travelers of the exercise, each with a visa and training."""
    for n in range(start, stop):
        readiness.add_traveler(
            actor=w.planner,
            event=w.event,
            name=f"SGT {n}",
            unit=w.bct,
            passport_type="OFFICIAL",
            passport_number=f"C0{n:07d}",
            passport_expires=date(2027, 1, 1),
            visas=[{"country": w.tha, "expires": date(2026, 1, 1)}],
            training=[{"name": "SERE 100.2", "completed": date(2025, 1, 1)}],
        )


def more_traveler_documents(w: World, start: int, stop: int) -> None:
    """One traveler with `stop` visas and trainings."""
    if not hasattr(w, "traveler"):
        w.traveler = readiness.add_traveler(actor=w.planner, event=w.event, name="SSG Many", unit=w.bct)
    w.traveler.refresh_from_db()
    readiness.update_traveler(
        actor=w.planner,
        traveler=w.traveler,
        version=w.traveler.version,
        changes={},
        visas=[{"country": _country(w, n), "expires": date(2026, 1, 1)} for n in range(stop)],
        training=[{"name": f"Course {n}", "completed": date(2025, 1, 1)} for n in range(stop)],
    )


def more_entry_rule_changes(w: World, start: int, stop: int) -> None:
    """Changes to Thailand's entry rules: its history."""
    for n in range(start, stop):
        rule = EntryRule.objects.filter(country=w.tha).first()
        readiness.set_entry_rule(
            actor=w.planner,
            country=w.tha,
            version=rule.version if rule else None,
            fields={"country_clearance_days": 30 + n},
        )


def _report(w: World) -> Report:
    if not hasattr(w, "report"):
        w.report = aars.start(actor=w.writer, event=w.event)
    return w.report


def more_observations(w: World, start: int, stop: int) -> None:
    """Observations and follow-up actions of the exercise's AAR, a draft."""
    report = _report(w)
    for n in range(start, stop):
        w.observation = aars.add_observation(
            actor=w.writer,
            report=report,
            fields={
                "title": f"Interpreters short {n}",
                "observation": "Two interpreters for a brigade staff.",
                "recommendation": "Ask for more.",
                "claim": w.claim,
                "partner_unit": w.rta,
                "dotmlpfp": "PERSONNEL",
                "analysis": {"five_whys": ["Late", "Later"], "root_cause": "No budget"},
            },
        )
        aars.add_action(actor=w.planner, report=report, text=f"Action {n}", owner=w.bct, due=date(2025, 9, 1))


def more_routed_observations(w: World, start: int, stop: int) -> None:
    """An AAR of a new iteration with `stop` critical observations, approved, so disseminated to its audience and each
    observation routed to a channel: the one read is the newest."""
    event = _event(w, f"EVT-RT-{stop}", date(2025, 8, 4) + timedelta(days=7 * stop), country=w.tha, claim=w.army)
    w.routed = aars.start(actor=w.planner, event=event)
    for n in range(stop):
        aars.add_observation(
            actor=w.planner,
            report=w.routed,
            fields={
                "title": f"Customs held the vehicles {n}",
                "observation": "Held nine days.",
                "finding": ["IMPROVE", "SUSTAIN"][n % 2],
                "partner_unit": w.rta,
                "criticality": Observation.Criticality.CRITICAL,
                "channel": Observation.Channel.ACCESS_BLOCKER,
            },
        )
        aars.add_action(actor=w.planner, report=w.routed, text=f"Action {n}", owner=w.bct, due=date(2025, 9, 1))
    w.routed.refresh_from_db()
    aars.submit(actor=w.planner, report=w.routed, version=w.routed.version)
    w.routed.refresh_from_db()
    aars.approve(actor=w.planner, report=w.routed, version=w.routed.version)


def more_reports(w: World, start: int, stop: int) -> None:
    """Executed events of new brigades, claiming the measured Thai objective (so with collection tasks), each with an
    AAR: every other one submitted. Dated from today, as data discipline scores the last five fiscal years."""
    first = timezone.localdate() - timedelta(days=400)
    for n in range(start, stop):
        unit = strategy.create_organization(
            actor=w.planner, name=f"Brigade {n}", short_name=f"BDE-A{n}", echelon=Echelon.BRIGADE, parent=w.usarpac
        )
        event = _event(w, f"EVT-AAR-{n}", first + timedelta(days=7 * n), claim=w.army, unit=unit)
        report = aars.start(actor=w.planner, event=event)
        if n % 2 == 0:
            aars.submit(actor=w.planner, report=report, version=report.version)


def more_lessons(w: World, start: int, stop: int) -> None:
    """Iterations of the exercise in Thailand with the same partner unit, each with a disseminated AAR whose critical
    observation is routed to a channel and validated as a lesson."""
    for n in range(start, stop):
        event = _event(w, f"EVT-LL-{n}", date(2024, 1, 8) + timedelta(days=14 * n), country=w.tha, claim=w.army)
        report = aars.start(actor=w.planner, event=event)
        observation = aars.add_observation(
            actor=w.planner,
            report=report,
            fields={
                "title": f"Interpreter shortage {n}",
                "observation": "Too few interpreters.",
                "recommendation": "Budget interpreters.",
                "partner_unit": w.rta,
                "dotmlpfp": ["PERSONNEL", "TRAINING", "MATERIEL"][n // 2 % 3],  # a recurring issue every two events
                "objective_type": "CAP",
                "criticality": Observation.Criticality.CRITICAL,
                "channel": Observation.Channel.ACCESS_BLOCKER,
            },
        )
        aars.submit(actor=w.planner, report=report, version=report.version)
        report.refresh_from_db()
        aars.approve(actor=w.planner, report=report, version=report.version)
        observation.refresh_from_db()
        aars.advance(actor=w.planner, observation=observation, stage="VALIDATED", version=observation.version)
    w.item = ChannelItem.objects.get(observation=observation)
    w.lesson = observation


def more_audit_entries(w: World, start: int, stop: int) -> None:
    """Changes to the world's series: entries of the audit trail."""
    for n in range(start, stop):
        w.series.refresh_from_db()
        events.update_series(
            actor=w.planner, series=w.series, version=w.series.version, changes={"description": f"{n}"}
        )


def more_values(w: World, start: int, stop: int) -> None:
    """Approved values of the Thai MOE, one a month, and a draft one."""
    for n in range(start, stop):
        value = measures.record(actor=w.assessor, indicator=w.moe, date=date(2025, 1 + n, 1), value=1 + n % 5)
        measures.approve(actor=w.planner, measurement=value)
    if not hasattr(w, "value"):
        w.value = measures.record(actor=w.assessor, indicator=w.moe, date=date(2024, 12, 1), value=1, submit=False)


def more_assessments(w: World, start: int, stop: int) -> None:
    """Submitted assessments of the Thai country objective, each citing its MOE; and a draft that cites one more
    document each time."""
    if not hasattr(w, "assessment"):
        w.assessment = measures.create_assessment(
            actor=w.assessor, objective=w.army, period="FY2019", rating=2, rationale="Draft"
        )
    for n in range(start, stop):
        submitted = measures.create_assessment(
            actor=w.assessor, objective=w.army, period=f"FY{2020 + n}", rating=1 + n % 5, rationale=f"Rationale {n}"
        )
        measures.cite(actor=w.assessor, assessment=submitted, kind=Evidence.Kind.INDICATOR, indicator=w.moe)
        measures.submit_assessment(actor=w.assessor, assessment=submitted)
        measures.cite(actor=w.assessor, assessment=w.assessment, kind=Evidence.Kind.DOCUMENT, document=f"Doc {n}")


# --- The table --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """A row of the table: a GET route, the URL that reads it, the grower of the rows it shows, and who reads."""

    route: str  # the URL name of a page, or the path of an API operation as /api/v1 documents it
    url: Callable[[World], str]
    grow: Grow
    user: str = "planner"
    shows_rows: bool = True  # False: the read shows a count or one record, not the rows; its size need not grow


API = "/api/v1"
Url = str | Callable[[World], str]


def page(name: str, url: Url, grow: Grow, **options) -> Read:
    """A page, by its URL name, read at `url` (a string, or made from the world when it names a record)."""
    return Read(name, url if callable(url) else lambda w: url, grow, **options)


def endpoint(path: str, grow: Grow, url: Url | None = None, **options) -> Read:
    """An API operation, by its path, read at `url` under /api/v1: the path itself when it takes no parameter."""
    made = url if callable(url) else lambda w: url or path
    return Read(API + path, lambda w: API + made(w), grow, **options)


READS: list[Read] = [
    # Objectives, countries, organizations, plans
    page("objective-tree", "/objectives/", more_objectives),
    page("objective-list", "/objectives/list/", more_objectives),
    page("objective", lambda w: f"/objectives/{w.imo.uid}/", more_objectives),
    page("objective", lambda w: f"/objectives/{w.rel.uid}/", more_events),
    page("objective", lambda w: f"/objectives/{w.army.uid}/", more_assessments),
    endpoint("/objectives", more_objectives),
    endpoint("/objectives/{uid}", more_objectives, lambda w: f"/objectives/{w.imo.uid}", shows_rows=False),
    endpoint("/objectives/{uid}/thread", more_objectives, lambda w: f"/objectives/{w.imo.uid}/thread"),
    endpoint("/objectives/{uid}/descendants", more_objectives, lambda w: f"/objectives/{w.imo.uid}/descendants"),
    endpoint("/objectives/{uid}/thread", more_events, lambda w: f"/objectives/{w.rel.uid}/thread"),
    endpoint("/countries", more_countries),
    endpoint("/countries/{iso3}", more_constraints, "/countries/THA"),
    endpoint("/organizations", more_organizations),
    endpoint("/organizations/{uid}", more_organizations, lambda w: f"/organizations/{w.rta.uid}", shows_rows=False),
    endpoint("/plans", more_plans),
    endpoint("/plans/{uid}", more_plans, lambda w: f"/plans/{w.plan.uid}", shows_rows=False),
    # Events and claims
    page("home", "/", more_events, shows_rows=False),
    page("start", "/start/", more_events, shows_rows=False),
    page("help", "/help/", more_events, shows_rows=False),
    page("help-page", "/help/strategic-planner/", more_events, shows_rows=False),
    page("event-list", "/events/", more_events),
    page("event-list", "/events/?sort=-country&columns=code,title,series,country,status", more_events),
    page("event-create", "/events/new/", more_organizations),
    page("event", lambda w: f"/events/{w.event.uid}/", more_claims),
    page("event", lambda w: f"/events/{w.event.uid}/", more_organizations),
    page("event", lambda w: f"/events/{w.event.uid}/", more_orders),
    page("event", lambda w: f"/events/{w.event.uid}/", more_conferences),
    page("event", lambda w: f"/events/{w.next_event.uid}/", more_lessons),
    page("event-edit", lambda w: f"/events/{w.event.uid}/edit/", more_organizations),
    page("claim-add", lambda w: f"/events/{w.event.uid}/claims/", more_objectives),
    endpoint("/events", more_events),
    endpoint("/events/{uid}", more_organizations, lambda w: f"/events/{w.event.uid}"),
    endpoint("/events/{uid}/thread", more_claims, lambda w: f"/events/{w.event.uid}/thread"),
    endpoint("/events/{uid}/claims", more_claims, lambda w: f"/events/{w.event.uid}/claims"),
    endpoint("/claims/{uid}", more_claims, lambda w: f"/claims/{w.claim.uid}", shows_rows=False),
    endpoint("/series", more_series),
    endpoint("/series/{uid}", more_series, lambda w: f"/series/{w.series.uid}", shows_rows=False),
    # Conferences, orders, packets
    page(
        "conference-create", lambda w: f"/events/{w.event.uid}/conferences/new/", more_organizations, shows_rows=False
    ),
    page("conference", lambda w: f"/conferences/{w.correction.uid}/", more_conference_content),
    page("conference", lambda w: f"/conferences/{w.versioned.uid}/", more_versions),
    page("conference-edit", lambda w: f"/conferences/{w.correction.uid}/edit/", more_conference_content),
    endpoint("/events/{uid}/conferences", more_conferences, lambda w: f"/events/{w.event.uid}/conferences"),
    endpoint("/conferences/{uid}", more_conference_content, lambda w: f"/conferences/{w.correction.uid}"),
    endpoint("/conferences/{uid}/versions", more_versions, lambda w: f"/conferences/{w.versioned.uid}/versions"),
    endpoint(
        "/conferences/{uid}/changes", more_conference_content, lambda w: f"/conferences/{w.correction.uid}/changes"
    ),
    page("packet", lambda w: f"/events/{w.event.uid}/packet/", more_claims),
    page("packet", lambda w: f"/events/{w.event.uid}/packet/", more_requests, shows_rows=False),
    page("packet", lambda w: f"/events/{w.event.uid}/packet/", more_themes),
    page("packet", lambda w: f"/events/{w.event.uid}/packet/", more_conferences),
    page("packet-file", lambda w: f"/events/{w.event.uid}/packet.docx", more_claims),
    page("order-create", lambda w: f"/events/{w.event.uid}/orders/new/", more_organizations),
    page("order", lambda w: f"/orders/{w.order.uid}/", more_claims),
    page("order", lambda w: f"/orders/{w.frago.uid}/", more_order_changes),
    page("order-edit", lambda w: f"/orders/{w.order.uid}/edit/", more_organizations),
    page("order-file", lambda w: f"/orders/{w.order.uid}.docx", more_claims),
    endpoint("/events/{uid}/purpose", more_claims, lambda w: f"/events/{w.event.uid}/purpose"),
    endpoint("/events/{uid}/purpose", more_themes, lambda w: f"/events/{w.event.uid}/purpose"),
    endpoint("/events/{uid}/orders", more_orders, lambda w: f"/events/{w.event.uid}/orders"),
    endpoint("/orders/{uid}", more_order_changes, lambda w: f"/orders/{w.frago.uid}"),
    endpoint("/orders/{uid}/changes", more_order_changes, lambda w: f"/orders/{w.frago.uid}/changes"),
    # Requests, themes, products, deliveries
    page("rfi-create", lambda w: f"/events/{w.event.uid}/requests/new/", more_requests, shows_rows=False),
    page("rfi", lambda w: f"/requests/{w.request.uid}/", more_requests, shows_rows=False),
    endpoint("/events/{uid}/requirements", more_requests, lambda w: f"/events/{w.event.uid}/requirements"),
    endpoint("/events/{uid}/requests", more_requests, lambda w: f"/events/{w.event.uid}/requests"),
    endpoint("/requests/{uid}", more_requests, lambda w: f"/requests/{w.request.uid}", shows_rows=False),
    page("theme-list", "/themes/", more_themes),
    page("theme-create", "/themes/new/", more_themes, shows_rows=False),
    page("theme", lambda w: f"/themes/{w.theme.uid}/", more_theme_objectives),
    page("theme-edit", lambda w: f"/themes/{w.theme.uid}/edit/", more_theme_objectives),
    endpoint("/themes", more_themes),
    endpoint("/themes/{uid}", more_theme_objectives, lambda w: f"/themes/{w.theme.uid}"),
    endpoint("/products", more_themes),
    endpoint("/products/{uid}", more_theme_objectives, lambda w: f"/products/{w.product.uid}"),
    page("inbox", "/inbox/", more_requests, user="desk"),
    endpoint("/inbox", more_requests, user="desk"),
    endpoint("/events/{uid}/subscriptions", more_subscribers, lambda w: f"/events/{w.event.uid}/subscriptions"),
    # Country folders, search
    page("folder-list", "/folders/", more_countries),
    page("folder", "/countries/THA/folder/", more_folder_content),
    page("folder", "/countries/PHL/folder/", more_events),
    page("folder-export", "/countries/THA/folder/book/?format=docx", more_folder_content),
    page("folder-section", "/countries/THA/folder/entry/", more_folder_content),
    page("folder-section-edit", "/countries/THA/folder/entry/edit/", more_folder_content),
    page("person-book", "/people/desk/book/?format=docx", more_requests, user="desk"),
    page("person-book", "/people/planner/book/?format=docx", more_requests),
    endpoint("/countries/{iso3}/folder", more_folder_content, "/countries/THA/folder"),
    endpoint("/countries/{iso3}/folder/{key}", more_folder_content, "/countries/THA/folder/entry"),
    endpoint("/countries/{iso3}/folder/{key}/revisions", more_folder_content, "/countries/THA/folder/entry/revisions"),
    endpoint(
        "/countries/{iso3}/folder/{key}/diff",
        more_folder_content,
        "/countries/THA/folder/entry/diff?from=0&to=1",
        shows_rows=False,
    ),
    endpoint("/countries/{iso3}/contacts", more_folder_content, "/countries/THA/contacts"),
    endpoint("/countries/{iso3}/calendar", more_folder_content, "/countries/THA/calendar"),
    endpoint("/countries/{iso3}/attachments", more_folder_content, "/countries/THA/attachments"),
    page("search", "/search/?q=interpreters", more_search_entries),
    endpoint("/search", more_search_entries, "/search?q=interpreters"),
    endpoint("/search/facets", more_search_entries, "/search/facets?q=interpreters"),
    # Readiness
    page("readiness", lambda w: f"/events/{w.event.uid}/readiness/", more_travelers),
    page("readiness-calendar", lambda w: f"/events/{w.event.uid}/readiness.ics", more_travelers),
    page("traveler-create", lambda w: f"/events/{w.event.uid}/travelers/new/", more_organizations),
    page("traveler-edit", lambda w: f"/travelers/{w.traveler.uid}/edit/", more_traveler_documents),
    page("entry-rules", "/entry-rules/", more_countries),
    page("entry-rule", "/countries/THA/entry-rules/", more_entry_rule_changes),
    endpoint("/countries/{iso3}/entry-rules", more_entry_rule_changes, "/countries/THA/entry-rules", shows_rows=False),
    endpoint("/events/{uid}/travelers", more_travelers, lambda w: f"/events/{w.event.uid}/travelers"),
    endpoint("/travelers/{uid}", more_traveler_documents, lambda w: f"/travelers/{w.traveler.uid}"),
    endpoint("/events/{uid}/readiness", more_travelers, lambda w: f"/events/{w.event.uid}/readiness"),
    endpoint("/events/{uid}/readiness.ics", more_travelers, lambda w: f"/events/{w.event.uid}/readiness.ics"),
    # AARs and lessons
    page("aar-list", "/aars/", more_reports),
    page("aar-list", "/aars/", more_events),
    page("aar-list", "/aars/?sort=-executing_unit", more_reports),
    page("aar-list", "/aars/", more_reports, user="unit"),  # a reviewer whose reach is one unit, not the theater
    page("aar-list", "/aars/", more_reports, user="desk"),
    page("aar", lambda w: f"/aars/{w.report.uid}/", more_observations),
    page("aar", lambda w: f"/aars/{w.routed.uid}/", more_routed_observations),
    page("aar-file", lambda w: f"/aars/{w.report.uid}.docx", more_observations),
    page("aar-edit", lambda w: f"/aars/{w.report.uid}/edit/", more_observations, shows_rows=False),
    page(
        "observation-create", lambda w: f"/aars/{w.report.uid}/observations/new/", more_observations, shows_rows=False
    ),
    page("event-aar", lambda w: f"/events/{w.next_event.uid}/aar/", more_lessons, shows_rows=False),
    page("aar-import", lambda w: f"/events/{w.next_event.uid}/aar/import/", more_lessons, shows_rows=False),
    page("observation", lambda w: f"/observations/{w.observation.uid}/", more_observations, shows_rows=False),
    page("observation", lambda w: f"/observations/{w.lesson.uid}/", more_lessons),
    page("observation-edit", lambda w: f"/observations/{w.observation.uid}/edit/", more_observations, shows_rows=False),
    page("channel-item-list", "/channel-items/", more_lessons),
    page("channel-item", lambda w: f"/channel-items/{w.item.uid}/", more_lessons, shows_rows=False),
    page("lessons", "/lessons/", more_lessons),
    page("lessons", "/lessons/?q=interpreter", more_lessons),
    page("lessons-export", "/lessons/export.csv", more_lessons),
    endpoint("/aars", more_reports),
    endpoint("/aars", more_reports, user="unit"),
    endpoint("/aars/overdue", more_events),
    endpoint("/aars/{uid}", more_observations, lambda w: f"/aars/{w.report.uid}"),
    endpoint("/aars/{uid}", more_routed_observations, lambda w: f"/aars/{w.routed.uid}"),
    endpoint("/events/{uid}/aar", more_observations, lambda w: f"/events/{w.event.uid}/aar"),
    endpoint(
        "/observations/{uid}", more_observations, lambda w: f"/observations/{w.observation.uid}", shows_rows=False
    ),
    endpoint("/lessons", more_lessons),
    endpoint("/lessons", more_lessons, "/lessons?q=interpreter"),
    endpoint("/lessons/relevant", more_lessons, lambda w: f"/lessons/relevant?event={w.next_event.uid}"),
    endpoint("/lessons/recurring", more_lessons),
    endpoint("/observations/{uid}/recurring", more_lessons, lambda w: f"/observations/{w.lesson.uid}/recurring"),
    endpoint("/channel-items", more_lessons),
    endpoint("/channel-items/{uid}", more_lessons, lambda w: f"/channel-items/{w.item.uid}", shows_rows=False),
    # Audit trail
    page("audit", "/audit/", more_audit_entries),
    endpoint("/audit", more_audit_entries),
    # Indicators and assessments (the indicator list and page, values and tasks: see COVERED_ELSEWHERE)
    page("indicator-create", "/indicators/new/", more_objectives, shows_rows=False),
    page("indicator-import", "/indicators/import/", more_objectives, shows_rows=False),
    page("indicator-edit", lambda w: f"/indicators/{w.moe.uid}/edit/", more_objectives, shows_rows=False),
    page("indicator-chart", lambda w: f"/indicators/{w.moe.uid}/chart.svg", more_values),
    page("value-create", lambda w: f"/indicators/{w.moe.uid}/values/new/", more_values, shows_rows=False),
    page("value-edit", lambda w: f"/values/{w.value.uid}/edit/", more_values, shows_rows=False),
    page("objective-measures", lambda w: f"/objectives/{w.army.uid}/measures.docx", more_assessments),
    page(
        "assessment-create", lambda w: f"/objectives/{w.army.uid}/assessments/new/", more_assessments, shows_rows=False
    ),
    page("assessment", lambda w: f"/assessments/{w.assessment.uid}/", more_assessments),
    endpoint("/indicators/{ref}", more_values, lambda w: f"/indicators/{w.moe.code}", shows_rows=False),
    endpoint("/indicators/{ref}/series", more_values, lambda w: f"/indicators/{w.moe.code}/series"),
    endpoint("/compliance", more_reports),
    endpoint("/objectives/{ref}/assessments", more_assessments, lambda w: f"/objectives/{w.army.code}/assessments"),
    endpoint("/assessments/{uid}", more_assessments, lambda w: f"/assessments/{w.assessment.uid}"),
    # Evaluation
    page("evaluation", "/evaluation/", more_events),
    page("evaluation", "/evaluation/", more_desk_countries, user="desk"),
    page("evaluation-findings", "/evaluation/findings/orphan-event/", more_events),
    page("evaluation-discipline", "/evaluation/discipline/", more_reports),
    page("evaluation-portfolio", "/evaluation/portfolio/", more_countries),
    page("standing-edit", "/evaluation/portfolio/THA/standing/", more_countries, shows_rows=False),
    page("objective-contribution", lambda w: f"/objectives/{w.rel.uid}/contribution/", more_events),
    page("evaluation-report", "/evaluation/report.xlsx", more_events),
    endpoint("/evaluation/coverage", more_events),
    endpoint("/evaluation/coverage/{kind}", more_events, "/evaluation/coverage/orphan-event"),
    endpoint("/evaluation/coverage-breakdown", more_events),
    endpoint("/evaluation/discipline", more_reports),
    endpoint("/evaluation/contribution/{objective}", more_events, lambda w: f"/evaluation/contribution/{w.rel.code}"),
    endpoint("/evaluation/portfolio", more_countries),
    endpoint("/evaluation/report.{format}", more_events, "/evaluation/report.xlsx"),
    endpoint("/evaluation/reconciliation/report", more_events),
    endpoint("/evaluation/reconciliation/export.csv", more_events),
]

# GET routes whose query counts another module asserts.
COVERED_ELSEWHERE = {
    "indicator-list": "tests/test_measures_queries.py",
    "indicator": "tests/test_measures_queries.py",
    API + "/indicators": "tests/test_measures_queries.py",
    API + "/indicators/{ref}/values": "tests/test_measures_queries.py",
    API + "/events/{ref}/tasks": "tests/test_measures_queries.py",
}

# GET routes that show no rows, so nothing can grow.
EXCLUDED = {
    "login": "the login form; nobody is signed in",
    "coverage": "a redirect to the evaluation dashboard",
    "attachment": "one stored file, streamed",
    API + "/attachments/{uid}": "one stored file, streamed",
}


# --- Counting ---------------------------------------------------------------------------------------------------


@dataclass
class Cost:
    queries: int
    size: int


class Readers:
    """A signed-in client and an API token per user, made on first use."""

    def __init__(self, w: World):
        self.w = w
        self.clients: dict[str, tuple[Client, dict]] = {}
        self.chosen: set[tuple[str, str]] = set()

    def client(self, username: str) -> tuple[Client, dict]:
        if username not in self.clients:
            user = getattr(self.w, username)
            client = Client()
            client.force_login(user)
            self.clients[username] = (client, {"Authorization": f"Bearer {create_token(actor=None, user=user)[1]}"})
        return self.clients[username]

    def cost(self, read: Read) -> Cost:
        """The queries of one read, and the size of what it answers. There is no uncounted read first: the reads
        that write (an export's audit entry) write as much each time, but the first read of a record delivered to
        the reader marks it read, one query more than the next."""
        client, token = self.client(read.user)  # signing in writes; it is no part of the read
        url = read.url(self.w)
        if "columns=" in url and (read.user, url) not in self.chosen:
            # A table remembers a new choice of columns in the session, once: a write of the choice, not of the read.
            self.chosen.add((read.user, url))
            client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=token if url.startswith(API) else {})
        assert response.status_code == 200, f"{read.route} {url}: {response.status_code}"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return Cost(len(captured), _size(body))


def _size(body: bytes) -> int:
    """How much a response says: a DOCX or XLSX file is measured unzipped, as compression hides what it holds."""
    if not body.startswith(b"PK\x03\x04"):
        return len(body)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return sum(member.file_size for member in archive.infolist())


GROWERS = sorted({read.grow for read in READS}, key=lambda g: g.__name__)


@pytest.mark.parametrize("grow", GROWERS, ids=lambda g: g.__name__)
def test_reads_cost_as_many_queries_for_many_rows_as_for_few(measures, grow: Grow):
    """Every read of the grower's rows, counted with FEW and with MANY of them."""
    w = measures
    reads = [read for read in READS if read.grow is grow]
    readers = Readers(w)
    # A draft order of the exercise: the order pages read it whatever the grower adds.
    w.order = planning.draft_order(actor=w.planner, event=w.event, kind="OPORD", issuer=w.usarpac, title="OPORD")
    grow(w, 0, FEW)
    few = [readers.cost(read) for read in reads]
    grow(w, FEW, MANY)
    many = [readers.cost(read) for read in reads]
    assert [read.route for read in reads] == [_route_of(read.url(w)) for read in reads]  # each read is what it says
    grew = {
        f"{read.route} {read.url(w)}": (a.queries, b.queries)
        for read, a, b in zip(reads, few, many, strict=True)
        if a.queries != b.queries
    }
    assert not grew, f"queries ({FEW} rows, {MANY} rows) grew with the rows: {grew}"
    unseen = [
        f"{read.route} {read.url(w)}"
        for read, a, b in zip(reads, few, many, strict=True)
        if read.shows_rows and b.size <= a.size
    ]
    assert not unseen, f"the added rows did not show in: {unseen}"


# --- Completeness -----------------------------------------------------------------------------------------------


def _web_patterns(resolver: URLResolver | None = None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "api":  # the API's operations are listed by the API itself
                yield from _web_patterns(entry)
        elif isinstance(entry, URLPattern):
            yield entry


def _accepts_get(pattern: URLPattern) -> bool:
    view = pattern.callback
    if hasattr(view, "view_class"):
        return "get" in view.view_class.http_method_names and hasattr(view.view_class, "get")
    layer = view
    while layer is not None:  # @require_POST keeps its methods in a closure of one of the wrappers
        methods = inspect.getclosurevars(layer).nonlocals.get("request_method_list")
        if methods is not None:
            return "GET" in methods
        layer = getattr(layer, "__wrapped__", None)
    return True


def get_routes() -> set[str]:
    """The GET routes: pages by URL name, API operations by their path under /api/v1."""
    web = {pattern.name for pattern in _web_patterns() if _accepts_get(pattern)}
    paths = ninja_api.get_openapi_schema()["paths"]
    return web | {path for path, operations in paths.items() if "get" in operations}


def _route_of(url: str) -> str:
    """The route a URL reaches, named as `get_routes` names it."""
    match = resolve(url.split("?")[0])
    if match.namespace == "api":
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", match.route)
    return match.url_name


def test_every_get_route_is_counted_or_excluded():
    counted = {read.route for read in READS}
    listed = counted | set(COVERED_ELSEWHERE) | set(EXCLUDED)
    routes = get_routes()
    assert not routes - listed, f"GET routes without a query-count test, to add to READS: {sorted(routes - listed)}"
    assert not listed - routes, f"READS, COVERED_ELSEWHERE or EXCLUDED name routes that are gone: {listed - routes}"
    assert not counted & (set(COVERED_ELSEWHERE) | set(EXCLUDED)), "a route is both counted here and excluded"
